#include "booking/change_policy.h"

#include <algorithm>

namespace slotbook::server {
namespace {

Failure refuse(const std::string& field, const std::string& why) {
  return invalid("invalid_clinic_config", field + ": " + why);
}

// A notice in minutes at `field` of `object`, if present.
Expected<std::optional<int>> notice_at(const nlohmann::json& object, const std::string& path) {
  auto it = object.find("min_change_notice_minutes");
  if (it == object.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer() || *it < 0 || *it > kMaxChangeNoticeMinutes) {
    return refuse(path + ".min_change_notice_minutes",
                  "an integer from 0 to " + std::to_string(kMaxChangeNoticeMinutes));
  }
  return std::optional<int>(it->get<int>());
}

}  // namespace

int ChangePolicy::notice_minutes(const std::string& appointment_type) const {
  auto it = by_type.find(appointment_type);
  return it == by_type.end() ? min_change_notice_minutes : it->second;
}

UtcSeconds ChangePolicy::deadline(const BookingRecord& booking) const {
  return booking.start_utc - std::chrono::minutes(notice_minutes(booking.appointment_type));
}

bool ChangePolicy::patient_may_change(const BookingRecord& booking, UtcSeconds now) const {
  return server::patient_may_change(booking, now) && now <= deadline(booking);
}

Expected<ChangePolicy> parse_change_policy(const nlohmann::json& config) {
  ChangePolicy out;
  if (auto rules = config.find("rules"); rules != config.end() && rules->is_object()) {
    auto notice = notice_at(*rules, "rules");
    if (!notice.ok()) return notice.error();
    out.min_change_notice_minutes = notice->value_or(0);
  }
  if (auto types = config.find("appointment_types"); types != config.end() && types->is_array()) {
    for (std::size_t i = 0; i < types->size(); ++i) {
      const nlohmann::json& type = (*types)[i];
      if (!type.is_object() || !type.contains("id") || !type["id"].is_string()) continue;
      auto notice = notice_at(type, "appointment_types[" + std::to_string(i) + "]");
      if (!notice.ok()) return notice.error();
      if (*notice) out.by_type[type["id"].get<std::string>()] = **notice;
    }
  }
  if (auto clinic = config.find("clinic"); clinic != config.end() && clinic->is_object()) {
    if (auto phone = clinic->find("phone"); phone != clinic->end() && !phone->is_null()) {
      const bool printable =
          phone->is_string() && std::none_of(phone->get_ref<const std::string&>().begin(),
                                             phone->get_ref<const std::string&>().end(),
                                             [](unsigned char c) { return c < ' ' || c == 0x7f; });
      if (!printable || phone->get<std::string>().size() > kMaxClinicPhone) {
        return refuse("clinic.phone", "a phone number of at most " +
                                          std::to_string(kMaxClinicPhone) + " characters");
      }
      out.phone = phone->get<std::string>();
    }
  }
  return out;
}

}  // namespace slotbook::server
