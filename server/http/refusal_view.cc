#include "http/refusal_view.h"

namespace slotbook::server {

int refusal_status(Refusal reason) {
  return reason == Refusal::kUnknownAppointmentType || reason == Refusal::kUnknownPractitioner
             ? 404
             : 409;
}

std::string refusal_message(Refusal reason) {
  switch (reason) {
    case Refusal::kNone:
      return "";
    case Refusal::kUnknownAppointmentType:
      return "unknown appointment type";
    case Refusal::kUnknownPractitioner:
      return "unknown practitioner, or no practitioner offers this appointment type";
    case Refusal::kInPast:
      return "that time is in the past";
    case Refusal::kTooSoon:
      return "that time is too soon to book; please pick a later slot";
    case Refusal::kTooFar:
      return "that time is too far ahead to book";
    case Refusal::kOutsideHours:
      return "that time is outside the practitioner's hours";
    case Refusal::kOffGrid:
      return "that time is not one of the offered slot starts";
    case Refusal::kConflict:
      return "that slot was just taken; please pick another";
  }
  return "refused";
}

Json refusal_body(Refusal reason) {
  if (refusal_status(reason) == 404) {
    return Json{{"error",
                 {{"code", "not_found"},
                  {"message", refusal_message(reason)},
                  {"reason", std::string(to_string(reason))}}}};
  }
  return Json{{"error",
               {{"code", "slot_unavailable"},
                {"reason", std::string(to_string(reason))},
                {"message", refusal_message(reason)}}}};
}

}  // namespace slotbook::server
