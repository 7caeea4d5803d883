#include "notify/delivery_plan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "notify/delivery_kinds.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

bool tells_patient(EventKind kind) {
  return kind == EventKind::kBookingCreated || kind == EventKind::kBookingRescheduled ||
         kind == EventKind::kBookingCancelled;
}

bool schedules_reminders(EventKind kind) {
  return kind == EventKind::kBookingCreated || kind == EventKind::kBookingRescheduled;
}

DeliveryRecord pending(const DomainEvent& event, std::int64_t position, std::string_view channel,
                       std::string_view purpose, std::string recipient, UtcSeconds now) {
  DeliveryRecord d;
  d.id = new_delivery_id();
  d.clinic_id = event.clinic_id;
  d.booking_id = event.booking_id();
  d.outbox_position = position;
  d.channel = channel;
  d.purpose = purpose;
  d.recipient = std::move(recipient);
  d.status = delivery::kPending;
  d.next_attempt_at = now;
  d.lease_until = UtcSeconds{};
  d.dedupe_key = event.id + ":" + d.channel + ":" + d.recipient;
  d.created_at = d.updated_at = now;
  return d;
}

bool subscribed(const WebhookRecord& webhook, const DomainEvent& event, std::string_view type) {
  if (webhook.disabled_at) return false;
  if (!webhook.clinic_id.empty() && webhook.clinic_id != event.clinic_id) return false;
  const auto events = nlohmann::json::parse(webhook.events_json, nullptr, false);
  if (!events.is_array()) return false;
  return std::any_of(events.begin(), events.end(),
                     [&](const nlohmann::json& e) { return e.is_string() && e == type; });
}

// A reminder delivery's dedupe key: the reminder's, then the channel (reminder_of).
std::string reminder_key(const std::string& reminder, std::string_view channel) {
  return reminder + ":" + std::string(channel);
}

void add_reminders(const DomainEvent& event, std::int64_t position, const BookingRecord& b,
                   const ClinicConfig& clinic, const DeliveryChannels& channels, UtcSeconds now,
                   std::vector<DeliveryRecord>& out) {
  for (const ReminderRule& rule : clinic.notifications().reminders) {
    const UtcSeconds due = b.start_utc - std::chrono::minutes(rule.before_minutes);
    if (due <= event.occurred_at) continue;  // the confirmation covers it
    auto add = [&](std::string_view channel) {
      DeliveryRecord d = pending(event, position, channel, delivery::kReminder,
                                 std::string(delivery::kPatient), now);
      d.outbox_position = 0;  // a reminder tells of the booking as it is when it goes
      d.next_attempt_at = due;
      d.reminder_for = b.start_utc;
      // Per event: a booking moved away and back gets its reminders again.
      d.dedupe_key =
          reminder_key(event.id + ":reminder:" + std::to_string(rule.before_minutes), d.channel);
      out.push_back(std::move(d));
    };
    if (rule.email && channels.email && !b.patient_email.empty()) add(delivery::kEmail);
    if (rule.sms && channels.sms && b.sms_opt_in && !b.patient_phone.empty()) {
      add(delivery::kSms);
    }
  }
}

}  // namespace

std::string reminder_of(const DeliveryRecord& reminder) {
  return reminder.dedupe_key.substr(0, reminder.dedupe_key.rfind(':'));
}

std::string new_delivery_id() {
  // Time first (milliseconds, 11 hex digits), then 13 random ones: new ids land at the end
  // of the primary key's index instead of anywhere in it, which keeps dispatching cheap.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%011llx",
                static_cast<unsigned long long>(ms) & 0xfffffffffffULL);
  return "dlv_" + std::string(prefix) + random_code("0123456789abcdef", 13);
}

bool patient_gets_sms(EventKind kind, const BookingRecord& booking,
                      const DeliveryChannels& channels) {
  const bool reaches = channels.sms && booking.sms_opt_in && !booking.patient_phone.empty();
  return reaches && (tells_patient(kind) || kind == EventKind::kBookingReminderRequested ||
                     kind == EventKind::kBookingConfirmationRequested);
}

std::vector<DeliveryRecord> plan_deliveries(const DomainEvent& event, std::int64_t position,
                                            const ClinicConfig* clinic,
                                            const DeliveryChannels& channels,
                                            const std::vector<WebhookRecord>& webhooks,
                                            UtcSeconds now) {
  std::vector<DeliveryRecord> out;
  const std::string type(to_string(event.kind));
  if (event.after && clinic) {
    const BookingRecord& b = *event.after;
    const bool reminder_now = event.kind == EventKind::kBookingReminderRequested;
    // A confirmation sent again is the confirmation, as the booking is now.
    const bool resend = event.kind == EventKind::kBookingConfirmationRequested;
    const std::string_view purpose = reminder_now ? delivery::kReminder
                                     : resend     ? to_string(EventKind::kBookingCreated)
                                                  : std::string_view(type);
    // A video link that came after the confirmation follows on its own.
    if (event.kind == EventKind::kBookingMeetingReady && is_active(b.status) &&
        !b.meeting_url.empty() && channels.email && !b.patient_email.empty()) {
      out.push_back(
          pending(event, position, delivery::kEmail, type, std::string(delivery::kPatient), now));
    }
    if (event.kind == EventKind::kBookingMeetingReady && is_active(b.status) &&
        !b.meeting_url.empty() && channels.sms && b.sms_opt_in && !b.patient_phone.empty()) {
      out.push_back(
          pending(event, position, delivery::kSms, type, std::string(delivery::kPatient), now));
    }
    if (tells_patient(event.kind) || reminder_now || (resend && is_active(b.status))) {
      if (channels.email && !b.patient_email.empty()) {
        out.push_back(pending(event, position, delivery::kEmail, purpose,
                              std::string(delivery::kPatient), now));
      }
      if (patient_gets_sms(event.kind, b, channels)) {
        out.push_back(pending(event, position, delivery::kSms, purpose,
                              std::string(delivery::kPatient), now));
      }
    }
    if (reminder_now) {
      for (DeliveryRecord& d : out) {
        d.reminder_for = b.start_utc;
        d.dedupe_key = reminder_key(event.id + ":reminder:now", d.channel);
      }
    }
    if (tells_patient(event.kind) && channels.email &&
        !clinic->notifications().clinic_email.empty()) {
      out.push_back(
          pending(event, position, delivery::kEmail, type, std::string(delivery::kClinic), now));
    }
    if (schedules_reminders(event.kind) && is_active(b.status)) {
      add_reminders(event, position, b, *clinic, channels, now, out);
    }
  }
  if (const auto hook_type = webhook_type(event.kind)) {
    for (const WebhookRecord& webhook : webhooks) {
      if (!subscribed(webhook, event, *hook_type)) continue;
      out.push_back(pending(event, position, delivery::kWebhook, *hook_type, webhook.id, now));
    }
  }
  return out;
}

std::vector<DeliveryRecord> plan_mirror_jobs(
    const DomainEvent& event, std::int64_t position,
    const std::vector<CalendarConnectionRecord>& connections, bool zoom, UtcSeconds now) {
  std::vector<DeliveryRecord> out;
  if (!event.after) return out;
  const EventKind kind = event.kind;
  const bool mirrored =
      kind == EventKind::kBookingCreated || kind == EventKind::kBookingRescheduled ||
      kind == EventKind::kBookingCancelled || kind == EventKind::kBookingStatusChanged ||
      kind == EventKind::kBookingUpdated || kind == EventKind::kBookingMeetingReady;
  if (!mirrored) return out;
  const BookingRecord& after = *event.after;
  auto whose = [&](const std::string& practitioner_id) {
    return practitioner_id == after.practitioner_id ||
           (event.before && practitioner_id == event.before->practitioner_id);
  };
  for (const CalendarConnectionRecord& c : connections) {
    if (c.provider == "ics" || c.status != "connected" || !whose(c.practitioner_id)) continue;
    DeliveryRecord d = pending(event, position, delivery::kCalendar, to_string(kind), c.id, now);
    d.outbox_position = 0;  // the booking as it is when the job runs
    out.push_back(std::move(d));
  }
  const bool was_zoom = event.before && event.before->meeting_provider == "zoom";
  if (zoom && (after.meeting_provider == "zoom" || was_zoom) &&
      kind != EventKind::kBookingMeetingReady && kind != EventKind::kBookingUpdated) {
    DeliveryRecord d = pending(event, position, delivery::kMeeting, to_string(kind),
                               std::string(delivery::kZoom), now);
    d.outbox_position = 0;
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<ReminderCancellation> cancels_reminders(const DomainEvent& event) {
  if (!event.after) return std::nullopt;
  if (!is_active(event.after->status)) return ReminderCancellation{std::nullopt};
  if (event.kind == EventKind::kBookingRescheduled) {
    return ReminderCancellation{event.after->start_utc};
  }
  return std::nullopt;
}

}  // namespace slotbook::server
