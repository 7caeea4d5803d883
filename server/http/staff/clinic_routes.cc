// /api/calendar/events (raw calendar events) and /api/calendar/clinic (the configuration).
#include "http/staff/staff_dialect.h"

#include "booking/booking_view.h"

namespace slotbook::server {
namespace {

void list_events(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  nlohmann::json params = nlohmann::json::object();
  for (const char* name : {"start_date", "end_date"}) {
    if (req.has_param(name)) params[name] = req.get_param_value(name);
  }
  FieldReader fields(params, "", &errors);
  auto start = fields.date("start_date", true);
  auto end = fields.date("end_date", true);
  if (start && end && (*end < *start || *end - *start > date::days(366))) {
    fields.fail("end_date", "must be on or after start_date and within 366 days of it");
  }
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic = staff_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  auto found = app.queries.occupying_on_dates(**clinic, *start, *end);
  if (!found.ok()) return staff_failure(res, found.error());
  const std::vector<BookingRecord>& rows = *found;
  Json events = Json::array();
  for (const BookingRecord& b : rows) {
    const std::string type = type_display_name(b, **clinic);
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
  StaffCall call = begin_staff_call(app, req, res);
  if (!call.ok) return;
  auto clinic = staff_clinic(app, req, call.body);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  send_json(res, 200, Json{{"success", true}, {"clinic", Json((*clinic)->json())}});
}

void put_clinic_config(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res);
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
  config.erase("force");
  const bool force = req.get_param_value("force") == "true" ||
                     (call.body.contains("force") && call.body["force"] == true);
  auto stored = app.bookings.put_clinic(config, force);
  if (!stored.ok()) return staff_failure(res, stored.error());
  send_json(res, 200, Json{{"success", true}, {"clinic", Json((*stored)->json())}});
}

}  // namespace

void register_staff_clinic_routes(Router& server, AppContext& app) {
  server.Get("/api/calendar/events",
             [&app](const Request& req, Response& res) { list_events(app, req, res); });
  server.Get("/api/calendar/clinic",
             [&app](const Request& req, Response& res) { get_clinic_config(app, req, res); });
  server.Put("/api/calendar/clinic",
             [&app](const Request& req, Response& res) { put_clinic_config(app, req, res); });
}

}  // namespace slotbook::server
