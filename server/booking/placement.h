// Where a new or moved appointment goes: the engine's verdict on a start for a type and a
// practitioner (or "any"), given everything that occupies time (engine_snapshot.h). The
// one place bookings, reschedules and holds ask "is this slot free, and whose is it?".
//
// Fair "any": among the practitioners the engine finds free for the requested start, the
// one with the fewest bookings within the clinic's booking horizon wins, ties broken by id.
#ifndef SLOTBOOK_SERVER_BOOKING_PLACEMENT_H_
#define SLOTBOOK_SERVER_BOOKING_PLACEMENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "booking/clinic_config.h"
#include "common/clock.h"
#include "common/expected.h"
#include "slotbook/engine.h"

namespace slotbook::server {

class ReadView;

struct PlacementRequest {
  std::string type_id;                  // a configured type, or empty with `ad_hoc`
  std::optional<AdHocDuration> ad_hoc;  // partner bookings: a bare duration
  std::string practitioner_id;          // an id, or "any"
  Instant start;
  std::string_view exclude_booking_id;  // a booking being moved does not block itself
  std::string_view exclude_hold_id;     // nor does the hold a booking consumes
};

struct Placement {
  Refusal refusal = Refusal::kNone;  // kNone: the slot is free for practitioner_id
  std::string practitioner_id;
  UtcSeconds end_utc{};
};

// Who may take a booking asked for `practitioner_id` ("any": every practitioner offering
// the type, by id), as the clinic is configured now. Empty: unknown type or practitioner
// (the engine names which).
std::vector<std::string> placement_candidates(const ClinicConfig& clinic,
                                              const std::string& type_id, bool ad_hoc,
                                              const std::string& practitioner_id);

// The engine's verdict at `now` on `request`, reading occupancy through `view` (inside the
// write transaction that will store the outcome, so the verdict holds until it commits).
Expected<Placement> place(ReadView& view, const ClinicConfig& clinic,
                          const PlacementRequest& request, UtcSeconds now);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_PLACEMENT_H_
