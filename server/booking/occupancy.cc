#include "booking/occupancy.h"

#include <algorithm>

#include "slotbook/limits.h"

namespace slotbook::server {

TimeWindow bookings_to_load(const ClinicConfig& clinic, TimeWindow decided) {
  return {decided.from - clinic.max_buffer_after(), decided.to + clinic.max_buffer_before()};
}

TimeWindow listing_span(const ClinicConfig& clinic, LocalDate first, LocalDate last) {
  const ZoneRules& zone = clinic.checked().zone;
  const UtcSeconds first_start = to_seconds(Instant(zone.to_instant(LocalTime(first))));
  const UtcSeconds after_last =
      to_seconds(Instant(zone.to_instant(LocalTime(last + date::days(1)))));
  return {first_start - clinic.max_buffer_before(),
          after_last + std::chrono::minutes(kMaxDurationMinutes) + clinic.max_buffer_after()};
}

TimeWindow booking_span(UtcSeconds start, UtcSeconds end, int buffer_before_minutes,
                        int buffer_after_minutes) {
  return {start - std::chrono::minutes(buffer_before_minutes),
          end + std::chrono::minutes(buffer_after_minutes)};
}

bool moves(const BookingRecord& before, const BookingRecord& after) {
  return before.practitioner_id != after.practitioner_id ||
         before.appointment_type != after.appointment_type || before.start_utc != after.start_utc ||
         before.end_utc != after.end_utc;
}

TimeWindow narrowed_occupancy(const BookingRecord& booking, const ClinicConfig& clinic) {
  const TimeWindow now_seen = clinic.occupancy(booking);
  return {std::max(booking.occupancy.from, now_seen.from),
          std::min(booking.occupancy.to, now_seen.to)};
}

}  // namespace slotbook::server
