// SMART Scheduling Links files (publish/smart_scheduling.h) and HTTP dates
// (http/http_date.h): ids within the specification's characters and length, stable;
// Slot times in the offset in force at each slot, across a DST change; deep links that
// name their slot; a publication lists what is bookable through the minute it is served
// in, the same text for every generation within that minute.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "booking/clinic_config.h"
#include "http/http_date.h"
#include "publish/publication.h"
#include "publish/smart_scheduling.h"
#include "service_fixture.h"
#include "slotbook/system_zones.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

const std::regex kId("^[A-Za-z0-9.]{1,64}$");

ClinicConfig publishing_clinic(const std::string& clinic_id, const std::string& practitioner_id) {
  static const SystemZoneSource zones;
  nlohmann::json config = {
      {"clinic",
       {{"id", clinic_id},
        {"name", "Clinic"},
        {"timezone", "America/New_York"},
        {"phone", "+1 617 555 0100"},
        {"address",
         {{"line", {"1 Main St"}}, {"city", "Boston"}, {"state", "MA"}, {"postal_code", "02108"}}},
        {"booking_url", "https://clinic.example/book"}}},
      {"rules", {{"min_notice_minutes", 0}, {"max_advance_days", 10}}},
      {"publish", {{"smart_scheduling_links", true}, {"per_practitioner", true}}},
      {"appointment_types",
       {{{"id", "visit_type-with-a-long-name-indeed"}, {"duration_minutes", 60}}}},
      {"practitioners",
       {{{"id", practitioner_id},
         {"appointment_types", {"visit_type-with-a-long-name-indeed"}},
         {"weekly_hours", {{"sunday", {{{"start", "09:00"}, {"end", "11:00"}}}}}}}}}};
  auto clinic = ClinicConfig::from_json(config, zones);
  REQUIRE(clinic.ok());
  return *clinic;
}

std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

// The test clinic (notice 120 minutes, dr-a's consultations every 30 minutes from 08:00
// New York) with what publishing needs.
nlohmann::json publishing_test_clinic() {
  nlohmann::json config = testing::test_clinic_json();
  config["clinic"]["phone"] = "+1 617 555 0100";
  config["clinic"]["address"] = {
      {"line", {"1 Main St"}}, {"city", "Boston"}, {"state", "MA"}, {"postal_code", "02108"}};
  config["clinic"]["booking_url"] = "https://clinic.example/book";
  config["publish"] = {{"smart_scheduling_links", true}, {"per_practitioner", true}};
  return config;
}

// Whether dr-a's consultation at `start` (UTC, to the minute) is published free.
bool published_free(const ClinicPublication& p, const std::string& start) {
  const std::string schedule = "Schedule/" + schedule_id("testclinic", "consultation", "dr-a");
  for (const auto& slot : lines(*p.slots.body->body)) {
    if (slot["schedule"]["reference"] == schedule && slot["status"] == "free" &&
        to_seconds(*parse_instant(slot["start"].get<std::string>())) ==
            testing::utc(start.c_str())) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("a publication lists what is bookable through its minute, the same text within it") {
  testing::ServiceFixture f;  // its clock: 14:00:00Z, 09:00 in New York
  REQUIRE(f.service(*f.storage).put_clinic(publishing_test_clinic()).ok());
  SmartSchedulingPublication publication(*f.storage, f.catalog, f.clock);

  auto first = publication.get("testclinic");
  REQUIRE(first.ok());
  // 16:00Z is exactly the notice away at 14:00:00 and too soon a moment later: not
  // published for a minute in which it goes; the next start is.
  CHECK_FALSE(published_free(**first, "2027-01-11T16:00:00Z"));
  CHECK(published_free(**first, "2027-01-11T16:30:00Z"));

  // A notification late in the minute makes the same file: its validators hold.
  f.clock.advance(std::chrono::seconds(59));
  publication.invalidate("testclinic");
  auto again = publication.get("testclinic");
  REQUIRE(again.ok());
  CHECK(*again != *first);  // made anew
  CHECK((*again)->slots.body == (*first)->slots.body);
  CHECK((*again)->slots.last_modified == (*first)->slots.last_modified);

  // At 14:30:00 the 16:30 start is bookable for that instant only.
  f.clock.advance(std::chrono::minutes(30) - std::chrono::seconds(59));
  auto later = publication.get("testclinic");
  REQUIRE(later.ok());
  CHECK_FALSE(published_free(**later, "2027-01-11T16:30:00Z"));
  CHECK(published_free(**later, "2027-01-11T17:00:00Z"));
  CHECK((*later)->slots.body->etag != (*first)->slots.body->etag);
}

TEST_CASE("HTTP dates are IMF-fixdate both ways; other forms are not read") {
  const UtcSeconds t = date::sys_days(date::year(1994) / 11 / 6) + std::chrono::hours(8) +
                       std::chrono::minutes(49) + std::chrono::seconds(37);
  CHECK(format_http_date(t) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == t);
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun Nov  6 08:49:37 1994"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(parse_http_date(""));
}

TEST_CASE("ids keep to letters, digits and dots, at most 64, and are stable") {
  const std::string long_id(200, 'a');
  for (const std::string& id :
       {location_id("demo"), location_id("my_clinic-1"), location_id(long_id), location_id("--"),
        schedule_id(long_id, long_id, long_id), schedule_id("c-1", "visit_type", "")}) {
    CAPTURE(id);
    CHECK(std::regex_match(id, kId));
  }
  CHECK(location_id("a-b") != location_id("ab"));  // the readable part alone would collide
  CHECK(schedule_id("c", "t", "") != schedule_id("c", "t", "p"));
  CHECK(schedule_id("c", "t", "p") == schedule_id("c", "t", "p"));
}

TEST_CASE("slots carry the offset in force at each, across the spring DST change") {
  const ClinicConfig clinic = publishing_clinic("my_clinic-1", "dr-a_very-long-practitioner-id");
  // Saturday 2027-03-13 noon New York; the clocks go forward on Sunday 14th at 02:00.
  const Instant now = Instant(date::sys_days(date::year(2027) / 3 / 13) + std::chrono::hours(17));
  const SmartSchedulingFiles files =
      smart_scheduling_files(clinic, clinic.checked(), now, "https://booking.example/fhir/clinics");
  auto slots = lines(files.slots);
  REQUIRE(files.slot_count == slots.size());
  // Sundays 14th and 21st, 09:00 and 10:00, per type and per practitioner: 8.
  REQUIRE(slots.size() == 8);
  CHECK(slots[0]["start"] == "2027-03-14T09:00:00-04:00");
  CHECK(slots[0]["end"] == "2027-03-14T10:00:00-04:00");
  for (const auto& slot : slots) {
    CHECK(std::regex_match(slot["id"].get<std::string>(), kId));
    CHECK(slot["status"] == "free");
    REQUIRE(slot["extension"].size() == 2);  // the HL7 and the registry URL, one link
    CHECK(slot["extension"][0]["url"] == kBookingDeepLinkExtension);
    CHECK(slot["extension"][1]["url"] == kRegistryBookingDeepLinkExtension);
    const std::string url = slot["extension"][0]["valueUrl"];
    CHECK(slot["extension"][1]["valueUrl"] == url);
    REQUIRE(url.rfind("https://clinic.example/book?slot=", 0) == 0);
    auto handle = from_base64url(url.substr(url.find('=') + 1));
    REQUIRE(handle);
    auto fields = nlohmann::json::parse(*handle);
    CHECK(fields[0] == "my_clinic-1");
    CHECK(fields[1] == "visit_type-with-a-long-name-indeed");
  }
  auto schedules = lines(files.schedules);
  REQUIRE(schedules.size() == 2);
  CHECK(schedules[1]["actor"][1]["reference"] == "Practitioner/dr-a_very-long-practitioner-id");
  for (const auto& s : schedules) CHECK(std::regex_match(s["id"].get<std::string>(), kId));
}

}  // namespace slotbook::server
