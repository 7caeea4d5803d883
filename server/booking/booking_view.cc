#include "booking/booking_view.h"

#include "common/clock.h"

namespace slotbook::server {

std::string local_date_text(const ClinicConfig& clinic, UtcSeconds time) {
  return format_date(date::floor<date::days>(clinic.checked().zone.to_local(Instant(time))));
}

std::string local_time_text(const ClinicConfig& clinic, UtcSeconds time) {
  return format_hh_mm(clinic.checked().zone.to_local(Instant(time)));
}

std::string instant_text(UtcSeconds time) { return format_instant(Instant(time)); }

Json optional_instant_json(const std::optional<UtcSeconds>& time) {
  return time ? Json(instant_text(*time)) : Json(nullptr);
}

std::string clinic_display_name(const ClinicConfig& clinic) {
  const std::string& name = clinic.checked().clinic_name;
  return name.empty() ? clinic.id() : name;
}

std::string type_display_name(const BookingRecord& booking, const ClinicConfig& clinic,
                              std::string_view language) {
  return booking.appointment_type.empty() ? std::string("Appointment")
                                          : clinic.type_name(booking.appointment_type, language);
}

std::int64_t duration_minutes(const BookingRecord& booking) {
  return std::chrono::duration_cast<std::chrono::minutes>(booking.end_utc - booking.start_utc)
      .count();
}

Json patient_booking_json(const BookingRecord& b, const ClinicConfig& clinic,
                          std::string_view token, bool show_token, bool show_patient) {
  const std::string t(token);
  Json out = {
      {"id", b.id},
      {"status", to_string(b.status)},
      {"confirmation_number", b.confirmation_number},
      {"clinic_id", b.clinic_id},
      {"appointment_type", b.appointment_type},
      {"practitioner_id", b.practitioner_id},
      {"practitioner_name", clinic.practitioner_name(b.practitioner_id, b.patient_language)},
      {"start", instant_text(b.start_utc)},
      {"end", instant_text(b.end_utc)},
      {"timezone", clinic.timezone()},
      {"answers", answers_view(b.answers_json, b.patient_language)},
  };
  if (show_token) out["manage_token"] = t;
  out["manage_url"] = "/manage?booking=" + b.id + "&token=" + t;
  out["ics_url"] = "/api/v1/bookings/" + b.id + ".ics?token=" + t;
  if (Json meeting = meeting_json(b); !meeting.is_null()) out["meeting"] = std::move(meeting);
  if (show_patient) {
    out["patient"] = {{"name", b.patient_name},
                      {"email", b.patient_email},
                      {"phone", b.patient_phone},
                      {"language", b.patient_language.empty() ? Json() : Json(b.patient_language)}};
    out["notes"] = b.notes;
    out["appointment_type_name"] = clinic.type_name(b.appointment_type, b.patient_language);
    out["local_date"] = local_date_text(clinic, b.start_utc);
    out["local_time"] = local_time_text(clinic, b.start_utc);
  }
  return out;
}

Json manage_booking_json(const BookingRecord& b, const ClinicConfig& clinic, std::string_view token,
                         UtcSeconds now) {
  Json out = patient_booking_json(b, clinic, token, false, true);
  const ChangePolicy& policy = clinic.change_policy();
  out["can_change"] = policy.patient_may_change(b, now);
  out["change_deadline"] = instant_text(policy.deadline(b));
  out["clinic_phone"] = policy.phone.empty() ? Json() : Json(policy.phone);
  return out;
}

Json referral_json(const BookingRecord& b) {
  if (b.referral_source.empty() && b.booking_referral.empty()) return nullptr;
  auto text = [](const std::string& value) { return value.empty() ? Json() : Json(value); };
  return {{"source", text(b.referral_source)}, {"booking_referral", text(b.booking_referral)}};
}

Json staff_appointment_json(const BookingRecord& b, const ClinicConfig& clinic) {
  return Json{
      {"id", b.id},
      {"calendar_event_id", b.id},
      {"clinic_id", b.clinic_id},
      {"confirmation_number", b.confirmation_number},
      {"patient_id", b.patient_id.empty() ? Json(nullptr) : Json(b.patient_id)},
      {"patient_name", b.patient_name},
      {"patient_email", b.patient_email},
      {"patient_phone", b.patient_phone},
      {"date", local_date_text(clinic, b.start_utc)},
      {"time", local_time_text(clinic, b.start_utc)},
      {"duration_minutes", duration_minutes(b)},
      {"type", type_display_name(b, clinic)},
      {"appointment_type", b.appointment_type},
      {"practitioner_id", b.practitioner_id},
      {"practitioner_name", clinic.practitioner_name(b.practitioner_id)},
      {"start", instant_text(b.start_utc)},
      {"end", instant_text(b.end_utc)},
      {"timezone", clinic.timezone()},
      {"notes", b.notes},
      {"answers", answers_view(b.answers_json, "")},
      {"status", to_string(b.status)},
      {"source", b.source},
      {"referral", referral_json(b)},
      {"external_reference_id",
       b.external_reference_id.empty() ? Json(nullptr) : Json(b.external_reference_id)},
      {"reminder_sent", b.reminder_sent_at.has_value()},
      {"reminder_sent_at", optional_instant_json(b.reminder_sent_at)},
      {"cancel_reason", b.cancel_reason.empty() ? Json(nullptr) : Json(b.cancel_reason)},
      {"cancelled_at", optional_instant_json(b.cancelled_at)},
      {"sequence", b.sequence},
      {"meeting", meeting_json(b)},
      {"created_at", instant_text(b.created_at)},
      {"updated_at", instant_text(b.updated_at)},
  };
}

Json meeting_json(const BookingRecord& b) {
  if (b.meeting_provider.empty()) return Json();
  return Json{{"provider", b.meeting_provider},
              {"join_url", b.meeting_url.empty() ? Json() : Json(b.meeting_url)}};
}

}  // namespace slotbook::server
