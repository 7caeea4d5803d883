// Where the server may send a webhook: the guard against server-side request forgery, i.e.
// a clinic account registering http://169.254.169.254/ or https://10.0.0.5:5432/ to make
// the server probe the network it runs in.
//
// Two checks share one classification of addresses. check_webhook_url runs when a URL is
// registered and gives people a clear answer; is_public_address runs again on every socket
// http_client opens for a webhook (HttpRequest::public_addresses_only), because a name that
// resolves to a public address today may resolve to 127.0.0.1 tomorrow (DNS rebinding).
//
// Stateless and thread-safe. check_webhook_url blocks on DNS (getaddrinfo).
#ifndef SLOTBOOK_SERVER_NOTIFY_ADDRESS_GUARD_H_
#define SLOTBOOK_SERVER_NOTIFY_ADDRESS_GUARD_H_

#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/expected.h"

namespace slotbook::server {

// A URL split by libcurl's own parser (curl_url), the one the clients connect with, so a
// check on these parts and the later connection cannot disagree about the host. Absent
// parts are nullopt; `scheme` is lower case; `host` is in punycode and IPv6 literals come
// without brackets.
struct UrlParts {
  std::string scheme;
  std::string host;
  std::optional<std::string> port, user, password, zone_id, query, fragment;
  std::string path;  // "/" when the URL has none
};
// nullopt when `url` is not an absolute URL of a scheme libcurl supports.
std::optional<UrlParts> parse_url(std::string_view url);

// Whether `address` (AF_INET or AF_INET6; false for any other family) is a public unicast
// address, one the open internet routes to someone else's host. Not public: "this network"
// 0/8, private use (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT space 100.64/10,
// loopback (127/8, ::1), link-local (169.254/16 with the cloud metadata service, fe80::/10),
// IETF protocol assignments 192.0.0/24 and 2001::/23 (Teredo, ORCHID, benchmarking), the
// documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20),
// benchmarking 198.18/15, the deprecated 6to4 relay 192.88.99/24, multicast (224/4, ff00::/8),
// reserved 240/4 with broadcast, the unspecified addresses, and every IPv6 address outside
// the global unicast block 2000::/3 (IPv4-compatible ::/96, discard 100::/64, NAT64 local use
// 64:ff9b:1::/48, site-local fec0::/10). IPv6 forms that carry an IPv4 address (mapped
// ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are public when that IPv4 address is.
bool is_public_address(const sockaddr* address);

// Whether `address` is this host's loopback: 127/8, ::1 or ::ffff:127.0.0.0/104.
bool is_loopback_address(const sockaddr* address);

// `address` as numeric text ("10.0.0.5", "::1") for messages; "?" for other families.
std::string numeric_address(const sockaddr* address);

// Whether `url` may be registered as a webhook. Without `allow_private`: https:// to a host
// whose every resolved address is public. With `allow_private` (the server's
// --allow-http-webhooks, for tests and local development) also https:// to loopback and
// private-use addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and http:// to
// loopback only: plain http never leaves the machine, and link-local, multicast and the
// other special ranges stay refused either way. Always refused: other schemes, a user name
// or password in the URL (secrets belong in the signature), a fragment (never sent, so
// surely a mistake), an IPv6 zone id, and a host that does not resolve. A port is allowed.
// Fails invalid("invalid_webhook_url", <the rule broken, for people>).
Status check_webhook_url(std::string_view url, bool allow_private);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_ADDRESS_GUARD_H_
