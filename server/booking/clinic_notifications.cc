#include "booking/clinic_notifications.h"

#include <set>

#include "notify/email_message.h"
#include "notify/phone_number.h"

namespace slotbook::server {
namespace {

Failure bad(const std::string& field, const std::string& why) {
  return invalid("invalid_clinic_config", field + ": " + why);
}

}  // namespace

Expected<ClinicNotifications> parse_clinic_notifications(const nlohmann::json& config) {
  ClinicNotifications out;
  if (auto it = config.find("country"); it != config.end() && !it->is_null()) {
    if (!it->is_string() || !is_phone_region(it->get<std::string>())) {
      return bad("country", "must be an ISO 3166 alpha-2 country code in upper case, e.g. US");
    }
    out.country = it->get<std::string>();
  }
  if (auto it = config.find("notifications"); it != config.end() && !it->is_null()) {
    if (!it->is_object()) return bad("notifications", "must be an object");
    if (auto email = it->find("clinic_email"); email != it->end() && !email->is_null()) {
      if (!email->is_string() || !is_mail_address(email->get<std::string>())) {
        return bad("notifications.clinic_email", "must be one email address");
      }
      out.clinic_email = email->get<std::string>();
    }
  }
  if (auto it = config.find("reminders"); it != config.end() && !it->is_null()) {
    if (!it->is_array()) return bad("reminders", "must be an array");
    if (it->size() > kMaxReminders) {
      return bad("reminders", "at most " + std::to_string(kMaxReminders) + " reminders");
    }
    out.reminders.clear();
    std::set<int> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& rule = (*it)[i];
      const std::string field = "reminders[" + std::to_string(i) + "]";
      if (!rule.is_object()) return bad(field, "must be an object");
      const auto minutes = rule.find("before_minutes");
      if (minutes == rule.end() || !minutes->is_number_integer() || *minutes < 1 ||
          *minutes > kMaxReminderMinutes) {
        return bad(field + ".before_minutes", "must be a whole number of minutes from 1 to " +
                                                  std::to_string(kMaxReminderMinutes));
      }
      ReminderRule parsed{minutes->get<int>(), false, false};
      if (!seen.insert(parsed.before_minutes).second) {
        return bad(field + ".before_minutes", "another reminder has the same time");
      }
      const auto channels = rule.find("channels");
      if (channels == rule.end() || !channels->is_array() || channels->empty()) {
        return bad(field + ".channels", "must list \"email\", \"sms\" or both");
      }
      for (const nlohmann::json& channel : *channels) {
        if (channel == "email") {
          parsed.email = true;
        } else if (channel == "sms") {
          parsed.sms = true;
        } else {
          return bad(field + ".channels", "must list \"email\", \"sms\" or both");
        }
      }
      out.reminders.push_back(parsed);
    }
  }
  return out;
}

}  // namespace slotbook::server
