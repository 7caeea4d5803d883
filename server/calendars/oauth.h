// OAuth 2.0 for the connected calendars and Zoom: the authorization code flow with PKCE
// (RFC 6749 section 4.1, RFC 7636) against Google and the Microsoft identity platform v2.0,
// refreshing access tokens, reading the account's email from the OpenID Connect id_token,
// and Zoom's Server-to-Server OAuth (grant_type=account_credentials).
//
// The caller owns the flow's state: it makes the `state` value and the Pkce, keeps the
// verifier until the user comes back with a code, and stores the tokens (sealed). Nothing
// here logs or returns a secret in a failure's detail.
//
// Thread-safe once init_http_clients() has run (the token calls are http_sends); the URL,
// PKCE and id_token functions are pure apart from new_pkce's randomness.
#ifndef SLOTBOOK_SERVER_CALENDARS_OAUTH_H_
#define SLOTBOOK_SERVER_CALENDARS_OAUTH_H_

#include <chrono>
#include <string>
#include <string_view>

#include "calendars/provider_result.h"

namespace slotbook::server {

// The production endpoints (main.cc's defaults; tests point OAuthApp at fakes).
inline constexpr std::string_view kGoogleAuthUrl = "https://accounts.google.com/o/oauth2/v2/auth";
inline constexpr std::string_view kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
inline constexpr std::string_view kMicrosoftAuthUrl =
    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize";
inline constexpr std::string_view kMicrosoftTokenUrl =
    "https://login.microsoftonline.com/common/oauth2/v2.0/token";
inline constexpr std::string_view kZoomTokenUrl = "https://zoom.us/oauth/token";

// What the user is asked to grant. Google: the sign-in identity plus free/busy and event
// access (not the calendar itself: "primary" names it, email_from_id_token gives its
// address). Microsoft: a refresh token
// (offline_access), the identity, the profile (/me) and the calendars.
inline constexpr std::string_view kGoogleScopes =
    "openid email https://www.googleapis.com/auth/calendar.freebusy "
    "https://www.googleapis.com/auth/calendar.events";
inline constexpr std::string_view kMicrosoftScopes =
    "offline_access openid email User.Read Calendars.ReadWrite";

// RFC 7636: the verifier stays with the server, the challenge goes in the authorization URL,
// so an intercepted code is useless without the verifier.
struct Pkce {
  std::string verifier;   // 43 characters: base64url of 32 random bytes
  std::string challenge;  // pkce_challenge(verifier), method S256
};
Pkce new_pkce();
// BASE64URL-ENCODE(SHA256(ASCII(verifier))) without padding (RFC 7636 section 4.2).
std::string pkce_challenge(std::string_view verifier);

enum class OAuthProvider { kGoogle, kMicrosoft };

struct OAuthApp {
  std::string client_id, client_secret;
  std::string auth_url, token_url;  // the full endpoint URLs, e.g. kGoogleAuthUrl
};

// Where to send the user's browser: app.auth_url with the query (form_encode):
// Google: response_type=code, client_id, redirect_uri, scope=kGoogleScopes, state,
//   code_challenge, code_challenge_method=S256, access_type=offline (a refresh token),
//   prompt=consent (a refresh token on every connect, not only the first),
//   include_granted_scopes=true.
// Microsoft: client_id, response_type=code, redirect_uri, response_mode=query,
//   scope=kMicrosoftScopes, state, code_challenge, code_challenge_method=S256.
// An auth_url that already has a query gets the parameters after "&".
std::string authorization_url(OAuthProvider provider, const OAuthApp& app,
                              std::string_view redirect_uri, std::string_view state,
                              std::string_view code_challenge);

struct TokenGrant {
  std::string access_token, refresh_token, scope, id_token;
  std::chrono::seconds expires_in{3600};  // 3600 when the answer has none
};

// Trades the code the user came back with for tokens: POST app.token_url, form-encoded,
// grant_type=authorization_code, code, redirect_uri (the same as in the authorization URL),
// client_id, client_secret, code_verifier, and for Microsoft scope=kMicrosoftScopes.
// Failures as failure_of says (an invalid_grant, e.g. a code used twice or expired, is
// kUnauthorized); a 2xx without access_token is kRetry.
ProviderResult<TokenGrant> exchange_code(OAuthProvider provider, const OAuthApp& app,
                                         std::string_view code, std::string_view redirect_uri,
                                         std::string_view code_verifier,
                                         std::chrono::milliseconds timeout);

// A new access token: grant_type=refresh_token, refresh_token, client_id, client_secret, and
// for Microsoft scope. Microsoft may rotate the refresh token; the result's refresh_token is
// the new one when the answer has one and `refresh_token` otherwise, so the caller can
// always store it. invalid_grant (revoked, expired, the password changed) is kUnauthorized:
// the user must connect again.
ProviderResult<TokenGrant> refresh_access(OAuthProvider provider, const OAuthApp& app,
                                          std::string_view refresh_token,
                                          std::chrono::milliseconds timeout);

// The "email" claim of an OpenID Connect id_token (a JWT: the base64url JSON payload between
// its two dots); "" when the token is malformed, has no email, or says email_verified false.
// The signature is not checked: the token comes straight from the token endpoint over TLS,
// in answer to our client-authenticated request, and OpenID Connect Core 1.0 section
// 3.1.3.7 point 6 lets the TLS server validation stand in for the signature then.
// REQUIRES: `id_token` was received that way (never one a browser handed in).
std::string email_from_id_token(std::string_view id_token);

// Zoom Server-to-Server OAuth: POST token_url (kZoomTokenUrl) with the form body
// grant_type=account_credentials&account_id=..., HTTP Basic client_id:client_secret. The
// token lasts an hour and has no refresh token: ask again when it runs out. Failures as
// failure_of says (a wrong client id or secret is invalid_client: kRetry, the operator's
// configuration).
ProviderResult<TokenGrant> zoom_account_token(std::string_view token_url,
                                              std::string_view account_id,
                                              std::string_view client_id,
                                              std::string_view client_secret,
                                              std::chrono::milliseconds timeout);

// The token endpoint's JSON answer (RFC 6749 section 5.1) read into a grant: access_token
// required, the rest optional; expires_in as a number or a numeric string. For tests.
ProviderResult<TokenGrant> parse_token_grant(std::string_view provider, std::string_view body);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_OAUTH_H_
