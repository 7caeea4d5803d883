// The server's compact busy form ("busy_runs", json_api.h) means exactly what the
// contract's "busy" means: random clinics answer the same either way, and a malformed
// run is invalid_snapshot like a malformed busy interval.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "../support/random_clinic.h"
#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;

namespace {

const std::string kNow = "2026-11-01T00:00:00Z";

std::int64_t epoch_seconds(const std::string& text) {
  return std::chrono::duration_cast<Seconds>(parse_instant(text)->time_since_epoch()).count();
}

// `snapshot` with its "busy" rewritten as "busy_runs" the way the server writes them:
// per practitioner, merged runs from the first one's start.
json with_runs(json snapshot) {
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> spans;
  for (const json& b : snapshot.value("busy", json::array())) {
    spans[b["practitioner_id"]].emplace_back(epoch_seconds(b["start"]), epoch_seconds(b["end"]));
  }
  snapshot.erase("busy");
  json runs = json::array();
  for (auto& [id, list] : spans) {
    std::sort(list.begin(), list.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> merged;
    for (const auto& span : list) {
      if (!merged.empty() && span.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, span.second);
      } else {
        merged.push_back(span);
      }
    }
    json numbers = json::array();
    std::int64_t at = merged.front().first;
    for (const auto& [from, to] : merged) {
      numbers.push_back(from - at);
      numbers.push_back(to - from);
      at = to;
    }
    runs.push_back({{"practitioner_id", id},
                    {"from", format_instant(Instant(Seconds(merged.front().first)))},
                    {"runs", numbers}});
  }
  snapshot["busy_runs"] = runs;
  return snapshot;
}

json one_run(const json& runs, const std::string& from = "2026-12-01T14:00:00Z") {
  json snapshot = basic_snapshot();
  snapshot["busy_runs"] = {{{"practitioner_id", "dr-a"}, {"from", from}, {"runs", runs}}};
  return snapshot;
}

json first_week(const json& snapshot) {
  return run_slots(snapshot, query("2026-12-01", "2026-12-07", kNow));
}

}  // namespace

TEST_CASE("busy_runs: random clinics answer exactly as with busy") {
  RandomClinics clinics(20261202);
  int with_busy = 0;
  for (int i = 0; i < 300; ++i) {
    RandomCase c = clinics.next();
    if (c.snapshot.value("busy", json::array()).empty()) continue;
    // Whole-second busy times only: the server's spans are whole seconds.
    bool whole = true;
    for (const json& b : c.snapshot["busy"]) {
      whole =
          whole &&
          parse_instant(b["start"].get<std::string>())->time_since_epoch() % Seconds(1) ==
              Micros(0) &&
          parse_instant(b["end"].get<std::string>())->time_since_epoch() % Seconds(1) == Micros(0);
    }
    if (!whole) continue;
    ++with_busy;
    CAPTURE(c.snapshot.dump());
    CHECK(run_slots(with_runs(c.snapshot), c.query) == run_slots(c.snapshot, c.query));
    CHECK(run_validate(with_runs(c.snapshot), c.booking) == run_validate(c.snapshot, c.booking));
  }
  CHECK(with_busy > 50);
}

TEST_CASE("busy_runs: gaps count from the previous run's end, both forms add up") {
  // 09:00-10:00 and 10:30-11:00 New York (14:00Z, 15:30Z) leave 10:00 and 11:00..11:30.
  json runs = one_run({0, 3600, 1800, 1800});
  CHECK(starts_of(first_week(runs))[0] == "2026-12-01T15:00:00Z");
  CHECK(starts_of(first_week(runs))[1] == "2026-12-01T16:00:00Z");
  runs["busy"] = {{{"practitioner_id", "dr-a"},
                   {"start", "2026-12-01T15:00:00Z"},
                   {"end", "2026-12-01T15:30:00Z"}}};
  CHECK(starts_of(first_week(runs))[0] == "2026-12-01T16:00:00Z");
  // Another practitioner's runs are ignored, like their busy intervals.
  json ghost = basic_snapshot();
  ghost["busy_runs"] = {
      {{"practitioner_id", "ghost"}, {"from", "2026-12-01T14:00:00Z"}, {"runs", {0, 3600}}}};
  CHECK(starts_of(first_week(ghost))[0] == "2026-12-01T14:00:00Z");
}

TEST_CASE("busy_runs: malformed runs are invalid_snapshot") {
  std::vector<std::pair<std::string, json>> bad = {
      {"odd count", one_run({0, 3600, 60})},
      {"negative gap", one_run({-60, 3600})},
      {"zero length", one_run({0, 0})},
      {"fraction", one_run({0, 1800.5})},
      {"string", one_run({0, "1800"})},
      {"too long", one_run({0, std::int64_t{400} * 366 * 86400})},
      {"from without seconds", one_run({0, 60}, "2026-12-01T14:00Z")},
  };
  json no_runs = basic_snapshot();
  no_runs["busy_runs"] = {{{"practitioner_id", "dr-a"}, {"from", "2026-12-01T14:00:00Z"}}};
  bad.emplace_back("no runs", no_runs);
  json not_list = basic_snapshot();
  not_list["busy_runs"] = {{"dr-a", 1}};
  bad.emplace_back("not a list", not_list);
  for (const auto& [what, snapshot] : bad) {
    CAPTURE(what);
    CHECK(error_code(first_week(snapshot)) == "invalid_snapshot");
  }
}
