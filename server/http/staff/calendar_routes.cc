// Practitioners' calendars (docs/integrations.md, docs/api.md "Calendars"):
//   seed 000  GET /api/calendar/status, GET /api/calendar/auth-url,
//             POST /api/calendar/auth-callback {code, state}, DELETE /api/calendar/disconnect
//   seed 001  GET /calendar/google/auth-url, GET /calendar/outlook/auth-url,
//             POST /calendar/google/exchange-token, POST /calendar/outlook/exchange-token
//   staff     POST /api/v1/practitioners/{id}/calendar/sync,
//             POST /api/v1/practitioners/{id}/calendar-feed, POST
//             /api/v1/clinics/{id}/calendar-feed
//   public    GET  /calendar/oauth/callback?code&state (the provider's redirect),
//             GET  /api/v1/practitioners/{id}/calendar.ics?token=,
//             GET  /api/v1/clinics/{id}/calendar.ics?token=
// Every staff endpoint takes practitioner_id (query or body); it may be left out when the
// clinic has one practitioner.
#include "http/staff/staff_dialect.h"

#include <spdlog/spdlog.h>

#include "booking/booking_view.h"
#include "calendars/calendar_service.h"
#include "http/detail_dialect.h"
#include "http/staff_auth.h"
#include "ics/ics_calendar.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr const char* kIdPattern = "([A-Za-z0-9_.-]{1,64})";

std::string provider_word(std::string_view provider) {
  return provider == kMicrosoft ? "Microsoft" : "Google";
}

// Who asks, as an authorization is bound to it: only the same user or key may finish it.
std::string credential_of(const Principal& principal) {
  return sha256_hex("calendar-authorization:" + principal.actor.type + ":" + principal.actor.id +
                    ":" + principal.actor.name);
}

std::string field_or_param(const Request& req, const nlohmann::json& body, const char* name) {
  std::string value = req.get_param_value(name);
  if (value.empty() && body.contains(name) && body[name].is_string()) {
    value = body[name].get<std::string>();
  }
  return value;
}

// The practitioner `requested` names in `clinic`, or the clinic's only one when `requested`
// is empty; "" when there is no such practitioner.
std::string named_practitioner(const ClinicConfig& clinic, const std::string& requested) {
  const auto& practitioners = clinic.checked().practitioners;
  if (requested.empty()) return practitioners.size() == 1 ? practitioners[0].id : "";
  return clinic.checked().find_practitioner(requested) ? requested : "";
}

struct PractitionerCall {
  std::shared_ptr<const ClinicConfig> clinic;
  std::string practitioner_id;
};

// The clinic and the practitioner a staff call is about; nullopt after answering.
// A practitioner user is about their own calendar whatever they name.
std::optional<PractitionerCall> practitioner_call(AppContext& app, const Request& req,
                                                  const StaffCall& call, Response& res,
                                                  std::string practitioner_id = {}) {
  const nlohmann::json& body = call.body;
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) {
    staff_failure(res, clinic.error());
    return std::nullopt;
  }
  if (practitioner_id.empty()) practitioner_id = field_or_param(req, body, "practitioner_id");
  if (practitioner_id.empty()) practitioner_id = call.principal.practitioner_id;
  if (!call.principal.sees_practitioner(practitioner_id)) {
    staff_error(res, 403, "forbidden", "a practitioner manages their own calendar only");
    return std::nullopt;
  }
  const std::string known = named_practitioner(**clinic, practitioner_id);
  if (known.empty() && practitioner_id.empty()) {
    staff_fields(res,
                 {{"practitioner_id", "name the practitioner whose calendar this is", "missing"}});
    return std::nullopt;
  }
  if (known.empty()) {
    staff_error(res, 404, "unknown_practitioner",
                "no practitioner " + practitioner_id + " in clinic " + (*clinic)->id());
    return std::nullopt;
  }
  return PractitionerCall{*clinic, known};
}

Json connection_json(const CalendarConnectionRecord& c, UtcSeconds now) {
  Json out = {
      {"id", c.id},
      {"provider", c.provider},
      {"status", c.status},
      {"calendar_id", c.calendar_id.empty() ? Json() : Json(c.calendar_id)},
      {"email", c.account_email.empty() ? Json() : Json(c.account_email)},
      {"connected_at", instant_text(c.connected_at)},
      {"last_sync", optional_instant_json(c.last_sync_at)},
      {"last_attempt", optional_instant_json(c.last_attempt_at)},
      {"sync_age_seconds", c.last_sync_at ? Json((now - *c.last_sync_at).count()) : Json()},
      {"last_error", c.last_error.empty() ? Json() : Json(c.last_error)},
  };
  // A feed URL may hold a secret of its own: only its host is shown.
  if (c.provider == kIcs) {
    const std::string url = ics_fetch_url(c.source);
    const auto host_start = url.find("://");
    const auto host_end = url.find('/', host_start == std::string::npos ? 0 : host_start + 3);
    out["source_host"] = host_start == std::string::npos
                             ? ""
                             : url.substr(host_start + 3, host_end - host_start - 3);
  }
  return out;
}

// Seed 000's status: the practitioner's Google connection (else Microsoft) at the top,
// every connection under "connections".
void calendar_status(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kOwnCalendar);
  if (!call.ok) return;
  auto who = practitioner_call(app, req, call, res);
  if (!who) return;
  auto connections = app.calendars.connections(who->practitioner_id);
  if (!connections.ok()) return staff_failure(res, connections.error());
  const UtcSeconds now = app.clock.now();
  const CalendarConnectionRecord* main = nullptr;
  for (std::string_view provider : {kGoogle, kMicrosoft}) {
    for (const CalendarConnectionRecord& c : *connections) {
      if (!main && c.provider == provider) main = &c;
    }
  }
  Json all = Json::array();
  for (const CalendarConnectionRecord& c : *connections) all.push_back(connection_json(c, now));
  Json out = {
      {"connected", main != nullptr && main->status == kConnected},
      {"calendar_id", main ? Json(main->calendar_id) : Json()},
      {"email", main ? Json(main->account_email) : Json()},
      {"connected_at", main ? Json(instant_text(main->connected_at)) : Json()},
      {"last_sync", main ? optional_instant_json(main->last_sync_at) : Json()},
      {"provider", main ? Json(main->provider) : Json()},
      {"status", main ? Json(main->status) : Json("not_connected")},
      {"practitioner_id", who->practitioner_id},
      {"connections", std::move(all)},
  };
  send_json(res, 200, out);
}

// Provider from ?provider= (seed 000 is Google's; "outlook" and "microsoft" name Microsoft).
std::string provider_param(const Request& req, const nlohmann::json& body,
                           std::string fallback = std::string(kGoogle)) {
  std::string provider = field_or_param(req, body, "provider");
  if (provider.empty()) provider = field_or_param(req, body, "calendar_type");
  if (provider.empty()) return fallback;
  return provider == "outlook" ? std::string(kMicrosoft) : provider;
}

void auth_url(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kOwnCalendar);
  if (!call.ok) return;
  auto who = practitioner_call(app, req, call, res);
  if (!who) return;
  auto started = app.calendars.start_authorization(*who->clinic, who->practitioner_id,
                                                   provider_param(req, call.body), "",
                                                   credential_of(call.principal));
  if (!started.ok()) return staff_failure(res, started.error());
  send_json(res, 200, Json{{"auth_url", started->auth_url}, {"state", started->state}});
}

void auth_callback(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kOwnCalendar);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto code = fields.text("code", true, 4096);
  auto state = fields.text("state", true, 256);
  if (!errors.empty()) return staff_fields(res, errors);
  auto connected =
      app.calendars.complete_authorization(*code, *state, credential_of(call.principal));
  if (!connected.ok()) {
    const Failure& f = connected.error();
    if (f.kind == FailureKind::kInvalid) {
      return send_json(res, 400,
                       Json{{"success", false},
                            {"error", "Failed to authenticate with Google"},
                            {"details", f.code == "invalid_state_token"
                                            ? "Invalid or expired state: " + f.message
                                            : "Invalid authorization code: " + f.message},
                            {"code", f.code}});
    }
    return staff_failure(res, f);
  }
  send_json(res, 200,
            Json{{"success", true},
                 {"message", "Calendar connected successfully"},
                 {"calendar_id", connected->calendar_id},
                 {"email", connected->account_email},
                 {"provider", connected->provider},
                 {"practitioner_id", connected->practitioner_id}});
}

void disconnect(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kOwnCalendar);
  if (!call.ok) return;
  auto who = practitioner_call(app, req, call, res);
  if (!who) return;
  const std::string provider = provider_param(req, call.body, "");
  auto dropped = app.calendars.disconnect(who->clinic->id(), who->practitioner_id, provider);
  if (!dropped.ok()) return staff_failure(res, dropped.error());
  send_json(res, 200,
            Json{{"success", true},
                 {"message", *dropped > 0 ? "Calendar disconnected" : "No calendar was connected"},
                 {"disconnected", *dropped}});
}

void sync_now(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kOwnCalendar);
  if (!call.ok) return;
  auto who = practitioner_call(app, req, call, res, req.matches[1].str());
  if (!who) return;
  auto synced = app.calendars.sync_now(who->practitioner_id);
  if (!synced.ok()) return staff_failure(res, synced.error());
  Json all = Json::array();
  for (const CalendarConnectionRecord& c : *synced) {
    all.push_back(connection_json(c, app.clock.now()));
  }
  send_json(res, 200, Json{{"success", true}, {"connections", std::move(all)}});
}

void rotate_feed(AppContext& app, const Request& req, Response& res, bool whole_clinic) {
  StaffCall call = begin_staff_call(
      app, req, res, whole_clinic ? Permission::kManageSettings : Permission::kOwnCalendar);
  if (!call.ok) return;
  PractitionerCall who;
  if (whole_clinic) {
    if (!call.principal.sees_clinic(req.matches[1].str())) {
      return staff_error(res, 404, "clinic_not_found", "no clinic " + req.matches[1].str());
    }
    auto clinic = app.queries.named_or_only_clinic(req.matches[1].str());
    if (!clinic.ok()) return staff_failure(res, clinic.error());
    who.clinic = *clinic;
  } else {
    auto found = practitioner_call(app, req, call, res, req.matches[1].str());
    if (!found) return;
    who = *found;
  }
  auto link = app.calendars.rotate_feed(*who.clinic, who.practitioner_id);
  if (!link.ok()) return staff_failure(res, link.error());
  send_json(
      res, 201,
      Json{{"success", true},
           {"feed_url", link->url},
           {"token", link->token},
           {"practitioner_id", who.practitioner_id.empty() ? Json() : Json(who.practitioner_id)},
           {"clinic_id", who.clinic->id()}});
}

void serve_feed(AppContext& app, const Request& req, Response& res, bool whole_clinic) {
  const std::string id = req.matches[1].str();
  auto scope = app.calendars.open_feed(whole_clinic ? id : "", whole_clinic ? "" : id,
                                       req.get_param_value("token"));
  if (!scope.ok()) return send_failure(res, scope.error());
  const ClinicConfig& clinic = *scope->clinic;
  const std::string name =
      clinic_display_name(clinic) + (scope->practitioner_id.empty()
                                         ? ""
                                         : ": " + clinic.practitioner_name(scope->practitioner_id));
  res.set_header("Cache-Control", "private, max-age=300");
  res.set_content(schedule_ics(scope->bookings, clinic, name, app.clock.now()),
                  "text/calendar; charset=utf-8");
}

// The provider sends the practitioner's browser here after consent.
void oauth_redirect(AppContext& app, const Request& req, Response& res) {
  auto page = [&res](int status, const std::string& title, const std::string& text) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
        "name=\"viewport\" content=\"width=device-width\"><title>" +
            title +
            "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;"
            "margin:4rem auto;padding:0 1rem;color:#1f2933}</style></head><body><h1>" +
            title + "</h1><p>" + text + "</p></body></html>",
        "text/html; charset=utf-8");
  };
  if (req.has_param("error")) {
    return page(400, "Calendar not connected",
                "The calendar provider did not grant access. Ask the clinic for a new link.");
  }
  const std::string code = req.get_param_value("code");
  const std::string state = req.get_param_value("state");
  if (code.empty() || state.empty() || code.size() > 4096 || state.size() > 256) {
    return page(400, "Calendar not connected", "This link is incomplete.");
  }
  auto connected = app.calendars.complete_authorization(code, state, "");
  if (!connected.ok()) {
    spdlog::info("calendar authorization not completed: {}", connected.error().message);
    const bool unavailable = connected.error().kind == FailureKind::kUnavailable;
    return page(unavailable ? 502 : 400, "Calendar not connected",
                unavailable ? "The calendar provider did not answer. Please try again in a minute."
                            : "This link was already used or has expired. Ask the clinic for a "
                              "new one.");
  }
  page(200, "Calendar connected",
       "Your " + provider_word(connected->provider) +
           " calendar is connected. Its busy times now keep patients from booking them. You "
           "can close this page.");
}

// Seed 001: the detail dialect, a redirect_uri the caller chooses. The principal, or
// nullopt after answering 401 (403 for a practitioner's reach beyond their own calendar
// is answered where the practitioner is known).
std::optional<Principal> detail_principal(AppContext& app, const Request& req,
                                          const nlohmann::json* body, Response& res,
                                          Permission need) {
  Authentication auth = authenticate(app, req, body);
  if (auth.refusal == AuthRefusal::kUnavailable) {
    send_failure(res, storage_unavailable("staff credentials could not be checked"));
    return std::nullopt;
  }
  if (!auth.principal) {
    send_detail(
        res, auth.refusal == AuthRefusal::kCsrf ? 403 : 401,
        auth.refusal == AuthRefusal::kCsrf ? "Cross-site request refused" : "Not authenticated");
    return std::nullopt;
  }
  if (!auth.principal->may(need)) {
    send_detail(res, 403, "Not allowed");
    return std::nullopt;
  }
  return auth.principal;
}

void send_detail_failure(Response& res, const Failure& f) {
  if (f.kind == FailureKind::kStorage) return send_failure(res, f);
  const int status = f.kind == FailureKind::kNotFound      ? 404
                     : f.kind == FailureKind::kUnavailable ? 502
                                                           : 400;
  send_detail(res, status, f.message);
}

void seed001_auth_url(AppContext& app, const Request& req, Response& res,
                      std::string_view provider) {
  auto principal = detail_principal(app, req, nullptr, res, Permission::kOwnCalendar);
  if (!principal) return;
  const std::string redirect_uri = req.get_param_value("redirect_uri");
  if (redirect_uri.empty()) {
    return send_validation(res, "query", {{"redirect_uri", "Field required", "missing"}});
  }
  if (redirect_uri.rfind("https://", 0) != 0 && redirect_uri.rfind("http://", 0) != 0) {
    return send_validation(res, "query",
                           {{"redirect_uri", "must be an http or https URL", "value_error"}});
  }
  std::string clinic_id = req.get_param_value("clinic_id");
  if (clinic_id.empty()) clinic_id = principal->clinic_id;
  if (!principal->sees_clinic(clinic_id)) return send_detail(res, 404, "Clinic not found");
  auto clinic = app.queries.named_or_only_clinic(clinic_id);
  if (!clinic.ok()) return send_detail_failure(res, clinic.error());
  std::string requested = req.get_param_value("practitioner_id");
  if (requested.empty()) requested = principal->practitioner_id;
  const std::string practitioner_id = named_practitioner(**clinic, requested);
  if (practitioner_id.empty()) return send_detail(res, 404, "Practitioner not found");
  if (!principal->sees_practitioner(practitioner_id)) return send_detail(res, 403, "Not allowed");
  auto started = app.calendars.start_authorization(**clinic, practitioner_id, std::string(provider),
                                                   redirect_uri, credential_of(*principal));
  if (!started.ok()) return send_detail_failure(res, started.error());
  send_json(res, 200, Json{{"auth_url", started->auth_url}, {"state", started->state}});
}

void seed001_exchange(AppContext& app, const Request& req, Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  auto principal =
      detail_principal(app, req, body.is_object() ? &body : nullptr, res, Permission::kOwnCalendar);
  if (!principal) return;
  if (!body.is_object()) return send_detail(res, 400, "the body must be a JSON object");
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  auto code = fields.text("code", true, 4096);
  auto state = fields.text("state", true, 256);
  if (!errors.empty()) return send_validation(res, "body", errors);
  auto connected = app.calendars.complete_authorization(*code, *state, credential_of(*principal));
  if (!connected.ok()) return send_detail_failure(res, connected.error());
  // The tokens stay sealed in the server: the answer keeps the seed's shape, but the
  // refresh token never leaves, and the access token is not needed by the caller either
  // (sync-booking uses the stored connection).
  send_json(res, 200,
            Json{{"access_token", nullptr},
                 {"refresh_token", nullptr},
                 {"expires_in", (connected->access_expires_at - app.clock.now()).count()},
                 {"token_type", "Bearer"},
                 {"connected", true},
                 {"calendar_id", connected->calendar_id},
                 {"email", connected->account_email},
                 {"practitioner_id", connected->practitioner_id}});
}

// Seed 001: the booking's event in the practitioner's Google or Outlook calendar, now.
// The connection's stored tokens are used; an access_token in the body is ignored.
void seed001_sync_booking(AppContext& app, const Request& req, Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  auto principal = detail_principal(app, req, body.is_object() ? &body : nullptr, res,
                                    Permission::kChangeBookings);
  if (!principal) return;
  if (!body.is_object()) return send_detail(res, 400, "the body must be a JSON object");
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  auto booking_id = fields.text("booking_id", true, 64);
  auto calendar_type = fields.text("calendar_type", true, 16);
  if (calendar_type && *calendar_type != "google" && *calendar_type != "outlook") {
    fields.fail("calendar_type", "must be google or outlook");
  }
  if (!errors.empty()) return send_validation(res, "body", errors);
  const std::string provider =
      *calendar_type == "outlook" ? std::string(kMicrosoft) : std::string(kGoogle);
  auto visible = app.queries.booking(*booking_id);
  if (visible.ok() && !principal->sees_clinic(visible->booking.clinic_id)) {
    return send_detail(res, 404, "Booking not found");
  }
  auto synced = app.calendars.sync_booking(*booking_id, provider);
  if (!synced.ok()) {
    if (synced.error().code == "booking_not_found")
      return send_detail(res, 404, "Booking not found");
    return send_detail_failure(res, synced.error());
  }
  send_json(
      res, 200,
      Json{{"event_id", synced->event_id},
           {"meeting_link", synced->meeting_link.empty() ? Json() : Json(synced->meeting_link)},
           {"status", "confirmed"}});
}

// Seed 003: "09:00 AM".
std::string twelve_hour(const ClinicConfig& clinic, Instant start) {
  const LocalTime local = clinic.checked().zone.to_local(start);
  const auto minutes =
      std::chrono::duration_cast<std::chrono::minutes>(local - date::floor<date::days>(local))
          .count();
  const int hour = static_cast<int>(minutes / 60), minute = static_cast<int>(minutes % 60);
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d %s", hour % 12 == 0 ? 12 : hour % 12, minute,
                hour < 12 ? "AM" : "PM");
  return text;
}

void seed003_availability(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  const std::string practitioner_id = req.matches[1].str();
  std::vector<FieldError> errors;
  nlohmann::json params = nlohmann::json::object();
  if (req.has_param("date")) params["date"] = req.get_param_value("date");
  FieldReader fields(params, "", &errors);
  auto day = fields.date("date", true);
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic_id = app.queries.clinic_of_practitioner(practitioner_id);
  if (!clinic_id.ok()) return staff_failure(res, clinic_id.error());
  if (clinic_id->empty() || !call.principal.sees_clinic(*clinic_id)) {
    return staff_error(res, 404, "unknown_practitioner", "no practitioner " + practitioner_id);
  }
  auto clinic = app.queries.clinic(*clinic_id);
  if (!clinic.ok()) return staff_failure(res, clinic.error());
  std::string type = req.get_param_value("appointment_type");
  const Practitioner* p = (*clinic)->checked().find_practitioner(practitioner_id);
  if (type.empty() && p && !p->appointment_types.empty()) type = p->appointment_types.front();
  auto resolved = (*clinic)->resolve_type(type);
  if (!resolved.ok()) return staff_failure(res, resolved.error());
  AvailabilityRequest request;
  request.clinic_id = *clinic_id;
  request.appointment_type = *resolved;
  request.practitioner_id = practitioner_id;
  request.start_date = request.end_date = *day;
  auto grid = app.queries.day_grid(request);
  if (!grid.ok()) return staff_failure(res, grid.error());
  Json slots = Json::array();
  for (const BookingQueries::GridStart& g : *grid) {
    slots.push_back({{"time", twelve_hour(**clinic, g.start)}, {"available", g.available}});
  }
  send_json(res, 200,
            Json{{"practitionerId", practitioner_id},
                 {"date", format_date(*day)},
                 {"timeSlots", std::move(slots)},
                 {"appointment_type", *resolved},
                 {"timezone", (*clinic)->timezone()}});
}

// Seed 003's meeting endpoints: the booking (appointmentId) gets the meeting now; the
// request's own times and titles are the booking's already, so they are not read.
void seed003_meeting(AppContext& app, const Request& req, Response& res, VideoProvider video) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kChangeBookings);
  if (!call.ok) return;
  const nlohmann::json& id =
      call.body.contains("appointmentId") ? call.body["appointmentId"] : nlohmann::json();
  if (!id.is_string() && !id.is_number_integer()) {
    return staff_fields(res, {{"appointmentId", "the booking id the meeting is for", "missing"}});
  }
  const std::string booking_id = id.is_string() ? id.get<std::string>() : id.dump();
  auto visible = staff_booking(app, call, booking_id);
  if (!visible.ok()) return staff_failure(res, visible.error());
  auto made = app.calendars.make_meeting(booking_id, video);
  if (!made.ok()) return staff_failure(res, made.error());
  const std::string& url = made->meeting_url;
  switch (video) {
    case VideoProvider::kZoom: {
      std::string password = made->password;
      if (const auto at = url.find("pwd="); password.empty() && at != std::string::npos) {
        password = url.substr(at + 4, url.find('&', at) - at - 4);
      }
      return send_json(res, 200,
                       Json{{"id", made->external_id},
                            {"join_url", url},
                            {"password", password},
                            {"host_url", made->host_url.empty() ? Json() : Json(made->host_url)}});
    }
    case VideoProvider::kGoogleMeet: {
      const std::string code = url.substr(url.find_last_of('/') + 1);
      return send_json(res, 200,
                       Json{{"meetingId", code},
                            {"meetingUrl", url.empty() ? Json() : Json(url)},
                            {"eventId", made->external_id}});
    }
    case VideoProvider::kTeams:
      return send_json(res, 200,
                       Json{{"id", made->external_id},
                            {"joinUrl", url.empty() ? Json() : Json(url)},
                            {"subject", call.body.value("subject", nlohmann::json())}});
    default:
      return send_json(res, 200, Json{{"eventId", made->external_id}, {"success", true}});
  }
}

}  // namespace

void register_staff_calendar_routes(Router& server, AppContext& app) {
  server.Get("/api/calendar/status",
             [&app](const Request& req, Response& res) { calendar_status(app, req, res); });
  server.Get("/api/calendar/auth-url",
             [&app](const Request& req, Response& res) { auth_url(app, req, res); });
  server.Post("/api/calendar/auth-callback",
              [&app](const Request& req, Response& res) { auth_callback(app, req, res); });
  server.Delete("/api/calendar/disconnect",
                [&app](const Request& req, Response& res) { disconnect(app, req, res); });
  server.Get("/calendar/oauth/callback",
             [&app](const Request& req, Response& res) { oauth_redirect(app, req, res); });
  server.Get("/calendar/google/auth-url", [&app](const Request& req, Response& res) {
    seed001_auth_url(app, req, res, kGoogle);
  });
  server.Get("/calendar/outlook/auth-url", [&app](const Request& req, Response& res) {
    seed001_auth_url(app, req, res, kMicrosoft);
  });
  for (const char* path : {"/calendar/google/exchange-token", "/calendar/outlook/exchange-token"}) {
    server.Post(path,
                [&app](const Request& req, Response& res) { seed001_exchange(app, req, res); });
  }
  server.Get("/api/practitioners/([A-Za-z0-9_.-]{1,64})/availability",
             [&app](const Request& req, Response& res) { seed003_availability(app, req, res); });
  const std::pair<const char*, VideoProvider> meetings[] = {
      {"/api/create-zoom-meeting", VideoProvider::kZoom},
      {"/api/create-google-meet", VideoProvider::kGoogleMeet},
      {"/api/create-teams-meeting", VideoProvider::kTeams},
      {"/api/create-calendar-event", VideoProvider::kNone}};
  for (const auto& [path, video] : meetings) {
    server.Post(path, [&app, video = video](const Request& req, Response& res) {
      seed003_meeting(app, req, res, video);
    });
  }
  server.Post("/calendar/sync-booking",
              [&app](const Request& req, Response& res) { seed001_sync_booking(app, req, res); });
  const std::string id(kIdPattern);
  server.Post("/api/v1/practitioners/" + id + "/calendar/sync",
              [&app](const Request& req, Response& res) { sync_now(app, req, res); });
  server.Post("/api/v1/practitioners/" + id + "/calendar-feed",
              [&app](const Request& req, Response& res) { rotate_feed(app, req, res, false); });
  server.Post("/api/v1/clinics/" + id + "/calendar-feed",
              [&app](const Request& req, Response& res) { rotate_feed(app, req, res, true); });
  server.Get("/api/v1/practitioners/" + id + "/calendar\\.ics",
             [&app](const Request& req, Response& res) { serve_feed(app, req, res, false); });
  server.Get("/api/v1/clinics/" + id + "/calendar\\.ics",
             [&app](const Request& req, Response& res) { serve_feed(app, req, res, true); });
}

}  // namespace slotbook::server
