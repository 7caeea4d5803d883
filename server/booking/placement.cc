#include "booking/placement.h"

#include <limits>

#include "booking/engine_snapshot.h"
#include "booking/occupancy.h"
#include "storage/storage.h"

namespace slotbook::server {

std::vector<std::string> placement_candidates(const ClinicConfig& clinic,
                                              const std::string& type_id, bool ad_hoc,
                                              const std::string& practitioner_id) {
  std::vector<std::string> out;
  if (practitioner_id != "any") {
    out.push_back(practitioner_id);
    return out;
  }
  for (const Practitioner& p : clinic.checked().practitioners) {  // sorted by id
    if (ad_hoc || p.offers(type_id)) out.push_back(p.id);
  }
  return out;
}

Expected<Placement> place(ReadView& view, const ClinicConfig& clinic,
                          const PlacementRequest& request, UtcSeconds now) {
  Placement placement;
  int duration_minutes = 0, buffer_before = 0, buffer_after = 0;
  if (request.ad_hoc) {
    duration_minutes = request.ad_hoc->duration_minutes;
  } else if (const AppointmentType* type = clinic.checked().find_type(request.type_id)) {
    duration_minutes = type->duration_minutes;
    buffer_before = type->buffer_before_minutes;
    buffer_after = type->buffer_after_minutes;
  } else {
    placement.refusal = Refusal::kUnknownAppointmentType;
    return placement;
  }
  std::vector<std::string> who = placement_candidates(
      clinic, request.type_id, request.ad_hoc.has_value(), request.practitioner_id);
  if (who.empty()) {
    placement.refusal = Refusal::kUnknownPractitioner;
    return placement;
  }

  const UtcSeconds start_s = to_seconds(request.start);
  const UtcSeconds end_s = start_s + std::chrono::minutes(duration_minutes);
  const TimeWindow decided = booking_span(start_s, end_s, buffer_before, buffer_after);
  Occupancy occupancy;
  for (const std::string& candidate : who) {
    Status loaded = load_occupancy(view, clinic, decided, candidate, now, occupancy);
    if (!loaded.ok()) return loaded.error();
  }
  const Snapshot snapshot = engine_snapshot(
      {&clinic, &occupancy, request.exclude_booking_id, request.exclude_hold_id, &who});

  std::vector<std::string> free;
  Refusal furthest = Refusal::kNone;
  for (const std::string& candidate : who) {
    Refusal refusal = validate_booking(
        snapshot,
        BookingRequest{request.type_id, candidate, request.start, Instant(now), request.ad_hoc});
    if (refusal == Refusal::kNone) {
      free.push_back(candidate);
    } else if (static_cast<int>(refusal) > static_cast<int>(furthest)) {
      // Across practitioners the most telling reason is the one reached last in the
      // contract's order (a conflict says more than "outside hours" of someone else).
      furthest = refusal;
    }
  }
  if (free.empty()) {
    placement.refusal = furthest;
    return placement;
  }
  placement.practitioner_id = free.front();
  if (free.size() > 1) {
    // Fairness looks as far ahead as patients can book, no further.
    const TimeWindow horizon{now, now + date::days(clinic.horizon_days() + 1)};
    std::int64_t fewest = std::numeric_limits<std::int64_t>::max();
    for (const std::string& candidate : free) {
      auto count = view.occupying_count(clinic.id(), candidate, horizon);
      if (!count.ok()) return count.error();
      if (*count < fewest) {
        fewest = *count;
        placement.practitioner_id = candidate;
      }
    }
  }
  placement.end_utc = end_s;
  return placement;
}

}  // namespace slotbook::server
