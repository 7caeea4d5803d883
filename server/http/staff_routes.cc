#include "http/staff_routes.h"

#include <regex>

#include "booking/availability.h"
#include "common/clock.h"
#include "http/api_key.h"
#include "http/booking_view.h"
#include "http/refusal_view.h"
#include "http/request_fields.h"
#include "http/responses.h"

namespace slotbook::server {
namespace {

using httplib::Request;
using httplib::Response;

void staff_error(Response& res, int status, std::string_view code, std::string_view message,
                 const Json& extra = Json::object()) {
  Json error = {{"code", code}, {"message", message}};
  for (auto it = extra.begin(); it != extra.end(); ++it) error[it.key()] = it.value();
  send_json(res, status, Json{{"success", false}, {"error", std::move(error)}});
}

void staff_failure(Response& res, const Failure& failure) {
  switch (failure.kind) {
    case FailureKind::kNotFound:
      return staff_error(res, 404, failure.code, failure.message);
    case FailureKind::kInvalid:
      return staff_error(res, failure.code == "invalid_clinic_config" ? 422 : 400, failure.code,
                         failure.message);
    case FailureKind::kInvalidState:
      return staff_error(res, 400, failure.code, failure.message);
    case FailureKind::kStorage:
      send_failure(res, failure);  // logs; shows nothing internal
      return;
  }
}

void staff_fields(Response& res, const std::vector<FieldError>& errors) {
  Json fields = Json::object();
  for (const FieldError& e : errors) {
    if (!fields.contains(e.field)) fields[e.field] = e.message;
  }
  staff_error(res, 400, "validation_failed", "some fields are missing or invalid",
              Json{{"fields", std::move(fields)}});
}

void staff_refusal(Response& res, Refusal reason) {
  if (refusal_status(reason) == 404) {
    return staff_error(res, 404, "not_found", refusal_message(reason),
                       Json{{"reason", std::string(to_string(reason))}});
  }
  staff_error(res, 409, "slot_unavailable", "Time slot not available: " + refusal_message(reason),
              Json{{"reason", std::string(to_string(reason))}});
}

// The common preamble: the JSON body (empty allowed), then the API key.
struct StaffCall {
  nlohmann::json body = nlohmann::json::object();
  bool ok = false;
};
StaffCall begin(AppContext& app, const Request& req, Response& res) {
  StaffCall call;
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    call.body = nlohmann::json::parse(req.body, nullptr, false);
    if (call.body.is_discarded()) {
      if (!has_api_key(req, nullptr, app.settings.api_key)) {
        staff_error(res, 401, "unauthorized", "Invalid API key");
      } else {
        staff_error(res, 400, "invalid_json", "the request body is not valid JSON");
      }
      return call;
    }
  }
  if (!has_api_key(req, &call.body, app.settings.api_key)) {
    staff_error(res, 401, "unauthorized", "Invalid API key");
    return call;
  }
  if (!call.body.is_object()) {
    staff_error(res, 400, "validation_failed", "the body must be a JSON object");
    return call;
  }
  call.ok = true;
  return call;
}

// clinic_id from the query or body; else the only clinic stored.
Expected<std::shared_ptr<const ClinicConfig>> resolve_clinic(AppContext& app, const Request& req,
                                                             const nlohmann::json& body) {
  std::string requested = req.get_param_value("clinic_id");
  if (requested.empty() && body.contains("clinic_id") && body["clinic_id"].is_string()) {
    requested = body["clinic_id"].get<std::string>();
  }
  std::shared_ptr<const ClinicConfig> clinic;
  Status status = app.storage.read([&](ReadView& view) -> Status {
    if (requested.empty()) {
      auto ids = view.clinic_ids();
      if (!ids.ok()) return ids.failure();
      if (ids->size() != 1) {
        return invalid("clinic_id_required", "name the clinic: clinic_id is required");
      }
      requested = ids->front();
    }
    auto found = app.catalog.get(view, requested);
    if (!found.ok()) return found.failure();
    clinic = *found;
    return Status();
  });
  if (!status.ok()) return status.failure();
  return clinic;
}

std::optional<LocalDate> read_date(FieldReader& fields, const char* name, bool required) {
  auto text = fields.text(name, required, 32);
  if (!text) return std::nullopt;
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  auto date = std::regex_match(*text, kDate) ? parse_date(*text) : std::nullopt;
  if (!date) fields.fail(name, "Invalid date format (YYYY-MM-DD)");
  return date;
}

std::optional<int> read_time(FieldReader& fields, const char* name, bool required) {
  auto text = fields.text(name, required, 32);
  if (!text) return std::nullopt;
  static const std::regex kTime(R"(\d{2}:\d{2}(:00)?)");
  auto minutes =
      std::regex_match(*text, kTime) ? parse_time_of_day(text->substr(0, 5)) : std::nullopt;
  if (!minutes || *minutes >= 24 * 60) {
    fields.fail(name, "Invalid time format (HH:MM, 24-hour)");
    return std::nullopt;
  }
  return minutes;
}

Instant local_instant(const ClinicConfig& clinic, LocalDate date, int minutes) {
  return Instant(clinic.checked().zone.to_instant(LocalTime(date) + std::chrono::minutes(minutes)));
}

// ---- availability --------------------------------------------------------------------

// The bookings `filter` selects; `total` counts them all, before skip and limit.
Expected<std::vector<BookingRecord>> find_bookings(AppContext& app, const BookingFilter& filter,
                                                   std::int64_t* total) {
  std::vector<BookingRecord> rows;
  Status status = app.storage.read([&](ReadView& view) -> Status {
    auto found = view.list_bookings(filter, total);
    if (!found.ok()) return found.failure();
    rows = std::move(*found);
    return Status();
  });
  if (!status.ok()) return status.failure();
  return rows;
}

void availability(AppContext& app, const Request& req, Response& res, bool range) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  std::optional<LocalDate> start, end;
  if (range) {
    start = read_date(fields, "start_date", true);
    end = read_date(fields, "end_date", true);
  } else {
    start = end = read_date(fields, "date", true);
  }
  auto type = fields.text("appointment_type", false, kMaxText);
  auto duration = fields.integer("duration_minutes", false, 1, 480);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = resolve_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.failure());

  AvailabilityRequest request;
  request.clinic_id = (*clinic)->id();
  if (type) {
    request.appointment_type = *type;
  } else {
    const int minutes = static_cast<int>(duration.value_or(30));
    request.ad_hoc = AdHocType{minutes, minutes};
  }
  if (practitioner && *practitioner != "any") request.practitioner_id = practitioner;
  request.start_date = *start;
  request.end_date = *end;
  auto listed = list_availability(app.storage, app.catalog, app.zones, app.clock.now(), request);
  if (!listed.ok()) {
    const Failure& f = listed.failure();
    if (f.kind == FailureKind::kInvalid) return staff_error(res, 400, f.code, f.message);
    return staff_failure(res, f);
  }
  const Availability& a = **listed;
  const int slot_minutes = a.slots.type ? a.slots.type->duration_minutes : 0;
  auto day_slots = [&](const SlotDay& day) {
    Json slots = Json::array();
    for (std::uint32_t i = day.first_slot; i < day.first_slot + day.slot_count; ++i) {
      const Slot& slot = a.slots.slots[i];
      Json ids = Json::array();
      for (std::uint32_t k = 0; k < slot.practitioner_count; ++k) {
        ids.push_back(
            a.snapshot.practitioners[a.slots.practitioners[slot.first_practitioner + k]].id);
      }
      slots.push_back({{"date", format_date(day.date)},
                       {"time", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.start)))},
                       {"duration_minutes", slot_minutes},
                       {"start", format_instant(Instant(slot.start))},
                       {"practitioner_ids", std::move(ids)}});
    }
    return slots;
  };
  if (!range) {
    Json slots = a.slots.days.empty() ? Json::array() : day_slots(a.slots.days.front());
    return send_json(res, 200,
                     Json{{"success", true},
                          {"date", format_date(*start)},
                          {"timezone", a.clinic->timezone()},
                          {"available_slots", std::move(slots)}});
  }
  Json results = Json::array();
  for (const SlotDay& day : a.slots.days) {
    Json slots = day_slots(day);
    const std::string first = slots.front()["time"];
    results.push_back({{"date", format_date(day.date)},
                       {"available_count", day.slot_count},
                       {"first_available_time", first},
                       {"available_slots", std::move(slots)}});
  }
  send_json(
      res, 200,
      Json{{"success", true}, {"timezone", a.clinic->timezone()}, {"results", std::move(results)}});
}

// ---- appointments --------------------------------------------------------------------

void list_appointments(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
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
  BookingFilter filter;
  const int days = int_param("days", 30, 1, 3660);
  filter.limit = int_param("limit", 50, 1, 100);
  filter.skip = int_param("skip", 0, 0, 1000000);
  if (req.has_param("status")) {
    filter.status = parse_booking_status(req.get_param_value("status"));
    if (!filter.status) {
      errors.push_back({"status",
                        "must be one of pending, confirmed, completed, cancelled, no_show",
                        "value_error"});
    }
  }
  if (req.has_param("practitioner_id"))
    filter.practitioner_id = req.get_param_value("practitioner_id");
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = resolve_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.failure());
  const UtcSeconds now = app.clock.now();
  filter.clinic_id = (*clinic)->id();
  filter.start_from = now;
  filter.start_before = now + date::days(days);
  std::int64_t total = 0;
  auto found = find_bookings(app, filter, &total);
  if (!found.ok()) return staff_failure(res, found.failure());
  const std::vector<BookingRecord>& rows = *found;
  Json appointments = Json::array();
  for (const BookingRecord& b : rows) appointments.push_back(staff_appointment_json(b, **clinic));
  send_json(res, 200,
            Json{{"success", true},
                 {"count", appointments.size()},
                 {"total", total},
                 {"skip", filter.skip},
                 {"limit", filter.limit},
                 {"appointments", std::move(appointments)}});
}

void create_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto name = fields.text("patient_name", true, kMaxText);
  auto phone = fields.text("patient_phone", false, kMaxPhone);
  auto email = fields.text("patient_email", false, kMaxText);
  if (email && !email->empty() && !looks_like_email(*email)) {
    fields.fail("patient_email", "must be an email address");
  }
  auto day = read_date(fields, "date", true);
  auto time = read_time(fields, "time", true);
  auto type = fields.text("appointment_type", true, kMaxText);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto notes = fields.text("notes", false, kMaxNotes);
  auto status_text = fields.text("status", false, 16);
  const auto status = status_text ? parse_booking_status(*status_text) : BookingStatus::kConfirmed;
  if (status != BookingStatus::kPending && status != BookingStatus::kConfirmed) {
    fields.fail("status", "a new appointment is pending or confirmed");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = resolve_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.failure());

  NewBooking booking;
  booking.clinic_id = (*clinic)->id();
  booking.appointment_type = *type;
  booking.practitioner_id = practitioner.value_or("any");
  booking.start = local_instant(**clinic, *day, *time);
  booking.patient = {*name, email.value_or(""), phone.value_or("")};
  booking.notes = notes.value_or("");
  booking.source = "staff";
  booking.status = *status;
  auto result = app.bookings.book(booking, nullptr);
  if (!result.ok()) return staff_failure(res, result.failure());
  const BookingDecision& d = result->decision;
  if (d.refusal != Refusal::kNone) return staff_refusal(res, d.refusal);
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
                 {"patient_name", b.patient_name},
                 {"practitioner_id", b.practitioner_id},
                 {"status", to_string(b.status)},
                 {"confirmation_number", b.confirmation_number},
                 {"manage_token", d.manage_token},
                 {"message", "Appointment confirmed for " + b.patient_name + " on " + date_text +
                                 " at " + time_text},
                 {"sms_sent", false}});
}

// Loads booking `id` with its clinic; sends 404 and returns nullopt if missing.
std::optional<std::pair<BookingRecord, std::shared_ptr<const ClinicConfig>>> load_booking(
    AppContext& app, const std::string& id, Response& res) {
  std::optional<std::pair<BookingRecord, std::shared_ptr<const ClinicConfig>>> out;
  Status status = app.storage.read([&](ReadView& view) -> Status {
    auto booking = view.booking(id);
    if (!booking.ok()) return booking.failure();
    if (!booking->has_value()) return not_found("booking_not_found", "Appointment not found");
    auto clinic = app.catalog.get(view, (*booking)->clinic_id);
    if (!clinic.ok()) return clinic.failure();
    out.emplace(std::move(**booking), *clinic);
    return Status();
  });
  if (!status.ok()) {
    staff_failure(res, status.failure());
    return std::nullopt;
  }
  return out;
}

void get_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  auto found = load_booking(app, req.matches[1], res);
  if (!found) return;
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment", staff_appointment_json(found->first, *found->second)}});
}

void update_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto day = read_date(fields, "date", false);
  auto time = read_time(fields, "time", false);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto type = fields.text("appointment_type", false, kMaxText);
  auto notes = fields.text("notes", false, kMaxNotes);
  auto status = fields.text("status", false, 16);
  if (status && !parse_booking_status(*status)) {
    fields.fail("status", "must be one of pending, confirmed, completed, cancelled, no_show");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto found = load_booking(app, req.matches[1], res);
  if (!found) return;
  const auto& [current, clinic] = *found;

  RescheduleRequest change;
  change.notes = notes;
  change.practitioner_id = practitioner;
  change.appointment_type = type;
  if (day || time) {
    const LocalTime local = clinic->checked().zone.to_local(Instant(current.start_utc));
    const LocalDate current_day = date::floor<date::days>(local);
    const int current_minutes = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(local - current_day).count());
    change.start =
        local_instant(*clinic, day.value_or(current_day), time.value_or(current_minutes));
  }
  Expected<BookingDecision> decision = BookingDecision{};
  const bool moves =
      change.start || change.practitioner_id || change.appointment_type || change.notes;
  if (moves || !status) {
    decision = app.bookings.reschedule(current.id, change);
    if (!decision.ok()) return staff_failure(res, decision.failure());
    if (decision->refusal != Refusal::kNone) return staff_refusal(res, decision->refusal);
  }
  if (status) {
    decision = app.bookings.set_status(current.id, *parse_booking_status(*status));
    if (!decision.ok()) return staff_failure(res, decision.failure());
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
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto reason = fields.text("reason", false, kMaxText);
  if (!errors.empty()) return staff_fields(res, errors);
  auto decision = app.bookings.cancel(req.matches[1].str(), reason.value_or(""), false);
  if (!decision.ok()) return staff_failure(res, decision.failure());
  const BookingRecord& b = decision->booking;
  send_json(
      res, 200,
      Json{{"success", true},
           {"message", "Appointment cancelled"},
           {"appointment_id", b.id},
           {"calendar_event_id", b.id},
           {"cancelled_at", b.cancelled_at ? Json(instant_text(*b.cancelled_at)) : Json(nullptr)},
           {"sms_sent", false}});
}

void remind_appointment(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  auto decision = app.bookings.mark_reminder_sent(req.matches[1].str());
  if (!decision.ok()) return staff_failure(res, decision.failure());
  const BookingRecord& b = decision->booking;
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment_id", b.id},
                 {"reminder_sent", true},
                 {"reminder_sent_at", instant_text(b.reminder_sent_at.value_or(UtcSeconds{}))}});
}

void set_appointment_status(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto status_text = fields.text("status", true, 16);
  const auto status = status_text ? parse_booking_status(*status_text) : std::nullopt;
  if (status_text && !status) {
    fields.fail("status", "must be one of pending, confirmed, completed, cancelled, no_show");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto decision = app.bookings.set_status(req.matches[1].str(), *status);
  if (!decision.ok()) return staff_failure(res, decision.failure());
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment", staff_appointment_json(decision->booking, *decision->clinic)}});
}

// ---- events and configuration --------------------------------------------------------

void list_events(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  nlohmann::json params = nlohmann::json::object();
  for (const char* name : {"start_date", "end_date"}) {
    if (req.has_param(name)) params[name] = req.get_param_value(name);
  }
  FieldReader fields(params, "", &errors);
  auto start = read_date(fields, "start_date", true);
  auto end = read_date(fields, "end_date", true);
  if (start && end && (*end < *start || *end - *start > date::days(366))) {
    fields.fail("end_date", "must be on or after start_date and within 366 days of it");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = resolve_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.failure());
  BookingFilter filter;
  filter.clinic_id = (*clinic)->id();
  filter.start_from = (*clinic)->checked().zone.to_instant(LocalTime(*start));
  filter.start_before = (*clinic)->checked().zone.to_instant(LocalTime(*end + date::days(1)));
  filter.limit = 100000;
  std::int64_t total = 0;
  auto found = find_bookings(app, filter, &total);
  if (!found.ok()) return staff_failure(res, found.failure());
  const std::vector<BookingRecord>& rows = *found;
  Json events = Json::array();
  for (const BookingRecord& b : rows) {
    if (b.status == BookingStatus::kCancelled) continue;
    const std::string type = b.appointment_type.empty() ? std::string("Appointment")
                                                        : (*clinic)->type_name(b.appointment_type);
    events.push_back({{"id", b.id},
                      {"summary", "Appointment: " + b.patient_name},
                      {"description", "Patient: " + b.patient_name + "\nPhone: " + b.patient_phone +
                                          "\nType: " + type},
                      {"start", instant_text(b.start_utc)},
                      {"end", instant_text(b.end_utc)},
                      {"location", nullptr},
                      {"hangout_link", nullptr},
                      {"practitioner_id", b.practitioner_id},
                      {"status", to_string(b.status)}});
  }
  send_json(res, 200, Json{{"success", true}, {"events", std::move(events)}});
}

void get_clinic_config(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  auto clinic = resolve_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.failure());
  send_json(res, 200, Json{{"success", true}, {"clinic", Json((*clinic)->json())}});
}

void put_clinic_config(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin(app, req, res);
  if (!call.ok) return;
  nlohmann::json config = call.body;
  config.erase("api_key");
  const std::string requested = req.get_param_value("clinic_id");
  const bool matches = config.contains("clinic") && config["clinic"].is_object() &&
                       config["clinic"].contains("id") && config["clinic"]["id"] == requested;
  if (!requested.empty() && !matches) {
    return staff_error(res, 400, "clinic_id_mismatch",
                       "the configuration's clinic.id differs from clinic_id");
  }
  auto stored = app.bookings.put_clinic(config);
  if (!stored.ok()) return staff_failure(res, stored.failure());
  send_json(res, 200, Json{{"success", true}, {"clinic", Json((*stored)->json())}});
}

}  // namespace

void register_staff_routes(httplib::Server& server, AppContext& app) {
  auto bind = [&app](void (*handler)(AppContext&, const Request&, Response&)) {
    return [&app, handler](const Request& req, Response& res) { handler(app, req, res); };
  };
  server.Post("/api/calendar/check-availability",
              [&app](const Request& req, Response& res) { availability(app, req, res, false); });
  server.Post("/api/calendar/check-availability-range",
              [&app](const Request& req, Response& res) { availability(app, req, res, true); });
  server.Get("/api/calendar/appointments", bind(list_appointments));
  server.Post("/api/calendar/appointments", bind(create_appointment));
  const std::string id = R"(/api/calendar/appointments/([A-Za-z0-9_-]{1,64}))";
  server.Get(id, bind(get_appointment));
  server.Patch(id, bind(update_appointment));
  server.Delete(id, bind(cancel_appointment));
  server.Patch(id + "/remind", bind(remind_appointment));
  server.Patch(id + "/status", bind(set_appointment_status));
  server.Get("/api/calendar/events", bind(list_events));
  server.Get("/api/calendar/clinic", bind(get_clinic_config));
  server.Put("/api/calendar/clinic", bind(put_clinic_config));
}

}  // namespace slotbook::server
