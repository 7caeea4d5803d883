// Staff accounts over HTTP (docs/api.md "Staff accounts"): the staff app's sessions
// (/api/v1/session), API keys (/api/v1/keys) and the audit log (/api/v1/audit).
#include <spdlog/spdlog.h>

#include "accounts/password_hash.h"
#include "booking/audit_trail.h"
#include "booking/booking_view.h"
#include "common/log_text.h"
#include "common/strict_json.h"
#include "http/staff/staff_dialect.h"
#include "http/staff_auth.h"

namespace slotbook::server {
namespace {

constexpr int kMaxAuditPage = 200;

Json user_json(const StaffUserRecord& u) {
  auto optional_text = [](const std::string& text) { return text.empty() ? Json() : Json(text); };
  return Json{{"id", u.id},
              {"email", u.email},
              {"role", u.role},
              {"clinic_id", optional_text(u.clinic_id)},
              {"practitioner_id", optional_text(u.practitioner_id)}};
}

Json key_json(const ApiKeyRecord& k) {
  return Json{{"id", k.id},
              {"name", k.name},
              {"clinic_id", k.clinic_id.empty() ? Json() : Json(k.clinic_id)},
              {"prefix", k.prefix},
              {"created_at", instant_text(k.created_at)},
              {"created_by", k.created_by},
              {"last_used_at", optional_instant_json(k.last_used_at)},
              {"revoked_at", optional_instant_json(k.revoked_at)}};
}

// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
// page sends it), Secure when people reach the server over https.
std::string session_cookie_header(const AppContext& app, const std::string& token,
                                  std::chrono::seconds max_age) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + token +
      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (app.settings.public_url.rfind("https://", 0) == 0) cookie += "; Secure";
  return cookie;
}

void sign_in(AppContext& app, const Request& req, Response& res) {
  // A browser always says where a sign-in comes from: another site's page may not sign its
  // visitor in to an account of its choosing (login CSRF). Programs send no Origin.
  if (req.has_header("Origin") && !same_origin(app, req)) {
    return staff_error(res, 403, "csrf_failed", "sign in from this server's own staff app");
  }
  auto body = parse_strict_json(req.body);
  if (!body || !body->is_object()) {
    return staff_error(res, 400, "invalid_json", "the body must be a JSON object");
  }
  std::vector<FieldError> errors;
  FieldReader fields(*body, "", &errors);
  auto email = fields.text("email", true, kMaxEmail);
  auto password = fields.text("password", true, kMaxPasswordLength * 4);
  if (!errors.empty()) return staff_fields(res, errors);
  auto signed_in = app.accounts.sign_in(*email, *password, req.remote_addr, session_cookie(req));
  if (!signed_in.ok()) {
    const SignInRefusal& refusal = signed_in.error();
    if (refusal.retry_after.count() > 0) {
      spdlog::warn("sign-in throttled for {} from {}", log_text(*email), log_text(req.remote_addr));
      res.set_header("Retry-After", std::to_string(refusal.retry_after.count()));
      return staff_error(
          res, 429, "too_many_attempts", refusal.failure.message,
          Json{{"retry_after_seconds", static_cast<std::int64_t>(refusal.retry_after.count())}});
    }
    if (refusal.failure.code == "invalid_credentials") {
      spdlog::info("sign-in refused for {} from {}", log_text(*email), log_text(req.remote_addr));
      return staff_error(res, 401, "invalid_credentials", "Invalid email or password");
    }
    return staff_failure(res, refusal.failure);
  }
  res.set_header("Set-Cookie", session_cookie_header(app, signed_in->token, kSessionLifetime));
  send_json(res, 200,
            Json{{"success", true},
                 {"user", user_json(signed_in->user)},
                 {"csrf_token", signed_in->csrf_token},
                 {"expires_at", instant_text(signed_in->expires_at)}});
}

void current_session(AppContext& app, const Request& req, Response& res) {
  const std::string token = session_cookie(req);
  auto principal = app.accounts.session(token);
  if (!principal.ok()) return staff_failure(res, principal.error());
  if (!*principal) return staff_error(res, 401, "unauthorized", "not signed in");
  const Principal& p = **principal;
  send_json(res, 200,
            Json{{"success", true},
                 {"user", Json{{"id", p.actor.id},
                               {"email", p.actor.name},
                               {"role", std::string(to_string(p.role))},
                               {"clinic_id", p.clinic_id.empty() ? Json() : Json(p.clinic_id)},
                               {"practitioner_id",
                                p.practitioner_id.empty() ? Json() : Json(p.practitioner_id)}}},
                 {"csrf_token", AccountService::csrf_token(token)}});
}

void sign_out(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  if (Status ended = app.accounts.sign_out(session_cookie(req)); !ended.ok()) {
    return staff_failure(res, ended.error());
  }
  res.set_header("Set-Cookie", session_cookie_header(app, "", std::chrono::seconds(0)));
  send_json(res, 200, Json{{"success", true}, {"signed_out", true}});
}

void sign_out_everywhere(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  if (call.principal.actor.type != "user") {
    return staff_error(res, 400, "validation_failed", "only a signed-in user has sessions");
  }
  auto ended = app.accounts.sign_out_everywhere(call.principal);
  if (!ended.ok()) return staff_failure(res, ended.error());
  res.set_header("Set-Cookie", session_cookie_header(app, "", std::chrono::seconds(0)));
  send_json(res, 200, Json{{"success", true}, {"sessions_ended", *ended}});
}

// The clinic a key request is about: the one asked for, else the principal's; a
// server-wide principal may leave it out (every clinic).
std::optional<std::string> key_clinic(const Request& req, const StaffCall& call, Response& res) {
  std::string clinic_id = req.get_param_value("clinic_id");
  if (clinic_id.empty() && call.body.contains("clinic_id") && call.body["clinic_id"].is_string()) {
    clinic_id = call.body["clinic_id"].get<std::string>();
  }
  if (clinic_id.empty()) clinic_id = call.principal.clinic_id;
  if (!call.principal.sees_clinic(clinic_id)) {
    staff_error(res, 404, "clinic_not_found", "no clinic " + clinic_id);
    return std::nullopt;
  }
  return clinic_id;
}

void list_keys(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageKeys);
  if (!call.ok) return;
  auto clinic_id = key_clinic(req, call, res);
  if (!clinic_id) return;
  auto keys = app.accounts.keys(*clinic_id);
  if (!keys.ok()) return staff_failure(res, keys.error());
  Json out = Json::array();
  for (const ApiKeyRecord& k : *keys) out.push_back(key_json(k));
  send_json(res, 200, Json{{"success", true}, {"keys", std::move(out)}});
}

void create_key(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageKeys);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  auto name = fields.text("name", true, kMaxKeyName);
  (void)fields.text("clinic_id", false, 64);
  if (!errors.empty()) return staff_fields(res, errors);
  auto clinic_id = key_clinic(req, call, res);
  if (!clinic_id) return;
  auto created = app.accounts.create_key(*name, *clinic_id, call.principal.actor);
  if (!created.ok()) return staff_failure(res, created.error());
  send_json(res, 201,
            Json{{"success", true}, {"key", key_json(created->key)}, {"secret", created->secret}});
}

void revoke_key(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageKeys);
  if (!call.ok) return;
  const std::string id = req.matches[1].str();
  auto keys = app.accounts.keys(call.principal.clinic_id);
  if (!keys.ok()) return staff_failure(res, keys.error());
  const bool visible =
      std::any_of(keys->begin(), keys->end(), [&](const ApiKeyRecord& k) { return k.id == id; });
  if (!visible) return staff_error(res, 404, "key_not_found", "no such API key");
  auto revoked = app.accounts.revoke_key(id, call.principal.actor);
  if (!revoked.ok()) return staff_failure(res, revoked.error());
  send_json(res, 200, Json{{"success", true}, {"key", key_json(*revoked)}});
}

// One page of audit entries, newest first, with where the next page starts.
void send_audit_page(AppContext& app, Response& res, const AuditFilter& filter) {
  auto entries = app.accounts.audit(filter);
  if (!entries.ok()) return staff_failure(res, entries.error());
  Json out = Json::array();
  for (const AuditRecord& e : *entries) out.push_back(audit_json(e));
  const bool full = static_cast<int>(entries->size()) == filter.limit;
  send_json(res, 200,
            Json{{"success", true},
                 {"entries", std::move(out)},
                 {"next_before", full ? Json(entries->back().id) : Json()}});
}

std::optional<AuditFilter> audit_filter(const Request& req, Response& res) {
  AuditFilter filter;
  std::vector<FieldError> errors;
  auto integer = [&](const char* name, std::int64_t min,
                     std::int64_t max) -> std::optional<std::int64_t> {
    if (!req.has_param(name)) return std::nullopt;
    const std::string text = req.get_param_value(name);
    static const std::regex kInteger(R"(\d{1,15})");
    if (!std::regex_match(text, kInteger) || std::stoll(text) < min || std::stoll(text) > max) {
      errors.push_back(
          {name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
           "value_error"});
      return std::nullopt;
    }
    return std::stoll(text);
  };
  filter.limit = static_cast<int>(integer("limit", 1, kMaxAuditPage).value_or(50));
  filter.before_id = integer("before", 1, std::numeric_limits<std::int64_t>::max() / 2);
  if (!errors.empty()) {
    staff_fields(res, errors);
    return std::nullopt;
  }
  return filter;
}

void list_audit(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewAudit);
  if (!call.ok) return;
  auto filter = audit_filter(req, res);
  if (!filter) return;
  std::string clinic_id = req.get_param_value("clinic_id");
  if (clinic_id.empty()) clinic_id = call.principal.clinic_id;
  if (!call.principal.sees_clinic(clinic_id)) {
    return staff_error(res, 404, "clinic_not_found", "no clinic " + clinic_id);
  }
  if (!clinic_id.empty()) filter->clinic_id = clinic_id;
  if (req.has_param("target_id")) filter->target_id = req.get_param_value("target_id");
  send_audit_page(app, res, *filter);
}

// A booking's history, for everyone who may see the booking.
void booking_history(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  auto found = staff_booking(app, call, req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  auto filter = audit_filter(req, res);
  if (!filter) return;
  filter->clinic_id = found->booking.clinic_id;
  filter->target_id = found->booking.id;
  send_audit_page(app, res, *filter);
}

}  // namespace

void register_staff_account_routes(Router& server, AppContext& app) {
  auto bind = [&app](void (*handler)(AppContext&, const Request&, Response&)) {
    return [&app, handler](const Request& req, Response& res) { handler(app, req, res); };
  };
  server.Post("/api/v1/session", bind(sign_in));
  server.Get("/api/v1/session", bind(current_session));
  server.Delete("/api/v1/session", bind(sign_out));
  server.Post("/api/v1/session/sign-out-everywhere", bind(sign_out_everywhere));
  server.Get("/api/v1/keys", bind(list_keys));
  server.Post("/api/v1/keys", bind(create_key));
  server.Delete(R"(/api/v1/keys/([A-Za-z0-9_-]{1,64}))", bind(revoke_key));
  server.Get("/api/v1/audit", bind(list_audit));
  server.Get(R"(/api/calendar/appointments/([A-Za-z0-9_-]{1,64})/history)", bind(booking_history));
}

}  // namespace slotbook::server
