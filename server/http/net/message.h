// The server's own HTTP request and response, as routes see them. The transport
// (net/server.h) fills a Request from the wire and writes the Response back; routes only
// read the one and fill the other. Member names follow what the routes were written
// against (cpp-httplib's), so a route reads the same whatever carries its bytes.
//
// Not thread-safe: one request and its response belong to one handler call at a time.
#ifndef SLOTBOOK_SERVER_HTTP_NET_MESSAGE_H_
#define SLOTBOOK_SERVER_HTTP_NET_MESSAGE_H_

#include <cstddef>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <string_view>

namespace slotbook::server {

// Header names compare without regard to case (RFC 9110 5.1).
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
// A name may appear more than once; lookups return the first.
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
// Query parameters in their decoded form; a name may appear more than once.
using Params = std::multimap<std::string, std::string>;

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // the request target as sent, query included
  std::string path;    // the target's path, percent-decoded ('+' stays '+')
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;
  Params params;            // from the query string only, never from a body
  std::string body;         // whole; at most the server's body limit
  std::string remote_addr;  // the TCP peer's address
  int remote_port = 0;
  std::smatch matches;  // the route pattern's groups, into `path`; set by Router

  bool has_header(const std::string& name) const;
  // The first value of header `name`, or "" when absent.
  std::string get_header_value(const std::string& name) const;
  bool has_param(const std::string& name) const;
  // The first value of parameter `name`, or "" when absent.
  std::string get_param_value(const std::string& name) const;
};

struct Response {
  int status = -1;  // -1: not set by a route (Router makes it 200 when one ran)
  Headers headers;
  std::string body;
  // A body shared with a cache (a snapshot, a static file), sent without a copy; when
  // set it replaces `body`.
  std::shared_ptr<const std::string> shared_body;

  bool has_header(const std::string& name) const;
  std::string get_header_value(const std::string& name) const;
  // Adds a header (a name may repeat, as Vary does). A name or value holding CR or LF is
  // ignored: it could split the response.
  void set_header(const std::string& name, const std::string& value);
  // The body and its Content-Type (replacing any earlier one).
  void set_content(std::string content, const std::string& content_type);
  // A precomputed body sent as it is. REQUIRES: `content` not null.
  void set_shared_content(std::shared_ptr<const std::string> content,
                          const std::string& content_type);
  // Whether a route gave a body (an empty shared body counts).
  bool has_content() const { return !body.empty() || shared_body != nullptr; }
};

// Percent-decodes `text` (%XX, and %uXXXX as UTF-8); with `plus_as_space`, '+' is a space
// (query strings). Malformed escapes are kept as they are.
std::string decode_url(std::string_view text, bool plus_as_space);
// Parses "a=1&b=x%20y" into decoded pairs. A pair without a name is skipped; one written
// twice the same way counts once.
Params parse_query(std::string_view query);
// Sets `path` and `params` from `target` (split at the first '?').
void parse_target(Request& req);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_NET_MESSAGE_H_
