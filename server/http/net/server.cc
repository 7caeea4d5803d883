#include "http/net/server.h"

#include "http/net/byte_range.h"

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace slotbook::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using WireRequest = bhttp::request<bhttp::string_body>;

// After a refusal or a final answer the connection is half-closed and what the client
// still sends is read and dropped, so it receives the answer instead of a reset; at most
// this long and this much.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 1024 * 1024;
// A buffer that grew for a large request is given back before the connection idles.
constexpr std::size_t kIdleBufferBytes = 16 * 1024;

// The head (and with `body` the body) of a wire request, as routes see it.
Request to_request(WireRequest& message, bool take_body) {
  Request req;
  req.method = std::string(message.method_string());
  req.target = std::string(message.target());
  req.version = static_cast<int>(message.version());
  for (const auto& field : message) {
    req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  if (take_body) req.body = std::move(message.body());
  parse_target(req);
  return req;
}

}  // namespace

class Session;

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, Handler handle, Handler refuse)
      : options(std::move(options)),
        handle(std::move(handle)),
        refuse(std::move(refuse)),
        contexts_(make_contexts(std::max(1, this->options.threads))),
        acceptor_(*contexts_.front()),
        retry_(*contexts_.front()) {}

  int listen(std::string* error);
  void start();
  void stop();
  void wait();
  bool stopping() const { return stopping_.load(); }
  void add(const std::shared_ptr<Session>& session);
  void remove(Session* session);

  const HttpServerOptions options;
  const Handler handle;
  const Handler refuse;

 private:
  using Contexts = std::vector<std::unique_ptr<asio::io_context>>;
  static Contexts make_contexts(int count);
  void accept();
  void on_accept(error_code error, tcp::socket socket);
  void run_io(asio::io_context& context);

  std::mutex mutex_;
  int running_threads_ = 0;                                        // guarded by mutex_
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  // One io_context per io thread: a connection stays on the thread that accepted it for
  // its whole life (its steps never run concurrently, its memory stays in that thread's
  // allocator arena, no hand-offs between threads).
  Contexts contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  std::size_t next_context_ = 0;  // round robin; used on the acceptor's thread only
  tcp::acceptor acceptor_;        // on the first context
  asio::steady_timer retry_;
  std::vector<std::thread> threads_;
};

// One connection: reads requests one after the other, each within its deadlines, hands
// each to the server's handler and writes the answer. Every step runs on the io thread
// of the connection's io_context.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    error_code error;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(error);
    if (!error) {
      remote_addr_ = peer.address().to_string();
      remote_port_ = peer.port();
    }
  }
  ~Session() { server_.remove(this); }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_head(); });
  }

  // A connection waiting for a request is closed; one with a request in flight finishes
  // it and then closes.
  void stop() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kWaiting || self->state_ == State::kHead) self->close();
    });
  }

 private:
  enum class State { kWaiting, kHead, kBody, kAnswering, kClosing };

  // Between requests: the idle deadline until the next request's first byte.
  void wait_for_request() {
    if (server_.stopping()) return close();
    if (buffer_.size() > 0) return read_head();  // pipelined
    state_ = State::kWaiting;
    stream_.expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(1024),
                            [self = shared_from_this()](error_code error, std::size_t n) {
                              self->buffer_.commit(n);
                              if (error) return self->close();
                              self->read_head();
                            });
  }

  void read_head() {
    if (server_.stopping()) return close();
    state_ = State::kHead;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    stream_.expires_after(server_.options.header_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code error, std::size_t) { self->on_head(error); });
  }

  void on_head(error_code error) {
    if (error == bhttp::error::body_limit) return refuse(413);
    if (error == bhttp::error::header_limit || error == bhttp::error::buffer_overflow) {
      return refuse(431);
    }
    if (error) return refuse_or_close(error);
    if (parser_->get().target().size() > server_.options.target_limit) return refuse(414);
    if (parser_->is_done()) return answer();
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      continue_ = {bhttp::status::continue_, 11};
      stream_.expires_after(server_.options.write_timeout);
      return bhttp::async_write(stream_, continue_,
                                [self = shared_from_this()](error_code error, std::size_t) {
                                  if (error) return self->close();
                                  self->read_body();
                                });
    }
    read_body();
  }

  void read_body() {
    state_ = State::kBody;
    stream_.expires_after(server_.options.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](error_code error, std::size_t) {
                        if (error == bhttp::error::body_limit) return self->refuse(413);
                        if (error) return self->refuse_or_close(error);
                        self->answer();
                      });
  }

  // A malformed request is answered 400; a timeout, a reset or a client gone is closed.
  void refuse_or_close(error_code error) {
    if (error == beast::error::timeout || error == bhttp::error::end_of_stream ||
        error == bhttp::error::partial_message || error == asio::error::eof ||
        error == asio::error::connection_reset || error == asio::error::operation_aborted ||
        error == asio::error::bad_descriptor) {
      return close();
    }
    refuse(400);
  }

  // Answers a request the transport will not complete, then closes.
  void refuse(int status) {
    state_ = State::kAnswering;
    stream_.expires_never();
    Request req = to_request(parser_->get(), false);
    req.remote_addr = remote_addr_;
    req.remote_port = remote_port_;
    Response res;
    res.status = status;
    run_handler(server_.refuse, req, res);
    send(req, res, false);
  }

  void answer() {
    state_ = State::kAnswering;
    stream_.expires_never();
    WireRequest message = parser_->release();
    const bool keep_alive = message.keep_alive();
    Request req = to_request(message, true);
    req.remote_addr = remote_addr_;
    req.remote_port = remote_port_;
    Response res;
    run_handler(server_.handle, req, res);
    send(req, res, keep_alive);
  }

  static void run_handler(const HttpServer::Handler& handler, Request& req, Response& res) {
    try {
      handler(req, res);
    } catch (...) {  // the handlers catch their own; this only keeps the connection sane
      res = Response();
      res.status = 500;
    }
    if (res.status < 100 || res.status > 599) res.status = 500;
  }

  void send(const Request& req, Response& res, bool keep_alive_asked) {
    const bool keep_alive = keep_alive_asked && !server_.stopping() &&
                            ++served_ < server_.options.max_requests_per_connection;
    response_body_ = res.shared_body ? std::move(res.shared_body)
                                     : std::make_shared<const std::string>(std::move(res.body));
    std::size_t offset = 0;
    std::size_t length = response_body_->size();
    apply_range(req, res, response_body_->size(), &offset, &length);

    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) response_.insert(name, value);
    if (length > 0 && !res.has_header("Content-Type")) {
      response_.set(bhttp::field::content_type, "text/plain");
    }
    const bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
    if (!bodiless) response_.content_length(length);
    if (!bodiless && req.method != "HEAD") {
      response_.body() = beast::span<const char>(response_body_->data() + offset, length);
    }
    response_.keep_alive(keep_alive);
    // A large answer to a slow (but not stalled) client gets time in proportion.
    const std::chrono::milliseconds transfer(length * 1000 / server_.options.min_send_rate);
    stream_.expires_after(server_.options.write_timeout + transfer);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this(), keep_alive](error_code error, std::size_t) {
                         self->response_body_.reset();
                         if (error) return self->close();
                         if (!keep_alive) return self->close_gracefully();
                         if (self->buffer_.capacity() > kIdleBufferBytes) {
                           self->buffer_.shrink_to_fit();
                         }
                         self->wait_for_request();
                       });
  }

  // Half-closes, reads and drops what the client still sends (bounded), then closes.
  void close_gracefully() {
    state_ = State::kClosing;
    error_code error;
    stream_.socket().shutdown(tcp::socket::shutdown_send, error);
    if (error) return close();
    drain_ = std::make_unique<std::array<char, 16 * 1024>>();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(*drain_),
                            [self = shared_from_this()](error_code error, std::size_t n) {
                              self->drained_ += n;
                              if (error || self->drained_ > kLingerBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    state_ = State::kClosing;
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::empty_body> continue_;
  bhttp::response<bhttp::span_body<const char>> response_;
  std::shared_ptr<const std::string> response_body_;  // what response_ points into
  std::unique_ptr<std::array<char, 16 * 1024>> drain_;
  std::size_t drained_ = 0;
  std::string remote_addr_;
  int remote_port_ = 0;
  int served_ = 0;
  State state_ = State::kHead;
};

int HttpServer::Impl::listen(std::string* error) {
  error_code failure;
  tcp::resolver resolver(*contexts_.front());
  auto endpoints =
      resolver.resolve(options.host, std::to_string(options.port), tcp::resolver::passive, failure);
  if (!failure && endpoints.empty()) failure = asio::error::host_not_found;
  if (!failure) {
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), failure);
    if (!failure) acceptor_.set_option(tcp::acceptor::reuse_address(true), failure);
    if (!failure) acceptor_.bind(endpoint, failure);
    if (!failure) acceptor_.listen(options.backlog, failure);
  }
  if (failure) {
    *error = failure.message();
    return -1;
  }
  return acceptor_.local_endpoint().port();
}

HttpServer::Impl::Contexts HttpServer::Impl::make_contexts(int count) {
  Contexts contexts;
  for (int i = 0; i < count; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  return contexts;
}

void HttpServer::Impl::start() {
  started_ = true;
  std::promise<void> accepting;
  asio::post(acceptor_.get_executor(), [this, &accepting] {
    accept();
    accepting.set_value();
  });
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_threads_ = static_cast<int>(contexts_.size());
  }
  for (auto& context : contexts_) {
    keep_running_.push_back(asio::make_work_guard(*context));
    threads_.emplace_back([this, &context = *context] { run_io(context); });
  }
  accepting.get_future().wait();
}

void HttpServer::Impl::run_io(asio::io_context& context) {
  for (;;) {
    try {
      context.run();
      break;
    } catch (const std::exception& e) {
      spdlog::error("io thread: {}", e.what());
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  --running_threads_;
}

void HttpServer::Impl::accept() {
  asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
  acceptor_.async_accept(context, [this](error_code error, tcp::socket socket) {
    on_accept(error, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(error_code error, tcp::socket socket) {
  if (!acceptor_.is_open() || error == asio::error::operation_aborted) return;
  if (error) {
    // Out of descriptors (or memory): try again shortly rather than spin.
    spdlog::warn("accept failed: {}", error.message());
    retry_.expires_after(std::chrono::milliseconds(50));
    retry_.async_wait([this](error_code waited) {
      if (!waited && acceptor_.is_open()) accept();
    });
    return;
  }
  socket.set_option(tcp::no_delay(true), error);
  auto session = std::make_shared<Session>(*this, std::move(socket));
  add(session);
  session->start();
  accept();
}

void HttpServer::Impl::add(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_[session.get()] = session;
}

void HttpServer::Impl::remove(Session* session) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(session);
}

void HttpServer::Impl::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  });
  for (auto& guard : keep_running_) guard.reset();  // each context ends with its last connection
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [_, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->stop();
}

void HttpServer::Impl::wait() {
  if (!started_) return;
  // Polled in short sleeps rather than a condition variable's timeout: under a faked
  // clock (libfaketime, how the tests run the server) such a timeout never expires.
  constexpr auto kSlice = std::chrono::milliseconds(20);
  for (std::chrono::milliseconds waited{0};; waited += kSlice) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (running_threads_ == 0) break;
    }
    if (waited >= options.shutdown_grace) {
      spdlog::warn("requests still running after {} ms: stopping anyway",
                   options.shutdown_grace.count());
      for (auto& context : contexts_) context->stop();
      break;
    }
    std::this_thread::sleep_for(kSlice);
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  started_ = false;
}

HttpServer::HttpServer(HttpServerOptions options, Handler handle, Handler refuse)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handle), std::move(refuse))) {}

HttpServer::~HttpServer() {
  impl_->stop();
  impl_->wait();
}

int HttpServer::listen(std::string* error) { return impl_->listen(error); }
void HttpServer::start() { impl_->start(); }
void HttpServer::stop() { impl_->stop(); }
void HttpServer::wait() { impl_->wait(); }

}  // namespace slotbook::server
