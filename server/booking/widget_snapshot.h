// WidgetSnapshots: the prepared snapshot the widget downloads (docs/api.md), cached per
// clinic. The body is the public configuration plus `busy` (occupancy of every booking
// and hold that matters from today to the booking horizon, occupancy.h; no patient data), run
// through slotbook::prepare_json so it carries `zone_rules`. Live holds are busy time too. An entry
// is rebuilt after any change to its clinic (invalidate), when a hold in it runs out, and
// at least once a minute, as time moves on.
// Thread-safe.
#ifndef SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_
#define SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "booking/clinic_config.h"
#include "common/clock.h"
#include "common/expected.h"

namespace slotbook::server {

class ClinicCatalog;
class Storage;

struct PreparedSnapshot {
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> brotli;  // the same, compressed once
  std::shared_ptr<const std::string> gzip;
  std::string etag;  // strong, quoted, of `body`
};

class WidgetSnapshots {
 public:
  WidgetSnapshots(Storage& storage, ClinicCatalog& catalog, const ZoneSource& zones,
                  const Clock& clock)
      : storage_(storage), catalog_(catalog), zones_(zones), clock_(clock) {}

  // The current prepared snapshot of `clinic_id`. Failures: clinic_not_found, storage.
  Expected<std::shared_ptr<const PreparedSnapshot>> get(const std::string& clinic_id);
  // Drops the cached snapshot of `clinic_id` (after a committed change); "" drops all.
  void invalidate(const std::string& clinic_id);

 private:
  struct Built {
    std::shared_ptr<const PreparedSnapshot> prepared;
    UtcSeconds fresh_until{};  // a minute after building, or when its first hold runs out
  };
  struct Entry {
    std::uint64_t generation = 0;
    std::shared_ptr<const PreparedSnapshot> prepared;
    UtcSeconds fresh_until{};
  };
  Expected<Built> build(const std::string& clinic_id);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const ZoneSource& zones_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_
