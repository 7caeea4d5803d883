// How late a patient may still cancel or move their own booking (docs/api.md "Clinic
// configuration"): until `min_change_notice_minutes` before its start, the clinic's rule or
// the appointment type's own. Staff are not bound by it; after the deadline the patient is
// told to call the clinic's `phone`. Checked when a configuration is stored.
//
//   "clinic": {"phone": "+1 212 555 0100", ...}                       optional
//   "rules": {"min_change_notice_minutes": 1440, ...}                 default 0
//   "appointment_types": [{"id": ..., "min_change_notice_minutes": 2880}]   optional
#ifndef SLOTBOOK_SERVER_BOOKING_CHANGE_POLICY_H_
#define SLOTBOOK_SERVER_BOOKING_CHANGE_POLICY_H_

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "common/expected.h"

namespace slotbook::server {

inline constexpr int kMaxChangeNoticeMinutes = 60 * 24 * 90;  // the longest horizon's worth
inline constexpr std::size_t kMaxClinicPhone = 50;

struct ChangePolicy {
  int min_change_notice_minutes = 0;
  std::map<std::string, int> by_type;  // types with a notice of their own
  std::string phone;                   // the clinic's, for patients past the deadline

  int notice_minutes(const std::string& appointment_type) const;
  // The last instant the patient may change `booking` themselves.
  UtcSeconds deadline(const BookingRecord& booking) const;
  // Whether the patient may still cancel or move `booking` at `now`: it is active, has not
  // started, and its deadline has not passed. The one rule the service, the manage page
  // and its API follow.
  bool patient_may_change(const BookingRecord& booking, UtcSeconds now) const;
};

// Fails invalid("invalid_clinic_config", "<field>: <why>").
Expected<ChangePolicy> parse_change_policy(const nlohmann::json& config);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CHANGE_POLICY_H_
