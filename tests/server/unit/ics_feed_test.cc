// feed_busy against feeds shaped like Google Calendar and Outlook exports. Expected UTC
// instants are worked out by hand in the comments (2024 DST: US on 10 March, EU on 31 March).
#include "calendars/ics_feed.h"

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <date/tz.h>
#include <catch2/catch.hpp>

namespace slotbook::server::testing {
namespace {

using date::sys_seconds;
using std::chrono::hours;
using std::chrono::minutes;

sys_seconds utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return date::sys_days{date::year{y} / m / d} + hours{h} + minutes{min};
}

// Feeds are written with "\n" here and sent with CRLF, as servers send them.
std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string calendar(const std::string& body) {
  return crlf(
      "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\n"
      "CALSCALE:GREGORIAN\nMETHOD:PUBLISH\n" +
      body + "END:VCALENDAR\n");
}

date::sys_seconds plus_one(date::local_seconds t) {  // a clinic at UTC+1, no DST
  return sys_seconds{t.time_since_epoch()} - hours{1};
}

date::sys_seconds new_york(date::local_seconds t) {
  return date::locate_zone("America/New_York")->to_sys(t, date::choose::earliest);
}

std::vector<FeedBusy> busy(const std::string& ics, sys_seconds from, sys_seconds to,
                           sys_seconds (*wall)(date::local_seconds) = plus_one) {
  auto result = feed_busy(ics, from, to, wall);
  if (!result.ok()) FAIL(result.error().code << ": " << result.error().message);
  return *result;
}

std::string fails(const std::string& ics, const FeedLimits& limits = {}) {
  auto result = feed_busy(ics, utc(2024, 1, 1), utc(2025, 1, 1), plus_one, limits);
  if (result.ok()) return "ok";
  CHECK(result.error().code == "invalid_ics");
  return result.error().message;
}

const char kBerlinZone[] =
    "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nX-LIC-LOCATION:Europe/Berlin\n"
    "BEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\n"
    "DTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\n"
    "BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\n"
    "DTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\n"
    "END:VTIMEZONE\n";

const char kNewYorkZone[] =
    "BEGIN:VTIMEZONE\nTZID:America/New_York\nX-LIC-LOCATION:America/New_York\n"
    "BEGIN:DAYLIGHT\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT\n"
    "DTSTART:19700308T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nEND:DAYLIGHT\n"
    "BEGIN:STANDARD\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\n"
    "DTSTART:19701101T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nEND:STANDARD\n"
    "END:VTIMEZONE\n";

std::string event(const std::string& lines, const std::string& uid = "e1@google.com") {
  return "BEGIN:VEVENT\nDTSTAMP:20240301T000000Z\nUID:" + uid + "\n" + lines + "END:VEVENT\n";
}

}  // namespace

TEST_CASE("ics feed: a single timed event in UTC", "[ics_feed]") {
  const std::string ics =
      calendar(event("DTSTART:20240311T140000Z\nDTEND:20240311T150000Z\nSUMMARY:Board meeting\n"
                     "STATUS:CONFIRMED\nTRANSP:OPAQUE\n"));
  CHECK(busy(ics, utc(2024, 3, 1), utc(2024, 4, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 11, 14), utc(2024, 3, 11, 15)}});
  CHECK(busy(ics, utc(2024, 3, 12), utc(2024, 4, 1)).empty());
}

TEST_CASE("ics feed: TZID with the feed's VTIMEZONE, weekly across the EU DST change",
          "[ics_feed]") {
  // Mondays 09:00-10:00 Berlin: 18 and 25 March are CET (08:00Z), 1 April is CEST (07:00Z).
  const std::string ics =
      calendar(std::string(kBerlinZone) + event("DTSTART;TZID=Europe/Berlin:20240318T090000\n"
                                                "DTEND;TZID=Europe/Berlin:20240318T100000\n"
                                                "RRULE:FREQ=WEEKLY;COUNT=3\n"));
  CHECK(busy(ics, utc(2024, 3, 1), utc(2024, 5, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 18, 8), utc(2024, 3, 18, 9)},
                              {utc(2024, 3, 25, 8), utc(2024, 3, 25, 9)},
                              {utc(2024, 4, 1, 7), utc(2024, 4, 1, 8)}});
}

TEST_CASE("ics feed: Outlook's Windows zone name resolves with its VTIMEZONE", "[ics_feed]") {
  const std::string ics = calendar(
      "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\n"
      "BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n"
      "BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n" +
      event("DTSTART;TZID=W. Europe Standard Time:20240701T090000\n"
            "DTEND;TZID=W. Europe Standard Time:20240701T093000\n"
            "CLASS:PUBLIC\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\n",
            "040000008200E00074C5B7101A82E008000000001@outlook"));
  CHECK(busy(ics, utc(2024, 6, 1), utc(2024, 8, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 7, 1, 7), utc(2024, 7, 1, 7, 30)}});
}

TEST_CASE("ics feed: weekly series with EXDATE, a moved and a cancelled override, UNTIL",
          "[ics_feed]") {
  // Fridays 10:00-11:00 New York, 1 March to 5 April (UNTIL is exactly the last start,
  // 10:00 EDT = 14:00Z, and is inclusive). 8 March is excluded; 15 March moves to 17:00
  // London (GMT then); 22 March is cancelled. 1 March is EST (15:00Z), the rest EDT.
  const std::string uid = "series42@google.com";
  const std::string ics =
      calendar(std::string(kNewYorkZone) +
               event("DTSTART;TZID=America/New_York:20240301T100000\n"
                     "DTEND;TZID=America/New_York:20240301T110000\n"
                     "RRULE:FREQ=WEEKLY;UNTIL=20240405T140000Z\n"
                     "EXDATE;TZID=America/New_York:20240308T100000\nSUMMARY:Ward round\n",
                     uid) +
               event("RECURRENCE-ID;TZID=America/New_York:20240315T100000\n"
                     "DTSTART;TZID=Europe/London:20240315T170000\n"
                     "DTEND;TZID=Europe/London:20240315T180000\nSEQUENCE:1\n",
                     uid) +
               event("RECURRENCE-ID;TZID=America/New_York:20240322T100000\n"
                     "DTSTART;TZID=America/New_York:20240322T100000\n"
                     "DTEND;TZID=America/New_York:20240322T110000\nSTATUS:CANCELLED\n",
                     uid));
  CHECK(busy(ics, utc(2024, 2, 1), utc(2024, 6, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 1, 15), utc(2024, 3, 1, 16)},
                              {utc(2024, 3, 15, 17), utc(2024, 3, 15, 18)},
                              {utc(2024, 3, 29, 14), utc(2024, 3, 29, 15)},
                              {utc(2024, 4, 5, 14), utc(2024, 4, 5, 15)}});
}

TEST_CASE("ics feed: an override moved into the window from outside it", "[ics_feed]") {
  const std::string uid = "move@google.com";
  const std::string ics = calendar(
      event("DTSTART:20240304T090000Z\nDTEND:20240304T100000Z\nRRULE:FREQ=DAILY;COUNT=3\n", uid) +
      event("RECURRENCE-ID:20240306T090000Z\nDTSTART:20240310T090000Z\n"
            "DTEND:20240310T100000Z\n",
            uid));
  CHECK(busy(ics, utc(2024, 3, 8), utc(2024, 3, 11)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 10, 9), utc(2024, 3, 10, 10)}});
  CHECK(busy(ics, utc(2024, 3, 6), utc(2024, 3, 7)).empty());
}

TEST_CASE("ics feed: COUNT, RDATE and an unbounded daily rule", "[ics_feed]") {
  const std::string counted =
      calendar(event("DTSTART:20240101T120000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;COUNT=2\n"
                     "RDATE:20240110T080000Z\n"));
  CHECK(busy(counted, utc(2024, 1, 1), utc(2024, 2, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 1, 1, 12), utc(2024, 1, 1, 12, 30)},
                              {utc(2024, 1, 2, 12), utc(2024, 1, 2, 12, 30)},
                              {utc(2024, 1, 10, 8), utc(2024, 1, 10, 8, 30)}});

  // Daily since 2020, asked about one week in 2030: seven spans, without walking ten years.
  const std::string daily =
      calendar(event("DTSTART:20200101T120000Z\nDTEND:20200101T130000Z\nRRULE:FREQ=DAILY\n"));
  const auto start = std::chrono::steady_clock::now();
  const std::vector<FeedBusy> week = busy(daily, utc(2030, 6, 3), utc(2030, 6, 10));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{1});
  REQUIRE(week.size() == 7);
  CHECK(week.front() == FeedBusy{utc(2030, 6, 3, 12), utc(2030, 6, 3, 13)});
  CHECK(week.back() == FeedBusy{utc(2030, 6, 9, 12), utc(2030, 6, 9, 13)});
}

TEST_CASE("ics feed: all-day events are local midnight to midnight", "[ics_feed]") {
  // New York: 10 March 2024 is the 23-hour day (EST midnight 05:00Z, next EDT 04:00Z).
  const std::string ics = calendar(
      event("DTSTART;VALUE=DATE:20240310\nDTEND;VALUE=DATE:20240311\nSUMMARY:Congress\n", "a@x") +
      event("DTSTART;VALUE=DATE:20240315\nDTEND;VALUE=DATE:20240318\nSUMMARY:Leave\n", "b@x") +
      event("DTSTART;VALUE=DATE:20240401\nSUMMARY:No DTEND: one day\n", "c@x"));
  CHECK(busy(ics, utc(2024, 3, 1), utc(2024, 5, 1), new_york) ==
        std::vector<FeedBusy>{{utc(2024, 3, 10, 5), utc(2024, 3, 11, 4)},
                              {utc(2024, 3, 15, 4), utc(2024, 3, 18, 4)},
                              {utc(2024, 4, 1, 4), utc(2024, 4, 2, 4)}});
}

TEST_CASE("ics feed: floating times use the clinic's zone", "[ics_feed]") {
  const std::string ics = calendar(event("DTSTART:20240311T090000\nDTEND:20240311T100000\n"));
  CHECK(busy(ics, utc(2024, 3, 1), utc(2024, 4, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 11, 8), utc(2024, 3, 11, 9)}});
}

TEST_CASE("ics feed: transparent, cancelled and zero-length events are not busy", "[ics_feed]") {
  const std::string ics = calendar(
      event("DTSTART:20240311T090000Z\nDTEND:20240311T100000Z\nTRANSP:TRANSPARENT\n", "a") +
      event("DTSTART:20240311T110000Z\nDTEND:20240311T120000Z\nSTATUS:CANCELLED\n", "b") +
      event("DTSTART:20240311T130000Z\nSUMMARY:Reminder\n", "c") +
      event("DTSTART:20240311T150000Z\nDURATION:PT45M\n", "d"));
  CHECK(busy(ics, utc(2024, 3, 1), utc(2024, 4, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 11, 15), utc(2024, 3, 11, 15, 45)}});
}

TEST_CASE("ics feed: overlapping and touching spans merge, spans are clipped", "[ics_feed]") {
  const std::string ics =
      calendar(event("DTSTART:20240311T090000Z\nDTEND:20240311T110000Z\n", "a") +
               event("DTSTART:20240311T100000Z\nDTEND:20240311T120000Z\n", "b") +
               event("DTSTART:20240311T120000Z\nDTEND:20240311T130000Z\n", "c") +
               event("DTSTART:20240311T150000Z\nDTEND:20240311T160000Z\n", "d"));
  CHECK(busy(ics, utc(2024, 3, 11, 9, 30), utc(2024, 3, 11, 15, 30)) ==
        std::vector<FeedBusy>{{utc(2024, 3, 11, 9, 30), utc(2024, 3, 11, 13)},
                              {utc(2024, 3, 11, 15), utc(2024, 3, 11, 15, 30)}});
}

TEST_CASE("ics feed: a TZID libical knows without a VTIMEZONE; an unknown one fails",
          "[ics_feed]") {
  // Chicago in July is CDT, UTC-5.
  const std::string chicago =
      calendar(event("DTSTART;TZID=America/Chicago:20240701T090000\nDTEND;TZID=America/"
                     "Chicago:20240701T100000\n"));
  CHECK(busy(chicago, utc(2024, 6, 1), utc(2024, 8, 1)) ==
        std::vector<FeedBusy>{{utc(2024, 7, 1, 14), utc(2024, 7, 1, 15)}});
  const std::string mars = calendar(event(
      "DTSTART;TZID=Mars/Olympus:20240701T090000\nDTEND;TZID=Mars/Olympus:20240701T100000\n"));
  CHECK(fails(mars).find("Mars/Olympus") != std::string::npos);
}

TEST_CASE("ics feed: what is not a calendar fails, an empty calendar is fine", "[ics_feed]") {
  CHECK(fails("") != "ok");
  CHECK(fails("hello world") != "ok");
  CHECK(fails("<html><body>404 Not Found</body></html>") != "ok");
  CHECK(fails(crlf("BEGIN:VEVENT\nDTSTART:20240311T090000Z\nEND:VEVENT\n")) != "ok");
  CHECK(fails(std::string("BEGIN:VCALENDAR\r\n\0\r\nEND:VCALENDAR\r\n", 35)) != "ok");
  CHECK(fails(calendar("")) == "ok");
  // VTODO and VFREEBUSY are not busy times here.
  CHECK(busy(calendar("BEGIN:VTODO\nUID:t\nDTSTART:20240311T090000Z\nDUE:20240311T100000Z\n"
                      "END:VTODO\nBEGIN:VFREEBUSY\nUID:f\n"
                      "FREEBUSY;FBTYPE=BUSY:20240311T090000Z/20240311T100000Z\nEND:VFREEBUSY\n"),
             utc(2024, 3, 1), utc(2024, 4, 1))
            .empty());
}

TEST_CASE("ics feed: limits", "[ics_feed]") {
  const std::string daily =
      calendar(event("DTSTART:20240101T120000Z\nDTEND:20240101T130000Z\nRRULE:FREQ=DAILY\n"));
  FeedLimits small;
  small.max_bytes = daily.size() - 1;
  CHECK(fails(daily, small).find("larger") != std::string::npos);
  small = {};
  small.max_intervals = 100;  // a year of days is 366 spans
  CHECK(fails(daily, small).find("too many") != std::string::npos);
  CHECK(fails(daily) == "ok");
  // A rule that would take billions of steps fails instead of hanging.
  CHECK(fails(calendar(event("DTSTART:19000101T000000Z\nDTEND:19000101T000001Z\n"
                             "RRULE:FREQ=SECONDLY;COUNT=2000000000\n"))) != "ok");
}

TEST_CASE("ics feed: hostile rules and mutated feeds never crash or hang", "[ics_feed]") {
  const char* rules[] = {"FREQ=SECONDLY",
                         "FREQ=MINUTELY;INTERVAL=1",
                         "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                         "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4",
                         "FREQ=WEEKLY;BYDAY=XX",
                         "FREQ=DAILY;INTERVAL=0",
                         "FREQ=YEARLY;BYYEARDAY=366;BYWEEKNO=53",
                         "FREQ=DAILY;UNTIL=19000101T000000Z",
                         "FREQ=HOURLY;BYSETPOS=-1;BYDAY=MO",
                         "FREQ=YEARLY;COUNT=-5",
                         "GARBAGE"};
  for (const char* rule : rules) {
    const std::string ics = calendar(event(
        std::string("DTSTART:20000101T000000Z\nDTEND:20000101T000001Z\nRRULE:") + rule + "\n"));
    const std::string outcome = fails(ics);
    INFO(rule << " -> " << outcome);
    SUCCEED();
  }

  const std::string seed =
      calendar(std::string(kNewYorkZone) +
               event("DTSTART;TZID=America/New_York:20240301T100000\n"
                     "DTEND;TZID=America/New_York:20240301T110000\nRRULE:FREQ=WEEKLY;COUNT=10\n"
                     "EXDATE;TZID=America/New_York:20240308T100000\nRDATE;VALUE=PERIOD:"
                     "20240320T100000Z/PT1H\n",
                     "s") +
               event("RECURRENCE-ID;TZID=America/New_York:20240315T100000\n"
                     "DTSTART;TZID=Europe/London:20240315T170000\nDURATION:P1DT1H\n",
                     "s") +
               event("DTSTART;VALUE=DATE:20240310\nDTEND;VALUE=DATE:20240311\n", "d"));
  std::mt19937 random(20240311);
  const std::string alphabet = ":;=,/\nTZ0123456789-+PDTHMSW BEGINENDVEVENTRRULE";
  for (int round = 0; round < 300; ++round) {
    std::string text = seed;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      switch (random() % 4) {
        case 0:
          text[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + random() % 40);
          break;
        case 2:
          text.insert(at, text.substr(random() % text.size(), random() % 60));
          break;
        default:
          text.resize(at);
          break;
      }
    }
    auto result = feed_busy(text, utc(2024, 1, 1), utc(2025, 1, 1), new_york);
    if (!result.ok()) CHECK(result.error().code == "invalid_ics");
  }
}

TEST_CASE("ics feed: concurrent calls share libical's built-in zones safely", "[ics_feed]") {
  const std::string ics =
      calendar(event("DTSTART;TZID=America/Chicago:20240701T090000\nDTEND;TZID=America/Chicago:"
                     "20240701T100000\nRRULE:FREQ=DAILY;COUNT=20\n"));
  std::vector<std::thread> threads;
  std::vector<std::size_t> sizes(4);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) {
        auto result = feed_busy(ics, utc(2024, 6, 1), utc(2024, 8, 1), plus_one);
        sizes[i] = result.ok() ? result->size() : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t size : sizes) CHECK(size == 20);
}

}  // namespace slotbook::server::testing
