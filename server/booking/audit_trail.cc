#include "booking/audit_trail.h"

#include "slotbook/time.h"
#include "storage/storage.h"

namespace slotbook::server {
namespace {

nlohmann::ordered_json optional_text(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

nlohmann::ordered_json audited_booking(const BookingRecord& b) {
  return {
      {"status", std::string(to_string(b.status))},
      {"start", format_instant(Instant(b.start_utc))},
      {"end", format_instant(Instant(b.end_utc))},
      {"practitioner_id", b.practitioner_id},
      {"appointment_type", b.appointment_type},
      {"notes", b.notes},
      {"cancel_reason", optional_text(b.cancel_reason)},
      {"meeting_provider", optional_text(b.meeting_provider)},
      {"reminder_sent_at",
       b.reminder_sent_at ? nlohmann::ordered_json(format_instant(Instant(*b.reminder_sent_at)))
                          : nlohmann::ordered_json()},
  };
}

nlohmann::ordered_json parsed_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::ordered_json() : parsed;
}

}  // namespace

AuditRecord booking_audit(const DomainEvent& event, const Actor& actor) {
  AuditRecord entry;
  entry.at = event.occurred_at;
  entry.actor_type = actor.type;
  entry.actor_id = actor.id;
  entry.actor_name = actor.name;
  entry.clinic_id = event.clinic_id;
  entry.action = std::string(to_string(event.kind));
  entry.target_type = "booking";
  entry.target_id = event.booking_id();
  if (event.before) entry.before_json = audited_booking(*event.before).dump();
  if (event.after) entry.after_json = audited_booking(*event.after).dump();
  return entry;
}

AuditRecord setting_audit(std::string action, std::string clinic_id, std::string target_type,
                          std::string target_id, const Actor& actor, std::string before_json,
                          std::string after_json, UtcSeconds at) {
  AuditRecord entry;
  entry.at = at;
  entry.actor_type = actor.type;
  entry.actor_id = actor.id;
  entry.actor_name = actor.name;
  entry.clinic_id = std::move(clinic_id);
  entry.action = std::move(action);
  entry.target_type = std::move(target_type);
  entry.target_id = std::move(target_id);
  entry.before_json = std::move(before_json);
  entry.after_json = std::move(after_json);
  return entry;
}

Status record_event(WriteTransaction& tx, const DomainEvent& event, const Actor& actor) {
  if (Status appended = tx.append_outbox(outbox_record(event)); !appended.ok()) return appended;
  if (is_busy_time_event(event.kind)) return Status();
  if (event.kind == EventKind::kClinicConfigChanged) return Status();  // put_clinic audits it
  return tx.append_audit(booking_audit(event, actor));
}

nlohmann::ordered_json audit_json(const AuditRecord& e) {
  return {
      {"id", e.id},
      {"at", format_instant(Instant(e.at))},
      {"actor",
       {{"type", e.actor_type}, {"id", optional_text(e.actor_id)}, {"name", e.actor_name}}},
      {"action", e.action},
      {"clinic_id", optional_text(e.clinic_id)},
      {"target_type", e.target_type},
      {"target_id", e.target_id},
      {"before", parsed_or_null(e.before_json)},
      {"after", parsed_or_null(e.after_json)},
  };
}

}  // namespace slotbook::server
