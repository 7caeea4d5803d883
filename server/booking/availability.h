// Availability: the engine's slot listing over stored occupancy, for the partner
// free-slots endpoint and the staff availability endpoints. Read-only.
#ifndef SLOTBOOK_SERVER_BOOKING_AVAILABILITY_H_
#define SLOTBOOK_SERVER_BOOKING_AVAILABILITY_H_

#include <memory>
#include <optional>
#include <string>

#include "booking/clinic_config.h"
#include "booking/engine_snapshot.h"
#include "common/clock.h"
#include "common/expected.h"
#include "slotbook/engine.h"
#include "storage/storage.h"

namespace slotbook::server {

struct AvailabilityRequest {
  std::string clinic_id;
  std::string appointment_type;  // a configured type, or empty with `ad_hoc`
  std::optional<AdHocType> ad_hoc;
  std::optional<std::string> practitioner_id;  // nullopt: any practitioner
  LocalDate start_date;
  LocalDate end_date;
};

// The engine's answer with everything it points into (SlotList refers to `snapshot`).
struct Availability {
  std::shared_ptr<const ClinicConfig> clinic;
  Snapshot snapshot;
  SlotQuery query;
  SlotList slots;
};

// Lists free slots. Failures: clinic_not_found; the engine's unknown_appointment_type and
// unknown_practitioner (kNotFound); invalid_range and range_too_large (kInvalid); storage.
Expected<std::unique_ptr<Availability>> list_availability(Storage& storage, ClinicCatalog& catalog,
                                                          const ZoneSource& zones, UtcSeconds now,
                                                          const AvailabilityRequest& request);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_AVAILABILITY_H_
