#include "calendars/provider_result.h"

#include <algorithm>
#include <utility>

namespace slotbook::server {
namespace {

constexpr std::size_t kMaxDetailBytes = 300;

using Kind = ProviderFailure::Kind;

// What an error body says, in whichever of the providers' shapes it comes.
struct ErrorText {
  std::string text;
  std::string code;
  std::string oauth_error;  // RFC 6749 section 5.2 "error", e.g. "invalid_grant"
  std::optional<long long> zoom_code;
  bool rate_limited = false;  // Google's 403 rate and quota limits
};

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_rate_limit_reason(const std::string& reason) {
  return reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" ||
         reason == "quotaExceeded" || reason == "RATE_LIMIT_EXCEEDED";
}

// Google answers a rate limit with 403 (not only 429) and says so in the reasons; the
// newer error model repeats it in details[].reason.
bool says_rate_limited(const nlohmann::json& error) {
  if (string_field(error, "status") == "RESOURCE_EXHAUSTED") return true;
  for (const char* list : {"errors", "details"}) {
    const auto it = error.find(list);
    if (it == error.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      if (item.is_object() && is_rate_limit_reason(string_field(item, "reason"))) return true;
    }
  }
  return false;
}

ErrorText error_text(std::string_view body) {
  ErrorText result;
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return result;
  const auto error = json.find("error");
  if (error != json.end() && error->is_object()) {
    // Google {"error": {"code": 404, "message": ..., "errors": [...]}} and Graph
    // {"error": {"code": "ErrorItemNotFound", "message": ...}}.
    const std::string code = string_field(*error, "code");
    const std::string message = string_field(*error, "message");
    result.text = code.empty() ? message : message.empty() ? code : code + ": " + message;
    result.code = code;
    if (const auto errors = error->find("errors"); code.empty() && errors != error->end() &&
                                                   errors->is_array() && !errors->empty() &&
                                                   errors->front().is_object()) {
      result.code = string_field(errors->front(), "reason");
    }
    result.rate_limited = says_rate_limited(*error);
  } else if (error != json.end() && error->is_string()) {
    // OAuth {"error": "invalid_grant", "error_description": ...}; Zoom's token endpoint
    // puts the description in "reason".
    result.oauth_error = error->get<std::string>();
    result.code = result.oauth_error;
    std::string description = string_field(json, "error_description");
    if (description.empty()) description = string_field(json, "reason");
    result.text =
        description.empty() ? result.oauth_error : result.oauth_error + ": " + description;
  } else if (const std::string message = string_field(json, "message"); !message.empty()) {
    // Zoom {"code": 124, "message": "Invalid access token."}.
    const auto code = json.find("code");
    if (code != json.end() && code->is_number_integer()) {
      result.zoom_code = code->get<long long>();
      result.code = std::to_string(*result.zoom_code);
      result.text = "error " + std::to_string(*result.zoom_code) + ": " + message;
    } else {
      result.text = message;
    }
  }
  return result;
}

Kind kind_of(long status, const ErrorText& error) {
  if (error.oauth_error == "invalid_grant") return Kind::kUnauthorized;
  // The client id or secret is wrong: the operator's configuration, not the user's grant,
  // so the connection must not be marked broken for it.
  if (error.oauth_error == "invalid_client") return Kind::kRetry;
  if (status == 401 || error.zoom_code == 124) return Kind::kUnauthorized;
  if (status == 408 || status == 429 || (status >= 500 && status < 600)) return Kind::kRetry;
  if (status == 403 && error.rate_limited) return Kind::kRetry;
  if (status >= 400 && status < 500) return Kind::kRejected;
  return Kind::kRetry;  // 1xx, 3xx (redirects are not followed) and anything stranger
}

void redact(std::string& text, const std::vector<std::string_view>& secrets) {
  static constexpr std::string_view kRedacted = "[redacted]";
  for (const std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
}

// Cut at a character boundary, so the detail stays valid UTF-8 when the input was.
void cut(std::string& text, std::size_t limit) {
  if (text.size() <= limit) return;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  text += "...";
}

}  // namespace

std::optional<ProviderFailure> failure_of(std::string_view provider,
                                          const Expected<HttpReply>& reply,
                                          const std::vector<std::string_view>& secrets) {
  if (!reply.ok()) {
    std::string detail = reply.error().message;
    redact(detail, secrets);
    return ProviderFailure{Kind::kRetry, 0, std::move(detail), std::nullopt, ""};
  }
  const long status = reply->status;
  if (status >= 200 && status < 300) return std::nullopt;
  const ErrorText error = error_text(reply->body);
  std::string detail = std::string(provider) + " answered HTTP " + std::to_string(status);
  if (!error.text.empty()) detail += ": " + error.text;
  redact(detail, secrets);
  cut(detail, kMaxDetailBytes);
  std::string code = error.code;
  redact(code, secrets);
  cut(code, kMaxDetailBytes);
  return ProviderFailure{kind_of(status, error), status, std::move(detail), reply->retry_after,
                         std::move(code)};
}

ProviderFailure unexpected_answer(std::string_view provider, std::string_view what) {
  std::string detail = std::string(provider) + " sent an unexpected answer: " + std::string(what);
  cut(detail, kMaxDetailBytes);
  return ProviderFailure{Kind::kRetry, 0, std::move(detail), std::nullopt, ""};
}

ProviderResult<HttpReply> send_to_provider(std::string_view provider, const HttpRequest& request,
                                           const std::vector<std::string_view>& secrets) {
  auto reply = http_send(request);
  if (auto failure = failure_of(provider, reply, secrets)) return *std::move(failure);
  if (reply->truncated) {
    ProviderFailure failure = unexpected_answer(
        provider, "more than " + std::to_string(request.max_body_bytes) + " bytes");
    failure.status = reply->status;
    return failure;
  }
  return std::move(reply).value();
}

ProviderResult<nlohmann::json> json_object_of(std::string_view provider, std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return unexpected_answer(provider, "not a JSON object");
  return json;
}

HttpRequest api_request(std::string method, std::string url, std::string_view access_token,
                        std::chrono::milliseconds timeout) {
  std::string token(access_token);
  // A line break would end the header and start another one of the provider's choosing.
  token.erase(
      std::remove_if(token.begin(), token.end(), [](char c) { return c == '\r' || c == '\n'; }),
      token.end());
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = {"Authorization: Bearer " + token, "Accept: application/json"};
  request.timeout = timeout;
  return request;
}

std::string without_trailing_slash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base);
}

}  // namespace slotbook::server
