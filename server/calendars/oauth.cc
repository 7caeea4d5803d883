#include "calendars/oauth.h"

#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "notify/http_client.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr int kVerifierBytes = 32;  // 43 base64url characters, RFC 7636's recommendation

std::string_view provider_name(OAuthProvider provider) {
  return provider == OAuthProvider::kGoogle ? "Google's token endpoint"
                                            : "Microsoft's token endpoint";
}

std::string with_query(std::string_view url, const Fields& fields) {
  std::string result(url);
  result += result.find('?') == std::string::npos ? '?' : '&';
  result += form_encode(fields);
  return result;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ProviderResult<TokenGrant> post_token_form(std::string_view provider, std::string_view token_url,
                                           const Fields& fields,
                                           const std::vector<std::string_view>& secrets,
                                           std::chrono::milliseconds timeout,
                                           std::string_view basic_user = {},
                                           std::string_view basic_password = {}) {
  HttpRequest request;
  request.url = std::string(token_url);
  request.headers = {"Accept: application/json"};
  request.content_type = "application/x-www-form-urlencoded";
  request.body = form_encode(fields);
  request.basic_user = std::string(basic_user);
  request.basic_password = std::string(basic_password);
  request.timeout = timeout;
  auto reply = send_to_provider(provider, request, secrets);
  if (!reply.ok()) return reply.error();
  return parse_token_grant(provider, reply->body);
}

}  // namespace

std::string pkce_challenge(std::string_view verifier) {
  return to_base64url(sha256_bytes(verifier));
}

Pkce new_pkce() {
  Pkce pkce;
  pkce.verifier = random_token(kVerifierBytes);
  pkce.challenge = pkce_challenge(pkce.verifier);
  return pkce;
}

std::string authorization_url(OAuthProvider provider, const OAuthApp& app,
                              std::string_view redirect_uri, std::string_view state,
                              std::string_view code_challenge) {
  if (provider == OAuthProvider::kGoogle) {
    return with_query(app.auth_url, {
                                        {"response_type", "code"},
                                        {"client_id", app.client_id},
                                        {"redirect_uri", std::string(redirect_uri)},
                                        {"scope", std::string(kGoogleScopes)},
                                        {"state", std::string(state)},
                                        {"code_challenge", std::string(code_challenge)},
                                        {"code_challenge_method", "S256"},
                                        {"access_type", "offline"},
                                        {"prompt", "consent"},
                                        {"include_granted_scopes", "true"},
                                    });
  }
  return with_query(app.auth_url, {
                                      {"client_id", app.client_id},
                                      {"response_type", "code"},
                                      {"redirect_uri", std::string(redirect_uri)},
                                      {"response_mode", "query"},
                                      {"scope", std::string(kMicrosoftScopes)},
                                      {"state", std::string(state)},
                                      {"code_challenge", std::string(code_challenge)},
                                      {"code_challenge_method", "S256"},
                                  });
}

ProviderResult<TokenGrant> exchange_code(OAuthProvider provider, const OAuthApp& app,
                                         std::string_view code, std::string_view redirect_uri,
                                         std::string_view code_verifier,
                                         std::chrono::milliseconds timeout) {
  Fields fields = {
      {"grant_type", "authorization_code"},        {"code", std::string(code)},
      {"redirect_uri", std::string(redirect_uri)}, {"client_id", app.client_id},
      {"client_secret", app.client_secret},        {"code_verifier", std::string(code_verifier)},
  };
  if (provider == OAuthProvider::kMicrosoft) fields.emplace_back("scope", kMicrosoftScopes);
  return post_token_form(provider_name(provider), app.token_url, fields,
                         {code, code_verifier, app.client_secret}, timeout);
}

ProviderResult<TokenGrant> refresh_access(OAuthProvider provider, const OAuthApp& app,
                                          std::string_view refresh_token,
                                          std::chrono::milliseconds timeout) {
  Fields fields = {
      {"grant_type", "refresh_token"},
      {"refresh_token", std::string(refresh_token)},
      {"client_id", app.client_id},
      {"client_secret", app.client_secret},
  };
  if (provider == OAuthProvider::kMicrosoft) fields.emplace_back("scope", kMicrosoftScopes);
  auto grant = post_token_form(provider_name(provider), app.token_url, fields,
                               {refresh_token, app.client_secret}, timeout);
  if (grant.ok() && grant->refresh_token.empty()) grant->refresh_token = refresh_token;
  return grant;
}

ProviderResult<TokenGrant> zoom_account_token(std::string_view token_url,
                                              std::string_view account_id,
                                              std::string_view client_id,
                                              std::string_view client_secret,
                                              std::chrono::milliseconds timeout) {
  return post_token_form(
      "Zoom's token endpoint", token_url,
      {{"grant_type", "account_credentials"}, {"account_id", std::string(account_id)}},
      {client_secret}, timeout, client_id, client_secret);
}

ProviderResult<TokenGrant> parse_token_grant(std::string_view provider, std::string_view body) {
  auto json = json_object_of(provider, body);
  if (!json.ok()) return json.error();
  TokenGrant grant;
  grant.access_token = string_field(*json, "access_token");
  if (grant.access_token.empty()) return unexpected_answer(provider, "no access_token");
  grant.refresh_token = string_field(*json, "refresh_token");
  grant.scope = string_field(*json, "scope");
  grant.id_token = string_field(*json, "id_token");
  if (const auto it = json->find("expires_in"); it != json->end()) {
    std::int64_t seconds = -1;
    if (it->is_number_integer()) {
      seconds = it->get<std::int64_t>();
    } else if (it->is_string()) {
      // Some Microsoft endpoints have sent it as a string; digits only, bounded.
      const std::string text = it->get<std::string>();
      if (!text.empty() && text.size() <= 9 &&
          text.find_first_not_of("0123456789") == std::string::npos) {
        seconds = std::stoll(text);
      }
    }
    if (seconds > 0) grant.expires_in = std::chrono::seconds(seconds);
  }
  return grant;
}

std::string email_from_id_token(std::string_view id_token) {
  const std::size_t first = id_token.find('.');
  if (first == std::string_view::npos) return "";
  const std::size_t second = id_token.find('.', first + 1);
  if (second == std::string_view::npos ||
      id_token.find('.', second + 1) != std::string_view::npos) {
    return "";
  }
  const auto payload = from_base64url(id_token.substr(first + 1, second - first - 1));
  if (!payload) return "";
  const auto claims = nlohmann::json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return "";
  if (const auto verified = claims.find("email_verified"); verified != claims.end()) {
    // Google sends a boolean; some issuers a string.
    if ((verified->is_boolean() && !verified->get<bool>()) ||
        (verified->is_string() && verified->get<std::string>() == "false")) {
      return "";
    }
  }
  return string_field(claims, "email");
}

}  // namespace slotbook::server
