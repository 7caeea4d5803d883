// ClinicCatalog: the current ClinicConfig of each clinic, parsed and checked by the engine
// only when its stored version changes, so a booking does not re-check an unchanged
// configuration. Thread-safe.
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_CATALOG_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_CATALOG_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "booking/clinic_config.h"
#include "storage/storage.h"

namespace slotbook::server {

class ClinicCatalog {
 public:
  explicit ClinicCatalog(const ZoneSource& zones) : zones_(zones) {}
  // The configuration stored for `clinic_id` as `view` sees it; kNotFound
  // ("clinic_not_found") if there is none.
  Expected<std::shared_ptr<const ClinicConfig>> get(ReadView& view, std::string_view clinic_id);

 private:
  const ZoneSource& zones_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const ClinicConfig>, std::less<>> cache_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_CATALOG_H_
