// The structured listing (slot_table.h) says what the JSON listing says, SnapshotCache's
// slot_list() fails exactly as slots() does, and last_bookable_date() by type id follows the
// precedence of a type's own horizon over the clinic's.
#include <catch2/catch.hpp>

#include "../support/random_clinic.h"
#include "slotbook/slot_table.h"
#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;

namespace {

Instant from_ms(double ms) { return Instant{std::chrono::milliseconds{std::int64_t(ms)}}; }

std::string hh_mm(int minute) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

// Every fact of `listing` (the contract's JSON) read back from `table`.
void check_table_matches(const SlotTable& table, const std::vector<std::string>& ids,
                         const json& listing) {
  const json& days = listing["available_slots"];
  REQUIRE(table.day_date.size() == days.size());
  REQUIRE(table.day_weekday.size() == days.size());
  std::size_t slot_count = 0;
  for (std::size_t d = 0; d < days.size(); ++d) {
    const json& day = days[d];
    CHECK(format_date(LocalDate{date::days{table.day_date[d]}}) == day["date"]);
    CHECK(std::string(weekday_name(LocalDate{date::days{table.day_date[d]}})) ==
          day["day_of_week"]);
    CHECK(table.day_weekday[d] == weekday_index(LocalDate{date::days{table.day_date[d]}}));
    REQUIRE(table.day_slot_count[d] == day["total_slots"]);
    CHECK(table.day_first_slot[d] == slot_count);
    for (std::uint32_t s = 0; s < table.day_slot_count[d]; ++s) {
      const json& slot = day["slots"][s];
      const std::size_t i = table.day_first_slot[d] + s;
      CHECK(hh_mm(table.slot_start_minute[i]) == slot["start"]);
      CHECK(hh_mm(table.slot_end_minute[i]) == slot["end"]);
      CHECK(format_instant(from_ms(table.slot_start_ms[i])) == slot["start_utc"]);
      CHECK(format_instant(from_ms(table.slot_end_ms[i])) == slot["end_utc"]);
      std::vector<std::string> practitioners;
      for (std::uint32_t k = 0; k < table.slot_practitioner_count[i]; ++k) {
        practitioners.push_back(
            ids.at(table.practitioners.at(table.slot_first_practitioner[i] + k)));
      }
      CHECK(json(practitioners) == slot["practitioner_ids"]);
    }
    slot_count += table.day_slot_count[d];
  }
  CHECK(table.slot_start_ms.size() == slot_count);
}

}  // namespace

TEST_CASE("slot table: the columns say what the JSON listing says, on generated clinics") {
  RandomClinics clinics(20261201);
  int listings = 0, slots = 0;
  for (int round = 0; round < 120; ++round) {
    RandomCase c = clinics.next();
    CAPTURE(round, c.snapshot.dump(), c.query.dump());
    SnapshotCache cache(&system_zones());
    cache.use(c.snapshot.dump());
    const json listing = json::parse(cache.slots(c.query.dump()).json);
    Result<SlotAnswer> answer = cache.slot_list(c.query.dump());
    if (listing.contains("error")) {
      REQUIRE_FALSE(answer.ok());
      continue;
    }
    REQUIRE(answer.ok());
    std::vector<std::string> ids;
    for (const Practitioner& p : answer->snapshot->practitioners) ids.push_back(p.id);
    const std::size_t listed = answer->list.slots.size();
    SlotTable table = make_slot_table(*answer->snapshot, std::move(answer->list));
    check_table_matches(table, ids, listing);
    ++listings;
    slots += static_cast<int>(listed);
  }
  CHECK(listings > 60);
  CHECK(slots > 5000);
}

TEST_CASE("slot table: a slot ending at midnight ends at minute 0 of the next day") {
  json snapshot = basic_snapshot("Europe/Madrid");
  snapshot["practitioners"][0]["weekly_hours"]["monday"] = {{{"start", "23:00"}, {"end", "24:00"}}};
  SnapshotCache cache(&system_zones());
  cache.use(snapshot.dump());
  Result<SlotAnswer> answer =
      cache.slot_list(query("2026-12-07", "2026-12-07", "2026-11-01T00:00:00Z").dump());
  REQUIRE(answer.ok());
  SlotTable table = make_slot_table(*answer->snapshot, std::move(answer->list));
  REQUIRE(table.slot_start_minute.size() == 2);
  CHECK(table.slot_start_minute[0] == 23 * 60);
  CHECK(table.slot_end_minute[1] == 0);
  CHECK(format_instant(from_ms(table.slot_end_ms[1])) == "2026-12-07T23:00:00Z");  // UTC+1
  CHECK(table.day_weekday[0] == 0);                                                // Monday
}

TEST_CASE("slot_list answers the very errors slots() answers, in the same order") {
  RandomClinics clinics(7);
  int errors = 0;
  for (int round = 0; round < 80; ++round) {
    RandomCase c = clinics.next();
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {clinics.break_snapshot(c.snapshot).dump(), c.query.dump()},
        {c.snapshot.dump(), clinics.break_query(c.query).dump()},
        {c.snapshot.dump(), "{\"start_date\": "},
        {"[1,", c.query.dump()},
    };
    for (const auto& [snapshot_text, query_text] : inputs) {
      CAPTURE(snapshot_text, query_text);
      SnapshotCache cache(&system_zones());
      cache.use(snapshot_text);
      const json expected = json::parse(cache.slots(query_text).json);
      Result<SlotAnswer> answer = cache.slot_list(query_text);
      if (!expected.contains("error")) {
        CHECK(answer.ok());
        continue;
      }
      REQUIRE_FALSE(answer.ok());
      CHECK(std::string(to_string(answer.error().code)) == expected["error"]["code"]);
      CHECK(answer.error().message == expected["error"]["message"]);
      ++errors;
    }
  }
  CHECK(errors > 200);
}

TEST_CASE("SnapshotCache::snapshot: the parsed snapshot or its first error") {
  SnapshotCache cache(&system_zones());
  cache.use("{");
  REQUIRE_FALSE(cache.snapshot().ok());
  CHECK(cache.snapshot().error().code == ErrorCode::kInvalidJson);
  cache.use("{}");
  REQUIRE_FALSE(cache.snapshot().ok());
  CHECK(cache.snapshot().error().code == ErrorCode::kInvalidSnapshot);
  cache.use(basic_snapshot().dump());
  REQUIRE(cache.snapshot().ok());
  CHECK((*cache.snapshot())->clinic_id == "c1");
}

TEST_CASE("last_bookable_date by type id: the type's horizon, else the clinic's, else 90 days") {
  json snapshot = basic_snapshot();  // New York; rules.max_advance_days 365
  snapshot["appointment_types"].push_back(
      {{"id", "short"}, {"duration_minutes", 30}, {"max_advance_days", 7}});
  auto parsed = parse_snapshot(snapshot, &system_zones());
  REQUIRE(parsed.ok());
  // 03:00 UTC on December 1 is still November 30 in New York.
  const Instant now = *parse_instant("2026-12-01T03:00:00Z");
  auto own = last_bookable_date(*parsed, "short", now);
  REQUIRE(own.ok());
  CHECK(format_date(*own) == "2026-12-07");
  auto clinic = last_bookable_date(*parsed, "visit", now);
  REQUIRE(clinic.ok());
  CHECK(format_date(*clinic) == "2027-11-30");

  snapshot.erase("rules");
  auto defaults = parse_snapshot(snapshot, &system_zones());
  REQUIRE(defaults.ok());
  auto fallback = last_bookable_date(*defaults, "visit", now);
  REQUIRE(fallback.ok());
  CHECK(*fallback == *parse_date("2026-11-30") + date::days{kDefaultMaxAdvanceDays});

  auto unknown = last_bookable_date(*parsed, "surgery", now);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::kUnknownAppointmentType);
  // the same error a listing of that type answers
  const json listing =
      run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-12-01T03:00:00Z", "surgery"));
  CHECK(unknown.error().message == listing["error"]["message"]);
}
