#include "http/manage_routes.h"

#include "booking/booking_view.h"
#include "http/cors.h"
#include "http/public_routes.h"
#include "http/refusal_view.h"
#include "http/request_fields.h"
#include "http/responses.h"
#include "ics/ics_calendar.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

struct Authorized {
  BookingRecord booking;
  std::shared_ptr<const ClinicConfig> clinic;
  std::string token;
};

// The booking of the route's id if the request's token opens it; otherwise sends 404 (or
// the storage failure) and returns nullopt.
std::optional<Authorized> authorize(AppContext& app, const Request& req, Response& res) {
  const std::string token = req.get_param_value("token");
  auto found = app.queries.booking_for_token(req.matches[1].str(), token);
  if (!found.ok()) {
    const Failure& failure = found.error();
    if (failure.kind == FailureKind::kNotFound) {
      send_error(res, 404, "not_found", failure.message);
    } else {
      send_failure(res, failure);
    }
    return std::nullopt;
  }
  return Authorized{std::move(found->booking), std::move(found->clinic), token};
}

// A patient's change, answered; one refused as too late says until when it was possible
// and whom to call instead.
void send_decision(const AppContext& app, Response& res, const Expected<BookingDecision>& decision,
                   const Authorized& asked) {
  const std::string& token = asked.token;
  if (!decision.ok()) {
    const Failure& f = decision.error();
    if (f.code != "too_late_to_change") return send_failure(res, f);
    const ChangePolicy& policy = asked.clinic->change_policy();
    return send_error(res, 409, f.code, f.message,
                      Json{{"deadline", instant_text(policy.deadline(asked.booking))},
                           {"clinic_phone", policy.phone.empty() ? Json() : Json(policy.phone)}});
  }
  if (decision->refusal != Refusal::kNone) {
    return send_json(res, refusal_status(decision->refusal), refusal_body(decision->refusal));
  }
  send_json(res, 200,
            Json{{"booking", manage_booking_json(decision->booking, *decision->clinic, token,
                                                 app.clock.now())}});
}

// An optional JSON object body; nullopt after sending an error.
std::optional<nlohmann::json> optional_object_body(const Request& req, Response& res) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  nlohmann::json body;
  if (!parse_json_body(req, res, &body)) return std::nullopt;
  if (!body.is_object()) {
    send_error(res, 422, "validation_failed", "the body must be a JSON object",
               Json{{"fields", {{"body", "must be a JSON object"}}}});
    return std::nullopt;
  }
  return body;
}

// What a cancel or reschedule starts with: CORS, the booking rate limit, the token and an
// optional JSON object body; nullopt after sending the error.
std::optional<std::pair<Authorized, nlohmann::json>> begin_change(AppContext& app,
                                                                  const Request& req,
                                                                  Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  if (!within_booking_rate_limit(app, req, res)) return std::nullopt;
  auto found = authorize(app, req, res);
  if (!found) return std::nullopt;
  auto body = optional_object_body(req, res);
  if (!body) return std::nullopt;
  return std::make_pair(std::move(*found), std::move(*body));
}

}  // namespace

void register_manage_routes(Router& server, AppContext& app) {
  // The short manage link text messages carry (/m?t=TOKEN): on to the manage page.
  server.Get("/m", [&app](const Request& req, Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    const std::string token = req.get_param_value("t");
    auto found = app.queries.booking_for_token(token);
    if (!found.ok()) {
      if (found.error().kind != FailureKind::kNotFound) return send_failure(res, found.error());
      res.status = 404;
      res.set_content(
          "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Link not valid</title>"
          "<p>This booking link is not valid. Please use the link in your confirmation email.</p>",
          "text/html; charset=utf-8");
      return;
    }
    res.status = 302;
    res.set_header("Location", "/manage?booking=" + found->booking.id + "&token=" + token);
  });

  server.Get(R"(/api/v1/bookings/([A-Za-z0-9_-]{1,64}))",
             [&app](const Request& req, Response& res) {
               apply_cors(req, res, app.settings.allowed_origins);
               auto found = authorize(app, req, res);
               if (!found) return;
               send_json(res, 200,
                         Json{{"booking", manage_booking_json(found->booking, *found->clinic,
                                                              found->token, app.clock.now())}});
             });

  server.Get(R"(/api/v1/bookings/([A-Za-z0-9_-]{1,64})\.ics)", [&app](const Request& req,
                                                                      Response& res) {
    apply_cors(req, res, app.settings.allowed_origins);
    auto found = authorize(app, req, res);
    if (!found) return;
    res.status = 200;
    res.set_header("Content-Disposition", "attachment; filename=\"" + found->booking.id + ".ics\"");
    res.set_header("Cache-Control", "no-store");
    res.set_content(booking_ics(found->booking, *found->clinic, app.clock.now()),
                    "text/calendar; charset=utf-8");
  });

  server.Post(R"(/api/v1/bookings/([A-Za-z0-9_-]{1,64})/cancel)", [&app](const Request& req,
                                                                         Response& res) {
    auto change_request = begin_change(app, req, res);
    if (!change_request) return;
    auto& [found, body] = *change_request;
    std::vector<FieldError> errors;
    FieldReader fields(body, "", &errors);
    auto reason = fields.text("reason", false, kMaxText);
    if (!errors.empty()) return send_field_errors(res, errors);
    send_decision(app, res,
                  app.bookings.cancel(found.booking.id, reason.value_or(""), Actor::patient()),
                  found);
  });

  server.Post(R"(/api/v1/bookings/([A-Za-z0-9_-]{1,64})/reschedule)",
              [&app](const Request& req, Response& res) {
                auto change_request = begin_change(app, req, res);
                if (!change_request) return;
                auto& [found, body] = *change_request;
                std::vector<FieldError> errors;
                FieldReader fields(body, "", &errors);
                RescheduleRequest change;
                change.actor = Actor::patient();
                change.start = fields.instant("start", true);
                change.practitioner_id = fields.text("practitioner_id", false, kMaxText);
                if (!errors.empty()) return send_field_errors(res, errors);
                send_decision(app, res, app.bookings.reschedule(found.booking.id, change), found);
              });
}

}  // namespace slotbook::server
