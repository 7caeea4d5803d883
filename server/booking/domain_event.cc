#include "booking/domain_event.h"

#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

std::string new_event_id() { return "evt_" + random_token(18); }

nlohmann::ordered_json optional_time(const std::optional<UtcSeconds>& time) {
  return time ? nlohmann::ordered_json(format_instant(Instant(*time))) : nullptr;
}

nlohmann::ordered_json booking_json(const BookingRecord& b) {
  return {
      {"id", b.id},
      {"clinic_id", b.clinic_id},
      {"practitioner_id", b.practitioner_id},
      {"appointment_type", b.appointment_type},
      {"start", format_instant(Instant(b.start_utc))},
      {"end", format_instant(Instant(b.end_utc))},
      {"status", to_string(b.status)},
      {"confirmation_number", b.confirmation_number},
      {"patient",
       {{"id",
         b.patient_id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(b.patient_id)},
        {"name", b.patient_name},
        {"email", b.patient_email},
        {"phone", b.patient_phone},
        {"language", b.patient_language.empty() ? nlohmann::ordered_json()
                                                : nlohmann::ordered_json(b.patient_language)}}},
      {"notes", b.notes},
      {"source", b.source},
      {"external_reference_id", b.external_reference_id},
      {"sequence", b.sequence},
      {"cancel_reason", b.cancel_reason},
      {"cancelled_at", optional_time(b.cancelled_at)},
      {"reminder_sent_at", optional_time(b.reminder_sent_at)},
      {"created_at", format_instant(Instant(b.created_at))},
      {"updated_at", format_instant(Instant(b.updated_at))},
  };
}

}  // namespace

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::kBookingCreated:
      return "booking.created";
    case EventKind::kBookingRescheduled:
      return "booking.rescheduled";
    case EventKind::kBookingCancelled:
      return "booking.cancelled";
    case EventKind::kBookingStatusChanged:
      return "booking.status_changed";
    case EventKind::kBookingReminderMarked:
      return "booking.reminder_marked";
    case EventKind::kBookingUpdated:
      return "booking.updated";
    case EventKind::kClinicConfigChanged:
      return "clinic.config_changed";
  }
  return "";
}

const std::string& DomainEvent::booking_id() const {
  static const std::string kNone;
  return after ? after->id : kNone;
}

DomainEvent booking_event(EventKind kind, std::optional<BookingRecord> before, BookingRecord after,
                          UtcSeconds now) {
  DomainEvent event;
  event.id = new_event_id();
  event.kind = kind;
  event.clinic_id = after.clinic_id;
  event.occurred_at = now;
  event.before = std::move(before);
  event.after = std::move(after);
  return event;
}

DomainEvent clinic_config_event(std::string clinic_id, std::int64_t version_before,
                                std::int64_t version_after, UtcSeconds now) {
  DomainEvent event;
  event.id = new_event_id();
  event.kind = EventKind::kClinicConfigChanged;
  event.clinic_id = std::move(clinic_id);
  event.occurred_at = now;
  event.config_version_before = version_before;
  event.config_version_after = version_after;
  return event;
}

std::optional<EventKind> classify_change(const BookingRecord& before, const BookingRecord& after) {
  if (after.status != before.status) {
    return after.status == BookingStatus::kCancelled ? EventKind::kBookingCancelled
                                                     : EventKind::kBookingStatusChanged;
  }
  if (after.start_utc != before.start_utc || after.end_utc != before.end_utc ||
      after.practitioner_id != before.practitioner_id ||
      after.appointment_type != before.appointment_type) {
    return EventKind::kBookingRescheduled;
  }
  if (after.reminder_sent_at != before.reminder_sent_at) return EventKind::kBookingReminderMarked;
  if (after.notes != before.notes) return EventKind::kBookingUpdated;
  return std::nullopt;
}

nlohmann::ordered_json event_json(const DomainEvent& event) {
  nlohmann::ordered_json out = {
      {"id", event.id},
      {"type", to_string(event.kind)},
      {"clinic_id", event.clinic_id},
      {"occurred_at", format_instant(Instant(event.occurred_at))},
  };
  if (event.kind == EventKind::kClinicConfigChanged) {
    out["config_version_before"] = event.config_version_before;
    out["config_version_after"] = event.config_version_after;
  } else {
    out["booking_id"] = event.booking_id();
    out["before"] = event.before ? booking_json(*event.before) : nullptr;
    out["after"] = event.after ? booking_json(*event.after) : nullptr;
  }
  return out;
}

void EventBus::subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }

void EventBus::publish(const std::vector<DomainEvent>& events) const {
  for (const DomainEvent& event : events) {
    for (const Subscriber& subscriber : subscribers_) subscriber(event);
  }
}

}  // namespace slotbook::server
