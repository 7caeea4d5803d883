// What a clinic's configuration says about telling people of bookings (docs/api.md
// "Clinic configuration"): its country, for reading phone numbers; the front desk's
// address; and when reminders go out on which channels. Checked when a configuration is
// stored; a configuration without these fields gets the defaults.
//
//   "country": "US",                                   ISO 3166 alpha-2, optional
//   "notifications": {"clinic_email": "desk@clinic.example"},        optional
//   "reminders": [{"before_minutes": 1440, "channels": ["email", "sms"]}]
//                 default: one email 24 hours before; [] turns reminders off
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_NOTIFICATIONS_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_NOTIFICATIONS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

inline constexpr int kMaxReminders = 5;
inline constexpr int kMaxReminderMinutes = 60 * 24 * 30;  // 30 days ahead

struct ReminderRule {
  int before_minutes = 1440;
  bool email = true;
  bool sms = false;
};

struct ClinicNotifications {
  std::string country;       // upper case ISO 3166 alpha-2; empty: numbers need a +
  std::string clinic_email;  // empty: the clinic gets no messages
  std::vector<ReminderRule> reminders{ReminderRule{}};
};

// Fails invalid("invalid_clinic_config", "<field>: <why>").
Expected<ClinicNotifications> parse_clinic_notifications(const nlohmann::json& config);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_NOTIFICATIONS_H_
