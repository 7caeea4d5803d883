#include "notify/http_client.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "notify/address_guard.h"

namespace slotbook::server {
namespace {

// Owns one thread's handle for one kind of traffic until the thread ends.
struct ThreadHandle {
  CURL* handle = nullptr;
  ~ThreadHandle() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

struct ReplyBody {
  std::size_t limit = 0;
  std::string text;
  bool full = false;
};

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<ReplyBody*>(user);
  const size_t bytes = size * count;
  const size_t room = body->limit - body->text.size();
  if (bytes > room) {
    // Returning short ends the transfer: the rest would only be dropped.
    body->text.append(data, room);
    body->full = true;
    return 0;
  }
  body->text.append(data, bytes);
  return bytes;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The headers http_send reports.
struct ReplyHeaders {
  std::optional<std::chrono::seconds> retry_after;
  std::string etag;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// delay-seconds is 1*DIGIT; nine digits (over 31 years) is plenty and cannot overflow.
std::optional<std::chrono::seconds> delay_seconds(std::string_view value) {
  if (value.empty() || value.size() > 9) return std::nullopt;
  long long seconds = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;  // the HTTP-date form: ignored
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

// Reads the reported headers from the header lines. libcurl calls this once per line,
// status lines included; a status line starts a new header block, so only the final
// answer's count.
size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<ReplyHeaders*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    *headers = ReplyHeaders{};
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trimmed(line.substr(colon + 1));
  if (equals_ignoring_case(name, "retry-after")) headers->retry_after = delay_seconds(value);
  if (equals_ignoring_case(name, "etag")) headers->etag = std::string(value);
  return bytes;
}

// Set when the guard refused an address, for a message better than "couldn't connect".
struct SocketGuard {
  std::string refused;
};

curl_socket_t open_public_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  if (purpose != CURLSOCKTYPE_IPCXN || !is_public_address(&address->addr)) {
    static_cast<SocketGuard*>(user)->refused = numeric_address(&address->addr);
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

Failure transport_failure(std::string message) {
  return {FailureKind::kUnavailable, "http_transport", std::move(message)};
}

enum class Method { kGet, kPost, kPatch, kDelete };

std::optional<Method> method_of(const std::string& name) {
  if (name == "GET") return Method::kGet;
  if (name == "POST") return Method::kPost;
  if (name == "PATCH") return Method::kPatch;
  if (name == "DELETE") return Method::kDelete;
  return std::nullopt;
}

std::string host_of(const std::string& url) {
  const auto parts = parse_url(url);
  return parts ? parts->host : "the server";
}

}  // namespace

void init_http_clients() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();
}

CurlLease::CurlLease(CurlTraffic traffic) {
  thread_local ThreadHandle operator_hosts, public_hosts, mail;
  ThreadHandle& owner = traffic == CurlTraffic::kOperatorHosts     ? operator_hosts
                        : traffic == CurlTraffic::kPublicHostsOnly ? public_hosts
                                                                   : mail;
  if (owner.handle == nullptr) owner.handle = curl_easy_init();
  if (owner.handle == nullptr) std::abort();  // libcurl is out of memory
  handle_ = owner.handle;
}

CurlLease::~CurlLease() { curl_easy_reset(handle_); }

Expected<HttpReply> http_send(const HttpRequest& request) {
  const auto method = method_of(request.method);
  if (!method) {
    return Failure{FailureKind::kInvalid, "http_method",
                   "Unsupported HTTP method \"" + request.method + "\"."};
  }
  CurlLease lease(request.public_addresses_only ? CurlTraffic::kPublicHostsOnly
                                                : CurlTraffic::kOperatorHosts);
  CURL* curl = lease.get();

  HeaderList headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* longer = curl_slist_append(headers.get(), line.c_str());
    if (longer == nullptr) std::abort();  // out of memory
    headers.release();
    headers.reset(longer);
  };
  for (const std::string& header : request.headers) add_header(header);
  if (!request.content_type.empty()) add_header("Content-Type: " + request.content_type);
  add_header("Expect:");  // no 100-continue round trip before larger bodies

  char error[CURL_ERROR_SIZE] = "";
  ReplyBody body;
  body.limit = request.max_body_bytes;
  ReplyHeaders reply_headers;
  SocketGuard guard;
  const long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "slotbook");
  const bool sends_body = *method == Method::kPost || *method == Method::kPatch ||
                          (*method == Method::kDelete && !request.body.empty());
  if (*method == Method::kGet) curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (sends_body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  // Set after CURLOPT_POST: only the request line's method changes, the body stays.
  if (*method == Method::kPatch) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PATCH");
  if (*method == Method::kDelete) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply_headers);
  if (!request.basic_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, request.basic_password.c_str());
  }
  if (request.public_addresses_only) {
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // "" overrides the environment too
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_public_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
  }

  const CURLcode result = curl_easy_perform(curl);
  if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && body.full)) {
    if (!guard.refused.empty()) {
      return transport_failure("Refused to connect to " + host_of(request.url) + " at " +
                               guard.refused + ": not a public internet address.");
    }
    return transport_failure("No HTTP answer from " + host_of(request.url) + ": " +
                             (error[0] != '\0' ? error : curl_easy_strerror(result)));
  }
  HttpReply reply;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(body.text);
  reply.truncated = body.full;
  reply.retry_after = reply_headers.retry_after;
  reply.etag = std::move(reply_headers.etag);
  return reply;
}

std::string url_escape(std::string_view text) {
  if (text.empty()) return {};  // length 0 would make libcurl call strlen on it
  // curl_easy_escape ignores its handle since libcurl 7.82.
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) std::abort();  // out of memory (or over libcurl's 8 MB limit)
  std::string result(escaped);
  curl_free(escaped);
  return result;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string encoded;
  for (const auto& [name, value] : fields) {
    if (!encoded.empty()) encoded += '&';
    encoded += url_escape(name);
    encoded += '=';
    encoded += url_escape(value);
  }
  return encoded;
}

}  // namespace slotbook::server
