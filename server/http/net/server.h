// The event-driven HTTP/1.1 transport (Boost.Beast on Boost.Asio): it accepts, reads,
// bounds and writes; what a request means is the `handle` callback's business.
//
// Threading: `threads` io threads, each running its own io_context; accepted connections
// are dealt to them in turn and stay on theirs, so one connection's steps never run
// concurrently and never hop threads. A connection costs a socket and about 3 KB
// while it waits: idle, slow or trickling clients never hold a thread. The
// callbacks run on the io threads and must be short (the engine and storage work of a
// route is: sub-millisecond to a few ms); while one runs, the other connections of its
// thread wait, those of the other threads do not.
//
// Deadlines, each per connection and for the whole step, not per read:
//   - request head: `header_timeout` from the connection's accept, or from the first
//     byte of a later request (a client trickling header lines is closed at it);
//   - request body: `body_timeout` once the head is read;
//   - keep-alive: `idle_timeout` between a response and the next request's first byte;
//   - response: `write_timeout`, plus a second per `min_send_rate` bytes of body.
// A connection past its deadline is closed without an answer. The body limit is
// enforced by the parser for every transfer encoding: a Content-Length over it is 413
// before any body byte is read; a chunked body is refused with 413 as soon as its chunks
// pass it, so memory stays bounded whatever the client sends.
//
// Stop: stop() (any thread, any time after start(), idempotent) closes the acceptor,
// closes connections waiting for a request, lets requests in flight finish (their
// answer says Connection: close) and returns at once; wait() blocks until every
// connection is gone, at most `shutdown_grace`, then ends the io threads.
#ifndef SLOTBOOK_SERVER_HTTP_NET_SERVER_H_
#define SLOTBOOK_SERVER_HTTP_NET_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/net/message.h"

namespace slotbook::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: the kernel picks a free one
  int threads = 2;
  int backlog = 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t min_send_rate = 32 * 1024;  // bytes per second a client must read at
  std::chrono::milliseconds shutdown_grace{10'000};
  std::size_t body_limit = 64 * 1024;    // bytes of body, any transfer encoding
  std::size_t header_limit = 16 * 1024;  // bytes of request line and header fields: else 431
  std::size_t target_limit = 8 * 1024;   // bytes of request target: else 414
  int max_requests_per_connection = 1000;
};

class HttpServer {
 public:
  // `handle` answers a complete request. `refuse` fills the answer to a request the
  // transport refused before it was complete (res.status set: 400 malformed, 413 body too
  // large, 414 target too long, 431 head too large; req holds what was read of the head).
  // Both may run concurrently on any io thread; an exception from either is a 500.
  using Handler = std::function<void(Request&, Response&)>;
  HttpServer(HttpServerOptions options, Handler handle, Handler refuse);
  ~HttpServer();  // stop(), wait()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns the bound port, or -1 after filling `error`.
  int listen(std::string* error);
  // REQUIRES: listen() succeeded. Starts the io threads; the acceptor accepts when this
  // returns.
  void start();
  void stop();
  // Blocks until the io threads have ended (see the header comment).
  void wait();

 private:
  class Impl;
  friend class Session;  // a connection (server.cc) reaches the Impl it belongs to
  std::shared_ptr<Impl> impl_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_NET_SERVER_H_
