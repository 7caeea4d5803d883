// booking-server: the slotbook HTTP server (docs/api.md).
//
//   booking-server --db FILE|URI [--db-pool N] [--clinic FILE]... --port N
//                  [--host 127.0.0.1] [--allow-origin ORIGIN]... [--web-root DIR]
//                  [--threads N] [--rate-limit N] [--header-timeout S]
//                  [--body-timeout S] [--idle-timeout S]
//   booking-server migrate --db FILE|URI
//
// --db is a SQLite file or a PostgreSQL connection URI (storage/open_storage.h). `migrate`
// brings the database's schema up to date and exits (the server also does it on start).
//
// Prints "listening on http://HOST:PORT" once it accepts (--port 0 picks a free port),
// logs one line per request to stderr, and stops cleanly on SIGTERM or SIGINT: no new
// connections, requests in flight answered, exit 0. The staff and partner API key comes
// from the environment variable CALENDAR_API_KEY.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "booking/booking_queries.h"
#include "booking/booking_service.h"
#include "booking/clinic_catalog.h"
#include "booking/clinic_config.h"
#include "booking/widget_snapshot.h"
#include "common/clock.h"
#include "common/log_text.h"
#include "common/periodic_task.h"
#include "http/app_context.h"
#include "http/http_server.h"
#include "http/rate_limiter.h"
#include "ics/ics_calendar.h"
#include "slotbook/system_zones.h"
#include "storage/open_storage.h"

namespace {

namespace fs = std::filesystem;
using namespace slotbook::server;

struct Options {
  std::string db;
  int db_pool = 0;  // 0: as many as threads, at most kMaxDefaultPool
  std::vector<std::string> clinics;
  int port = 8080;
  std::string host = "127.0.0.1";
  std::vector<std::string> allowed_origins;
  std::string web_root;
  int threads = 32;
  int rate_limit = 30;
  double header_timeout = 10;  // seconds, for the whole request head
  double body_timeout = 30;    // seconds, for the whole body once the head is read
  double idle_timeout = 5;     // seconds a kept-alive connection may wait for a request
};

std::chrono::milliseconds milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// build/web relative to the working directory, else the binary's ../web.
std::string default_web_root() {
  if (fs::is_directory("build/web")) return "build/web";
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) return (exe.parent_path().parent_path() / "web").string();
  return "build/web";
}

bool load_clinic(BookingService& bookings, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    spdlog::critical("cannot read clinic file {}", path);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded()) {
    spdlog::critical("clinic file {} is not valid JSON", path);
    return false;
  }
  auto stored = bookings.put_clinic(json);
  if (!stored.ok()) {
    spdlog::critical("clinic file {} refused: {}", path, stored.error().message);
    return false;
  }
  spdlog::info("clinic '{}' loaded from {} (configuration version {})", (*stored)->id(), path,
               (*stored)->version());
  return true;
}

constexpr int kMaxDefaultPool = 32;

int migrate(const std::string& db) {
  auto version = migrate_storage(db);
  if (!version.ok()) {
    std::fprintf(stderr, "cannot migrate %s: %s\n", redacted_db(db).c_str(),
                 version.error().message.c_str());
    return 1;
  }
  std::printf("database %s: schema version %d\n", redacted_db(db).c_str(), *version);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App cli{"slotbook booking server"};
  cli.add_option("--db", options.db,
                 "SQLite database file (created if missing) or PostgreSQL URI "
                 "(postgresql://user@host:port/dbname; password from PGPASSWORD or ~/.pgpass)");
  cli.add_option("--db-pool", options.db_pool,
                 "database connections (default: --threads, at most 32)")
      ->check(CLI::Range(1, 1024));
  std::string migrate_db;
  CLI::App* migrate_command =
      cli.add_subcommand("migrate", "bring the database's schema up to date and exit");
  migrate_command->add_option("--db", migrate_db, "SQLite database file or PostgreSQL URI")
      ->required();
  cli.add_option("--clinic", options.clinics,
                 "clinic configuration (engine snapshot form, no busy); repeatable")
      ->check(CLI::ExistingFile);
  cli.add_option("--port", options.port, "TCP port; 0 picks a free one")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--host", options.host, "address to listen on");
  cli.add_option("--allow-origin", options.allowed_origins,
                 "origin allowed to call the public API from a browser (CORS); repeatable");
  cli.add_option("--web-root", options.web_root,
                 "directory of the widget and demo files (default: build/web or <binary>/../web)");
  cli.add_option("--threads", options.threads,
                 "HTTP io threads (idle and slow connections hold none)")
      ->check(CLI::Range(2, 1024))
      ->capture_default_str();
  cli.add_option("--rate-limit", options.rate_limit,
                 "booking POSTs per minute per client address; 0 disables")
      ->check(CLI::Range(0, 1000000));
  cli.add_option("--header-timeout", options.header_timeout,
                 "seconds a client has to send a request's whole head")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cli.add_option("--body-timeout", options.body_timeout,
                 "seconds a client has to send a request's whole body")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cli.add_option("--idle-timeout", options.idle_timeout,
                 "seconds a kept-alive connection may wait for its next request")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  if (*migrate_command) return migrate(migrate_db);
  if (options.db.empty()) {
    std::fprintf(stderr, "--db is required\nRun with --help for more information.\n");
    return 106;  // CLI11's exit code for a missing required option
  }
  if (options.db_pool == 0) options.db_pool = std::min(options.threads, kMaxDefaultPool);
  if (options.web_root.empty()) options.web_root = default_web_root();

  // Block the stop signals before any thread starts; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      "server", std::make_shared<spdlog::sinks::stderr_sink_mt>(), spdlog::thread_pool(),
      spdlog::async_overflow_policy::block);
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  init_ics();

  auto opened = open_storage(options.db, options.db_pool);
  if (!opened.ok()) {
    spdlog::critical("cannot open database {}: {}", redacted_db(options.db),
                     opened.error().message);
    spdlog::shutdown();
    return 1;
  }
  Storage& storage = *opened->storage;
  spdlog::info("database {}: {}", redacted_db(options.db), opened->durability);
  const SystemClock clock;
  slotbook::SystemZoneSource zones;
  ClinicCatalog catalog(zones);
  WidgetSnapshots snapshots(storage, catalog, zones, clock);
  EventBus events;  // in-process subscribers, after commit
  events.subscribe(
      [&snapshots](const DomainEvent& event) { snapshots.invalidate(event.clinic_id); });
  // Changes committed by other processes on the same database (PostgreSQL).
  auto other_processes = storage.watch_changes(
      [&snapshots](const std::string& clinic_id) { snapshots.invalidate(clinic_id); });
  BookingService bookings(storage, catalog, zones, clock, events);
  auto prune_answers = [&storage, &clock] {
    auto pruned = storage.prune_answers(clock.now() - kAnswerLifetime, kAnswersPerClient);
    if (!pruned.ok()) {
      spdlog::error("pruning idempotent answers failed: {}", pruned.error().message);
    } else if (*pruned > 0) {
      spdlog::info("pruned {} idempotent answers (older than a day or over a client's {})", *pruned,
                   kAnswersPerClient);
    }
  };
  prune_answers();
  PeriodicTask pruning(std::chrono::minutes(1), prune_answers);
  for (const std::string& path : options.clinics) {
    if (!load_clinic(bookings, path)) {
      spdlog::shutdown();
      return 1;
    }
  }
  RateLimiter rate_limiter(options.rate_limit);
  const char* api_key = std::getenv("CALENDAR_API_KEY");
  BookingQueries queries(storage, catalog, zones, clock);
  AppContext app{clock,
                 queries,
                 bookings,
                 snapshots,
                 rate_limiter,
                 ServerSettings{options.allowed_origins, options.web_root, api_key ? api_key : ""}};
  if (app.settings.api_key.empty()) {
    spdlog::warn("CALENDAR_API_KEY is not set: staff and partner endpoints answer 401");
  }

  HttpServerOptions http;
  http.host = options.host;
  http.port = options.port;
  http.threads = options.threads;
  http.header_timeout = milliseconds(options.header_timeout);
  http.body_timeout = milliseconds(options.body_timeout);
  http.idle_timeout = milliseconds(options.idle_timeout);
  auto server = make_http_server(app, http);
  std::string listen_error;
  const int port = server->listen(&listen_error);
  if (port < 0) {
    spdlog::critical("cannot listen on {}:{}: {}", options.host, options.port, listen_error);
    spdlog::shutdown();
    return 1;
  }
  server->start();  // accepting when it returns
  spdlog::info("serving web root {}", log_text(options.web_root));
  std::printf("listening on http://%s:%d\n", options.host.c_str(), port);
  std::fflush(stdout);

  // The stop signals have been blocked in every thread since before the first started, so
  // one that came at any moment since is pending here and never lost.
  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("signal {} received: stopping", received);
  server->stop();
  server->wait();
  server.reset();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}
