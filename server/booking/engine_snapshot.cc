#include "booking/engine_snapshot.h"

#include "slotbook/time.h"

namespace slotbook::server {

Snapshot engine_snapshot(const SnapshotInput& input) {
  std::vector<PractitionerBusy> busy;
  if (input.bookings) {
    busy.reserve(input.bookings->size());
    for (const BookingRecord& booking : *input.bookings) {
      if (booking.id == input.exclude_booking_id) continue;
      const TimeWindow occupied = input.clinic->occupancy(booking);
      busy.push_back({booking.practitioner_id, {Instant(occupied.from), Instant(occupied.to)}});
    }
  }
  return with_busy(input.clinic->checked(), busy, input.only_practitioners);
}

nlohmann::json engine_snapshot_json(const ClinicConfig& clinic,
                                    const std::vector<BookingRecord>& bookings) {
  nlohmann::json snapshot = clinic.json();
  nlohmann::json busy = nlohmann::json::array();
  for (const BookingRecord& booking : bookings) {
    const TimeWindow occupied = clinic.occupancy(booking);
    busy.push_back({{"practitioner_id", booking.practitioner_id},
                    {"start", format_instant(Instant(occupied.from))},
                    {"end", format_instant(Instant(occupied.to))}});
  }
  snapshot["busy"] = std::move(busy);
  return snapshot;
}

}  // namespace slotbook::server
