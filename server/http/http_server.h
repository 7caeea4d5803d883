// Assembles the booking server's HTTP side: the route table, the one error renderer and
// the one exception handler (every failure becomes a JSON body, never a stack trace),
// response compression (compression.h) and one log line per request, on the
// event-driven transport (net/server.h), which owns connections, deadlines and limits.
#ifndef SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_
#define SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_

#include <memory>

#include "http/app_context.h"
#include "http/net/server.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

// `app` must outlive the server. `options.body_limit` is set to kMaxBodyBytes.
std::unique_ptr<HttpServer> make_http_server(AppContext& app, HttpServerOptions options);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_
