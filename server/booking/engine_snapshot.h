// Builds what the engine decides on: a clinic's configuration plus the occupancy of its
// stored bookings, as a contract snapshot. The server never decides whether a slot is
// free; it only assembles this input and asks the engine.
#ifndef SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_
#define SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"
#include "common/expected.h"
#include "slotbook/snapshot.h"

namespace slotbook::server {

// An appointment type that exists for one engine call only: partner and staff requests
// that name a bare duration. Offered by every practitioner, no buffers; notice and
// horizon come from the clinic's rules.
struct AdHocType {
  int duration_minutes = 30;
  int step_minutes = 30;
};
// Its id in the snapshot ("~adhoc-DURATION-STEP"; "~" cannot start a configured id that
// a clinic would type, and the engine treats ids as opaque).
std::string ad_hoc_type_id(const AdHocType& type);

struct SnapshotInput {
  const ClinicConfig* clinic = nullptr;
  const std::vector<BookingRecord>* bookings = nullptr;  // occupying bookings (may be null)
  std::optional<AdHocType> ad_hoc;
  std::string_view exclude_booking_id;  // a booking being rescheduled does not block itself
  // Only these practitioners (null: all). Validation needs only the candidates.
  const std::vector<std::string>* only_practitioners = nullptr;
};

// The contract snapshot JSON: configuration, the ad hoc type if any, and `busy` = each
// booking's occupancy (ClinicConfig::occupancy). Carries no patient data.
nlohmann::json engine_snapshot_json(const SnapshotInput& input);

// The same, parsed by the engine. A failure here means stored data is inconsistent
// (kStorage): configurations are checked before they are stored.
Expected<Snapshot> engine_snapshot(const SnapshotInput& input, const ZoneSource& zones);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_ENGINE_SNAPSHOT_H_
