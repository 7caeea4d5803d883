#include "booking/engine_snapshot.h"

#include <algorithm>

#include "slotbook/time.h"

namespace slotbook::server {

std::string ad_hoc_type_id(const AdHocType& type) {
  return "~adhoc-" + std::to_string(type.duration_minutes) + "-" +
         std::to_string(type.step_minutes);
}

nlohmann::json engine_snapshot_json(const SnapshotInput& input) {
  nlohmann::json snapshot;
  if (input.only_practitioners) {
    for (const auto& [key, value] : input.clinic->json().items()) {
      if (key != "practitioners") snapshot[key] = value;
    }
    snapshot["practitioners"] = nlohmann::json::array();
    for (const auto& practitioner : input.clinic->json()["practitioners"]) {
      const auto id = practitioner.find("id");
      if (id != practitioner.end() && id->is_string() &&
          std::find(input.only_practitioners->begin(), input.only_practitioners->end(),
                    id->get_ref<const std::string&>()) != input.only_practitioners->end()) {
        snapshot["practitioners"].push_back(practitioner);
      }
    }
  } else {
    snapshot = input.clinic->json();
  }
  if (input.ad_hoc) {
    const std::string id = ad_hoc_type_id(*input.ad_hoc);
    snapshot["appointment_types"].push_back({{"id", id},
                                             {"name", "Appointment"},
                                             {"duration_minutes", input.ad_hoc->duration_minutes},
                                             {"slot_step_minutes", input.ad_hoc->step_minutes}});
    for (auto& practitioner : snapshot["practitioners"]) {
      practitioner["appointment_types"].push_back(id);
    }
  }
  nlohmann::json busy = nlohmann::json::array();
  if (input.bookings) {
    for (const BookingRecord& booking : *input.bookings) {
      if (booking.id == input.exclude_booking_id) continue;
      const TimeWindow occupied = input.clinic->occupancy(booking);
      busy.push_back({{"practitioner_id", booking.practitioner_id},
                      {"start", format_instant(Instant(occupied.from))},
                      {"end", format_instant(Instant(occupied.to))}});
    }
  }
  snapshot["busy"] = std::move(busy);
  return snapshot;
}

Expected<Snapshot> engine_snapshot(const SnapshotInput& input, const ZoneSource& zones) {
  auto parsed = parse_snapshot(engine_snapshot_json(input), &zones);
  if (!parsed.ok()) {
    return storage_failure("engine refused the assembled snapshot of clinic '" +
                           input.clinic->id() + "': " + parsed.error().message);
  }
  return std::move(parsed).value();
}

}  // namespace slotbook::server
