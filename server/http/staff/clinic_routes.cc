// /api/calendar/events (raw calendar events) and /api/calendar/clinic (the configuration).
#include "http/staff/staff_dialect.h"

#include "booking/booking_view.h"
#include "calendars/calendar_service.h"

namespace slotbook::server {
namespace {

void list_events(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
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
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  auto found = app.queries.occupying_on_dates(**clinic, *start, *end);
  if (!found.ok()) return staff_failure(res, found.error());
  const std::vector<BookingRecord>& rows = *found;
  Json events = Json::array();
  for (const BookingRecord& b : rows) {
    if (!call.principal.sees_practitioner(b.practitioner_id)) continue;
    const std::string type = type_display_name(b, **clinic);
    const Json link = b.meeting_url.empty() ? Json() : Json(b.meeting_url);
    events.push_back({{"id", b.id},
                      {"summary", "Appointment: " + b.patient_name},
                      {"description", "Patient: " + b.patient_name + "\nPhone: " + b.patient_phone +
                                          "\nType: " + type},
                      {"start", instant_text(b.start_utc)},
                      {"end", instant_text(b.end_utc)},
                      {"location", link},
                      {"hangout_link", link},
                      {"practitioner_id", b.practitioner_id},
                      {"status", to_string(b.status)},
                      {"source", "slotbook"}});
  }
  // The connected calendars' own events, read live; slotbook's copies of its bookings are
  // listed once, above.
  const std::string only = call.principal.role == Role::kPractitioner
                               ? call.principal.practitioner_id
                               : req.get_param_value("practitioner_id");
  const ZoneRules& zone = (*clinic)->checked().zone;
  const TimeWindow window{to_seconds(zone.to_instant(LocalTime(*start))),
                          to_seconds(zone.to_instant(LocalTime(*end + date::days(1))))};
  Json errors_seen = Json::array();
  for (const Practitioner& p : (*clinic)->checked().practitioners) {
    if (!only.empty() && p.id != only) continue;
    std::vector<std::string> failures;
    for (const CalendarEvent& e :
         app.calendars.provider_events(p.id, window.from, window.to, &failures)) {
      if (!e.slotbook_booking_id.empty() || e.status == "cancelled") continue;
      events.push_back({{"id", e.id},
                        {"summary", e.summary},
                        {"description", e.description.empty() ? Json() : Json(e.description)},
                        {"start", instant_text(e.start)},
                        {"end", instant_text(e.end)},
                        {"location", e.location.empty() ? Json() : Json(e.location)},
                        {"hangout_link", e.hangout_link.empty() ? Json() : Json(e.hangout_link)},
                        {"practitioner_id", p.id},
                        {"status", e.status.empty() ? "confirmed" : e.status},
                        {"source", "calendar"}});
    }
    for (std::string& failure : failures) errors_seen.push_back(p.id + ": " + failure);
  }
  Json out{{"success", true}, {"events", std::move(events)}};
  if (!errors_seen.empty()) out["error"] = errors_seen;
  send_json(res, 200, out);
}

void get_clinic_config(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  // Feed URLs, addresses and notification settings are the settings' business.
  const bool whole = call.principal.may(Permission::kManageSettings);
  send_json(res, 200,
            Json{{"success", true},
                 {"clinic", Json(whole ? (*clinic)->json() : (*clinic)->public_json())}});
}

void put_clinic_config(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
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
  const std::string id = config.contains("clinic") && config["clinic"].is_object() &&
                                 config["clinic"].contains("id") &&
                                 config["clinic"]["id"].is_string()
                             ? config["clinic"]["id"].get<std::string>()
                             : "";
  if (!call.principal.sees_clinic(id)) {
    return staff_error(res, 403, "forbidden",
                       "this account manages clinic " + call.principal.clinic_id + " only");
  }
  config.erase("force");
  config.erase("dry_run");
  const bool force = req.get_param_value("force") == "true" ||
                     (call.body.contains("force") && call.body["force"] == true);
  const bool dry_run = req.get_param_value("dry_run") == "true" ||
                       (call.body.contains("dry_run") && call.body["dry_run"] == true);
  if (dry_run) {
    // Nothing is stored: the verdict, and what the new hours would leave outside them.
    auto preview = app.bookings.preview_clinic(config, force);
    if (!preview.ok()) {
      const Failure& f = preview.error();
      if (f.kind != FailureKind::kInvalid) return staff_failure(res, f);
      return send_json(res, 200,
                       Json{{"success", true},
                            {"dry_run", true},
                            {"valid", false},
                            {"code", f.code},
                            {"details", f.message},
                            {"outside_hours", Json::array()}});
    }
    Json outside = Json::array();
    for (const BookingRecord& b : preview->outside_hours) {
      outside.push_back(staff_appointment_json(b, *preview->clinic));
    }
    return send_json(res, 200,
                     Json{{"success", true},
                          {"dry_run", true},
                          {"valid", true},
                          {"outside_hours", std::move(outside)}});
  }
  auto stored = app.bookings.put_clinic(config, force, call.principal.actor);
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
