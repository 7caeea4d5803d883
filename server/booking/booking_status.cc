#include "booking/booking_status.h"

namespace slotbook::server {

std::string_view to_string(BookingStatus status) {
  switch (status) {
    case BookingStatus::kPending:
      return "pending";
    case BookingStatus::kConfirmed:
      return "confirmed";
    case BookingStatus::kCompleted:
      return "completed";
    case BookingStatus::kCancelled:
      return "cancelled";
    case BookingStatus::kNoShow:
      return "no_show";
  }
  return "";
}

std::optional<BookingStatus> parse_booking_status(std::string_view text) {
  for (BookingStatus status : kAllBookingStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

}  // namespace slotbook::server
