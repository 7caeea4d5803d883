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

namespace slotbook::server {

struct SnapshotInput {
  const ClinicConfig* clinic = nullptr;
  const std::vector<BookingRecord>* bookings = nullptr;  // occupying bookings (may be null)
  std::string_view exclude_booking_id;  // a booking being rescheduled does not block itself
  // Only these practitioners (null: all). Validation needs only the candidates.
  const std::vector<std::string>* only_practitioners = nullptr;
};

// The configuration with each booking's occupancy (ClinicConfig::occupancy) as busy time.
Snapshot engine_snapshot(const SnapshotInput& input);

// The contract snapshot JSON of the configuration with `busy` = each booking's occupancy.
// Carries no patient data.
nlohmann::json engine_snapshot_json(const ClinicConfig& clinic,
                                    const std::vector<BookingRecord>& bookings);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_
