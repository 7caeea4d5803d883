#include "notify/address_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include <curl/curl.h>

namespace slotbook::server {
namespace {

// What an address is to the guard. Private use is split from the rest of the special
// ranges because allow_private opens it (and loopback) but nothing else.
enum class AddressClass { kPublic, kLoopback, kPrivate, kSpecial };

struct V4Range {
  std::uint32_t base;
  int prefix;
  AddressClass kind;
};

// IANA's IPv4 special-purpose registry, less the few entries that are globally reachable
// anycast services (AS112, AMT) a webhook has no reason to be refused for.
constexpr std::array<V4Range, 15> kSpecialV4 = {{
    {0x00000000, 8, AddressClass::kSpecial},   // 0/8 "this network"
    {0x0A000000, 8, AddressClass::kPrivate},   // 10/8
    {0x64400000, 10, AddressClass::kPrivate},  // 100.64/10 shared (CGNAT, tailnets)
    {0x7F000000, 8, AddressClass::kLoopback},  // 127/8
    {0xA9FE0000, 16, AddressClass::kSpecial},  // 169.254/16 link-local, cloud metadata
    {0xAC100000, 12, AddressClass::kPrivate},  // 172.16/12
    {0xC0000000, 24, AddressClass::kSpecial},  // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24, AddressClass::kSpecial},  // 192.0.2/24 TEST-NET-1
    {0xC0586300, 24, AddressClass::kSpecial},  // 192.88.99/24 6to4 relay (deprecated)
    {0xC0A80000, 16, AddressClass::kPrivate},  // 192.168/16
    {0xC6120000, 15, AddressClass::kSpecial},  // 198.18/15 benchmarking
    {0xC6336400, 24, AddressClass::kSpecial},  // 198.51.100/24 TEST-NET-2
    {0xCB007100, 24, AddressClass::kSpecial},  // 203.0.113/24 TEST-NET-3
    {0xE0000000, 4, AddressClass::kSpecial},   // 224/4 multicast
    {0xF0000000, 4, AddressClass::kSpecial},   // 240/4 reserved, 255.255.255.255
}};

AddressClass classify_v4(std::uint32_t address) {  // host byte order
  for (const V4Range& range : kSpecialV4) {
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - range.prefix);
    if ((address & mask) == range.base) return range.kind;
  }
  return AddressClass::kPublic;
}

std::uint32_t v4_at(const std::uint8_t* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
         std::uint32_t{bytes[2]} << 8 | bytes[3];
}

bool starts_with(const std::uint8_t* bytes, std::initializer_list<std::uint8_t> prefix) {
  return std::memcmp(bytes, prefix.begin(), prefix.size()) == 0;
}

// A public IPv4 address embedded in a translation prefix is as public as that address;
// anything else embedded there is refused outright rather than classified, since the
// gateway, not this host, would be the one reaching it.
AddressClass through_gateway(std::uint32_t embedded) {
  return classify_v4(embedded) == AddressClass::kPublic ? AddressClass::kPublic
                                                        : AddressClass::kSpecial;
}

AddressClass classify_v6(const std::uint8_t* b) {
  static constexpr std::uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0) {  // :: and ::1
    return b[15] == 1 ? AddressClass::kLoopback : AddressClass::kSpecial;
  }
  if (std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
    return classify_v4(v4_at(b + 12));  // ::ffff:a.b.c.d is that IPv4 address on this host
  }
  if (starts_with(b, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return through_gateway(v4_at(b + 12));  // NAT64 64:ff9b::/96
  }
  if (starts_with(b, {0x20, 0x02})) return through_gateway(v4_at(b + 2));  // 6to4 2002::/16
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::kPrivate;                // fc00::/7
  if ((b[0] & 0xe0) != 0x20) return AddressClass::kSpecial;  // outside 2000::/3 global unicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return AddressClass::kSpecial;  // 2001::/23
  if (starts_with(b, {0x20, 0x01, 0x0d, 0xb8})) return AddressClass::kSpecial;     // 2001:db8::/32
  if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0) {
    return AddressClass::kSpecial;  // 3fff::/20 documentation (RFC 9637)
  }
  return AddressClass::kPublic;
}

AddressClass classify(const sockaddr* address) {
  if (address == nullptr) return AddressClass::kSpecial;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return classify_v4(ntohl(v4->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    return classify_v6(v6->sin6_addr.s6_addr);
  }
  return AddressClass::kSpecial;
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlTextDeleter {
  void operator()(char* text) const { curl_free(text); }
};

std::optional<std::string> url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlTextDeleter> text(raw);
  return std::string(text.get());
}

struct AddrInfoDeleter {
  void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

Failure bad_url(std::string why) { return invalid("invalid_webhook_url", std::move(why)); }

}  // namespace

bool is_public_address(const sockaddr* address) {
  return classify(address) == AddressClass::kPublic;
}

bool is_loopback_address(const sockaddr* address) {
  return classify(address) == AddressClass::kLoopback;
}

std::string numeric_address(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address == nullptr) return text;
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

std::optional<UrlParts> parse_url(std::string_view url) {
  std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
  if (!handle) return std::nullopt;
  const std::string text(url);
  if (text.size() != std::strlen(text.c_str())) return std::nullopt;  // an embedded NUL
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  UrlParts parts;
  auto scheme = url_part(handle.get(), CURLUPART_SCHEME);
  auto host = url_part(handle.get(), CURLUPART_HOST, CURLU_PUNYCODE);
  if (!scheme || !host || host->empty()) return std::nullopt;
  parts.scheme = std::move(*scheme);
  parts.host = std::move(*host);
  if (parts.host.size() >= 2 && parts.host.front() == '[' && parts.host.back() == ']') {
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  }
  parts.port = url_part(handle.get(), CURLUPART_PORT);
  parts.user = url_part(handle.get(), CURLUPART_USER);
  parts.password = url_part(handle.get(), CURLUPART_PASSWORD);
  parts.zone_id = url_part(handle.get(), CURLUPART_ZONEID);
  parts.query = url_part(handle.get(), CURLUPART_QUERY);
  parts.fragment = url_part(handle.get(), CURLUPART_FRAGMENT);
  parts.path = url_part(handle.get(), CURLUPART_PATH).value_or("/");
  return parts;
}

Status check_webhook_url(std::string_view url, bool allow_private) {
  const auto parts = parse_url(url);
  if (!parts) return bad_url("The webhook URL is not a valid absolute URL.");
  const bool plain_http = parts->scheme == "http";
  if (parts->scheme != "https" && !(plain_http && allow_private)) {
    return bad_url(allow_private ? "A webhook URL must start with https:// (or http:// to "
                                   "this machine's loopback)."
                                 : "A webhook URL must start with https://.");
  }
  if (parts->user || parts->password) {
    return bad_url(
        "A webhook URL may not contain a user name or password; the receiver "
        "checks the webhook-signature header instead.");
  }
  if (parts->fragment) return bad_url("A webhook URL may not have a #fragment.");
  if (parts->zone_id) return bad_url("A webhook URL may not name an IPv6 zone.");

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int error = getaddrinfo(parts->host.c_str(), nullptr, &hints, &found);
  std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  if (error != 0) {
    return bad_url("The webhook host " + parts->host + " cannot be resolved (" +
                   gai_strerror(error) + ").");
  }
  for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
    const AddressClass kind = classify(entry->ai_addr);
    const bool allowed = plain_http ? kind == AddressClass::kLoopback
                                    : kind == AddressClass::kPublic ||
                                          (allow_private && (kind == AddressClass::kLoopback ||
                                                             kind == AddressClass::kPrivate));
    if (allowed) continue;
    const std::string where = parts->host == numeric_address(entry->ai_addr)
                                  ? parts->host
                                  : parts->host + " resolves to " + numeric_address(entry->ai_addr);
    if (plain_http) {
      return bad_url("An http:// webhook URL may only point at this machine's loopback; " + where +
                     " is not loopback.");
    }
    return bad_url("A webhook URL must point at a public internet address; " + where +
                   " is a private, local or reserved address.");
  }
  return {};
}

}  // namespace slotbook::server
