// SMART Scheduling Links generation (issue 15): a clinic of 20 practitioners, 3
// appointment types, a 90-day horizon and 5,000 busy intervals; the time to make its
// Location, Schedule and Slot files from the engine (publish/smart_scheduling.h), per type
// and with a Schedule per practitioner too. Prints figures; never fails on time.
//
//   build/bin/publish_bench [--write-clinic FILE]   FILE: the clinic's configuration, to
//                                                    serve with booking-server --clinic
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/clinic_config.h"
#include "publish/smart_scheduling.h"
#include "slotbook/system_zones.h"

using namespace slotbook;
using namespace slotbook::server;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int kPractitioners = 20;
constexpr int kBusy = 5000;
constexpr int kRuns = 15;

nlohmann::json bench_clinic(bool per_practitioner) {
  nlohmann::json weekday = nlohmann::json::array(
      {{{"start", "08:00"}, {"end", "12:00"}}, {{"start", "13:00"}, {"end", "18:00"}}});
  nlohmann::json config = {
      {"clinic",
       {{"id", "bench"},
        {"name", "Bench Clinic"},
        {"timezone", "America/New_York"},
        {"phone", "+1 617 555 0100"},
        {"address",
         {{"line", {"1 Main St"}}, {"city", "Boston"}, {"state", "MA"}, {"postal_code", "02108"}}},
        {"booking_url", "https://bench.example/book"}}},
      {"rules", {{"min_notice_minutes", 120}, {"max_advance_days", 90}}},
      {"publish", {{"smart_scheduling_links", true}, {"per_practitioner", per_practitioner}}},
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
      {"practitioners", nlohmann::json::array()}};
  for (int p = 0; p < kPractitioners; ++p) {
    char id[16];
    std::snprintf(id, sizeof id, "dr-%02d", p);
    config["practitioners"].push_back(
        {{"id", id},
         {"name", std::string("Dr. ") + id},
         {"appointment_types", {"follow-up", "consultation", "therapy"}},
         {"weekly_hours",
          {{"monday", weekday},
           {"tuesday", weekday},
           {"wednesday", weekday},
           {"thursday", weekday},
           {"friday", weekday},
           {"saturday", {{{"start", "09:00"}, {"end", "13:00"}}}}}}});
  }
  return config;
}

// Busy intervals of 15-90 minutes in working hours over the 90 days after `now`.
std::vector<PractitionerBusy> bench_busy(Instant now) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> practitioner(0, kPractitioners - 1), day(0, 89),
      minute(13 * 60, 22 * 60), length(1, 6);
  std::vector<PractitionerBusy> busy;
  for (int i = 0; i < kBusy; ++i) {
    const Instant start = date::floor<date::days>(now) + date::days{day(rng)} +
                          std::chrono::minutes{minute(rng) / 5 * 5};
    char id[16];
    std::snprintf(id, sizeof id, "dr-%02d", practitioner(rng));
    busy.push_back({id, {start, start + std::chrono::minutes{15 * length(rng)}}});
  }
  return busy;
}

void run(bool per_practitioner, const SystemZoneSource& zones, Instant now) {
  auto clinic = ClinicConfig::from_json(bench_clinic(per_practitioner), zones);
  if (!clinic.ok()) {
    std::fprintf(stderr, "bench clinic refused: %s\n", clinic.error().message.c_str());
    std::exit(1);
  }
  const Snapshot occupied = with_busy(clinic->checked(), bench_busy(now), nullptr);
  std::vector<double> ms;
  SmartSchedulingFiles files;
  for (int i = 0; i < kRuns; ++i) {
    const auto began = Steady::now();
    files = smart_scheduling_files(*clinic, occupied, now, "https://booking.example/fhir/clinics");
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - began).count());
  }
  std::sort(ms.begin(), ms.end());
  std::size_t free = 0;
  for (std::size_t at = 0; (at = files.slots.find("\"status\":\"free\"", at)) != std::string::npos;
       ++at) {
    ++free;
  }
  std::printf(
      "%s: %zu slots (%zu free) in %zu Schedules; slots.ndjson %zu B; generation median %.1f ms "
      "(min %.1f, max %.1f) of %d\n",
      per_practitioner ? "per type and per practitioner" : "per type", files.slot_count, free,
      static_cast<std::size_t>(std::count(files.schedules.begin(), files.schedules.end(), '\n')),
      files.slots.size(), ms[ms.size() / 2], ms.front(), ms.back(), kRuns);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-clinic") {
    std::ofstream(argv[2]) << bench_clinic(false).dump();
  }
  const SystemZoneSource zones;
  const Instant now =
      Instant(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  std::printf("SMART Scheduling Links: %d practitioners, 3 types, 90 days, %d busy intervals\n",
              kPractitioners, kBusy);
  run(false, zones, now);
  run(true, zones, now);
}
