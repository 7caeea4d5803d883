// Busy times from a subscribed calendar feed (an RFC 5545 VCALENDAR text, e.g. a
// practitioner's Google Calendar or Outlook "secret address"). Pure: no I/O, no clock; the
// caller fetches the text and supplies the clinic's zone rule for floating and all-day times.
//
// Guarantees: feed_busy never throws, never crashes or loops without bound on hostile input
// (input size, busy spans and recurrence steps are all capped), and frees every libical
// object it makes. Thread safety: separate calls may run concurrently (each parses its own
// components; libical's shared built-in zones are loaded once and then only used under a
// lock). `wall_to_utc` is called on the calling thread only and must not throw.
#ifndef SLOTBOOK_SERVER_CALENDARS_ICS_FEED_H_
#define SLOTBOOK_SERVER_CALENDARS_ICS_FEED_H_

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "common/expected.h"

namespace slotbook::server {

// A busy span on the UTC time line, [start, end).
struct FeedBusy {
  date::sys_seconds start;
  date::sys_seconds end;
};

inline bool operator==(const FeedBusy& a, const FeedBusy& b) {
  return a.start == b.start && a.end == b.end;
}

struct FeedLimits {
  std::size_t max_bytes = 5 * 1024 * 1024;  // larger input: invalid_ics
  std::size_t max_intervals = 20000;        // more busy spans in the window: invalid_ics
};

// The busy spans of the VEVENTs in `ics` that intersect the window [from, to), clipped to
// it, sorted by start, with overlapping or touching spans merged.
//
// `wall_to_utc` maps a floating local time (no TZID, no Z) and the midnight of an all-day
// DATE to an instant in the practitioner's clinic zone.
//
// Rules:
// - RRULE (COUNT, UNTIL), RDATE (date, date-time or period) and EXDATE are expanded with
//   libical's icalrecur_iterator, in the wall clock of DTSTART (so a weekly 09:00 stays
//   09:00 local across DST), and only up to `to`: an unbounded RRULE stops at the window.
// - A VEVENT with RECURRENCE-ID replaces the instance of its UID's series that starts at
//   that instant; its own DTSTART/DTEND/STATUS/TRANSP count (CANCELLED or TRANSPARENT
//   removes the instance). RANGE=THISANDFUTURE is treated as the single instance.
// - TZID is resolved with the feed's VTIMEZONE of that name, else libical's built-in zone
//   of that name (e.g. "America/Chicago" without a VTIMEZONE). An unknown TZID fails the
//   whole feed (invalid_ics): guessing UTC would put busy times at the wrong hour silently.
// - End: DTEND, else DURATION (days and weeks are nominal, added in wall time), else one
//   day for an all-day DATE event and zero length (ignored) for a date-time event. Events
//   whose end is not after their start are ignored. All-day events are busy from local
//   midnight to local midnight via `wall_to_utc`.
// - STATUS:CANCELLED and TRANSP:TRANSPARENT VEVENTs are ignored; a VEVENT without a usable
//   DTSTART (missing or unparseable: libical drops it) is ignored. Only VEVENTs count:
//   VTODO, VJOURNAL and VFREEBUSY are ignored.
//
// Fails invalid("invalid_ics", why) when: the text is larger than limits.max_bytes or holds
// a NUL byte; it does not parse as a VCALENDAR (or several); a TZID is unknown; the window
// holds more than limits.max_intervals spans before merging ("too many busy spans"); or
// the recurrences need more than a fixed number of expansion steps.
// REQUIRES: from <= to (an empty window returns no spans).
Expected<std::vector<FeedBusy>> feed_busy(
    std::string_view ics, date::sys_seconds from, date::sys_seconds to,
    const std::function<date::sys_seconds(date::local_seconds)>& wall_to_utc,
    const FeedLimits& limits = {});

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_ICS_FEED_H_
