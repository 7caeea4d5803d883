#include "http/calendly_routes.h"

#include "booking/booking_view.h"
#include "common/strict_json.h"
#include "http/cors.h"
#include "http/detail_dialect.h"
#include "http/public_routes.h"
#include "http/responses.h"

namespace slotbook::server {
namespace {

// The clinic asked for, in this dialect's words; nullptr after sending the error.
std::shared_ptr<const ClinicConfig> calendly_clinic(AppContext& app, const std::string& clinic_id,
                                                    Response& res) {
  auto clinic = app.queries.named_or_only_clinic(clinic_id);
  if (clinic.ok()) return *clinic;
  const Failure& failure = clinic.error();
  if (failure.code == "clinic_id_required") {
    send_detail(res, 400, "clinic_id is required: this server holds several clinics");
  } else if (failure.kind == FailureKind::kNotFound) {
    send_detail(res, 404, "Clinic not found");
  } else {
    send_failure(res, failure);
  }
  return nullptr;
}

// The type `text` names (id or display name); empty after sending the error.
std::string calendly_type(const ClinicConfig& clinic, const std::string& text, Response& res) {
  auto id = clinic.resolve_type(text);
  if (!id.ok()) {
    send_detail(res, 422, id.error().message);
    return "";
  }
  if (!clinic.checked().find_type(*id)) {
    send_detail(res, 404, "Unknown appointment type: " + text);
    return "";
  }
  return *id;
}

void availability(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  std::vector<FieldError> errors;
  std::optional<LocalDate> day;
  if (!req.has_param("date")) {
    errors.push_back({"date", "field required", "value_error.missing"});
  } else if (!(day = parse_strict_date(req.get_param_value("date")))) {
    errors.push_back({"date", "invalid date format", "value_error.date"});
  }
  if (!req.has_param("appointment_type")) {
    errors.push_back({"appointment_type", "field required", "value_error.missing"});
  }
  if (!errors.empty()) return send_validation(res, "query", errors);
  auto clinic = calendly_clinic(app, req.get_param_value("clinic_id"), res);
  if (!clinic) return;
  const std::string type_text = req.get_param_value("appointment_type");
  const std::string type_id = calendly_type(*clinic, type_text, res);
  if (type_id.empty()) return;

  AvailabilityRequest request;
  request.clinic_id = clinic->id();
  request.appointment_type = type_id;
  request.start_date = request.end_date = *day;
  auto listed = app.queries.availability(request);
  if (!listed.ok()) return send_failure(res, listed.error());
  const Availability& a = **listed;
  Json slots = Json::array();
  for (const SlotDay& slot_day : a.slots.days) {
    for (std::uint32_t i = slot_day.first_slot; i < slot_day.first_slot + slot_day.slot_count;
         ++i) {
      const Slot& slot = a.slots.slots[i];
      slots.push_back({{"start", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.start)))},
                       {"end", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.end)))}});
    }
  }
  send_json(res, 200,
            Json{{"date", format_date(*day)},
                 {"appointment_type", type_text},
                 {"duration_minutes", a.slots.type.duration_minutes},
                 {"available_slots", std::move(slots)}});
}

void book(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  if (!within_booking_rate_limit(app, req, res)) return;
  auto parsed = parse_strict_json(req.body);
  if (!parsed) {
    return send_validation(res, "body", {{"", "invalid JSON body", "value_error.jsondecode"}});
  }
  const nlohmann::json& body = *parsed;
  if (!body.is_object()) {
    return send_validation(res, "body", {{"", "must be a JSON object", "type_error.dict"}});
  }
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  auto name = fields.text("patient_name", true, kMaxText);
  auto type_text = fields.text("appointment_type", true, kMaxText);
  auto day = fields.date("date", true, "Invalid date format");
  auto start_time = fields.time_of_day("start_time", true, "Invalid time format");
  auto clinic_id = fields.text("clinic_id", false, kMaxText);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto email = fields.text("patient_email", false, kMaxText);
  if (email && !email->empty() && !looks_like_email(*email)) {
    fields.fail("patient_email", "value is not a valid email address");
  }
  auto phone = fields.text("patient_phone", false, kMaxPhone);
  auto notes = fields.text("notes", false, kMaxNotes);
  if (!errors.empty()) return send_validation(res, "body", errors);
  auto clinic = calendly_clinic(app, clinic_id.value_or(""), res);
  if (!clinic) return;
  const std::string type_id = calendly_type(*clinic, *type_text, res);
  if (type_id.empty()) return;

  const LocalTime local_start = LocalTime(*day) + std::chrono::minutes(*start_time);
  NewBooking booking;
  booking.clinic_id = clinic->id();
  booking.appointment_type = type_id;
  booking.practitioner_id = practitioner.value_or("any");
  const std::optional<Instant> start = clinic->wall_time(local_start);
  if (!start) {
    return send_validation(res, "body",
                           {{"start_time", clinic->skipped_wall_time_message(local_start),
                             "value_error.nonexistent_time"}});
  }
  booking.start = *start;
  booking.patient = {*name, email.value_or(""), phone.value_or(""), "", ""};
  booking.notes = notes.value_or("");
  booking.source = "calendly";
  booking.actor = Actor::patient();
  booking.issue_manage_token = false;  // the seed's answer has no place for one
  auto result = app.bookings.book(booking, nullptr);
  if (!result.ok()) return send_failure(res, result.error());
  const BookingDecision& d = result->decision;
  const std::string date_text = format_date(*day);
  const std::string time_text = format_hh_mm(local_start);
  if (d.refusal == Refusal::kConflict) {
    return send_detail(res, 409,
                       "Time slot " + time_text + " on " + date_text + " is already booked");
  }
  if (d.refusal != Refusal::kNone) {
    return send_booking_refusal(res, d.refusal, *d.clinic, date_text, time_text,
                                "No practitioner offers " + *type_text);
  }
  send_json(res, 200,
            Json{{"status", "confirmed"},
                 {"booking_id", d.booking.id},
                 {"message", "Appointment successfully booked"}});
}

}  // namespace

void register_calendly_routes(Router& server, AppContext& app) {
  server.Get("/api/calendly/availability",
             [&app](const Request& req, Response& res) { availability(app, req, res); });
  server.Post("/api/calendly/book",
              [&app](const Request& req, Response& res) { book(app, req, res); });
  server.Options(R"(/api/calendly/.*)", [&app](const Request& req, Response& res) {
    answer_preflight(req, res, app.settings.allowed_origins);
  });
}

}  // namespace slotbook::server
