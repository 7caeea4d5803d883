// /api/calendar/appointments: list, book, read, edit, cancel, remind, change status.
#include "http/staff/staff_dialect.h"

#include "booking/booking_view.h"

namespace slotbook::server {
namespace {

const char* const kStatusChoices =
    "must be one of pending, confirmed, completed, cancelled, no_show";

void list_appointments(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  auto int_param = [&](const char* name, int fallback, int min, int max) {
    if (!req.has_param(name)) return fallback;
    static const std::regex kInteger(R"(\d{1,6})");
    const std::string text = req.get_param_value(name);
    if (!std::regex_match(text, kInteger) || std::stoi(text) < min || std::stoi(text) > max) {
      errors.push_back(
          {name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
           "value_error"});
      return fallback;
    }
    return std::stoi(text);
  };
  UpcomingFilter filter;
  filter.days = int_param("days", 30, 1, 3660);
  filter.limit = int_param("limit", 50, 1, 100);
  filter.skip = int_param("skip", 0, 0, 1000000);
  if (req.has_param("status")) {
    filter.status = parse_booking_status(req.get_param_value("status"));
    if (!filter.status) {
      errors.push_back({"status", kStatusChoices, "value_error"});
    }
  }
  if (req.has_param("practitioner_id"))
    filter.practitioner_id = req.get_param_value("practitioner_id");
  if (call.principal.role == Role::kPractitioner) {
    filter.practitioner_id = call.principal.practitioner_id;  // their own schedule only
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  auto page = app.queries.upcoming(**clinic, filter);
  if (!page.ok()) return staff_failure(res, page.error());
  const std::vector<BookingRecord>& rows = page->bookings;
  Json appointments = Json::array();
  for (const BookingRecord& b : rows) appointments.push_back(staff_appointment_json(b, **clinic));
  send_json(res, 200,
            Json{{"success", true},
                 {"count", appointments.size()},
                 {"total", page->total},
                 {"skip", filter.skip},
                 {"limit", filter.limit},
                 {"appointments", std::move(appointments)}});
}

void create_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto patient_id = fields.text("patient_id", false, kMaxText);
  auto name = fields.text("patient_name", true, kMaxText);
  auto phone = fields.text("patient_phone", false, kMaxPhone);
  auto email = fields.text("patient_email", false, kMaxText);
  if (email && !email->empty() && !looks_like_email(*email)) {
    fields.fail("patient_email", "must be an email address");
  }
  auto sms_opt_in = fields.boolean("sms_opt_in", false);
  if (sms_opt_in.value_or(false) && (!phone || phone->empty())) {
    fields.fail("patient_phone", "a phone number is needed for text messages", "missing");
  }
  auto day = fields.date("date", true);
  auto time = fields.time_of_day("time", true);
  auto type = fields.text("appointment_type", true, kMaxText);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto notes = fields.text("notes", false, kMaxNotes);
  auto status_text = fields.text("status", false, 16);
  const auto status = status_text ? parse_booking_status(*status_text) : BookingStatus::kConfirmed;
  if (status != BookingStatus::kPending && status != BookingStatus::kConfirmed) {
    fields.fail("status", "a new appointment is pending or confirmed");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());

  auto type_id = (*clinic)->resolve_type(*type);
  if (!type_id.ok()) return staff_failure(res, type_id.error());

  NewBooking booking;
  booking.clinic_id = (*clinic)->id();
  booking.appointment_type = *type_id;
  booking.practitioner_id = practitioner.value_or("any");
  auto start = local_instant(res, **clinic, *day, *time);
  if (!start) return;
  booking.start = *start;
  booking.patient = {*name, email.value_or(""),        phone.value_or(""), patient_id.value_or(""),
                     "",    sms_opt_in.value_or(false)};
  booking.notes = notes.value_or("");
  booking.source = "staff";
  booking.status = *status;
  booking.actor = call.principal.actor;
  auto result = app.bookings.book(booking, nullptr);
  if (!result.ok() && result.error().code == "invalid_phone") {
    return staff_fields(res, {{"patient_phone", result.error().message, "value_error"}});
  }
  if (!result.ok()) return staff_failure(res, result.error());
  const BookingDecision& d = result->decision;
  if (d.refusal != Refusal::kNone) return staff_refusal(res, d.refusal, StaffAction::kBook);
  const BookingRecord& b = d.booking;
  const std::string date_text = local_date_text(*d.clinic, b.start_utc);
  const std::string time_text = local_time_text(*d.clinic, b.start_utc);
  send_json(res, 201,
            Json{{"success", true},
                 {"appointment_id", b.id},
                 {"calendar_event_id", b.id},
                 {"date", date_text},
                 {"time", time_text},
                 {"duration_minutes", duration_minutes(b)},
                 {"patient_id", b.patient_id.empty() ? Json(nullptr) : Json(b.patient_id)},
                 {"patient_name", b.patient_name},
                 {"practitioner_id", b.practitioner_id},
                 {"status", to_string(b.status)},
                 {"confirmation_number", b.confirmation_number},
                 {"manage_token", d.manage_token},
                 {"message", "Appointment confirmed for " + b.patient_name + " on " + date_text +
                                 " at " + time_text},
                 {"sms_sent", app.deliveries.patient_gets_sms(EventKind::kBookingCreated, b)}});
}

void get_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment", staff_appointment_json(found->booking, *found->clinic)}});
}

void update_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto day = fields.date("date", false);
  auto time = fields.time_of_day("time", false);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto type = fields.text("appointment_type", false, kMaxText);
  auto notes = fields.text("notes", false, kMaxNotes);
  auto status = fields.text("status", false, 16);
  if (status && !parse_booking_status(*status)) {
    fields.fail("status", kStatusChoices);
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  const BookingRecord& current = found->booking;
  const std::shared_ptr<const ClinicConfig>& clinic = found->clinic;

  RescheduleRequest change;
  change.notes = notes;
  change.practitioner_id = practitioner;
  if (type) {
    auto type_id = clinic->resolve_type(*type);
    if (!type_id.ok()) return staff_failure(res, type_id.error());
    change.appointment_type = *type_id;
  }
  if (day || time) {
    const LocalTime local = clinic->checked().zone.to_local(Instant(current.start_utc));
    const LocalDate current_day = date::floor<date::days>(local);
    const int current_minutes = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(local - current_day).count());
    change.start =
        local_instant(res, *clinic, day.value_or(current_day), time.value_or(current_minutes));
    if (!change.start) return;
  }
  change.actor = call.principal.actor;
  auto decision = app.bookings.update(current.id, change,
                                      status ? parse_booking_status(*status) : std::nullopt);
  if (!decision.ok()) return staff_failure(res, decision.error());
  if (decision->refusal != Refusal::kNone) {
    return staff_refusal(res, decision->refusal, StaffAction::kMove);
  }
  const BookingRecord& b = decision->booking;
  Json appointment = staff_appointment_json(b, *decision->clinic);
  appointment["message"] = b.start_utc != current.start_utc
                               ? "Appointment rescheduled to " +
                                     local_date_text(*decision->clinic, b.start_utc) + " at " +
                                     local_time_text(*decision->clinic, b.start_utc)
                               : std::string("Appointment updated");
  send_json(res, 200, Json{{"success", true}, {"appointment", std::move(appointment)}});
}

void cancel_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto reason = fields.text("reason", false, kMaxText);
  if (!errors.empty()) return staff_fields(res, errors);
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  auto decision = app.bookings.cancel(found->booking.id, reason.value_or(""), call.principal.actor);
  if (!decision.ok()) return staff_failure(res, decision.error());
  const BookingRecord& b = decision->booking;
  send_json(
      res, 200,
      Json{{"success", true},
           {"message", "Appointment cancelled"},
           {"appointment_id", b.id},
           {"calendar_event_id", b.id},
           {"cancelled_at", b.cancelled_at ? Json(instant_text(*b.cancelled_at)) : Json(nullptr)},
           {"sms_sent", app.deliveries.patient_gets_sms(EventKind::kBookingCancelled, b)}});
}

void remind_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  // Queued now and sent by the delivery worker in a moment (the booking's
  // reminder_sent_at is set when it went), or, when nothing reaches the patient, marked
  // as sent by staff.
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  auto decision = app.deliveries.request_reminder(found->booking.id, call.principal.actor);
  if (!decision.ok()) return staff_failure(res, decision.error());
  const BookingRecord& b = decision->booking;
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment_id", b.id},
                 {"reminder_sent", true},
                 {"reminder_sent_at", instant_text(b.reminder_sent_at.value_or(b.updated_at))}});
}

void set_appointment_status(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto status_text = fields.text("status", true, 16);
  const auto status = status_text ? parse_booking_status(*status_text) : std::nullopt;
  if (status_text && !status) {
    fields.fail("status", kStatusChoices);
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  auto decision = app.bookings.set_status(found->booking.id, *status, call.principal.actor);
  if (!decision.ok()) return staff_failure(res, decision.error());
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment", staff_appointment_json(decision->booking, *decision->clinic)}});
}

}  // namespace

void register_staff_appointment_routes(Router& server, AppContext& app) {
  auto bind = [&app](void (*handler)(AppContext&, const Request&, Response&)) {
    return [&app, handler](const Request& req, Response& res) { handler(app, req, res); };
  };
  const std::string id = R"(/api/calendar/appointments/([A-Za-z0-9_-]{1,64}))";
  server.Get("/api/calendar/appointments", bind(list_appointments));
  server.Post("/api/calendar/appointments", bind(create_appointment));
  server.Get(id, bind(get_appointment));
  server.Patch(id, bind(update_appointment));
  server.Delete(id, bind(cancel_appointment));
  server.Patch(id + "/remind", bind(remind_appointment));
  server.Patch(id + "/status", bind(set_appointment_status));
}

}  // namespace slotbook::server
