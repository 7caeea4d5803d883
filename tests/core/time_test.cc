#include <catch2/catch.hpp>

#include "slotbook/time.h"

using namespace slotbook;
using namespace date::literals;

TEST_CASE("dates parse only as existing YYYY-MM-DD") {
  CHECK(parse_date("2026-12-01") == LocalDate{2026_y / 12 / 1});
  CHECK(parse_date("2028-02-29").has_value());
  for (const char* bad : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01",
                          "2026-01-1", "20260101", "2026/01/01", " 2026-01-01", "2026-01-01T"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_date(bad).has_value());
  }
}

TEST_CASE("instants are RFC 3339 with seconds and any offset") {
  auto utc = parse_instant("2026-12-01T14:00:00Z");
  REQUIRE(utc);
  CHECK(format_instant(*utc) == "2026-12-01T14:00:00Z");
  CHECK(parse_instant("2026-12-01T09:00:00-05:00") == utc);
  CHECK(parse_instant("2026-12-01T19:30:00+05:30") == utc);
  CHECK(parse_instant("2026-12-01t14:00:00z") == utc);
  auto fraction = parse_instant("2026-12-01T14:00:00.25Z");
  REQUIRE(fraction);
  CHECK(*fraction - *utc == Micros{250000});
  // Finer than a microsecond rounds up: never more lenient than the exact value.
  CHECK(*parse_instant("2026-12-01T14:00:00.0000001Z") - *utc == Micros{1});
  for (const char* bad :
       {"2026-12-01T14:00Z", "2026-12-01T14:00:00", "2026-12-01 14:00:00Z", "2026-12-01T24:00:00Z",
        "2026-12-01T14:60:00Z", "2026-12-01T14:00:60Z", "2026-12-01T14:00:00.Z",
        "2026-12-01T14:00:00+0500", "2026-12-01T14:00:00+05", "2026-02-30T14:00:00Z",
        "2026-12-01T14:00:00ZZ", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_instant(bad).has_value());
  }
}

TEST_CASE("times of day run from 00:00 to 24:00") {
  CHECK(parse_time_of_day("00:00") == 0);
  CHECK(parse_time_of_day("09:45") == 585);
  CHECK(parse_time_of_day("24:00") == 1440);
  for (const char* bad : {"24:01", "25:00", "9:00", "09:60", "09:0", "0900", "09:00:00", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_time_of_day(bad).has_value());
  }
}

TEST_CASE("formatting") {
  CHECK(format_date(LocalDate{2026_y / 1 / 5}) == "2026-01-05");
  CHECK(weekday_name(LocalDate{2026_y / 12 / 1}) == "Tuesday");
  CHECK(weekday_index(LocalDate{2026_y / 11 / 30}) == 0);  // a Monday
  CHECK(format_hh_mm(LocalTime{LocalDate{2026_y / 1 / 5}} + Minutes{24 * 60}) == "00:00");
}
