// Assembles the cpp-httplib server: routes, the one error handler and the one exception
// handler (every failure becomes a JSON body, never a stack trace), the 64 KB body cap,
// the worker pool, response compression (compression.h), and one log line per request.
#ifndef SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_
#define SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_

#include <memory>

#include <httplib.h>

#include "http/app_context.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

// httplib::Server whose listen backlog can be raised after binding: the library is built
// with a backlog of 5, too small for a burst of clients connecting at once.
class HttpServer : public httplib::Server {
 public:
  // REQUIRES: bound (bind_to_port or bind_to_any_port succeeded). False if listen() fails.
  bool set_listen_backlog(int backlog);
};

// `app` must outlive the server. `threads` workers serve connections.
std::unique_ptr<HttpServer> make_http_server(AppContext& app, int threads);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_HTTP_SERVER_H_
