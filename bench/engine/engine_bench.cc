// The engine benchmark of issue 2: a clinic of 20 practitioners, 3 appointment types, a
// 90-day range, 5,000 busy intervals, any practitioner. Prints microseconds per query with
// and without JSON, with the structured answer the browser gets (query text in, SlotTable
// columns out, snapshot cached), and slots per second.
//
//   build/bin/engine_bench                      # run and print figures
//   build/bin/engine_bench --write DIR          # also write DIR/snapshot.json, DIR/query-N.json
//                                               # (the workload the WebAssembly bench reuses)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "slotbook/engine.h"
#include "slotbook/json_api.h"
#include "slotbook/slot_table.h"
#include "slotbook/system_zones.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPractitioners = 20;
constexpr int kBusy = 5000;
const char* const kRangeStart = "2027-01-04";
const char* const kRangeEnd = "2027-04-03";  // 90 days after the start
const char* const kNow = "2027-01-03T12:00:00Z";

json workload_snapshot() {
  std::mt19937 rng(42);
  json weekday =
      json::array({{{"start", "08:00"}, {"end", "12:00"}}, {{"start", "13:00"}, {"end", "18:00"}}});
  json snapshot = {{"clinic",
                    {{"id", "bench"},
                     {"name", "Bench Clinic"},
                     {"timezone", "America/New_York"},
                     {"closed_dates", {"2027-01-18", "2027-02-15"}}}},
                   {"rules", {{"min_notice_minutes", 120}, {"max_advance_days", 365}}},
                   {"appointment_types",
                    {{{"id", "follow-up"}, {"duration_minutes", 15}},
                     {{"id", "consultation"},
                      {"duration_minutes", 30},
                      {"slot_step_minutes", 15},
                      {"buffer_after_minutes", 10}},
                     {{"id", "therapy"},
                      {"duration_minutes", 60},
                      {"slot_step_minutes", 30},
                      {"buffer_before_minutes", 15}}}},
                   {"practitioners", json::array()},
                   {"busy", json::array()}};
  for (int p = 0; p < kPractitioners; ++p) {
    json hours = {{"monday", weekday},    {"tuesday", weekday},
                  {"wednesday", weekday}, {"thursday", weekday},
                  {"friday", weekday},    {"saturday", {{{"start", "09:00"}, {"end", "13:00"}}}}};
    char id[16];
    std::snprintf(id, sizeof id, "dr-%02d", p);
    snapshot["practitioners"].push_back(
        {{"id", id},
         {"appointment_types", {"follow-up", "consultation", "therapy"}},
         {"weekly_hours", hours},
         {"overrides",
          {{{"date", "2027-02-01"}, {"hours", {{{"start", "10:00"}, {"end", "14:00"}}}}}}}});
  }
  // Busy intervals of 15-90 minutes during working hours (13:00-23:00 UTC), spread over
  // the 90 days.
  std::uniform_int_distribution<int> practitioner(0, kPractitioners - 1), day(0, 89),
      minute(13 * 60, 22 * 60), length(1, 6);
  for (int i = 0; i < kBusy; ++i) {
    auto start = date::sys_days{date::year{2027} / 1 / 4} + date::days{day(rng)} +
                 std::chrono::minutes{minute(rng) / 5 * 5};
    auto end = start + std::chrono::minutes{15 * length(rng)};
    char id[16];
    std::snprintf(id, sizeof id, "dr-%02d", practitioner(rng));
    snapshot["busy"].push_back({{"practitioner_id", id},
                                {"start", slotbook::format_instant(slotbook::Instant{start})},
                                {"end", slotbook::format_instant(slotbook::Instant{end})}});
  }
  return snapshot;
}

json workload_query(const std::string& type) {
  return {{"appointment_type", type},
          {"practitioner_id", "any"},
          {"start_date", kRangeStart},
          {"end_date", kRangeEnd},
          {"now", kNow}};
}

template <typename F>
double micros_per_call(int iterations, F&& call) {
  call();  // warm up
  auto start = Clock::now();
  for (int i = 0; i < iterations; ++i) call();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  std::string write_dir = argc == 3 && std::string(argv[1]) == "--write" ? argv[2] : "";
  slotbook::SystemZoneSource zones;
  const json snapshot_json = workload_snapshot();
  const std::string snapshot_text = snapshot_json.dump();
  const std::vector<std::string> types = {"follow-up", "consultation", "therapy"};

  if (!write_dir.empty()) {
    std::ofstream(write_dir + "/snapshot.json")
        << slotbook::prepare_json(snapshot_text, zones).json;
    for (std::size_t i = 0; i < types.size(); ++i) {
      std::ofstream(write_dir + "/query-" + std::to_string(i) + ".json")
          << workload_query(types[i]).dump();
    }
  }

  auto snapshot = slotbook::parse_snapshot(snapshot_json, &zones);
  if (!snapshot.ok()) {
    std::fprintf(stderr, "bad workload: %s\n", snapshot.error().message.c_str());
    return 1;
  }
  std::printf(
      "workload: %d practitioners, %zu types, 90-day range (%s..%s), %d busy intervals, any "
      "practitioner, %s\n",
      kPractitioners, types.size(), kRangeStart, kRangeEnd, kBusy, snapshot->zone.name().c_str());
  double parse_us = micros_per_call(50, [&] {
    auto parsed = slotbook::parse_snapshot(json::parse(snapshot_text), &zones);
    (void)parsed;
  });
  std::printf("snapshot parse (text -> Snapshot, %zu bytes): %.0f us\n", snapshot_text.size(),
              parse_us);

  std::printf("%-13s %8s %12s %14s %16s %14s %17s\n", "type", "slots", "engine us", "+JSON out us",
              "cached JSON us", "full JSON us", "cached table us");
  double total_slots = 0, total_engine_us = 0;
  for (const std::string& type : types) {
    auto query = slotbook::parse_slot_query(workload_query(type));
    auto list = slotbook::list_slots(*snapshot, *query);
    std::size_t slot_count = list->slots.size();
    const int n = 200;
    double engine_us = micros_per_call(n, [&] {
      auto l = slotbook::list_slots(*snapshot, *query);
      (void)l;
    });
    double with_output_us = micros_per_call(n, [&] {
      auto l = slotbook::list_slots(*snapshot, *query);
      auto text = slotbook::slot_list_json(*snapshot, *query, *l);
      (void)text;
    });
    const std::string query_text = workload_query(type).dump();
    slotbook::SnapshotCache cache(&zones);
    double cached_us = micros_per_call(n, [&] {
      auto a = cache.slots(snapshot_text, query_text);
      (void)a;
    });
    double full_us = micros_per_call(20, [&] {
      auto a = slotbook::slots_json(snapshot_text, query_text, &zones);
      (void)a;
    });
    // What the WebAssembly _slotTable entry point does, natively: the snapshot parsed once,
    // the query text parsed, the listing made and turned into columns.
    slotbook::SnapshotCache table_cache(&zones);
    table_cache.use(snapshot_text);
    double table_us = micros_per_call(n, [&] {
      auto answer = table_cache.slot_list(query_text);
      auto table = slotbook::make_slot_table(*answer->snapshot, std::move(answer->list));
      (void)table;
    });
    std::printf("%-13s %8zu %12.1f %14.1f %16.1f %14.1f %17.1f\n", type.c_str(), slot_count,
                engine_us, with_output_us, cached_us, full_us, table_us);
    total_slots += static_cast<double>(slot_count);
    total_engine_us += engine_us;
  }
  std::printf("slots per second (engine, no JSON): %.2f million\n", total_slots / total_engine_us);

  // Validation: the server's per-booking check.
  auto query = slotbook::parse_slot_query(workload_query("consultation"));
  auto list = slotbook::list_slots(*snapshot, *query);
  const auto& slot = list->slots[list->slots.size() / 2];
  slotbook::BookingRequest request{
      "consultation", snapshot->practitioners[list->practitioners[slot.first_practitioner]].id,
      slotbook::Instant{slot.start}, query->now};
  double validate_us = micros_per_call(100000, [&] {
    auto verdict = slotbook::validate_booking(*snapshot, request);
    (void)verdict;
  });
  std::printf("validate one booking (parsed snapshot): %.2f us\n", validate_us);
  return 0;
}
