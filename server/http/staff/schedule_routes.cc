// What the staff app reads and asks beyond the seed endpoints (docs/api.md "Staff app"):
// a schedule of days, a search of bookings, sending a confirmation again, and the clinics a
// principal sees.
#include "booking/booking_view.h"
#include "http/staff/staff_dialect.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kMaxScheduleDays = 31;
constexpr int kSearchLimit = 50;
constexpr std::size_t kMaxSearchText = 100;

void schedule(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  auto date_param = [&](const char* name) -> std::optional<LocalDate> {
    auto parsed = parse_strict_date(req.get_param_value(name));
    if (!parsed) errors.push_back({name, "Invalid date format (YYYY-MM-DD)", "value_error"});
    return parsed;
  };
  const auto first = date_param("start_date");
  const auto last = date_param("end_date");
  if (!errors.empty()) return staff_fields(res, errors);
  if (*last < *first) {
    return staff_error(res, 400, "invalid_range", "end_date is before start_date");
  }
  if (*last - *first >= date::days(kMaxScheduleDays)) {
    return staff_error(res, 400, "range_too_large",
                       "a schedule covers at most " + std::to_string(kMaxScheduleDays) + " days");
  }
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  std::string practitioner_id = req.get_param_value("practitioner_id");
  if (call.principal.role == Role::kPractitioner) practitioner_id = call.principal.practitioner_id;
  auto found = app.queries.schedule(**clinic, *first, *last, practitioner_id);
  if (!found.ok()) return staff_failure(res, found.error());
  Json appointments = Json::array();
  for (const BookingRecord& b : found->bookings) {
    Json a = staff_appointment_json(b, **clinic);
    a["occupancy_start"] = instant_text(b.occupancy.from);
    a["occupancy_end"] = instant_text(b.occupancy.to);
    appointments.push_back(std::move(a));
  }
  Json busy = Json::array();
  for (const ExternalBusyRecord& span : found->busy) {
    busy.push_back(Json{{"practitioner_id", span.practitioner_id},
                        {"start", instant_text(span.span.from)},
                        {"end", instant_text(span.span.to)},
                        {"source", "calendar"}});
  }
  const Json body{{"success", true},
                  {"clinic_id", (*clinic)->id()},
                  {"timezone", (*clinic)->checked().zone.name()},
                  {"start_date", date::format("%F", *first)},
                  {"end_date", date::format("%F", *last)},
                  {"appointments", std::move(appointments)},
                  {"busy", std::move(busy)}};
  // The app polls: an unchanged schedule costs a 304 and no rendering.
  const std::string text = body.dump();
  const std::string etag = "\"" + sha256_hex(text).substr(0, 32) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache, private");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_header("Content-Type", "application/json");
  res.body = text;
}

void search(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  const std::string q = req.get_param_value("q");
  if (q.size() < 2 || q.size() > kMaxSearchText) {
    return staff_fields(res, {{"q", "2 to 100 characters", "value_error"}});
  }
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  auto found = app.queries.search(**clinic, q, kSearchLimit);
  if (!found.ok()) return staff_failure(res, found.error());
  Json appointments = Json::array();
  for (const BookingRecord& b : *found) {
    if (call.principal.sees_practitioner(b.practitioner_id)) {
      appointments.push_back(staff_appointment_json(b, **clinic));
    }
  }
  send_json(res, 200, Json{{"success", true}, {"appointments", std::move(appointments)}});
}

void resend_confirmation(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  auto resent = app.deliveries.resend_confirmation(found->booking.id, call.principal.actor);
  if (!resent.ok()) return staff_failure(res, resent.error());
  send_json(res, 200,
            Json{{"success", true},
                 {"appointment_id", found->booking.id},
                 {"queued", resent->size()},
                 {"channels", *resent}});
}

void clinics(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  auto all = app.queries.clinics();
  if (!all.ok()) return staff_failure(res, all.error());
  Json out = Json::array();
  for (const auto& clinic : *all) {
    if (!call.principal.sees_clinic(clinic->id())) continue;
    out.push_back(Json{{"id", clinic->id()},
                       {"name", clinic->checked().clinic_name},
                       {"timezone", clinic->checked().zone.name()}});
  }
  send_json(res, 200, Json{{"success", true}, {"clinics", std::move(out)}});
}

}  // namespace

void register_staff_schedule_routes(Router& server, AppContext& app) {
  auto bind = [&app](void (*handler)(AppContext&, const Request&, Response&)) {
    return [&app, handler](const Request& req, Response& res) { handler(app, req, res); };
  };
  server.Get("/api/v1/schedule", bind(schedule));
  server.Get("/api/v1/appointments/search", bind(search));
  server.Post(R"(/api/v1/appointments/([A-Za-z0-9_-]{1,64})/resend-confirmation)",
              bind(resend_confirmation));
  server.Get("/api/v1/staff/clinics", bind(clinics));
}

}  // namespace slotbook::server
