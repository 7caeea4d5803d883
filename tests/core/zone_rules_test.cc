// ZoneRules against the tz database itself, and the promise that a snapshot naming its
// zone and one carrying prepared rules give identical answers.
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "slotbook/zone_rules.h"
#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;
using namespace date::literals;

namespace {

const char* const kZones[] = {
    "America/New_York",  "Europe/London",     "Australia/Lord_Howe",
    "America/St_Johns",  "Asia/Kolkata",      "Pacific/Chatham",
    "America/Santiago",  "Africa/Casablanca", "Asia/Tehran",
    "America/Sao_Paulo", "Europe/Dublin",     "Asia/Kathmandu",
    "America/Havana",    "Pacific/Auckland",  "UTC",
    "America/Godthab",
};

// The contract's local-to-UTC rule, computed independently with date::tz.
date::sys_seconds reference_to_instant(const date::time_zone& zone, LocalTime local) {
  date::local_info info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) return info.first.end;
  return date::sys_seconds{local.time_since_epoch() - info.first.offset};
}

}  // namespace

TEST_CASE("zone rules agree with the tz database every 15 minutes for two years") {
  const date::sys_days from = 2026_y / 1 / 1, to = 2028_y / 1 / 1;
  for (const char* name : kZones) {
    CAPTURE(name);
    auto rules = system_zones().rules_for(name);
    REQUIRE(rules.ok());
    const date::time_zone* zone = date::locate_zone(name);
    for (date::sys_seconds t = from; t < to; t += Minutes{15}) {
      auto expected = zone->get_info(t).offset;
      if (rules->offset_at(Instant{t}) != expected) {
        FAIL_CHECK("offset differs at " << date::format("%F %T", t));
        break;
      }
      LocalTime local{t.time_since_epoch()};
      if (rules->to_instant(local) != reference_to_instant(*zone, local)) {
        FAIL_CHECK("to_instant differs at local " << date::format("%F %T", local));
        break;
      }
    }
  }
}

TEST_CASE("zone rules survive their JSON form unchanged") {
  for (const char* name : kZones) {
    CAPTURE(name);
    auto rules = system_zones().rules_for(name);
    REQUIRE(rules.ok());
    json form;
    rules->to_json(form);
    auto back = ZoneRules::from_json(form);
    REQUIRE(back.ok());
    json again;
    back->to_json(again);
    CHECK(form == again);
  }
}

TEST_CASE("after the tz database's listed transitions the POSIX footer governs") {
  auto rules = system_zones().rules_for("America/New_York");
  REQUIRE(rules.ok());
  // 2040 is past the last transition a TZif file lists (2037); DST still applies.
  CHECK(rules->offset_at(Instant{date::sys_days{2040_y / 7 / 1}}) == std::chrono::hours{-4});
  CHECK(rules->offset_at(Instant{date::sys_days{2040_y / 1 / 1}}) == std::chrono::hours{-5});
}

TEST_CASE("an offset span holds one offset, from its begin to just before its end") {
  // 1900-2100 in 5-day steps: listed transitions, the time before the first one, and the
  // POSIX footer's spans after the last.
  const date::sys_days from = 1900_y / 1 / 1, to = 2100_y / 1 / 1;
  for (const char* name : kZones) {
    CAPTURE(name);
    auto rules = system_zones().rules_for(name);
    REQUIRE(rules.ok());
    int spans = 0;
    for (date::sys_seconds t = from; t < to; t += date::days{5}) {
      const ZoneRules::OffsetSpan span = rules->offset_span(Instant{t});
      REQUIRE(span.begin <= t);
      REQUIRE(t < span.end);
      CHECK(span.offset == rules->offset_at(Instant{t}));
      if (span.begin != date::sys_seconds::min()) {
        CHECK(rules->offset_at(Instant{span.begin}) == span.offset);
      }
      if (span.end < to) {
        CHECK(rules->offset_at(Instant{span.end - Seconds{1}}) == span.offset);
        // the next span starts where this one ends
        CHECK(rules->offset_span(Instant{span.end}).begin == span.end);
        t = std::max(t, span.end - date::days{5});  // visit every span, not every 5 days
      }
      ++spans;
    }
    CHECK(spans > 0);
  }
}

TEST_CASE("unknown zones and malformed rules are invalid snapshots") {
  CHECK_FALSE(system_zones().rules_for("Mars/Olympus_Mons").ok());
  CHECK_FALSE(system_zones().rules_for("../../etc/passwd").ok());
  CHECK(system_zones().rules_for("Mars/Olympus_Mons").error().code == ErrorCode::kInvalidSnapshot);
  for (const char* bad : {"EST", "EST5EDT", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0",
                          "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "<+05>-5<", "EST99",
                          "EST5EDT,M3.2.0/-1,M11.1.0", "EST5EDT,J0,J365", "X5"}) {
    CAPTURE(bad);
    CHECK_FALSE(ZoneRules::make("Test/Zone", Seconds{0}, {}, bad).ok());
  }
  for (const char* good :
       {"EST5EDT,M3.2.0,M11.1.0", "<+0545>-5:45", "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
        "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "IST-1GMT0,M10.5.0,M3.5.0/1", "UTC0"}) {
    CAPTURE(good);
    CHECK(ZoneRules::make("Test/Zone", Seconds{0}, {}, good).ok());
  }
  auto unordered = ZoneRules::make("Test/Zone", Seconds{0},
                                   {{date::sys_seconds{Seconds{100}}, Seconds{3600}},
                                    {date::sys_seconds{Seconds{50}}, Seconds{0}}},
                                   "");
  CHECK_FALSE(unordered.ok());
}

TEST_CASE("a snapshot naming its zone and a prepared one answer identically") {
  // Hours that straddle the usual transition times, midnight and 24:00.
  json hours =
      json::parse(R"([{"start": "00:00", "end": "04:00"}, {"start": "08:30", "end": "12:00"},
                               {"start": "22:00", "end": "24:00"}])");
  for (const char* name : kZones) {
    CAPTURE(name);
    json snapshot = basic_snapshot(name);
    snapshot["appointment_types"][0]["slot_step_minutes"] = 20;
    snapshot["appointment_types"][0]["buffer_after_minutes"] = 5;
    for (const char* day :
         {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}) {
      snapshot["practitioners"][0]["weekly_hours"][day] = hours;
    }
    snapshot["practitioners"].push_back(snapshot["practitioners"][0]);
    snapshot["practitioners"][1]["id"] = "dr-b";
    snapshot["busy"] = {{{"practitioner_id", "dr-b"},
                         {"start", "2026-06-01T00:00:00Z"},
                         {"end", "2026-06-20T00:00:00Z"}}};
    snapshot["rules"]["max_advance_days"] = 3650;
    JsonAnswer prepared = prepare_json(snapshot.dump(), system_zones());
    REQUIRE_FALSE(prepared.is_error);
    // Two years in ranges of 91 days.
    for (date::sys_days start = 2026_y / 1 / 1; start < date::sys_days{2028_y / 1 / 1};
         start += date::days{91}) {
      json q = query(format_date(LocalDate{start.time_since_epoch()}),
                     format_date(LocalDate{start.time_since_epoch()} + date::days{90}),
                     "2025-12-31T00:00:00Z");
      JsonAnswer by_name = slots_json(snapshot.dump(), q.dump(), &system_zones());
      JsonAnswer by_rules = slots_json(prepared.json, q.dump(), nullptr);
      REQUIRE_FALSE(by_name.is_error);
      CHECK(by_name.json == by_rules.json);
    }
  }
}
