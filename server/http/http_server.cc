#include "http/http_server.h"
#include "common/log_text.h"

#include <sys/socket.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "http/calendly_routes.h"
#include "http/compression.h"
#include "http/manage_routes.h"
#include "http/partner_routes.h"
#include "http/public_routes.h"
#include "http/responses.h"
#include "http/staff_routes.h"
#include "http/static_files.h"

namespace slotbook::server {
namespace {

// httplib runs a request's routing, handler and logger on one worker thread.
thread_local std::chrono::steady_clock::time_point request_started;

const char* default_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 416:
      return "range_not_satisfiable";
    default:
      return status >= 500 ? "internal_error" : "error";
  }
}

}  // namespace

bool HttpServer::set_listen_backlog(int backlog) {
  // listen() on a listening socket only updates its backlog (Linux, POSIX).
  return ::listen(svr_sock_, backlog) == 0;
}

std::unique_ptr<HttpServer> make_http_server(AppContext& app, int threads) {
  auto server = std::make_unique<HttpServer>();
  const auto workers = static_cast<std::size_t>(std::max(2, threads));
  server->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server->set_payload_max_length(kMaxBodyBytes);
  server->set_keep_alive_max_count(1000);
  server->set_keep_alive_timeout(5);
  server->set_read_timeout(10);
  server->set_write_timeout(10);
  server->set_tcp_nodelay(true);

  server->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Called for every response with status >= 400; fills in a JSON body where a route
  // (or httplib itself: 404 no route, 413 body too large) left none.
  server->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        send_error(res, res.status, default_code(res.status),
                   res.status == 404   ? "no such endpoint"
                   : res.status == 413 ? "the request body is larger than 64 KB"
                                       : "the request could not be handled");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr failure) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("unhandled exception on {} {}: {}", log_text(req.method), log_text(req.path),
                      log_text(what));
        send_error(res, 500, "internal_error", "the server could not complete the request");
      });
  server->set_post_routing_handler(compress_response);
  server->set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                request_started)
                          .count();
    // The path only: query strings may carry manage tokens.
    spdlog::info("{} {} {} {} {:.2f}ms", log_text(req.remote_addr), log_text(req.method),
                 log_text(req.path), res.status, ms);
  });

  server->Get("/healthz", [&app](const httplib::Request&, httplib::Response& res) {
    Status status = app.queries.health();
    if (!status.ok()) return send_failure(res, status.error());
    send_json(res, 200, Json{{"status", "ok"}});
  });
  register_public_routes(*server, app);
  register_manage_routes(*server, app);
  register_partner_routes(*server, app);
  register_calendly_routes(*server, app);
  register_staff_routes(*server, app);
  register_static_routes(*server, app);
  return server;
}

}  // namespace slotbook::server
