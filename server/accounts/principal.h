// Who a staff request acts as, and what that may do. One owner of the rules: routes ask
// `may` and `sees_*`, never compare roles themselves.
//
//   admin         everything (within its clinic when it has one)
//   front_desk    schedules, bookings and patients; not settings, keys, webhooks, audit
//   practitioner  their own schedule and their own calendar connection
//
// API keys (named ones and the bootstrap CALENDAR_API_KEY) act as admins of their clinic
// (every clinic for the bootstrap key and server-wide keys), except that only people and
// the bootstrap key manage keys: a leaked key cannot mint more.
#ifndef SLOTBOOK_SERVER_ACCOUNTS_PRINCIPAL_H_
#define SLOTBOOK_SERVER_ACCOUNTS_PRINCIPAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "booking/actor.h"

namespace slotbook::server {

enum class Role { kAdmin, kFrontDesk, kPractitioner };
std::string_view to_string(Role role);  // "admin", "front_desk", "practitioner"
std::optional<Role> parse_role(std::string_view text);

enum class Permission {
  kViewSchedule,    // schedules, bookings, availability, the clinic's configuration
  kChangeBookings,  // book, move, cancel, status changes, reminders, resend
  kManageSettings,  // clinic configuration, webhooks, deliveries, every calendar
  kManageKeys,      // API keys
  kViewAudit,       // the whole audit log
  kOwnCalendar,     // connect and sync one's own calendar
};

struct Principal {
  Actor actor;  // type "user", "api_key" or "bootstrap_key"
  Role role = Role::kAdmin;
  std::string clinic_id;        // empty: every clinic
  std::string practitioner_id;  // role practitioner: whose schedule
  std::string session_hash;     // cookie sessions: the session's token hash; else empty

  bool by_cookie() const { return !session_hash.empty(); }
  bool may(Permission permission) const;
  bool sees_clinic(std::string_view clinic_id) const;
  // Whether practitioner `id`'s schedule and calendar are this principal's to see (their
  // own for a practitioner; everyone's otherwise).
  bool sees_practitioner(std::string_view id) const;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ACCOUNTS_PRINCIPAL_H_
