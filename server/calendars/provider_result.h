// How the calendar and video provider clients (oauth.h, google_calendar.h,
// microsoft_graph.h, zoom_meetings.h) succeed or fail: a ProviderResult<T> holds the value or
// a ProviderFailure whose kind tells the caller what to do next (wait and retry, refresh the
// access token or mark the connection broken, or give up on this request). The mapping from
// an HTTP answer to a kind lives here once, so the clients agree on it.
//
// Stateless and thread-safe (send_to_provider is an http_send: init_http_clients() first).
#ifndef SLOTBOOK_SERVER_CALENDARS_PROVIDER_RESULT_H_
#define SLOTBOOK_SERVER_CALENDARS_PROVIDER_RESULT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "notify/http_client.h"
#include "slotbook/expected.h"

namespace slotbook::server {

struct ProviderFailure {
  enum class Kind {
    // May work later: no HTTP answer (transport failure, timeout), 408, 429, 5xx, Google's
    // 403 rate limits, an OAuth invalid_client (the operator's app credentials, fixable
    // without the user), and answers that are not what the provider documents.
    kRetry,
    // The access token was refused (401, Zoom's error 124) or, from a token endpoint, the
    // grant is invalid or revoked (invalid_grant): the caller refreshes the access token or
    // marks the connection broken.
    kUnauthorized,
    // This request will never work as it is (any other 4xx), e.g. a bad event body. Google's
    // 409 on an insert (the event id exists) is one too: see gcal::insert_event.
    kRejected,
  };
  Kind kind;
  long status = 0;     // the HTTP status; 0 when there was no answer
  std::string detail;  // for people and logs; never holds a token or a secret
  std::optional<std::chrono::seconds> retry_after;  // the answer's Retry-After, if any
  // The provider's machine code, when the answer has one: OAuth's error ("invalid_grant"),
  // Graph's error.code ("ErrorItemNotFound"), Google's first errors[].reason
  // ("rateLimitExceeded"), Zoom's code as digits ("3001").
  std::string code;
};

template <typename T>
using ProviderResult = slotbook::Expected<T, ProviderFailure>;

// A failure found without an HTTP answer to blame (no status, no provider code).
inline ProviderFailure provider_failure(ProviderFailure::Kind kind, std::string detail) {
  ProviderFailure failure{};
  failure.kind = kind;
  failure.detail = std::move(detail);
  return failure;
}

// nullopt when `reply` is a 2xx answer; otherwise the failure it means (see Kind). `detail`
// is "<provider> answered HTTP <status>" followed by the provider's own error text when
// the body carries one: Google's and Graph's error.message (with Graph's error.code),
// OAuth's error and error_description, Zoom's code and message. Any of `secrets` (the
// request's tokens, code, client secret) that the provider echoed back is replaced by
// "[redacted]", and the text is cut at 300 bytes. A transport failure keeps http_send's
// message, which names no credential.
std::optional<ProviderFailure> failure_of(std::string_view provider,
                                          const Expected<HttpReply>& reply,
                                          const std::vector<std::string_view>& secrets = {});

// kRetry for a 2xx answer that is not what the provider documents (not JSON, a field
// missing): "<provider> sent an unexpected answer: <what>".
ProviderFailure unexpected_answer(std::string_view provider, std::string_view what);

// Sends `request` (http_send) and returns the reply when it is a 2xx, else failure_of's
// failure. A 2xx body cut at request.max_body_bytes is kRetry too: parsing half a JSON
// text would fail less clearly.
ProviderResult<HttpReply> send_to_provider(std::string_view provider, const HttpRequest& request,
                                           const std::vector<std::string_view>& secrets = {});

// The JSON object in `body`, or unexpected_answer when it is not one. Never throws.
ProviderResult<nlohmann::json> json_object_of(std::string_view provider, std::string_view body);

// A request to a provider's REST API: `method` to `url` with "Authorization: Bearer
// <access_token>" and "Accept: application/json". Set content_type and body for a JSON body.
HttpRequest api_request(std::string method, std::string url, std::string_view access_token,
                        std::chrono::milliseconds timeout);

// `base` without its trailing slashes, so "https://api.example/" + "/v1" has one slash.
std::string without_trailing_slash(std::string_view base);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_PROVIDER_RESULT_H_
