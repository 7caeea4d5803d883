// A span of time a connected calendar says its owner is busy, on the UTC time line, and the
// reading of provider times into it. The Google Calendar and Microsoft Graph clients give
// busy times as BusySpans; the calendar sync merges them with the ICS feeds' and hands them
// to the engine as occupancy.
//
// Pure and thread-safe.
#ifndef SLOTBOOK_SERVER_CALENDARS_BUSY_SPAN_H_
#define SLOTBOOK_SERVER_CALENDARS_BUSY_SPAN_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace slotbook::server {

// [start, end): busy from `start` up to, not including, `end`.
struct BusySpan {
  UtcSeconds start;
  UtcSeconds end;
};

inline bool operator==(const BusySpan& a, const BusySpan& b) {
  return a.start == b.start && a.end == b.end;
}

// The span from two RFC 3339 date-times with seconds, any offset ("Z", "-05:00") and an
// optional fraction ("2027-01-12T09:00:00.000-05:00"), read by the engine's parse_instant.
// A fraction widens the span to whole seconds: the start rounds down, the end up, so a busy
// time is never shortened. nullopt when either does not parse or `end` is before `start`.
std::optional<BusySpan> busy_span_from_rfc3339(std::string_view start, std::string_view end);

// An instant from an RFC 3339 date-time as above, rounded down (`round_up`: up) to the second.
std::optional<UtcSeconds> utc_from_rfc3339(std::string_view text, bool round_up = false);

// "2027-01-12T14:00:00Z": how the providers are given instants.
std::string rfc3339_utc(UtcSeconds instant);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_BUSY_SPAN_H_
