// Who a staff or partner request comes from (accounts/principal.h), for every dialect:
//   - an API key in X-API-Key, "Authorization: Bearer KEY" or (when `body` is an object)
//     its "api_key" field, the header winning: a named key or the bootstrap
//     CALENDAR_API_KEY;
//   - else the staff app's session cookie. A cookie-authenticated request that is not a
//     GET or HEAD must also carry the session's CSRF token in X-CSRF-Token and an Origin
//     equal to this server's own (the Host it was sent to, or --public-url's origin):
//     cookies are sent by browsers on their own, so they alone prove no intent.
// Each dialect renders the refusals its own way.
#ifndef SLOTBOOK_SERVER_HTTP_STAFF_AUTH_H_
#define SLOTBOOK_SERVER_HTTP_STAFF_AUTH_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "accounts/principal.h"
#include "http/app_context.h"
#include "http/net/message.h"

namespace slotbook::server {

inline constexpr const char* kSessionCookie = "slotbook_session";

enum class AuthRefusal {
  kNone,
  kUnauthenticated,  // no credential, or one that is wrong, revoked or expired
  kCsrf,             // a cookie write without the CSRF token or from another origin
  kUnavailable,      // storage could not be asked
};

struct Authentication {
  std::optional<Principal> principal;
  AuthRefusal refusal = AuthRefusal::kUnauthenticated;
};

Authentication authenticate(AppContext& app, const Request& req, const nlohmann::json* body);

// The session cookie's value in the request, or "".
std::string session_cookie(const Request& req);
// Whether the request's Origin is this server's own.
bool same_origin(const AppContext& app, const Request& req);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_STAFF_AUTH_H_
