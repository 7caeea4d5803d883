// Which deliveries a domain event makes (docs/notifications.md). Pure: the same event,
// clinic, channels, webhooks and `now` always make the same deliveries, with dedupe keys
// that make a second dispatch of one event add nothing.
//
// - booking.created / rescheduled / cancelled: a message to the patient by email (when
//   the booking has an address) and by SMS (when the patient agreed to texts), one to
//   the clinic's front desk (notifications.clinic_email), and, for created and
//   rescheduled, the clinic's reminders for the booking's start: each rule's channels,
//   due before_minutes before the start, skipped when already due at the event (the
//   confirmation covers it). A reschedule or cancellation also cancels the reminders
//   made for another start (the dispatcher does that: cancels_reminders()).
// - booking.reminder_requested: a reminder now on every channel the patient can be
//   reached on.
// - every event with a webhook type: one POST per enabled webhook subscribed to it.
#ifndef SLOTBOOK_SERVER_NOTIFY_DELIVERY_PLAN_H_
#define SLOTBOOK_SERVER_NOTIFY_DELIVERY_PLAN_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "booking/clinic_config.h"
#include "booking/domain_event.h"
#include "storage/records.h"

namespace slotbook::server {

// What this server can send on (configured at start).
struct DeliveryChannels {
  bool email = false;  // --smtp-url
  bool sms = false;    // --sms-from with Twilio credentials
};

// `clinic` may be null (a clinic event of a clinic since gone): only webhooks then.
std::vector<DeliveryRecord> plan_deliveries(const DomainEvent& event, std::int64_t position,
                                            const ClinicConfig* clinic,
                                            const DeliveryChannels& channels,
                                            const std::vector<WebhookRecord>& webhooks,
                                            UtcSeconds now);

// The jobs that mirror the event's booking outside (calendars/calendar_writeback.h), for
// every event that changes what a calendar shows (created, rescheduled, cancelled, status
// changed, details updated, meeting link arrived):
// - channel "calendar", recipient a connection id: one per connected Google or Microsoft
//   calendar of the booking's practitioner before and after the change (`connections`
//   are theirs; ICS subscriptions and broken connections are skipped);
// - channel "meeting", recipient "zoom": when the booking is or was a Zoom meeting and
//   `zoom` (the server has Zoom credentials); not for the link's own arrival.
// Each job converges the outside copy to the booking as it is when it runs, so their
// order does not matter and a repeated one does nothing new.
std::vector<DeliveryRecord> plan_mirror_jobs(
    const DomainEvent& event, std::int64_t position,
    const std::vector<CalendarConnectionRecord>& connections, bool zoom, UtcSeconds now);

// Reminders of the event's booking that must go (the dispatcher cancels them): all of
// them for a cancellation or a status that no longer occupies time; those for another
// start after a reschedule. nullopt: none. The value is the start to keep (none: keep
// none).
struct ReminderCancellation {
  std::optional<UtcSeconds> keep_for;
};
std::optional<ReminderCancellation> cancels_reminders(const DomainEvent& event);

// Whether plan_deliveries sends `booking`'s patient an SMS for an event of `kind`: the
// seed-000 answers' `sms_sent`, decided by the rule that makes the delivery.
bool patient_gets_sms(EventKind kind, const BookingRecord& booking,
                      const DeliveryChannels& channels);

// The reminder a reminder delivery is one channel of (its email and its SMS share it):
// the booking's reminder_sent_at and the booking.reminder_sent event are one per reminder.
std::string reminder_of(const DeliveryRecord& reminder);

// A new delivery id: "dlv_" + 24 lower-case hex digits (the creation time, then random).
std::string new_delivery_id();

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_DELIVERY_PLAN_H_
