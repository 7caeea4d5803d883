// Unions and differences of busy spans (calendars/span_math.h).
#include <catch2/catch.hpp>

#include "calendars/span_math.h"
#include "slotbook/time.h"

namespace slotbook::server {
namespace {

UtcSeconds at(int hour, int minute = 0) {
  return UtcSeconds(date::sys_days(date::year(2027) / 1 / 12)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

TimeWindow span(int from_hour, int to_hour) { return {at(from_hour), at(to_hour)}; }

bool same(const std::vector<TimeWindow>& a, const std::vector<TimeWindow>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].from != b[i].from || a[i].to != b[i].to) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("spans are clipped, sorted and merged when they overlap or touch") {
  const auto out = normalized_spans({span(14, 16), span(9, 10), span(10, 11), span(15, 17),
                                     span(20, 23), span(5, 6), span(12, 12)},
                                    span(8, 22));
  CHECK(same(out, {span(9, 11), span(14, 17), span(20, 22)}));
  CHECK(normalized_spans({}, span(8, 22)).empty());
}

TEST_CASE("holes are cut out of spans") {
  CHECK(same(subtract_spans({span(9, 17)}, {span(10, 11), span(13, 14)}),
             {span(9, 10), span(11, 13), span(14, 17)}));
  CHECK(same(subtract_spans({span(9, 10), span(12, 13)}, {span(8, 18)}), {}));
  CHECK(same(subtract_spans({span(9, 10)}, {}), {span(9, 10)}));
  CHECK(same(subtract_spans({span(9, 12)}, {span(11, 13), span(8, 9)}), {span(9, 11)}));
}

}  // namespace slotbook::server
