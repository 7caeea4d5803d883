// Outgoing HTTP for the notification channels (Twilio's API, webhook endpoints) and the
// calendar and video providers (calendars/) through libcurl, and the libcurl plumbing the
// other clients share (global setup, per-thread handles).
//
// Thread-safe once init_http_clients() has run: each thread uses its own easy handles, and
// each handle keeps its connections open between calls, so a delivery worker posting to
// one host again and again does one TCP and TLS handshake, not one per message. Requests
// never follow redirects, verify TLS certificates (libcurl's default) and never raise
// signals (CURLOPT_NOSIGNAL).
#ifndef SLOTBOOK_SERVER_NOTIFY_HTTP_CLIENT_H_
#define SLOTBOOK_SERVER_NOTIFY_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <curl/curl.h>

#include "common/expected.h"

namespace slotbook::server {

// Call once at start, before any thread uses a client (curl_global_init is not
// thread-safe). Aborts when libcurl cannot initialise (out of memory, no TLS library).
void init_http_clients();

// The calling thread's reused libcurl easy handle for one kind of traffic, for as long as
// the lease lives. Its options are reset when the lease ends, so nothing it points to (a
// header list, an error buffer) outlives the call that set it, while its connection and DNS
// caches stay for the next lease. The kinds never share a handle: a connection opened for
// operator-configured hosts (Twilio, an SMTP relay, which may well be private) must never
// be reused by a webhook, whose connections all pass the public-address check.
// REQUIRES: init_http_clients() has run; at most one lease per kind per thread at a time.
enum class CurlTraffic { kOperatorHosts, kPublicHostsOnly, kMail };
class CurlLease {
 public:
  explicit CurlLease(CurlTraffic traffic);
  ~CurlLease();
  CurlLease(const CurlLease&) = delete;
  CurlLease& operator=(const CurlLease&) = delete;
  CURL* get() const { return handle_; }

 private:
  CURL* handle_;
};

struct HttpRequest {
  // "GET", "POST", "PATCH" or "DELETE". GET never sends a body; DELETE sends one only when
  // `body` is not empty; POST and PATCH always send `body` (possibly empty).
  std::string method = "POST";
  std::string url;                   // http:// or https:// only
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string content_type;                // e.g. "application/json"; empty: no Content-Type header
  std::string basic_user, basic_password;  // HTTP Basic when basic_user is not empty
  std::chrono::milliseconds timeout{10000};  // the whole request, connecting included
  // Refuse to connect to an address that is not public (is_public_address). Checked on the
  // very address libcurl is about to connect to (CURLOPT_OPENSOCKETFUNCTION), so DNS
  // rebinding cannot slip past check_webhook_url. Proxies from the environment are ignored
  // then, since through a proxy the check would see only the proxy's address.
  bool public_addresses_only = false;
  // The most of the reply body kept; reading stops there (a calendar feed asks for more).
  std::size_t max_body_bytes = 64 * 1024;
};

struct HttpReply {
  long status = 0;
  // At most request.max_body_bytes of the body; `truncated` when the server sent more.
  std::string body;
  bool truncated = false;
  // The Retry-After header in its delay-seconds form (RFC 9110 10.2.3), as 429 and 503
  // answers carry it; nullopt when absent or in the HTTP-date form.
  std::optional<std::chrono::seconds> retry_after;
  // The ETag header's value as sent, quotes and W/ included, for a later If-None-Match;
  // "" when absent.
  std::string etag;
};

// One request. Any HTTP status is a reply, redirects included (they are not followed).
// Fails with code "http_transport" (kind kUnavailable: the same request may work later)
// when there is no HTTP answer at all: timeout, refused connection, DNS, TLS, a refused
// non-public address, a scheme other than http and https. Fails with code "http_method"
// (kind kInvalid, without sending) for a method other than the four above. The message is
// for people and names no credential.
Expected<HttpReply> http_send(const HttpRequest& request);

// `text` with every byte other than A-Z a-z 0-9 - . _ ~ percent-encoded (curl_easy_escape):
// a URL path segment or query value. REQUIRES: `text` is under 8 MB (libcurl's limit).
std::string url_escape(std::string_view text);

// application/x-www-form-urlencoded text of `fields` in order: name=value pairs joined by
// "&", every byte other than A-Z a-z 0-9 - . _ ~ percent-encoded (curl_easy_escape, so a
// space is %20). REQUIRES: each name and value is under 8 MB (libcurl's limit).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_HTTP_CLIENT_H_
