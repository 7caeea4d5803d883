#include "booking/widget_snapshot.h"

#include <algorithm>

#include "booking/clinic_catalog.h"
#include "booking/engine_snapshot.h"
#include "booking/occupancy.h"
#include "common/compress.h"
#include "slotbook/json_api.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {
constexpr auto kMaxAge = std::chrono::seconds(60);
}

Expected<std::shared_ptr<const PreparedSnapshot>> WidgetSnapshots::get(
    const std::string& clinic_id) {
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(clinic_id);  // no entry for ids that were never served
    if (it != entries_.end()) {
      const Entry& entry = it->second;
      if (entry.prepared && clock_.now() < entry.fresh_until) return entry.prepared;
      generation = entry.generation;
    }
  }
  auto built = build(clinic_id);
  if (!built.ok()) return built.error();
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entries_[clinic_id];
  // Keep it only if no change committed while it was being built.
  if (entry.generation == generation) {
    entry.prepared = built->prepared;
    entry.fresh_until = built->fresh_until;
  }
  return built->prepared;
}

void WidgetSnapshots::invalidate(const std::string& clinic_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto drop = [](Entry& entry) {
    entry.generation += 1;
    entry.prepared.reset();
  };
  if (!clinic_id.empty()) return drop(entries_[clinic_id]);
  for (auto& [id, entry] : entries_) drop(entry);
}

Expected<WidgetSnapshots::Built> WidgetSnapshots::build(const std::string& clinic_id) {
  std::string text;
  const UtcSeconds now = clock_.now();
  // Rebuilt once a minute as time moves on, and when the first hold in it runs out.
  UtcSeconds fresh_until = now + kMaxAge;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto clinic = catalog_.get(view, clinic_id);
    if (!clinic.ok()) return clinic.error();
    const ClinicConfig& config = **clinic;
    const LocalDate today = date::floor<date::days>(config.checked().zone.to_local(Instant(now)));
    Occupancy occupancy;
    Status loaded = load_occupancy(
        view, config, listing_span(config, today, today + date::days(config.horizon_days() + 1)),
        {}, now, occupancy);
    if (!loaded.ok()) return loaded;
    for (const HoldRecord& hold : occupancy.holds) {
      fresh_until = std::min(fresh_until, hold.expires_at);
    }
    text = engine_snapshot_json(config, occupancy).dump();
    return Status();
  });
  if (!status.ok()) return status.error();
  JsonAnswer prepared = prepare_json(text, zones_);
  if (prepared.is_error) {
    return storage_failure("prepare_json failed for clinic '" + clinic_id + "': " + prepared.json);
  }
  auto out = std::make_shared<PreparedSnapshot>();
  out->etag = "\"" + sha256_hex(prepared.json).substr(0, 32) + "\"";
  out->brotli = std::make_shared<const std::string>(brotli_compress(prepared.json));
  out->gzip = std::make_shared<const std::string>(gzip_compress(prepared.json));
  out->body = std::make_shared<const std::string>(std::move(prepared.json));
  return Built{std::shared_ptr<const PreparedSnapshot>(std::move(out)), fresh_until};
}

}  // namespace slotbook::server
