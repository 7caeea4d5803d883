#include "notify/message_builder.h"

#include "booking/intake_questions.h"

#include "booking/booking_view.h"
#include "ics/ics_calendar.h"
#include "notify/delivery_kinds.h"
#include "notify/local_time_text.h"
#include "notify/sms_text.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

// The template that tells `recipient` of `purpose`.
std::string template_name(std::string_view purpose, std::string_view recipient) {
  const bool clinic = recipient == delivery::kClinic;
  if (purpose == delivery::kReminder) return "booking_reminder";
  if (purpose == "booking.created") return clinic ? "clinic_booking_created" : "booking_confirmed";
  if (purpose == "booking.rescheduled") {
    return clinic ? "clinic_booking_rescheduled" : "booking_rescheduled";
  }
  if (purpose == "booking.meeting_ready") return "booking_meeting";
  return clinic ? "clinic_booking_cancelled" : "booking_cancelled";
}

// The part of a mail domain Message-IDs are made under: --mail-from's domain.
std::string mail_domain(const Mailbox& from) {
  const auto at = from.address.rfind('@');
  return at == std::string::npos ? "slotbook.invalid" : from.address.substr(at + 1);
}

// A name as one line: whatever control characters it holds (a CR or LF typed into a
// form) become spaces, so no header, iCalendar parameter or SMS breaks over them.
std::string single_line(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

LocalTimeText when(const ClinicConfig& clinic, UtcSeconds time, std::string_view language) {
  const LocalTime local = clinic.checked().zone.to_local(Instant(time));
  return local_time_text(date::floor<std::chrono::seconds>(local), language);
}

}  // namespace

MessageBuilder::ManageLinks MessageBuilder::manage_links(const BookingRecord& booking,
                                                         const std::string& sealed_token) const {
  if (sealed_token.empty() || settings_.server_key.empty()) return {};
  const auto sealed = from_base64(sealed_token);
  if (!sealed) return {};
  const auto token = open_sealed(settings_.server_key, *sealed);
  if (!token) return {};  // sealed under another key: the link cannot be rebuilt
  return {settings_.public_url + "/manage?booking=" + booking.id + "&token=" + *token,
          settings_.public_url + "/m?t=" + *token};
}

nlohmann::json MessageBuilder::context(const MessageSubject& subject, std::string_view language,
                                       bool for_clinic) const {
  const BookingRecord& b = subject.booking;
  const ClinicConfig& clinic = *subject.clinic;
  const LocalTimeText start = when(clinic, b.start_utc, language);
  // The manage token is the patient's: the front desk's messages never carry it (staff
  // have the staff API).
  const ManageLinks links =
      for_clinic ? ManageLinks{} : manage_links(b, subject.manage_token_sealed);
  nlohmann::json data = {
      {"clinic_name", clinic_display_name(clinic)},
      {"patient_name", single_line(b.patient_name)},
      {"practitioner_name", clinic.practitioner_name(b.practitioner_id, language)},
      {"appointment_type_name", type_display_name(b, clinic, language)},
      {"date", start.date},
      {"date_short", start.date_short},
      {"time", start.time},
      {"timezone", clinic.timezone()},
      {"duration_minutes", std::to_string(duration_minutes(b))},
      {"confirmation_number", b.confirmation_number},
      {"manage_url", links.full},
      {"manage_short_url", links.short_link},
      {"cancel_reason", b.cancel_reason},
      {"patient_email", b.patient_email},
      {"patient_phone", b.patient_phone},
      {"notes", b.notes},
      {"source", b.source},
      {"meeting_url", b.meeting_url},
      // A video appointment whose link the provider has yet to make: it follows by email.
      {"meeting_pending", !b.meeting_provider.empty() && b.meeting_url.empty() ? "yes" : ""},
  };
  // The change policy, for the patient messages that carry the manage link: a notice
  // of 0 is "until the start", which needs no line.
  const ChangePolicy& policy = clinic.change_policy();
  if (!for_clinic && policy.notice_minutes(b.appointment_type) > 0) {
    const LocalTimeText deadline = when(clinic, policy.deadline(b), language);
    data["change_deadline"] = deadline.date + ", " + deadline.time;
    data["clinic_phone"] = policy.phone;
  }
  if (for_clinic) {
    // The front desk reads the intake answers; the patient knows what they answered.
    nlohmann::json answers = nlohmann::json::array();
    for (const auto& answer : answers_view(b.answers_json, language)) {
      answers.push_back({{"label", answer["label"]}, {"text", answer["text"]}});
    }
    data["answers"] = std::move(answers);
  }
  if (subject.before) {
    const LocalTimeText previous = when(clinic, subject.before->start_utc, language);
    data["previous_date"] = previous.date;
    data["previous_time"] = previous.time;
  }
  return data;
}

Expected<MessageBuilder::Email> MessageBuilder::email(const DeliveryRecord& delivery,
                                                      const MessageSubject& subject,
                                                      UtcSeconds now) const {
  const BookingRecord& b = subject.booking;
  const ClinicConfig& clinic = *subject.clinic;
  const bool to_clinic = delivery.recipient == delivery::kClinic;
  // The front desk reads English; the patient the language they booked in.
  const std::string language = to_clinic ? "en" : templates_.resolve_language(b.patient_language);
  const std::string to = to_clinic ? clinic.notifications().clinic_email : b.patient_email;
  if (!is_mail_address(to)) {
    return invalid("invalid_recipient", "no valid email address to send to");
  }
  const nlohmann::json data = context(subject, language, to_clinic);
  const std::string name = template_name(delivery.purpose, delivery.recipient);
  EmailContent content;
  content.from = settings_.mail_from;
  content.to = Mailbox{data[to_clinic ? "clinic_name" : "patient_name"].get<std::string>(), to};
  for (auto [part, out] : {std::pair<const char*, std::string*>{"subject", &content.subject},
                           {"txt", &content.text},
                           {"html", &content.html}}) {
    auto rendered = templates_.render(clinic.id(), language, name, part, data);
    if (!rendered.ok()) return rendered.error();
    *out = std::move(*rendered);
  }
  if (!to_clinic) {
    const IcsInvite invite{settings_.mail_from.name, settings_.mail_from.address,
                           data["patient_name"].get<std::string>(), b.patient_email};
    content.calendar = booking_ics(b, clinic, now, &invite);
    content.calendar_method = b.status == BookingStatus::kCancelled ? "CANCEL" : "REQUEST";
  }
  content.message_id = delivery.id + "@" + mail_domain(settings_.mail_from);
  content.date = now;
  content.extra_headers = {{"X-Slotbook-Delivery", delivery.id}};
  auto message = compose_email(content);
  if (!message.ok()) return message.error();
  return Email{to, std::move(*message)};
}

Expected<std::string> MessageBuilder::sms(const DeliveryRecord& delivery,
                                          const MessageSubject& subject) const {
  const BookingRecord& b = subject.booking;
  const std::string language = templates_.resolve_language(b.patient_language);
  auto text = templates_.render(subject.clinic->id(), language,
                                template_name(delivery.purpose, delivery.recipient), "sms",
                                context(subject, language, false));
  if (!text.ok()) return text.error();
  return gsm7_where_possible(*text);
}

std::string webhook_body(std::string_view type, const DomainEvent& event,
                         const ClinicConfig* clinic) {
  nlohmann::ordered_json data;
  if (event.after && clinic) {
    data["booking"] = staff_appointment_json(*event.after, *clinic);
    // What it was before the change (null for a new booking), so a receiver sees a
    // reschedule's old time without keeping state.
    data["previous"] = event.before ? staff_appointment_json(*event.before, *clinic) : Json();
  } else if (event.after) {
    data["booking"] = {{"id", event.after->id}, {"clinic_id", event.after->clinic_id}};
  } else {
    data["clinic"] = {{"id", event.clinic_id},
                      {"config_version_before", event.config_version_before},
                      {"config_version_after", event.config_version_after}};
  }
  return nlohmann::ordered_json{
      {"type", type}, {"timestamp", format_instant(Instant(event.occurred_at))}, {"data", data}}
      .dump();
}

}  // namespace slotbook::server
