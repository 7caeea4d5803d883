// SmartSchedulingPublication: each publishing clinic's SMART Scheduling Links files
// (smart_scheduling.h), kept ready to serve. Files are made anew after a change to the
// clinic (invalidate, from the domain events and other processes' notifications), at most
// once per second per clinic, and when the clinic's minute turns (notice rules move the
// first bookable slot as time passes). A request that finds its clinic changed within the
// second waits out the rest of it, so a reader is never more than that behind a change
// while generation stays bounded; while one request generates, others get the previous
// files. A file whose text did not change keeps its ETag and Last-Modified. Thread-safe.
#ifndef SLOTBOOK_SERVER_PUBLISH_PUBLICATION_H_
#define SLOTBOOK_SERVER_PUBLISH_PUBLICATION_H_

#include <chrono>
#include <condition_variable>
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

inline constexpr auto kMinRepublishInterval = std::chrono::seconds(1);

struct PublishedFile {
  std::shared_ptr<const PreparedBody> body;
  UtcSeconds last_modified{};  // when its text last changed
};

struct ClinicPublication {
  std::shared_ptr<const ClinicConfig> clinic;
  PublishedFile locations, schedules, slots;
  std::size_t slot_count = 0;
  UtcSeconds generated_at{};
  // The newest of the files' last_modified: the manifest's transactionTime.
  UtcSeconds changed_at() const;
};

class SmartSchedulingPublication {
 public:
  SmartSchedulingPublication(Storage& storage, ClinicCatalog& catalog, const Clock& clock)
      : storage_(storage), catalog_(catalog), clock_(clock) {}

  // The current files of `clinic_id`. Failures: clinic_not_found (kNotFound), also for a
  // clinic that does not publish; storage.
  Expected<std::shared_ptr<const ClinicPublication>> get(const std::string& clinic_id);
  // The current files of every clinic that publishes, by id. Failures: storage.
  Expected<std::vector<std::shared_ptr<const ClinicPublication>>> all();
  // After a committed change to `clinic_id` ("": every clinic).
  void invalidate(const std::string& clinic_id);
  // The Locations' identifier system (smart_scheduling_files): set once, before serving.
  void set_identifier_system(std::string system) { identifier_system_ = std::move(system); }

 private:
  struct Entry {
    std::shared_ptr<const ClinicPublication> current;
    bool changed = true;
    bool building = false;
    // When `current` was made, on the monotonic clock: the once-a-second bound holds
    // whatever the wall clock does.
    std::chrono::steady_clock::time_point generated{};
  };
  bool is_current(const Entry& entry, UtcSeconds now) const;
  Expected<std::shared_ptr<const ClinicPublication>> generate(
      const std::string& clinic_id, const std::shared_ptr<const ClinicPublication>& previous,
      UtcSeconds now);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const Clock& clock_;
  std::string identifier_system_;
  std::mutex mutex_;
  std::condition_variable built_;
  std::map<std::string, Entry> entries_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_PUBLISH_PUBLICATION_H_
