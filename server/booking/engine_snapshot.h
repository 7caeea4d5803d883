// Builds what the engine decides on: a clinic's checked configuration plus the occupancy of
// its stored bookings. The server never decides whether a slot is free; it only assembles
// this input and asks the engine. Decisions get a typed Snapshot (no JSON in between);
// the widget gets the same content as the contract's snapshot JSON.
#ifndef SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_
#define SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"
#include "slotbook/snapshot.h"
#include "storage/records.h"

namespace slotbook::server {

class ReadView;

// What occupies a practitioner's time besides working hours: stored bookings, the busy
// spans their connected calendars report (calendars/) and patients' live holds
// (hold_service.h).
struct Occupancy {
  std::vector<BookingRecord> bookings;  // occupying bookings
  std::vector<ExternalBusyRecord> external;
  std::vector<HoldRecord> holds;  // alive when loaded
};

// Appends to `into` what the engine must see to decide about instants in `decided` for
// clinic `clinic` (only `practitioner_id`'s when it is not empty): the bookings of
// bookings_to_load (occupancy.h), the connected calendars' busy spans and the holds alive
// at `now` intersecting it. The one loader of occupancy: validation, listings and the
// widget snapshot all use it.
Status load_occupancy(ReadView& view, const ClinicConfig& clinic, TimeWindow decided,
                      std::string_view practitioner_id, UtcSeconds now, Occupancy& into);

struct SnapshotInput {
  const ClinicConfig* clinic = nullptr;
  const Occupancy* occupancy = nullptr;  // may be null: nothing booked or busy
  std::string_view exclude_booking_id;   // a booking being rescheduled does not block itself
  std::string_view exclude_hold_id;      // nor does the hold a booking consumes
  // Only these practitioners (null: all). Validation needs only the candidates.
  const std::vector<std::string>* only_practitioners = nullptr;
};

// The configuration with each booking's occupancy (ClinicConfig::occupancy) and each
// external busy span as busy time.
Snapshot engine_snapshot(const SnapshotInput& input);

// The contract snapshot JSON of the configuration as the public may see it
// (ClinicConfig::public_json) with `busy` = each booking's occupancy and each external
// busy span. Carries no patient data and nothing about what the busy times are.
nlohmann::json engine_snapshot_json(const ClinicConfig& clinic, const Occupancy& occupancy);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_
