#include "http/hold_routes.h"

#include "booking/booking_view.h"
#include "http/cors.h"
#include "http/public_routes.h"
#include "http/refusal_view.h"
#include "http/request_fields.h"
#include "http/responses.h"

namespace slotbook::server {
namespace {

constexpr const char* kHoldPath = R"(/api/v1/holds/(hold_[0-9a-f]{24}))";

void send_hold(Response& res, int status, const HoldDecision& d, std::string_view token) {
  res.set_header("Cache-Control", "no-store");  // it carries the token
  send_json(res, status,
            Json{{"hold",
                  {{"id", d.hold.id},
                   {"token", token},
                   {"practitioner_id", d.hold.practitioner_id},
                   {"start", instant_text(d.hold.start_utc)},
                   {"end", instant_text(d.hold.end_utc)},
                   {"expires_at", instant_text(d.hold.expires_at)},
                   {"renewals_left", d.renewals_left}}}});
}

void post_hold(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  if (!within_booking_rate_limit(app, req, res)) return;
  nlohmann::json body;
  if (!parse_json_object_body(req, res, &body)) return;
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  auto clinic_id = fields.text("clinic_id", true, kMaxText);
  auto type = fields.text("appointment_type", true, kMaxText);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  auto start = fields.instant("start", true);
  if (!errors.empty()) return send_field_errors(res, errors);
  auto decision = app.holds.hold({*clinic_id, *type, practitioner.value_or("any"), *start});
  if (!decision.ok()) return send_failure(res, decision.error());
  if (decision->refusal != Refusal::kNone) {
    return send_json(res, refusal_status(decision->refusal), refusal_body(decision->refusal));
  }
  send_hold(res, 201, *decision, decision->token);
}

void renew_hold(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  if (!within_booking_rate_limit(app, req, res)) return;
  const std::string token = req.get_param_value("token");
  auto decision = app.holds.renew(req.matches[1].str(), token);
  if (!decision.ok()) return send_failure(res, decision.error());
  send_hold(res, 200, *decision, token);
}

void delete_hold(AppContext& app, const Request& req, Response& res) {
  apply_cors(req, res, app.settings.allowed_origins);
  Status released = app.holds.release(req.matches[1].str(), req.get_param_value("token"));
  if (!released.ok()) return send_failure(res, released.error());
  res.status = 204;
}

}  // namespace

void register_hold_routes(Router& server, AppContext& app) {
  server.Post("/api/v1/holds",
              [&app](const Request& req, Response& res) { post_hold(app, req, res); });
  server.Post(std::string(kHoldPath) + "/renew",
              [&app](const Request& req, Response& res) { renew_hold(app, req, res); });
  server.Delete(kHoldPath,
                [&app](const Request& req, Response& res) { delete_hold(app, req, res); });
}

}  // namespace slotbook::server
