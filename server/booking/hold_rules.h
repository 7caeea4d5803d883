// How long a patient's hold on a slot lasts (hold_service.h): the clinic rule
// `rules.hold_minutes` (docs/api.md "Clinic configuration"), 0 turning holds off, and how
// often the widget may renew one. Checked when a configuration is stored.
#ifndef SLOTBOOK_SERVER_BOOKING_HOLD_RULES_H_
#define SLOTBOOK_SERVER_BOOKING_HOLD_RULES_H_

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

inline constexpr int kDefaultHoldMinutes = 5;  // what Cal.com reserves a slot for
inline constexpr int kMaxHoldMinutes = 30;     // longer and a hold is a booking without details
inline constexpr int kMaxHoldRenewals = 2;     // a patient still typing, not a script keeping it

// rules.hold_minutes: absent kDefaultHoldMinutes; an integer 0..kMaxHoldMinutes.
inline Expected<int> parse_hold_minutes(const nlohmann::json& config) {
  const auto rules = config.find("rules");
  if (rules == config.end() || !rules->is_object()) return kDefaultHoldMinutes;
  const auto minutes = rules->find("hold_minutes");
  if (minutes == rules->end()) return kDefaultHoldMinutes;
  if (!minutes->is_number_integer() || *minutes < 0 || *minutes > kMaxHoldMinutes) {
    return invalid("invalid_clinic_config", "rules.hold_minutes: must be an integer from 0 to " +
                                                std::to_string(kMaxHoldMinutes));
  }
  return minutes->get<int>();
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_HOLD_RULES_H_
