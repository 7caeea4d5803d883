#include "http/http_server.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "common/log_text.h"
#include "http/calendly_routes.h"
#include "http/compression.h"
#include "http/fhir_routes.h"
#include "http/hold_routes.h"
#include "http/manage_routes.h"
#include "http/net/router.h"
#include "http/partner_routes.h"
#include "http/public_routes.h"
#include "http/responses.h"
#include "http/staff_routes.h"
#include "http/static_files.h"

namespace slotbook::server {
namespace {

using Steady = std::chrono::steady_clock;

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
    case 431:
      return "headers_too_large";
    default:
      return status >= 500 ? "internal_error" : "error";
  }
}

const char* default_message(int status) {
  switch (status) {
    case 404:
      return "no such endpoint";
    case 413:
      return "the request body is larger than 64 KB";
    case 414:
      return "the request target is too long";
    case 431:
      return "the request header fields are too large";
    default:
      return "the request could not be handled";
  }
}

// What every answer goes through, routed or refused by the transport: a JSON body for an
// error that has none, compression, the log line.
void finish(const Request& req, Response& res, Steady::time_point started) {
  if (res.status >= 400 && !res.has_content()) {
    send_error(res, res.status, default_code(res.status), default_message(res.status));
  }
  compress_response(req, res);
  const double ms = std::chrono::duration<double, std::milli>(Steady::now() - started).count();
  // The path only: query strings may carry manage tokens.
  spdlog::info("{} {} {} {} {:.2f}ms", log_text(req.remote_addr), log_text(req.method),
               log_text(req.path), res.status, ms);
}

void route(const Router& router, Request& req, Response& res) {
  const Steady::time_point started = Steady::now();
  try {
    router.dispatch(req, res);
  } catch (...) {
    std::string what = "unknown exception";
    try {
      throw;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("unhandled exception on {} {}: {}", log_text(req.method), log_text(req.path),
                  log_text(what));
    send_error(res, 500, "internal_error", "the server could not complete the request");
  }
  finish(req, res, started);
}

}  // namespace

std::unique_ptr<HttpServer> make_http_server(AppContext& app, HttpServerOptions options) {
  auto router = std::make_shared<Router>();
  router->Get("/healthz", [&app](const Request&, Response& res) {
    Status status = app.queries.health();
    if (!status.ok()) return send_failure(res, status.error());
    send_json(res, 200, Json{{"status", "ok"}});
  });
  register_public_routes(*router, app);
  register_hold_routes(*router, app);
  register_fhir_routes(*router, app);
  register_manage_routes(*router, app);
  register_partner_routes(*router, app);
  register_calendly_routes(*router, app);
  register_staff_routes(*router, app);
  register_static_routes(*router, app);

  options.body_limit = kMaxBodyBytes;
  return std::make_unique<HttpServer>(
      std::move(options), [router](Request& req, Response& res) { route(*router, req, res); },
      [](Request& req, Response& res) { finish(req, res, Steady::now()); });
}

}  // namespace slotbook::server
