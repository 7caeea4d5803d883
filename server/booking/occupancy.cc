#include "booking/occupancy.h"

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

}  // namespace slotbook::server
