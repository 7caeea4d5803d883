// Listing and validation can never disagree (engine-contract.md): over generated clinics, every
// listed slot validates ok for each of its practitioners, and every start on an interval's
// grid that is not listed is refused with the reason a brute-force reading of the
// contract gives.
#include <catch2/catch.hpp>

#include <set>

#include "../support/random_clinic.h"
#include "slotbook/engine.h"
#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;

namespace {

// The contract's reason for a start on the grid, computed the slow, obvious way.
std::string expected_refusal(const json& snapshot_json, const Snapshot& snapshot,
                             const AppointmentType& type, const std::string& practitioner,
                             LocalDate date, Instant start, Instant now) {
  if (Instant{start} < now) return "in_past";
  if (Instant{start} < now + Minutes{type.min_notice_minutes}) return "too_soon";
  LocalDate today = date::floor<date::days>(snapshot.zone.to_local(now));
  if (date > today + date::days{type.max_advance_days}) return "too_far";
  Instant from = Instant{start} - Minutes{type.buffer_before_minutes};
  Instant to = Instant{start} + Minutes{type.duration_minutes + type.buffer_after_minutes};
  for (const auto& busy : snapshot_json.value("busy", json::array())) {
    if (busy["practitioner_id"] != practitioner) continue;
    Instant busy_start = *parse_instant(busy["start"].get<std::string>());
    Instant busy_end = *parse_instant(busy["end"].get<std::string>());
    if (from < busy_end && busy_start < to) return "conflict";
  }
  return "ok";
}

}  // namespace

TEST_CASE("property: listing and validation agree on generated clinics") {
  RandomClinics clinics(20261122);
  int listed_checked = 0, refused_checked = 0;
  for (int round = 0; round < 150; ++round) {
    RandomCase c = clinics.next();
    CAPTURE(round, c.snapshot.dump(), c.query.dump());
    auto snapshot = parse_snapshot(c.snapshot, &system_zones());
    REQUIRE(snapshot.ok());
    json answer = run_slots(c.snapshot, c.query);
    if (answer.contains("error")) {
      CHECK(error_code(answer) == "unknown_practitioner");  // a practitioner without the type
      continue;
    }
    const AppointmentType& type =
        *snapshot->find_type(c.query["appointment_type"].get<std::string>());
    const Instant now = *parse_instant(c.query["now"].get<std::string>());

    std::set<std::pair<std::string, std::string>> listed;  // (practitioner, start_utc)
    for (const auto& day : answer["available_slots"]) {
      for (const auto& slot : day["slots"]) {
        for (const auto& p : slot["practitioner_ids"]) {
          listed.insert({p.get<std::string>(), slot["start_utc"].get<std::string>()});
          json b = booking(slot["start_utc"], c.query["now"], p, type.id);
          CHECK(reason_of(c.snapshot, b) == "ok");
          ++listed_checked;
        }
      }
    }

    LocalDate first = *parse_date(c.query["start_date"].get<std::string>());
    LocalDate last = *parse_date(c.query["end_date"].get<std::string>());
    std::string wanted = c.query.value("practitioner_id", json("any")).get<std::string>();
    for (const Practitioner& p : snapshot->practitioners) {
      if (!p.offers(type.id) || (wanted != "any" && wanted != p.id)) continue;
      for (LocalDate d = first; d <= last; d += date::days{1}) {
        for (const HoursInterval& hours : snapshot->hours_on(p, d)) {
          auto begin = snapshot->zone.to_instant(LocalTime{d} + Minutes{hours.start_minute});
          auto end = snapshot->zone.to_instant(LocalTime{d} + Minutes{hours.end_minute});
          for (auto start = begin; start + Minutes{type.duration_minutes} <= end;
               start += Minutes{type.slot_step_minutes}) {
            if (date::floor<date::days>(snapshot->zone.to_local(Instant{start})) != d) continue;
            std::string start_utc = format_instant(Instant{start});
            std::string expected =
                expected_refusal(c.snapshot, *snapshot, type, p.id, d, start, now);
            CAPTURE(p.id, start_utc);
            CHECK((listed.count({p.id, start_utc}) == 1) == (expected == "ok"));
            CHECK(reason_of(c.snapshot, booking(start_utc, c.query["now"], p.id, type.id)) ==
                  expected);
            ++refused_checked;
            // One minute later is off the grid (or outside the hours, or too early/late).
            std::string off = format_instant(Instant{start + Minutes{1}});
            std::string reason = reason_of(c.snapshot, booking(off, c.query["now"], p.id, type.id));
            if (type.slot_step_minutes > 1) CHECK(reason != "ok");
          }
        }
      }
    }
  }
  CHECK(listed_checked > 1000);
  CHECK(refused_checked > listed_checked);
}
