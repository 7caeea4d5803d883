#include "accounts/principal.h"

namespace slotbook::server {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kFrontDesk:
      return "front_desk";
    case Role::kPractitioner:
      return "practitioner";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role role : {Role::kAdmin, Role::kFrontDesk, Role::kPractitioner}) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

bool Principal::may(Permission permission) const {
  switch (permission) {
    case Permission::kViewSchedule:
    case Permission::kOwnCalendar:
      return true;
    case Permission::kChangeBookings:
      return role == Role::kAdmin || role == Role::kFrontDesk;
    case Permission::kManageSettings:
    case Permission::kViewAudit:
      return role == Role::kAdmin;
    case Permission::kManageKeys:
      return role == Role::kAdmin && actor.type != "api_key";
  }
  return false;
}

bool Principal::sees_clinic(std::string_view id) const {
  return clinic_id.empty() || clinic_id == id;
}

bool Principal::sees_practitioner(std::string_view id) const {
  return role != Role::kPractitioner || practitioner_id == id;
}

}  // namespace slotbook::server
