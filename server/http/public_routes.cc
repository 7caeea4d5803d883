#include "http/public_routes.h"

#include "booking/booking_view.h"
#include "http/compression.h"
#include "http/cors.h"
#include "http/refusal_view.h"
#include "http/request_fields.h"
#include "http/responses.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

// The answer to a booking decision; the same bytes are stored for an Idempotency-Key.
StoredReply render_booking(const BookingDecision& decision) {
  if (decision.refusal != Refusal::kNone) {
    return {refusal_status(decision.refusal), refusal_body(decision.refusal).dump()};
  }
  Json body = {{"booking", patient_booking_json(decision.booking, *decision.clinic,
                                                decision.manage_token, true, false)}};
  return {201, body.dump()};
}

void get_snapshot(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  auto prepared = app.snapshots.get(req.matches[1]);
  if (!prepared.ok()) return send_failure(res, prepared.error());
  res.set_header("Cache-Control", "no-cache");
  send_prepared_body(req, res, **prepared, "application/json");
}

void get_clinic(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  auto clinic = app.queries.clinic(req.matches[1].str());
  if (!clinic.ok()) return send_failure(res, clinic.error());
  const Snapshot& s = (*clinic)->checked();
  Json types = Json::array();
  for (const AppointmentType& t : s.appointment_types) {
    types.push_back({{"id", t.id},
                     {"name", t.name.empty() ? t.id : t.name},
                     {"duration_minutes", t.duration_minutes}});
  }
  Json practitioners = Json::array();
  for (const Practitioner& p : s.practitioners) {
    Json offered = Json::array();
    for (const std::string& type : p.appointment_types) {
      if (s.find_type(type)) offered.push_back(type);
    }
    practitioners.push_back({{"id", p.id},
                             {"name", p.name.empty() ? p.id : p.name},
                             {"appointment_types", std::move(offered)}});
  }
  send_json(res, 200,
            Json{{"clinic",
                  {{"id", s.clinic_id},
                   {"name", s.clinic_name.empty() ? s.clinic_id : s.clinic_name},
                   {"timezone", (*clinic)->timezone()}}},
                 {"appointment_types", std::move(types)},
                 {"practitioners", std::move(practitioners)}});
}

void post_booking(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  if (!within_booking_rate_limit(app, req, res)) return;
  nlohmann::json body;
  if (!parse_json_object_body(req, res, &body)) return;
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  NewBooking booking;
  booking.source = "widget";
  booking.actor = Actor::patient();
  auto clinic_id = fields.text("clinic_id", true, kMaxText);
  auto type = fields.text("appointment_type", true, kMaxText);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto start = fields.instant("start", true);
  if (const nlohmann::json* patient = fields.object("patient", true)) {
    FieldReader p(*patient, "patient.", &errors);
    auto name = p.text("name", true, kMaxText);
    auto email = p.text("email", false, kMaxText);
    auto phone = p.text("phone", false, kMaxPhone);
    auto language = p.text("language", false, kMaxLanguageTag);
    auto sms_opt_in = p.boolean("sms_opt_in", false);
    if (sms_opt_in.value_or(false) && (!phone || phone->empty())) {
      p.fail("phone", "a phone number is needed for text messages", "missing");
    }
    if (language && !language->empty() && !is_language_tag(*language)) {
      p.fail("language", "must be a BCP 47 language tag, e.g. en or es-MX");
    }
    if (email && !email->empty() && !looks_like_email(*email)) {
      p.fail("email", "must be an email address");
    }
    const bool has_contact = (email && !email->empty()) || (phone && !phone->empty());
    if (!has_contact) {
      p.fail("email", "an email address or a phone number is required", "missing");
    }
    booking.patient = {name.value_or(""),     email.value_or(""),        phone.value_or(""), "",
                       language.value_or(""), sms_opt_in.value_or(false)};
  }
  auto notes = fields.text("notes", false, kMaxNotes);
  // A SMART Scheduling Links deep link's referral (docs/smart-scheduling-links.md).
  std::optional<std::string> referral_source, booking_referral;
  if (const nlohmann::json* referral = fields.object("referral", false)) {
    FieldReader r(*referral, "referral.", &errors);
    referral_source = r.text("source", false, kMaxReferral);
    booking_referral = r.text("booking_referral", false, kMaxReferral);
  }
  auto hold_id = fields.text("hold_id", false, kMaxText);
  auto hold_token = fields.text("hold_token", false, kMaxText);
  if (hold_id.has_value() != hold_token.has_value()) {
    fields.fail(hold_id ? "hold_token" : "hold_id", "hold_id and hold_token go together",
                "missing");
  }
  if (const auto answers = body.find("answers"); answers != body.end()) {
    if (!answers->is_object() && !answers->is_null()) {
      fields.fail("answers", "must be an object of question ids to answers", "type_error");
    } else {
      booking.answers = *answers;
    }
  }
  std::string idempotency_key = req.get_header_value("Idempotency-Key");
  if (utf8_length(idempotency_key) > kMaxText) {
    errors.push_back({"Idempotency-Key", "must be at most 255 characters", "value_error"});
  }
  if (!errors.empty()) return send_field_errors(res, errors);

  booking.clinic_id = *clinic_id;
  booking.appointment_type = *type;
  booking.practitioner_id = practitioner.value_or("any");
  booking.start = *start;
  booking.notes = notes.value_or("");
  booking.referral_source = referral_source.value_or("");
  booking.booking_referral = booking_referral.value_or("");
  booking.hold = {hold_id.value_or(""), hold_token.value_or("")};

  IdempotentRequest idempotent;
  if (!idempotency_key.empty()) {
    idempotent.key = idempotency_key;
    idempotent.request_hash = sha256_hex(req.body);
    idempotent.client = req.remote_addr;
    idempotent.render = render_booking;
  }
  auto result = app.bookings.book(booking, idempotency_key.empty() ? nullptr : &idempotent);
  if (!result.ok()) {
    const Failure& failure = result.error();
    if (failure.kind == FailureKind::kNotFound) {
      return send_error(res, 404, "not_found", failure.message);
    }
    if (failure.code == "invalid_phone") {
      return send_field_errors(res, {{"patient.phone", failure.message, "value_error"}});
    }
    return send_failure(res, failure);
  }
  if (!result->answer_problems.empty()) {
    return send_field_errors(res, answer_field_errors(result->answer_problems));
  }
  StoredReply reply = result->replay ? *result->replay : render_booking(result->decision);
  res.status = reply.status;
  res.set_header("Cache-Control", "no-store");  // the answer carries the manage token
  res.set_content(std::move(reply.body), "application/json");
}

}  // namespace

bool within_booking_rate_limit(AppContext& app, const Request& req, Response& res) {
  const int wait = app.booking_rate_limiter.acquire(req.remote_addr);
  if (wait == 0) return true;
  res.set_header("Retry-After", std::to_string(wait));
  send_error(res, 429, "rate_limited", "too many booking requests; retry later");
  return false;
}

void register_public_routes(Router& server, AppContext& app) {
  server.Get(R"(/api/v1/clinics/([^/]+)/snapshot)",
             [&app](const Request& req, Response& res) { get_snapshot(app, req, res); });
  server.Get(R"(/api/v1/clinics/([^/]+))",
             [&app](const Request& req, Response& res) { get_clinic(app, req, res); });
  server.Post("/api/v1/bookings",
              [&app](const Request& req, Response& res) { post_booking(app, req, res); });
  server.Options(R"(/api/v1/.*)", [&app](const Request& req, Response& res) {
    answer_preflight(req, res, app.settings.allowed_origins);
  });
}

}  // namespace slotbook::server
