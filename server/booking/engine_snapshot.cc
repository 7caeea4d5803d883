#include "booking/engine_snapshot.h"

#include "booking/occupancy.h"
#include "slotbook/time.h"
#include "storage/storage.h"

namespace slotbook::server {

Status load_occupancy(ReadView& view, const ClinicConfig& clinic, TimeWindow decided,
                      std::string_view practitioner_id, UtcSeconds now, Occupancy& into) {
  auto bookings =
      view.occupying_bookings(clinic.id(), bookings_to_load(clinic, decided), practitioner_id);
  if (!bookings.ok()) return bookings.error();
  auto external = view.external_busy(clinic.id(), decided, practitioner_id);
  if (!external.ok()) return external.error();
  // Holds are filtered on their stored occupancy (their buffers included).
  auto holds = view.live_holds(clinic.id(), decided, practitioner_id, now);
  if (!holds.ok()) return holds.error();
  into.holds.insert(into.holds.end(), std::make_move_iterator(holds->begin()),
                    std::make_move_iterator(holds->end()));
  into.bookings.insert(into.bookings.end(), std::make_move_iterator(bookings->begin()),
                       std::make_move_iterator(bookings->end()));
  into.external.insert(into.external.end(), std::make_move_iterator(external->begin()),
                       std::make_move_iterator(external->end()));
  return Status();
}

namespace {

// Every span the engine must see as busy, in one list.
template <typename Visit>
void for_each_busy(const ClinicConfig& clinic, const Occupancy& occupancy,
                   std::string_view exclude_booking_id, std::string_view exclude_hold_id,
                   Visit&& visit) {
  for (const BookingRecord& booking : occupancy.bookings) {
    if (booking.id == exclude_booking_id) continue;
    visit(booking.practitioner_id, clinic.occupancy(booking));
  }
  for (const ExternalBusyRecord& busy : occupancy.external) visit(busy.practitioner_id, busy.span);
  for (const HoldRecord& hold : occupancy.holds) {
    if (hold.id != exclude_hold_id) visit(hold.practitioner_id, hold.occupancy);
  }
}

}  // namespace

Snapshot engine_snapshot(const SnapshotInput& input) {
  std::vector<PractitionerBusy> busy;
  if (input.occupancy) {
    busy.reserve(input.occupancy->bookings.size() + input.occupancy->external.size() +
                 input.occupancy->holds.size());
    for_each_busy(*input.clinic, *input.occupancy, input.exclude_booking_id, input.exclude_hold_id,
                  [&](const std::string& practitioner_id, TimeWindow span) {
                    busy.push_back({practitioner_id, {Instant(span.from), Instant(span.to)}});
                  });
  }
  return with_busy(input.clinic->checked(), busy, input.only_practitioners);
}

nlohmann::json engine_snapshot_json(const ClinicConfig& clinic, const Occupancy& occupancy) {
  nlohmann::json snapshot = clinic.public_json();
  nlohmann::json busy = nlohmann::json::array();
  for_each_busy(clinic, occupancy, {}, {},
                [&](const std::string& practitioner_id, TimeWindow span) {
                  busy.push_back({{"practitioner_id", practitioner_id},
                                  {"start", format_instant(Instant(span.from))},
                                  {"end", format_instant(Instant(span.to))}});
                });
  snapshot["busy"] = std::move(busy);
  return snapshot;
}

}  // namespace slotbook::server
