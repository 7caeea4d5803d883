#include "publish/publication.h"

#include <algorithm>
#include <thread>

#include "booking/clinic_catalog.h"
#include "booking/engine_snapshot.h"
#include "booking/occupancy.h"
#include "publish/smart_scheduling.h"
#include "storage/storage.h"

namespace slotbook::server {
namespace {

UtcSeconds minute_of(UtcSeconds t) { return date::floor<std::chrono::minutes>(t); }

// The instant a publication made at `now` lists the slots of: the last moment of its
// minute. Files are served until the minute turns, so a slot goes out only when the
// engine books it through that whole minute (notice is elapsed time: a start leaves the
// listing at an instant, not on a minute). Every generation within one minute thus makes the
// same text from the same state, and a validator stays valid when a late notification
// regenerates it. The local date, and so the horizon, is that of `now`: zone offsets are
// whole minutes.
Instant listed_at(UtcSeconds now) {
  return Instant(minute_of(now) + std::chrono::minutes(1)) - Micros(1);
}

// `text` as a file: the previous one (ETag, Last-Modified) when the text is the same.
PublishedFile file_of(std::string text, const PublishedFile* previous, UtcSeconds now) {
  if (previous && previous->body && *previous->body->body == text) return *previous;
  return {std::make_shared<const PreparedBody>(std::move(text)), now};
}

Failure not_published(const std::string& clinic_id) {
  return not_found("clinic_not_found",
                   "clinic '" + clinic_id + "' does not publish SMART Scheduling Links");
}

}  // namespace

UtcSeconds ClinicPublication::changed_at() const {
  return std::max({locations.last_modified, schedules.last_modified, slots.last_modified});
}

bool SmartSchedulingPublication::is_current(const Entry& entry, UtcSeconds now) const {
  return entry.current && !entry.changed &&
         minute_of(entry.current->generated_at) == minute_of(now);
}

Expected<std::shared_ptr<const ClinicPublication>> SmartSchedulingPublication::get(
    const std::string& clinic_id) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {  // looked up anew after each wait: a failed first generation erases its entry
    Entry& entry = entries_[clinic_id];
    if (is_current(entry, clock_.now())) return entry.current;
    if (!entry.building) break;
    if (entry.current) return entry.current;  // the previous files, while another generates
    built_.wait(lock);
  }
  Entry& entry = entries_[clinic_id];
  entry.building = true;
  entry.changed = false;  // a change from here on is generated next time
  const auto since = std::chrono::steady_clock::now() - entry.generated;
  std::shared_ptr<const ClinicPublication> previous = entry.current;
  lock.unlock();
  if (previous && since < kMinRepublishInterval) {
    std::this_thread::sleep_for(kMinRepublishInterval - since);  // once a second at most
  }
  auto made = generate(clinic_id, previous, clock_.now());
  lock.lock();
  Entry& done = entries_[clinic_id];
  done.building = false;
  built_.notify_all();
  if (!made.ok()) {
    done.changed = true;
    // No entry for ids that never published (a URL may name anything).
    if (!done.current) entries_.erase(clinic_id);
    return made.error();
  }
  done.current = *made;
  done.generated = std::chrono::steady_clock::now();
  return *made;
}

Expected<std::shared_ptr<const ClinicPublication>> SmartSchedulingPublication::generate(
    const std::string& clinic_id, const std::shared_ptr<const ClinicPublication>& previous,
    UtcSeconds now) {
  std::shared_ptr<const ClinicConfig> clinic;
  Occupancy occupancy;
  Status status = storage_.read([&](ReadView& view) -> Status {
    occupancy = Occupancy();  // `work` may run again
    auto config = catalog_.get(view, clinic_id);
    if (!config.ok()) return config.error();
    clinic = *config;
    if (!clinic->publishing().smart_scheduling_links) return not_published(clinic_id);
    const LocalDate today = date::floor<date::days>(clinic->checked().zone.to_local(Instant(now)));
    const int days = std::min(clinic->horizon_days(), kMaxPublishedDays);
    return load_occupancy(view, *clinic, listing_span(*clinic, today, today + date::days(days)), "",
                          now, occupancy);
  });
  if (!status.ok()) return status.error();
  const Snapshot occupied = engine_snapshot({clinic.get(), &occupancy});
  SmartSchedulingFiles files =
      smart_scheduling_files(*clinic, occupied, listed_at(now), identifier_system_);
  auto out = std::make_shared<ClinicPublication>();
  out->clinic = clinic;
  out->locations =
      file_of(std::move(files.locations), previous ? &previous->locations : nullptr, now);
  out->schedules =
      file_of(std::move(files.schedules), previous ? &previous->schedules : nullptr, now);
  out->slots = file_of(std::move(files.slots), previous ? &previous->slots : nullptr, now);
  out->slot_count = files.slot_count;
  out->generated_at = now;
  return std::shared_ptr<const ClinicPublication>(std::move(out));
}

Expected<std::vector<std::shared_ptr<const ClinicPublication>>> SmartSchedulingPublication::all() {
  std::vector<std::string> ids;
  Status status = storage_.read([&](ReadView& view) -> Status {
    ids.clear();
    auto stored = view.clinic_ids();
    if (!stored.ok()) return stored.error();
    for (const std::string& id : *stored) {
      auto clinic = catalog_.get(view, id);
      if (!clinic.ok()) return clinic.error();
      if ((*clinic)->publishing().smart_scheduling_links) ids.push_back(id);
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  std::sort(ids.begin(), ids.end());
  std::vector<std::shared_ptr<const ClinicPublication>> out;
  for (const std::string& id : ids) {
    auto publication = get(id);
    if (publication.ok()) {
      out.push_back(*publication);
    } else if (publication.error().kind != FailureKind::kNotFound) {
      return publication.error();
    }  // else it stopped publishing between the two reads: left out, as a moment later
  }
  return out;
}

void SmartSchedulingPublication::invalidate(const std::string& clinic_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (clinic_id.empty()) {
    for (auto& [id, entry] : entries_) entry.changed = true;
    return;
  }
  if (auto it = entries_.find(clinic_id); it != entries_.end()) it->second.changed = true;
}

}  // namespace slotbook::server
