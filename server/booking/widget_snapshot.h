// WidgetSnapshots: the prepared snapshot the widget downloads (docs/api.md), cached per
// clinic. The body is the public configuration with `zone_rules` (slotbook::prepare_json)
// plus `busy_runs`: per practitioner, the union of the occupancy of every booking, connected
// calendar span and live hold that matters from today to the booking horizon
// (occupancy.h), adjacent and overlapping spans merged, in the compact form the engine
// reads besides the contract's `busy` (json_api.h: gaps and lengths in seconds). No
// patient data.
//
// The cost follows the change, not the clinic: each practitioner's busy runs are kept and
// re-read only when a change names that practitioner (invalidate), when one of their
// holds runs out, or for all of them when the configuration or the clinic's date changes.
// A rebuild then re-reads those practitioners, splices the kept text of the others, and
// compresses once. While one request rebuilds, others get the previous snapshot (at most
// one rebuild stale; bookings are always checked by the server). Thread-safe.
#ifndef SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_
#define SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "booking/clinic_config.h"
#include "common/clock.h"
#include "common/expected.h"
#include "common/prepared_body.h"

namespace slotbook::server {

class ClinicCatalog;
class Storage;

// One practitioner's busy runs in the snapshot, as its `busy_runs` entry's JSON text.
struct SnapshotRuns {
  std::string text;        // "" when free
  UtcSeconds fresh_until;  // when the first of their holds runs out (max: none)
};

class WidgetSnapshots {
 public:
  WidgetSnapshots(Storage& storage, ClinicCatalog& catalog, const ZoneSource& zones,
                  const Clock& clock)
      : storage_(storage), catalog_(catalog), zones_(zones), clock_(clock) {}

  // The current prepared snapshot of `clinic_id`. Failures: clinic_not_found, storage.
  Expected<std::shared_ptr<const PreparedBody>> get(const std::string& clinic_id);
  // After a committed change to `clinic_id` touching `practitioners` (empty: anything may
  // have changed, e.g. the configuration); "" as the clinic: every clinic.
  void invalidate(const std::string& clinic_id, const std::vector<std::string>& practitioners = {});

 private:
  struct Entry {
    // Bumped by every invalidate of the whole clinic, and per practitioner: a rebuild keeps
    // what it read only for those not invalidated while it read.
    std::uint64_t generation = 0;
    std::map<std::string, std::uint64_t> practitioner_generation;
    bool all_stale = true;
    std::map<std::string, bool> stale;           // practitioner -> re-read needed
    std::shared_ptr<const ClinicConfig> clinic;  // the configuration the runs were read under
    LocalDate day{};                             // the clinic's date the runs start on
    std::string head;  // the prepared configuration's text without its closing brace
    std::map<std::string, SnapshotRuns> runs;
    UtcSeconds fresh_until = UtcSeconds::max();  // the first of `runs`' fresh_until
    std::shared_ptr<const PreparedBody> prepared;
    bool building = false;
  };
  // What a rebuild read, applied under the lock.
  struct Reading {
    std::shared_ptr<const ClinicConfig> clinic;
    LocalDate day{};
    bool all = false;                          // every practitioner re-read, and the head
    std::string head;                          // when `all`
    std::map<std::string, SnapshotRuns> runs;  // the practitioners re-read
  };
  static bool needs_full_read(const Entry& entry, UtcSeconds now);
  static bool needs_rebuild(const Entry& entry, UtcSeconds now);
  Expected<Reading> read(const std::string& clinic_id, const Entry& entry, UtcSeconds now);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const ZoneSource& zones_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable built_;
  std::map<std::string, Entry> entries_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_WIDGET_SNAPSHOT_H_
