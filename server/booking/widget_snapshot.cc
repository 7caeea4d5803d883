#include "booking/widget_snapshot.h"

#include <algorithm>

#include "booking/clinic_catalog.h"
#include "booking/engine_snapshot.h"
#include "booking/occupancy.h"
#include "slotbook/json_api.h"
#include "storage/storage.h"

namespace slotbook::server {
namespace {

constexpr UtcSeconds kNever = UtcSeconds::max();

LocalDate clinic_today(const ClinicConfig& clinic, UtcSeconds now) {
  return date::floor<date::days>(clinic.checked().zone.to_local(Instant(now)));
}

// The practitioner's busy runs: every span, sorted, overlapping and touching ones merged
// (the engine sees the same busy time), as their `busy_runs` entry's JSON text: from the
// first run's start, gaps and lengths in seconds.
SnapshotRuns runs_of(const std::string& practitioner_id, std::vector<TimeWindow> spans,
                     UtcSeconds fresh_until) {
  if (spans.empty()) return {"", fresh_until};
  std::sort(spans.begin(), spans.end(),
            [](const TimeWindow& a, const TimeWindow& b) { return a.from < b.from; });
  std::string text = "{\"practitioner_id\":" + nlohmann::json(practitioner_id).dump() +
                     ",\"from\":\"" + format_instant(Instant(spans.front().from)) + "\",\"runs\":[";
  UtcSeconds at = spans.front().from;
  for (std::size_t i = 0; i < spans.size();) {
    TimeWindow run = spans[i];
    for (++i; i < spans.size() && spans[i].from <= run.to; ++i) {
      run.to = std::max(run.to, spans[i].to);
    }
    if (run.to <= run.from) continue;  // an empty span occupies nothing
    if (text.back() != '[') text += ',';
    text +=
        std::to_string((run.from - at).count()) + ',' + std::to_string((run.to - run.from).count());
    at = run.to;
  }
  text += "]}";
  return {std::move(text), fresh_until};
}

}  // namespace

bool WidgetSnapshots::needs_full_read(const Entry& entry, UtcSeconds now) {
  return entry.all_stale || !entry.clinic || clinic_today(*entry.clinic, now) != entry.day;
}

bool WidgetSnapshots::needs_rebuild(const Entry& entry, UtcSeconds now) {
  return needs_full_read(entry, now) || !entry.stale.empty() || now >= entry.fresh_until;
}

Expected<std::shared_ptr<const PreparedBody>> WidgetSnapshots::get(const std::string& clinic_id) {
  const UtcSeconds now = clock_.now();
  std::unique_lock<std::mutex> lock(mutex_);
  Entry known;  // what the rebuild starts from (an empty entry: read everything)
  for (;;) {
    auto it = entries_.find(clinic_id);  // no entry for ids that were never served
    if (it == entries_.end()) break;
    Entry& entry = it->second;
    if (entry.prepared && !needs_rebuild(entry, now)) return entry.prepared;
    if (entry.building) {
      if (entry.prepared) return entry.prepared;  // the previous one, while another rebuilds
      built_.wait(lock);
      continue;
    }
    entry.building = true;
    known.generation = entry.generation;
    known.practitioner_generation = entry.practitioner_generation;
    known.all_stale = needs_full_read(entry, now);
    known.stale = entry.stale;
    known.clinic = entry.clinic;
    known.day = entry.day;
    for (const auto& [id, runs] : entry.runs) {
      if (runs.fresh_until <= now) known.stale[id] = true;  // a hold of theirs ran out
    }
    break;
  }
  lock.unlock();

  auto reading = read(clinic_id, known, now);
  lock.lock();
  auto it = entries_.find(clinic_id);
  if (!reading.ok()) {
    if (it != entries_.end()) it->second.building = false;
    built_.notify_all();
    return reading.error();
  }
  if (it == entries_.end()) it = entries_.emplace(clinic_id, Entry()).first;  // first served
  Entry& entry = it->second;
  Reading& r = *reading;
  auto unchanged = [&](const std::string& id) {
    auto before = known.practitioner_generation.find(id);
    auto now_gen = entry.practitioner_generation.find(id);
    const std::uint64_t a = before == known.practitioner_generation.end() ? 0 : before->second;
    const std::uint64_t b = now_gen == entry.practitioner_generation.end() ? 0 : now_gen->second;
    return a == b;
  };
  if (r.all) {
    entry.runs.clear();
    entry.head = std::move(r.head);
    entry.clinic = r.clinic;
    entry.day = r.day;
    if (entry.generation == known.generation) entry.all_stale = false;
  }
  for (auto& [id, runs] : r.runs) entry.runs[id] = std::move(runs);
  // Re-read now, or no longer in the clinic: clean unless invalidated again meanwhile.
  for (auto it = entry.stale.begin(); it != entry.stale.end();) {
    const bool read_now = r.all || known.stale.count(it->first);
    it = read_now && unchanged(it->first) ? entry.stale.erase(it) : std::next(it);
  }
  entry.fresh_until = kNever;
  for (const auto& [id, runs] : entry.runs)
    entry.fresh_until = std::min(entry.fresh_until, runs.fresh_until);
  // Splice outside the lock: compressing a large clinic's body takes milliseconds.
  std::string body = entry.head + ",\"busy_runs\":[";
  bool first = true;
  for (const auto& [id, runs] : entry.runs) {
    if (runs.text.empty()) continue;
    if (!first) body += ',';
    body += runs.text;
    first = false;
  }
  body += "]}";
  lock.unlock();

  std::shared_ptr<const PreparedBody> prepared =
      std::make_shared<const PreparedBody>(std::move(body));

  lock.lock();
  entry.prepared = prepared;
  entry.building = false;
  built_.notify_all();
  return prepared;
}

void WidgetSnapshots::invalidate(const std::string& clinic_id,
                                 const std::vector<std::string>& practitioners) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto all = [](Entry& entry) {
    entry.generation += 1;
    entry.all_stale = true;
  };
  if (clinic_id.empty()) {
    for (auto& [id, entry] : entries_) all(entry);
    return;
  }
  auto it = entries_.find(clinic_id);
  if (it == entries_.end()) return;  // never served: it is read whole when first asked for
  if (practitioners.empty()) return all(it->second);
  for (const std::string& p : practitioners) {
    it->second.practitioner_generation[p] += 1;
    it->second.stale[p] = true;
  }
}

Expected<WidgetSnapshots::Reading> WidgetSnapshots::read(const std::string& clinic_id,
                                                         const Entry& known, UtcSeconds now) {
  Reading out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    out = Reading();  // `work` may run again
    auto clinic = catalog_.get(view, clinic_id);
    if (!clinic.ok()) return clinic.error();
    const ClinicConfig& config = **clinic;
    out.clinic = *clinic;
    out.day = clinic_today(config, now);
    out.all = known.all_stale || !known.clinic || known.clinic->version() != config.version() ||
              known.day != out.day;
    const TimeWindow window =
        listing_span(config, out.day, out.day + date::days(config.horizon_days() + 1));
    // Everyone's spans in one read, or the named practitioners' one by one.
    std::vector<std::string> who;
    if (!out.all) {
      for (const auto& [id, stale] : known.stale) {
        if (config.checked().find_practitioner(id)) who.push_back(id);
      }
    }
    std::map<std::string, std::vector<TimeWindow>> spans;
    std::map<std::string, UtcSeconds> fresh_until;
    for (const Practitioner& p : config.checked().practitioners) {
      if (out.all || std::find(who.begin(), who.end(), p.id) != who.end()) {
        spans[p.id];
        fresh_until[p.id] = kNever;
      }
    }
    auto load = [&](std::string_view practitioner_id) -> Status {
      Occupancy occupancy;
      Status loaded = load_occupancy(view, config, window, practitioner_id, now, occupancy);
      if (!loaded.ok()) return loaded;
      for (const BookingRecord& b : occupancy.bookings) {
        if (auto it = spans.find(b.practitioner_id); it != spans.end()) {
          it->second.push_back(config.occupancy(b));
        }
      }
      for (const ExternalBusyRecord& busy : occupancy.external) {
        if (auto it = spans.find(busy.practitioner_id); it != spans.end()) {
          it->second.push_back(busy.span);
        }
      }
      for (const HoldRecord& hold : occupancy.holds) {
        if (auto it = spans.find(hold.practitioner_id); it != spans.end()) {
          it->second.push_back(hold.occupancy);
          fresh_until[hold.practitioner_id] =
              std::min(fresh_until[hold.practitioner_id], hold.expires_at);
        }
      }
      return Status();
    };
    if (out.all) {
      if (Status loaded = load(""); !loaded.ok()) return loaded;
    } else {
      for (const std::string& id : who) {
        if (Status loaded = load(id); !loaded.ok()) return loaded;
      }
    }
    for (auto& [id, list] : spans) out.runs[id] = runs_of(id, std::move(list), fresh_until[id]);
    return Status();
  });
  if (!status.ok()) return status.error();
  if (out.all) {
    nlohmann::json head = out.clinic->public_json();
    head.erase("busy");
    JsonAnswer prepared = prepare_json(head.dump(), zones_);
    if (prepared.is_error || prepared.json.size() < 2 || prepared.json.back() != '}') {
      return storage_failure("prepare_json failed for clinic '" + clinic_id +
                             "': " + prepared.json);
    }
    prepared.json.pop_back();
    out.head = std::move(prepared.json);
  }
  return out;
}

}  // namespace slotbook::server
