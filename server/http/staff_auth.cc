#include "http/staff_auth.h"

#include <spdlog/spdlog.h>

#include "common/log_text.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

std::string presented_key(const Request& req, const nlohmann::json* body) {
  std::string presented = req.get_header_value("X-API-Key");
  if (presented.empty()) {
    const std::string authorization = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.compare(0, kBearer.size(), kBearer) == 0) {
      presented = authorization.substr(kBearer.size());
    }
  }
  if (presented.empty() && body && body->is_object()) {
    auto it = body->find("api_key");
    if (it != body->end() && it->is_string()) presented = it->get<std::string>();
  }
  return presented;
}

bool is_safe_method(const std::string& method) { return method == "GET" || method == "HEAD"; }

// "scheme://host[:port]" of a URL.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  const auto path = url.find('/', scheme_end + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

}  // namespace

std::string session_cookie(const Request& req) {
  // Cookie: a=b; slotbook_session=TOKEN; c=d (RFC 6265 5.4). Only the first is read.
  const std::string header = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  std::size_t at = 0;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
    const std::size_t end = std::min(header.find(';', at), header.size());
    if (header.compare(at, name.size(), name) == 0) {
      return header.substr(at + name.size(), end - at - name.size());
    }
    at = end;
  }
  return "";
}

bool same_origin(const AppContext& app, const Request& req) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty() || origin == "null") return false;
  const std::string host = req.get_header_value("Host");
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  return !app.settings.public_url.empty() && origin == origin_of(app.settings.public_url);
}

Authentication authenticate(AppContext& app, const Request& req, const nlohmann::json* body) {
  Authentication out;
  const std::string key = presented_key(req, body);
  if (!key.empty()) {
    auto principal = app.accounts.key_principal(key);
    if (!principal.ok()) {
      out.refusal = AuthRefusal::kUnavailable;
      return out;
    }
    if (*principal) {
      out.principal = std::move(*principal);
      out.refusal = AuthRefusal::kNone;
    }
    return out;
  }
  const std::string token = session_cookie(req);
  if (token.empty()) return out;
  auto principal = app.accounts.session(token);
  if (!principal.ok()) {
    out.refusal = AuthRefusal::kUnavailable;
    return out;
  }
  if (!*principal) return out;
  if (!is_safe_method(req.method)) {
    const bool token_ok = constant_time_equals(req.get_header_value("X-CSRF-Token"),
                                               AccountService::csrf_token(token));
    if (!token_ok || !same_origin(app, req)) {
      spdlog::warn("cross-site request refused: {} {} from origin {}", req.method,
                   log_text(req.path), log_text(req.get_header_value("Origin")));
      out.refusal = AuthRefusal::kCsrf;
      return out;
    }
  }
  out.principal = std::move(*principal);
  out.refusal = AuthRefusal::kNone;
  return out;
}

}  // namespace slotbook::server
