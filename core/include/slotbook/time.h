// The engine's time types. UTC instants and clinic wall-clock times are distinct types
// (Howard Hinnant's date): an Instant cannot be passed where a LocalTime is expected.
// Converting between them needs the clinic's ZoneRules (zone_rules.h).
#ifndef SLOTBOOK_TIME_H_
#define SLOTBOOK_TIME_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace slotbook {

using Micros = std::chrono::duration<std::int64_t, std::micro>;
using Seconds = std::chrono::seconds;
using Minutes = std::chrono::minutes;

// A point on the UTC time line, to the microsecond (RFC 3339 input may carry fractions).
using Instant = date::sys_time<Micros>;
// A wall-clock reading in the clinic's zone, to the second.
using LocalTime = date::local_seconds;
// A calendar date in the clinic's zone.
using LocalDate = date::local_days;

// Parses "YYYY-MM-DD" (exactly that shape, a date that exists).
std::optional<LocalDate> parse_date(std::string_view text);
// Parses RFC 3339 with seconds: "2026-12-01T14:00:00Z", "...T09:00:00.5-05:00".
// Fractions finer than a microsecond round up, so a comparison is never too lenient.
std::optional<Instant> parse_instant(std::string_view text);
// Parses "HH:MM", 00:00..24:00, into minutes since midnight.
std::optional<int> parse_time_of_day(std::string_view text);

std::string format_date(LocalDate date);      // "2026-12-01"
std::string format_instant(Instant instant);  // "2026-12-01T14:00:00Z" (+ ".ffffff" if any)
std::string format_hh_mm(LocalTime time);     // "09:45" (seconds dropped)
// The minutes since midnight of a wall-clock reading, 0..1439 (seconds dropped): what
// format_hh_mm writes, as a number.
int minute_of_day(LocalTime time);
// The same, written at `out`, returning the end of what was written (the JSON writer's hot
// path: no temporary strings). REQUIRES: room for kMaxFormattedLength chars.
constexpr std::size_t kMaxFormattedLength = 32;
char* write_date(char* out, LocalDate date);
char* write_instant(char* out, Instant instant);
char* write_hh_mm(char* out, LocalTime time);
std::string_view weekday_name(LocalDate date);  // "Tuesday"
// Lower-case weekday index key of weekly_hours: 0 = "monday" .. 6 = "sunday".
int weekday_index(LocalDate date);

}  // namespace slotbook

#endif  // SLOTBOOK_TIME_H_
