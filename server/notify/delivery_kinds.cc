#include "notify/delivery_kinds.h"

namespace slotbook::server {

std::optional<std::string_view> webhook_type(EventKind kind) {
  switch (kind) {
    case EventKind::kBookingCreated:
    case EventKind::kBookingRescheduled:
    case EventKind::kBookingCancelled:
    case EventKind::kBookingStatusChanged:
    case EventKind::kBookingReminderSent:
      return to_string(kind);
    case EventKind::kClinicConfigChanged:
      return "clinic.updated";
    case EventKind::kBookingReminderRequested:
    case EventKind::kBookingConfirmationRequested:
    case EventKind::kBookingUpdated:
    case EventKind::kBookingMeetingReady:
    case EventKind::kCalendarBusyChanged:
    case EventKind::kHoldChanged:
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_webhook_type(std::string_view type) {
  for (EventKind kind : {EventKind::kBookingCreated, EventKind::kBookingRescheduled,
                         EventKind::kBookingCancelled, EventKind::kBookingStatusChanged,
                         EventKind::kBookingReminderSent, EventKind::kClinicConfigChanged}) {
    if (webhook_type(kind) == type) return true;
  }
  return false;
}

}  // namespace slotbook::server
