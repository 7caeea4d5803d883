#include "booking/domain_event.h"

#include <stdexcept>

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
                                                : nlohmann::ordered_json(b.patient_language)},
        {"sms_opt_in", b.sms_opt_in}}},
      {"answers", b.answers_json.empty() ? nlohmann::ordered_json::array()
                                         : nlohmann::ordered_json::parse(b.answers_json)},
      {"notes", b.notes},
      {"source", b.source},
      {"referral", {{"source", b.referral_source}, {"booking_referral", b.booking_referral}}},
      {"external_reference_id", b.external_reference_id},
      {"sequence", b.sequence},
      {"meeting_url",
       b.meeting_url.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(b.meeting_url)},
      {"meeting_provider", b.meeting_provider.empty() ? nlohmann::ordered_json()
                                                      : nlohmann::ordered_json(b.meeting_provider)},
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
    case EventKind::kBookingReminderRequested:
      return "booking.reminder_requested";
    case EventKind::kBookingReminderSent:
      return "booking.reminder_sent";
    case EventKind::kBookingConfirmationRequested:
      return "booking.confirmation_requested";
    case EventKind::kBookingUpdated:
      return "booking.updated";
    case EventKind::kBookingMeetingReady:
      return "booking.meeting_ready";
    case EventKind::kClinicConfigChanged:
      return "clinic.config_changed";
    case EventKind::kCalendarBusyChanged:
      return "calendar.busy_changed";
    case EventKind::kHoldChanged:
      return "hold.changed";
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

namespace {
DomainEvent busy_time_event(EventKind kind, std::string clinic_id, std::string practitioner_id,
                            UtcSeconds now) {
  DomainEvent event;
  event.id = new_event_id();
  event.kind = kind;
  event.clinic_id = std::move(clinic_id);
  event.occurred_at = now;
  event.practitioner_id = std::move(practitioner_id);
  return event;
}
}  // namespace

DomainEvent calendar_busy_event(std::string clinic_id, std::string practitioner_id,
                                UtcSeconds now) {
  return busy_time_event(EventKind::kCalendarBusyChanged, std::move(clinic_id),
                         std::move(practitioner_id), now);
}

DomainEvent hold_event(std::string clinic_id, std::string practitioner_id, UtcSeconds now) {
  return busy_time_event(EventKind::kHoldChanged, std::move(clinic_id), std::move(practitioner_id),
                         now);
}

std::vector<std::string> busy_time_touched(const DomainEvent& event) {
  if (event.kind == EventKind::kClinicConfigChanged) return {};
  if (is_busy_time_event(event.kind)) return {event.practitioner_id};
  std::vector<std::string> out;
  if (event.before) out.push_back(event.before->practitioner_id);
  if (event.after &&
      (!event.before || event.after->practitioner_id != event.before->practitioner_id)) {
    out.push_back(event.after->practitioner_id);
  }
  return out;
}

bool is_busy_time_event(EventKind kind) {
  return kind == EventKind::kCalendarBusyChanged || kind == EventKind::kHoldChanged;
}

std::optional<EventKind> classify_change(const BookingRecord& before, const BookingRecord& after) {
  // A cancellation says it all; a move is what the patient must hear of, even when a
  // staff edit changed the status with it (the event's `after` shows both).
  if (after.status != before.status && after.status == BookingStatus::kCancelled) {
    return EventKind::kBookingCancelled;
  }
  if (after.start_utc != before.start_utc || after.end_utc != before.end_utc ||
      after.practitioner_id != before.practitioner_id ||
      after.appointment_type != before.appointment_type) {
    return EventKind::kBookingRescheduled;
  }
  if (after.status != before.status) return EventKind::kBookingStatusChanged;
  if (after.reminder_sent_at != before.reminder_sent_at) return EventKind::kBookingReminderSent;
  if (after.meeting_url != before.meeting_url ||
      after.meeting_provider != before.meeting_provider) {
    return EventKind::kBookingMeetingReady;
  }
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
  } else if (is_busy_time_event(event.kind)) {
    out["practitioner_id"] = event.practitioner_id;
  } else {
    out["booking_id"] = event.booking_id();
    out["before"] = event.before ? booking_json(*event.before) : nullptr;
    out["after"] = event.after ? booking_json(*event.after) : nullptr;
  }
  return out;
}

namespace {

constexpr EventKind kAllEventKinds[] = {
    EventKind::kBookingCreated,
    EventKind::kBookingRescheduled,
    EventKind::kBookingCancelled,
    EventKind::kBookingStatusChanged,
    EventKind::kBookingReminderRequested,
    EventKind::kBookingReminderSent,
    EventKind::kBookingUpdated,
    EventKind::kBookingMeetingReady,
    EventKind::kClinicConfigChanged,
    EventKind::kCalendarBusyChanged,
    EventKind::kBookingConfirmationRequested,
    EventKind::kHoldChanged,
};

// The reading side of booking_json: throws nlohmann::json's exceptions on a wrong shape.
BookingRecord booking_from_json(const nlohmann::json& j) {
  auto instant = [](const nlohmann::json& text) -> UtcSeconds {
    auto parsed = parse_instant(text.get<std::string>());
    if (!parsed) throw std::invalid_argument("not an instant");
    return to_seconds(*parsed);
  };
  auto optional_instant = [&](const nlohmann::json& text) -> std::optional<UtcSeconds> {
    if (text.is_null()) return std::nullopt;
    return instant(text);
  };
  auto optional_text = [](const nlohmann::json& text) {
    return text.is_null() ? std::string() : text.get<std::string>();
  };
  BookingRecord b;
  b.id = j.at("id").get<std::string>();
  b.clinic_id = j.at("clinic_id").get<std::string>();
  b.practitioner_id = j.at("practitioner_id").get<std::string>();
  b.appointment_type = j.at("appointment_type").get<std::string>();
  b.start_utc = instant(j.at("start"));
  b.end_utc = instant(j.at("end"));
  auto status = parse_booking_status(j.at("status").get<std::string>());
  if (!status) throw std::invalid_argument("not a status");
  b.status = *status;
  b.confirmation_number = j.at("confirmation_number").get<std::string>();
  const nlohmann::json& patient = j.at("patient");
  b.patient_id = optional_text(patient.at("id"));
  b.patient_name = patient.at("name").get<std::string>();
  b.patient_email = patient.at("email").get<std::string>();
  b.patient_phone = patient.at("phone").get<std::string>();
  b.patient_language = optional_text(patient.value("language", nlohmann::json()));
  b.sms_opt_in = patient.value("sms_opt_in", false);
  if (const auto answers = j.find("answers"); answers != j.end() && !answers->empty()) {
    b.answers_json = answers->dump();
  }
  b.notes = j.at("notes").get<std::string>();
  b.source = j.at("source").get<std::string>();
  if (const auto referral = j.find("referral"); referral != j.end()) {  // absent before 15
    b.referral_source = referral->value("source", "");
    b.booking_referral = referral->value("booking_referral", "");
  }
  b.external_reference_id = j.at("external_reference_id").get<std::string>();
  b.sequence = j.at("sequence").get<int>();
  b.meeting_url = optional_text(j.value("meeting_url", nlohmann::json()));
  b.meeting_provider = optional_text(j.value("meeting_provider", nlohmann::json()));
  b.cancel_reason = j.at("cancel_reason").get<std::string>();
  b.cancelled_at = optional_instant(j.at("cancelled_at"));
  b.reminder_sent_at = optional_instant(j.at("reminder_sent_at"));
  b.created_at = instant(j.at("created_at"));
  b.updated_at = instant(j.at("updated_at"));
  return b;
}

}  // namespace

std::optional<EventKind> parse_event_kind(std::string_view text) {
  for (EventKind kind : kAllEventKinds) {
    if (to_string(kind) == text) return kind;
  }
  // Stored before the reminder events were split (issue 10): staff marked one as sent.
  if (text == "booking.reminder_marked") return EventKind::kBookingReminderSent;
  return std::nullopt;
}

Expected<DomainEvent> parse_event_json(std::string_view text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    DomainEvent event;
    event.id = j.at("id").get<std::string>();
    auto kind = parse_event_kind(j.at("type").get<std::string>());
    if (!kind) return storage_failure("outbox event of unknown type " + j.at("type").dump());
    event.kind = *kind;
    event.clinic_id = j.at("clinic_id").get<std::string>();
    auto occurred = parse_instant(j.at("occurred_at").get<std::string>());
    if (!occurred) return storage_failure("outbox event without a valid occurred_at");
    event.occurred_at = to_seconds(*occurred);
    if (event.kind == EventKind::kClinicConfigChanged) {
      event.config_version_before = j.at("config_version_before").get<std::int64_t>();
      event.config_version_after = j.at("config_version_after").get<std::int64_t>();
    } else if (is_busy_time_event(event.kind)) {
      event.practitioner_id = j.at("practitioner_id").get<std::string>();
    } else {
      if (!j.at("before").is_null()) event.before = booking_from_json(j.at("before"));
      event.after = booking_from_json(j.at("after"));
    }
    return event;
  } catch (const std::exception& e) {
    return storage_failure(std::string("outbox event does not parse: ") + e.what());
  }
}

OutboxRecord outbox_record(const DomainEvent& event) {
  OutboxRecord record;
  record.event_id = event.id;
  record.clinic_id = event.clinic_id;
  record.kind = std::string(to_string(event.kind));
  record.booking_id = event.booking_id();
  record.occurred_at = event.occurred_at;
  record.payload_json = event_json(event).dump();
  return record;
}

void EventBus::subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }

void EventBus::publish(const std::vector<DomainEvent>& events) const {
  for (const DomainEvent& event : events) {
    for (const Subscriber& subscriber : subscribers_) subscriber(event);
  }
}

}  // namespace slotbook::server
