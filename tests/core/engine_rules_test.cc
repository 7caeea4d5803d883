// Every rule and default of engine-contract.md's "Semantics", one behaviour per section.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;

namespace {

using Strings = std::vector<std::string>;

// Local start times ("HH:MM") of every listed slot.
Strings local_starts(const json& answer) {
  Strings starts;
  for (const auto& day : answer["available_slots"]) {
    for (const auto& slot : day["slots"]) starts.push_back(slot["start"].get<std::string>());
  }
  return starts;
}

json with_hours(json snapshot, const std::string& weekday, const json& hours) {
  snapshot["practitioners"][0]["weekly_hours"][weekday] = hours;
  return snapshot;
}

json hours(const std::string& start, const std::string& end) {
  return json::array({{{"start", start}, {"end", end}}});
}

}  // namespace

TEST_CASE("defaults: notice 120 min, horizon 90 days, step = duration, no buffers") {
  json snapshot = basic_snapshot();
  snapshot.erase("rules");
  // 12:00Z is 07:00 in New York: the first start allowed is 09:00 exactly.
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-12-01T12:00:00Z"));
  CHECK(local_starts(answer) == Strings{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"});
  CHECK(reason_of(snapshot, booking("2026-12-01T13:59:00Z", "2026-12-01T12:00:00Z")) == "too_soon");

  json far = run_slots(snapshot, query("2027-02-28", "2027-03-03", "2026-12-01T12:00:00Z"));
  REQUIRE(far["available_slots"].size() == 2);
  CHECK(far["available_slots"][1]["date"] == "2027-03-01");
  CHECK(reason_of(snapshot, booking("2027-03-02T14:00:00Z", "2026-12-01T12:00:00Z")) == "too_far");
}

TEST_CASE("an appointment type's own notice and horizon win over the clinic's rules") {
  json snapshot = basic_snapshot();
  snapshot["appointment_types"][0]["min_notice_minutes"] = 0;
  snapshot["appointment_types"][0]["max_advance_days"] = 0;
  snapshot["rules"] = {{"min_notice_minutes", 600}, {"max_advance_days", 30}};
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-02", "2026-12-01T14:00:00Z"));
  CHECK(local_starts(answer).size() == 6);  // 09:00 local today only
  CHECK(answer["total_days_with_availability"] == 1);
}

TEST_CASE("a weekday missing from weekly_hours is closed") {
  json snapshot = basic_snapshot();
  snapshot["practitioners"][0]["weekly_hours"].erase("tuesday");
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z"));
  CHECK(answer["available_slots"].empty());
  CHECK(answer["total_days_with_availability"] == 0);
}

TEST_CASE("DST spring-forward gap: real elapsed steps, nonexistent times map to the transition") {
  // New York, Sunday 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z).
  json snapshot = with_hours(basic_snapshot(), "sunday", hours("01:00", "04:00"));
  json answer = run_slots(snapshot, query("2026-03-08", "2026-03-08", "2026-03-01T00:00:00Z"));
  CHECK(starts_of(answer) == Strings{"2026-03-08T06:00:00Z", "2026-03-08T06:30:00Z",
                                     "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"});
  CHECK(local_starts(answer) == Strings{"01:00", "01:30", "03:00", "03:30"});
  CHECK(answer["available_slots"][0]["slots"][1]["end"] == "03:00");

  json inside_gap = with_hours(basic_snapshot(), "sunday", hours("02:30", "04:00"));
  CHECK(
      starts_of(run_slots(inside_gap, query("2026-03-08", "2026-03-08", "2026-03-01T00:00:00Z"))) ==
      Strings{"2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"});
  json all_in_gap = with_hours(basic_snapshot(), "sunday", hours("02:00", "02:45"));
  CHECK(starts_of(run_slots(all_in_gap, query("2026-03-08", "2026-03-08", "2026-03-01T00:00:00Z")))
            .empty());
}

TEST_CASE(
    "DST fall-back overlap: the earlier occurrence, both repeated slots listed in UTC order") {
  // New York, Sunday 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z).
  json snapshot = with_hours(basic_snapshot(), "sunday", hours("01:00", "02:00"));
  json answer = run_slots(snapshot, query("2026-11-01", "2026-11-01", "2026-10-01T00:00:00Z"));
  CHECK(starts_of(answer) == Strings{"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z",
                                     "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z"});
  CHECK(local_starts(answer) == Strings{"01:00", "01:30", "01:00", "01:30"});
  CHECK(reason_of(snapshot, booking("2026-11-01T06:30:00Z", "2026-10-01T00:00:00Z")) == "ok");
}

TEST_CASE("Lord Howe's 30-minute DST shift") {
  // Sunday 2026-10-04: 02:00 (+10:30) jumps to 02:30 (+11).
  json snapshot =
      with_hours(basic_snapshot("Australia/Lord_Howe"), "sunday", hours("01:00", "04:00"));
  json answer = run_slots(snapshot, query("2026-10-04", "2026-10-04", "2026-09-01T00:00:00Z"));
  CHECK(local_starts(answer) == Strings{"01:00", "01:30", "02:30", "03:00", "03:30"});
  CHECK(starts_of(answer).front() == "2026-10-03T14:30:00Z");
}

TEST_CASE("24:00 ends the day at 00:00 of the next date") {
  json snapshot = with_hours(basic_snapshot(), "tuesday", hours("22:00", "24:00"));
  snapshot["appointment_types"][0]["duration_minutes"] = 60;
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z"));
  const json& slots = answer["available_slots"][0]["slots"];
  REQUIRE(slots.size() == 2);
  CHECK(slots[1]["start"] == "23:00");
  CHECK(slots[1]["end"] == "00:00");
  CHECK(slots[1]["end_utc"] == "2026-12-02T05:00:00Z");
}

TEST_CASE("overrides replace a day's hours, empty hours and closed dates close it") {
  json snapshot = basic_snapshot();
  snapshot["practitioners"][0]["overrides"] = json::parse(R"([
    {"date": "2026-12-01", "hours": [{"start": "13:00", "end": "14:00"}]},
    {"date": "2026-12-02", "hours": []},
    {"date": "2026-12-03", "hours": [{"start": "13:00", "end": "14:00"}]}])");
  snapshot["clinic"]["closed_dates"] = {"2026-12-03"};
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-04", "2026-11-01T00:00:00Z"));
  REQUIRE(answer["available_slots"].size() == 2);
  CHECK(local_starts(answer) ==
        Strings{"13:00", "13:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"});
  CHECK(answer["available_slots"][1]["date"] == "2026-12-04");
  CHECK(reason_of(snapshot, booking("2026-12-03T18:00:00Z", "2026-11-01T00:00:00Z")) ==
        "outside_hours");
}

TEST_CASE("buffers on both sides keep the occupancy clear of busy time") {
  json snapshot = basic_snapshot("UTC");
  snapshot["appointment_types"][0]["buffer_before_minutes"] = 15;
  snapshot["appointment_types"][0]["buffer_after_minutes"] = 15;
  snapshot["busy"] = {{{"practitioner_id", "dr-a"},
                       {"start", "2026-12-01T10:00:00Z"},
                       {"end", "2026-12-01T10:30:00Z"}}};
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z"));
  CHECK(local_starts(answer) == Strings{"09:00", "11:00", "11:30"});
  CHECK(reason_of(snapshot, booking("2026-12-01T10:30:00Z", "2026-11-01T00:00:00Z")) == "conflict");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:30:00Z", "2026-11-01T00:00:00Z")) == "conflict");

  // Without buffers, touching busy time is free: intervals are half-open.
  snapshot["appointment_types"][0].erase("buffer_before_minutes");
  snapshot["appointment_types"][0].erase("buffer_after_minutes");
  CHECK(local_starts(
            run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z"))) ==
        Strings{"09:00", "09:30", "10:30", "11:00", "11:30"});
}

TEST_CASE("minimum notice is elapsed time, exact to the second") {
  json snapshot = basic_snapshot("UTC");
  snapshot["rules"]["min_notice_minutes"] = 60;
  json q = query("2026-12-01", "2026-12-01", "2026-12-01T08:00:00Z");
  CHECK(local_starts(run_slots(snapshot, q)).front() == "09:00");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", "2026-12-01T08:00:00Z")) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", "2026-12-01T08:00:01Z")) == "too_soon");
  snapshot["rules"]["min_notice_minutes"] = 61;
  CHECK(local_starts(run_slots(snapshot, q)).front() == "09:30");
  // A start exactly at now is not in the past.
  snapshot["rules"]["min_notice_minutes"] = 0;
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z")) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:00:00Z", "2026-12-01T09:00:00.5Z")) ==
        "in_past");
}

TEST_CASE("the horizon counts local dates from the local date of now") {
  json snapshot = basic_snapshot();
  snapshot["rules"]["max_advance_days"] = 1;
  // 03:00Z on Dec 2 is still Dec 1 (22:00) in New York: Dec 2 is the last bookable date.
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-05", "2026-12-02T03:00:00Z"));
  REQUIRE(answer["available_slots"].size() == 1);
  CHECK(answer["available_slots"][0]["date"] == "2026-12-02");
  CHECK(reason_of(snapshot, booking("2026-12-03T14:00:00Z", "2026-12-02T03:00:00Z")) == "too_far");

  snapshot["rules"]["max_advance_days"] = 0;  // today only
  answer = run_slots(snapshot, query("2026-12-01", "2026-12-05", "2026-12-01T12:00:00Z"));
  REQUIRE(answer["available_slots"].size() == 1);
  CHECK(answer["available_slots"][0]["date"] == "2026-12-01");
}

TEST_CASE("any practitioner: slots merged by start, free practitioners listed sorted") {
  json snapshot = basic_snapshot("UTC");
  json second = snapshot["practitioners"][0];
  second["id"] = "dr-0";  // sorts before dr-a although listed after it
  snapshot["practitioners"].push_back(second);
  snapshot["busy"] = {{{"practitioner_id", "dr-0"},
                       {"start", "2026-12-01T09:00:00Z"},
                       {"end", "2026-12-01T09:30:00Z"}},
                      {{"practitioner_id", "nobody"},
                       {"start", "2026-12-01T09:00:00Z"},
                       {"end", "2026-12-01T12:00:00Z"}}};
  json q = query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z");
  q["practitioner_id"] = nullptr;
  json answer = run_slots(snapshot, q);
  CHECK(answer["practitioner_id"] == "any");
  const json& slots = answer["available_slots"][0]["slots"];
  REQUIRE(slots.size() == 6);
  CHECK(slots[0]["practitioner_ids"] == json({"dr-a"}));
  CHECK(slots[1]["practitioner_ids"] == json({"dr-0", "dr-a"}));

  q["practitioner_id"] = "dr-0";
  CHECK(run_slots(snapshot, q)["available_slots"][0]["total_slots"] == 5);
  // Nobody offers the type: an empty answer, not an error.
  snapshot["appointment_types"].push_back({{"id", "rare"}, {"duration_minutes", 10}});
  json rare =
      run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z", "rare"));
  CHECK(rare["available_slots"].empty());
  CHECK(rare["practitioner_id"] == "any");
}

TEST_CASE("steps that do not divide the hours, and a grid that restarts per interval") {
  json snapshot = basic_snapshot("UTC");
  snapshot["appointment_types"][0]["duration_minutes"] = 30;
  snapshot["appointment_types"][0]["slot_step_minutes"] = 20;
  snapshot["practitioners"][0]["weekly_hours"]["tuesday"] =
      json::parse(R"([{"start": "10:05", "end": "11:00"}, {"start": "09:00", "end": "09:50"}])");
  json answer = run_slots(snapshot, query("2026-12-01", "2026-12-01", "2026-11-01T00:00:00Z"));
  CHECK(local_starts(answer) == Strings{"09:00", "09:20", "10:05", "10:25"});
  const std::string now = "2026-11-01T00:00:00Z";
  CHECK(reason_of(snapshot, booking("2026-12-01T10:25:00Z", now)) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-01T10:15:00Z", now)) == "off_grid");
  CHECK(reason_of(snapshot, booking("2026-12-01T10:25:01Z", now)) == "off_grid");
  CHECK(reason_of(snapshot, booking("2026-12-01T09:40:00Z", now)) == "outside_hours");
  CHECK(reason_of(snapshot, booking("2026-12-01T10:45:00Z", now)) == "outside_hours");
  CHECK(reason_of(snapshot, booking("2026-12-01T08:00:00Z", now)) == "outside_hours");
}

TEST_CASE("validation checks the local date of the start in the clinic's zone") {
  // 02:00Z on Wednesday is Tuesday 21:00 in New York.
  json snapshot = with_hours(basic_snapshot(), "tuesday", hours("20:00", "22:00"));
  snapshot["practitioners"][0]["weekly_hours"].erase("wednesday");
  CHECK(reason_of(snapshot, booking("2026-12-02T02:00:00Z", "2026-11-01T00:00:00Z")) == "ok");
  CHECK(reason_of(snapshot, booking("2026-12-02T02:00:00-05:00", "2026-11-01T00:00:00Z")) ==
        "outside_hours");
}
