#include "booking/clinic_catalog.h"

namespace slotbook::server {

Expected<std::shared_ptr<const ClinicConfig>> ClinicCatalog::get(ReadView& view,
                                                                 std::string_view clinic_id) {
  const Failure missing =
      not_found("clinic_not_found", "no clinic with id '" + std::string(clinic_id) + "'");
  // The version alone says whether the parsed configuration held is current.
  auto version = view.clinic_version(clinic_id);
  if (!version.ok()) return version.error();
  if (!version->has_value()) return missing;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(clinic_id);
    if (it != cache_.end() && it->second->version() == **version) return it->second;
  }
  auto record = view.clinic(clinic_id);
  if (!record.ok()) return record.error();
  if (!record->has_value()) return missing;
  nlohmann::json parsed = nlohmann::json::parse((*record)->config_json, nullptr, false);
  auto config = ClinicConfig::from_json(std::move(parsed), zones_, (*record)->version);
  if (!config.ok()) {
    return storage_failure("stored configuration of clinic '" + std::string(clinic_id) +
                           "' no longer passes the engine: " + config.error().message);
  }
  auto shared = std::make_shared<const ClinicConfig>(std::move(*config));
  std::lock_guard<std::mutex> lock(mutex_);
  cache_[std::string(clinic_id)] = shared;
  return shared;
}

}  // namespace slotbook::server
