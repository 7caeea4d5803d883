// A booking's status and the one rule of which statuses occupy the practitioner's time.
// Storage filters, the service's transitions and the views all ask here.
#ifndef SLOTBOOK_SERVER_BOOKING_BOOKING_STATUS_H_
#define SLOTBOOK_SERVER_BOOKING_BOOKING_STATUS_H_

#include <array>
#include <optional>
#include <string_view>

namespace slotbook::server {

enum class BookingStatus { kPending, kConfirmed, kCompleted, kCancelled, kNoShow };

inline constexpr std::array<BookingStatus, 5> kAllBookingStatuses = {
    BookingStatus::kPending, BookingStatus::kConfirmed, BookingStatus::kCompleted,
    BookingStatus::kCancelled, BookingStatus::kNoShow};

// Every status but cancelled keeps the time taken: a completed or missed appointment
// still happened at that time, and a pending one is held for the patient.
constexpr bool occupies_time(BookingStatus status) { return status != BookingStatus::kCancelled; }

// Whether the appointment can still be moved or cancelled (it has not ended its life).
constexpr bool is_active(BookingStatus status) {
  return status == BookingStatus::kPending || status == BookingStatus::kConfirmed;
}

// The wire and storage name: "pending", "confirmed", "completed", "cancelled", "no_show".
std::string_view to_string(BookingStatus status);
std::optional<BookingStatus> parse_booking_status(std::string_view text);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_BOOKING_STATUS_H_
