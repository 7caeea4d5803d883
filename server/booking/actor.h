// Who asks for a change: the audit log records it with the change (audit_trail.h), and a
// patient is held to what patients may do (a started appointment is not theirs to move).
#ifndef SLOTBOOK_SERVER_BOOKING_ACTOR_H_
#define SLOTBOOK_SERVER_BOOKING_ACTOR_H_

#include <string>

namespace slotbook::server {

struct Actor {
  // "user" (a staff member signed in), "api_key" (a named key), "bootstrap_key"
  // (CALENDAR_API_KEY), "patient" (the widget, the manage link), "system" (the server:
  // delivery results, calendar sync).
  std::string type;
  std::string id;    // the user's or key's id; empty for the others
  std::string name;  // the user's email, the key's name

  static Actor system() { return {"system", "", "slotbook"}; }
  static Actor patient() { return {"patient", "", "patient"}; }
  bool is_patient() const { return type == "patient"; }
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_ACTOR_H_
