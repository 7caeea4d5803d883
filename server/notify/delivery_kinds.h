// The words a DeliveryRecord (storage/records.h) is made of, owned here so the planner,
// the worker, storage queries and the staff API spell them one way.
#ifndef SLOTBOOK_SERVER_NOTIFY_DELIVERY_KINDS_H_
#define SLOTBOOK_SERVER_NOTIFY_DELIVERY_KINDS_H_

#include <optional>
#include <string_view>

#include "booking/domain_event.h"

namespace slotbook::server::delivery {

// Channels.
inline constexpr std::string_view kEmail = "email";
inline constexpr std::string_view kSms = "sms";
inline constexpr std::string_view kWebhook = "webhook";
// A booking mirrored into a connected calendar, or its Zoom meeting (calendars/).
inline constexpr std::string_view kCalendar = "calendar";
inline constexpr std::string_view kMeeting = "meeting";

// Statuses: pending until sent, failed for good, or cancelled (a reminder of a booking
// that moved or was cancelled).
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kSent = "sent";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kCancelled = "cancelled";

// Recipients besides webhook ids.
inline constexpr std::string_view kPatient = "patient";
inline constexpr std::string_view kClinic = "clinic";
inline constexpr std::string_view kZoom = "zoom";  // the recipient of meeting jobs

// The purpose of a reminder; other deliveries carry their event's type.
inline constexpr std::string_view kReminder = "reminder";

}  // namespace slotbook::server::delivery

namespace slotbook::server {

// The webhook event type an event is published as (docs/webhooks.md), if any:
// booking.created, booking.rescheduled, booking.cancelled, booking.status_changed,
// booking.reminder_sent, clinic.updated.
std::optional<std::string_view> webhook_type(EventKind kind);
// Whether `type` is one of those.
bool is_webhook_type(std::string_view type);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_DELIVERY_KINDS_H_
