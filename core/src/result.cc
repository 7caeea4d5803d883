#include "slotbook/result.h"

namespace slotbook {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kInvalidSnapshot:
      return "invalid_snapshot";
    case ErrorCode::kInvalidQuery:
      return "invalid_query";
    case ErrorCode::kInvalidRange:
      return "invalid_range";
    case ErrorCode::kRangeTooLarge:
      return "range_too_large";
    case ErrorCode::kUnknownAppointmentType:
      return "unknown_appointment_type";
    case ErrorCode::kUnknownPractitioner:
      return "unknown_practitioner";
  }
  return "invalid_json";
}

}  // namespace slotbook
