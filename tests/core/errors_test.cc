// Every error code and validation reason, and the contract's order of precedence.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;

namespace {

const std::string kNow = "2026-11-01T00:00:00Z";

std::string slots_error(const json& snapshot, const json& q) {
  return error_code(run_slots(snapshot, q));
}

std::string snapshot_error(const std::function<void(json&)>& change) {
  json snapshot = basic_snapshot();
  change(snapshot);
  return slots_error(snapshot, query("2026-12-01", "2026-12-07", kNow));
}

}  // namespace

TEST_CASE("invalid_json for either input, before anything else") {
  std::string good_query = query("2026-12-01", "2026-12-01", kNow).dump();
  std::string good_snapshot = basic_snapshot().dump();
  auto code = [](const JsonAnswer& a) { return error_code(json::parse(a.json)); };
  CHECK(code(slots_json("{", good_query, &system_zones())) == "invalid_json");
  CHECK(code(slots_json(good_snapshot, "not json", &system_zones())) == "invalid_json");
  CHECK(code(slots_json("{\"clinic\": 1}", "[", &system_zones())) == "invalid_json");
  CHECK(code(validate_json(good_snapshot, "", &system_zones())) == "invalid_json");
  CHECK(code(slots_json("", "", &system_zones())) == "invalid_json");
  CHECK(slots_json("{", good_query, &system_zones()).is_error);
}

TEST_CASE("invalid_snapshot: missing, mistyped and out-of-range fields") {
  using Change = std::function<void(json&)>;
  std::vector<std::pair<std::string, Change>> changes = {
      {"not an object", [](json& s) { s = json::array(); }},
      {"no clinic.id", [](json& s) { s["clinic"].erase("id"); }},
      {"no timezone", [](json& s) { s["clinic"].erase("timezone"); }},
      {"unknown zone", [](json& s) { s["clinic"]["timezone"] = "Mars/Base"; }},
      {"no appointment_types", [](json& s) { s.erase("appointment_types"); }},
      {"no practitioners", [](json& s) { s.erase("practitioners"); }},
      {"type without id", [](json& s) { s["appointment_types"][0].erase("id"); }},
      {"no duration", [](json& s) { s["appointment_types"][0].erase("duration_minutes"); }},
      {"duration 0", [](json& s) { s["appointment_types"][0]["duration_minutes"] = 0; }},
      {"duration 481", [](json& s) { s["appointment_types"][0]["duration_minutes"] = 481; }},
      {"duration 30.0", [](json& s) { s["appointment_types"][0]["duration_minutes"] = 30.0; }},
      {"duration \"30\"", [](json& s) { s["appointment_types"][0]["duration_minutes"] = "30"; }},
      {"duration true", [](json& s) { s["appointment_types"][0]["duration_minutes"] = true; }},
      {"duration null", [](json& s) { s["appointment_types"][0]["duration_minutes"] = nullptr; }},
      {"step 0", [](json& s) { s["appointment_types"][0]["slot_step_minutes"] = 0; }},
      {"buffer -1", [](json& s) { s["appointment_types"][0]["buffer_before_minutes"] = -1; }},
      {"buffer 1441", [](json& s) { s["appointment_types"][0]["buffer_after_minutes"] = 1441; }},
      {"notice too big", [](json& s) { s["rules"]["min_notice_minutes"] = 525601; }},
      {"horizon too big", [](json& s) { s["rules"]["max_advance_days"] = 3651; }},
      {"rules not object", [](json& s) { s["rules"] = json::array(); }},
      {"name mistyped", [](json& s) { s["clinic"]["name"] = 5; }},
      {"duplicate type",
       [](json& s) { s["appointment_types"].push_back(s["appointment_types"][0]); }},
      {"duplicate practitioner",
       [](json& s) { s["practitioners"].push_back(s["practitioners"][0]); }},
      {"practitioner any", [](json& s) { s["practitioners"][0]["id"] = "any"; }},
      {"practitioner without types",
       [](json& s) { s["practitioners"][0].erase("appointment_types"); }},
      {"bad weekday key",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["Monday"] = json::array(); }},
      {"bad time",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["monday"][0]["start"] = "9:00"; }},
      {"24:00 start",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["monday"][0]["start"] = "24:00"; }},
      {"24:30 end",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["monday"][0]["end"] = "24:30"; }},
      {"end before start",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["monday"][0]["end"] = "08:00"; }},
      {"empty interval",
       [](json& s) { s["practitioners"][0]["weekly_hours"]["monday"][0]["end"] = "09:00"; }},
      {"overlap",
       [](json& s) {
         s["practitioners"][0]["weekly_hours"]["monday"].push_back(
             {{"start", "11:00"}, {"end", "13:00"}});
       }},
      {"two overrides one date",
       [](json& s) {
         json o = {{"date", "2026-12-01"}, {"hours", json::array()}};
         s["practitioners"][0]["overrides"] = {o, o};
       }},
      {"override bad date",
       [](json& s) {
         s["practitioners"][0]["overrides"] = {{{"date", "2026-02-30"}, {"hours", json::array()}}};
       }},
      {"override without hours",
       [](json& s) {
         s["practitioners"][0]["overrides"] = {{{"date", "2026-12-01"}}};
       }},
      {"closed date malformed", [](json& s) { s["clinic"]["closed_dates"] = {"2026-12-1"}; }},
      {"busy end = start",
       [](json& s) {
         s["busy"] = {{{"practitioner_id", "dr-a"},
                       {"start", "2026-12-01T10:00:00Z"},
                       {"end", "2026-12-01T10:00:00Z"}}};
       }},
      {"busy without seconds",
       [](json& s) {
         s["busy"] = {{{"practitioner_id", "dr-a"},
                       {"start", "2026-12-01T10:00Z"},
                       {"end", "2026-12-01T11:00:00Z"}}};
       }},
      {"zone_rules for another zone",
       [](json& s) {
         s["zone_rules"] = {{"zone", "Europe/Paris"},
                            {"initial_offset", 3600},
                            {"transitions", json::array()},
                            {"posix", ""}};
       }},
  };
  for (const auto& [what, change] : changes) {
    CAPTURE(what);
    CHECK(snapshot_error(change) == "invalid_snapshot");
  }
}

TEST_CASE(
    "ignored: unknown type ids of a practitioner, busy of unknown practitioners, extra fields") {
  CHECK(snapshot_error([](json& s) {
          s["practitioners"][0]["appointment_types"].push_back("no-such-type");
          s["busy"] = {{{"practitioner_id", "ghost"},
                        {"start", "2026-12-01T10:00:00Z"},
                        {"end", "2026-12-01T11:00:00Z"}}};
          s["color"] = "blue";
        }) == "");
}

TEST_CASE("invalid_query, invalid_range, range_too_large in order") {
  json snapshot = basic_snapshot();
  auto q = [](auto change) {
    json base = query("2026-12-01", "2026-12-07", kNow);
    change(base);
    return base;
  };
  CHECK(slots_error(snapshot, q([](json& x) { x.erase("now"); })) == "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["now"] = "2026-11-01T00:00Z"; })) ==
        "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["start_date"] = "2026-02-30"; })) ==
        "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["end_date"] = "2026-12-7"; })) == "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["appointment_type"] = nullptr; })) ==
        "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["practitioner_id"] = 7; })) == "invalid_query");
  CHECK(slots_error(snapshot, json::array()) == "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) { x["end_date"] = "2026-11-30"; })) == "invalid_range");
  CHECK(slots_error(snapshot, q([](json& x) { x["end_date"] = "2027-03-02"; })) ==
        "range_too_large");
  CHECK(slots_error(snapshot, q([](json& x) { x["end_date"] = "2027-03-01"; })) == "");  // 91 days
  CHECK(slots_error(snapshot, q([](json& x) { x["appointment_type"] = "nope"; })) ==
        "unknown_appointment_type");
  CHECK(slots_error(snapshot, q([](json& x) { x["practitioner_id"] = "dr-z"; })) ==
        "unknown_practitioner");
  snapshot["appointment_types"].push_back({{"id", "other"}, {"duration_minutes", 10}});
  CHECK(slots_error(snapshot, q([](json& x) {
                      x["appointment_type"] = "other";
                      x["practitioner_id"] = "dr-a";
                    })) == "unknown_practitioner");

  // Precedence: a bad snapshot wins over a bad query; a malformed field over a bad range.
  json broken = basic_snapshot();
  broken["clinic"].erase("id");
  CHECK(slots_error(broken, q([](json& x) { x.erase("now"); })) == "invalid_snapshot");
  CHECK(slots_error(snapshot, q([](json& x) {
                      x["end_date"] = "2026-11-30";
                      x["now"] = "yesterday";
                    })) == "invalid_query");
  CHECK(slots_error(snapshot, q([](json& x) {
                      x["end_date"] = "2027-06-01";
                      x["appointment_type"] = "nope";
                    })) == "range_too_large");
}

TEST_CASE("validation reasons, each alone and in the contract's order") {
  json snapshot = basic_snapshot("UTC");
  snapshot["rules"]["min_notice_minutes"] = 60;
  snapshot["rules"]["max_advance_days"] = 10;
  snapshot["busy"] = {{{"practitioner_id", "dr-a"},
                       {"start", "2026-12-01T10:00:00Z"},
                       {"end", "2026-12-01T10:30:00Z"}}};
  const std::string now = "2026-12-01T08:00:00Z";
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", now)) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", now, "dr-a", "nope")) ==
        "unknown_appointment_type");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", now, "dr-z")) ==
        "unknown_practitioner");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", now, "any")) == "unknown_practitioner");
  CHECK(reason_of(snapshot, booking("2026-12-01T07:00:00Z", now)) == "in_past");
  CHECK(reason_of(snapshot, booking("2026-12-01T08:30:00Z", now)) == "too_soon");
  CHECK(reason_of(snapshot, booking("2026-12-12T09:00:00Z", now)) == "too_far");
  CHECK(reason_of(snapshot, booking("2026-12-11T09:00:00Z", now)) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-01T13:00:00Z", now)) == "outside_hours");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:10:00Z", now)) == "off_grid");
  CHECK(reason_of(snapshot, booking("2026-12-01T10:00:00Z", now)) == "conflict");

  // The first reason that holds wins.
  CHECK(reason_of(snapshot, booking("2026-12-01T07:10:00Z", now, "dr-z", "nope")) ==
        "unknown_appointment_type");
  CHECK(reason_of(snapshot, booking("2026-12-01T07:10:00Z", now, "dr-z")) ==
        "unknown_practitioner");
  CHECK(reason_of(snapshot, booking("2026-12-01T07:10:00Z", now)) == "in_past");   // and off grid
  CHECK(reason_of(snapshot, booking("2026-12-20T03:10:00Z", now)) == "too_far");   // and outside
  CHECK(reason_of(snapshot, booking("2026-12-01T08:10:00Z", now)) == "too_soon");  // and outside
  CHECK(reason_of(snapshot, booking("2026-12-01T10:10:00Z", now)) == "off_grid");  // and conflict

  // A malformed booking is an error (exit 2), not an answer.
  json bad = booking("2026-12-01T09:00:00Z", now);
  bad.erase("practitioner_id");
  CHECK(reason_of(snapshot, bad) == "invalid_query");
  bad = booking("2026-12-01T09:00Z", now);
  CHECK(reason_of(snapshot, bad) == "invalid_query");
  CHECK(validate_json(snapshot.dump(), bad.dump(), &system_zones()).is_error);
  CHECK_FALSE(
      validate_json(snapshot.dump(), booking("2026-12-01T10:00:00Z", now).dump(), &system_zones())
          .is_error);
}
