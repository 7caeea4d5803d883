// booking-server: the slotbook HTTP server (docs/api.md).
//
//   booking-server --db FILE|URI [--db-pool N] [--clinic FILE]... --port N
//                  [--host 127.0.0.1] [--allow-origin ORIGIN]... [--web-root DIR]
//                  [--threads N] [--rate-limit N] [--header-timeout S]
//                  [--body-timeout S] [--idle-timeout S]
//                  [--public-url URL] [--smtp-url URL] [--mail-from MAILBOX]
//                  [--sms-url URL] [--sms-from E164] [--templates DIR]
//                  [--allow-http-webhooks] [--delivery-attempts N] [--delivery-backoff S]
//                  [--google-auth-url URL] [--google-token-url URL] [--google-api-url URL]
//                  [--microsoft-auth-url URL] [--microsoft-token-url URL]
//                  [--graph-api-url URL] [--zoom-token-url URL] [--zoom-api-url URL]
//                  [--jitsi-url URL] [--calendar-sync-seconds S] [--allow-private-feeds]
//   booking-server migrate --db FILE|URI
//   booking-server user add|list|disable ..., booking-server key add|list|revoke ...
//                  (staff accounts and API keys: account_commands.h)
//
// --db is a SQLite file or a PostgreSQL connection URI (storage/open_storage.h). `migrate`
// brings the database's schema up to date and exits (the server also does it on start).
//
// Prints "listening on http://HOST:PORT" once it accepts (--port 0 picks a free port),
// logs one line per request to stderr, and stops cleanly on SIGTERM or SIGINT: no new
// connections, requests in flight answered, exit 0. The staff and partner API key comes
// from the environment variable CALENDAR_API_KEY; SMTP_USERNAME, SMTP_PASSWORD,
// TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and SLOTBOOK_SECRET_KEY come from there too
// (docs/notifications.md, docs/deploy.md), as do GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET,
// MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET, ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
// ZOOM_CLIENT_SECRET (docs/integrations.md).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "account_commands.h"
#include "accounts/account_service.h"
#include "booking/booking_queries.h"
#include "booking/booking_service.h"
#include "booking/clinic_catalog.h"
#include "booking/clinic_config.h"
#include "booking/widget_snapshot.h"
#include "calendars/calendar_service.h"
#include "calendars/calendar_sync.h"
#include "calendars/calendar_writeback.h"
#include "calendars/connection_access.h"
#include "calendars/provider_settings.h"
#include "common/clock.h"
#include "common/log_text.h"
#include "common/periodic_task.h"
#include "http/app_context.h"
#include "http/http_server.h"
#include "http/rate_limiter.h"
#include "ics/ics_calendar.h"
#include "notify/delivery_service.h"
#include "notify/delivery_worker.h"
#include "notify/email_message.h"
#include "notify/http_client.h"
#include "notify/message_builder.h"
#include "notify/message_templates.h"
#include "notify/smtp_client.h"
#include "notify/twilio_client.h"
#include "secrets/server_key.h"
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
  std::string public_url;      // origin of links in messages; default http://HOST:PORT
  std::string smtp_url;
  std::string mail_from;
  std::string sms_url = "https://api.twilio.com";
  std::string sms_from;
  std::string templates;
  bool allow_http_webhooks = false;
  int delivery_attempts = RetryPolicy{}.max_attempts;
  double delivery_backoff = 30;  // seconds before the first retry; doubles after
  ProviderSettings providers;    // origins from flags; credentials from the environment
  std::string jitsi_url = std::string(kDefaultJitsiUrl);
  double calendar_sync_seconds = 300;
  bool allow_private_feeds = false;
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

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

// The delivery settings the options and environment describe; nullopt after logging why
// they cannot work.
std::optional<DeliverySettings> delivery_settings(const Options& options) {
  DeliverySettings settings;
  settings.retry.max_attempts = options.delivery_attempts;
  settings.retry.first_delay = milliseconds(options.delivery_backoff);
  settings.allow_private_webhooks = options.allow_http_webhooks;
  if (!options.smtp_url.empty()) {
    if (Status url = check_smtp_url(options.smtp_url); !url.ok()) {
      spdlog::critical("--smtp-url: {}", url.error().message);
      return std::nullopt;
    }
    SmtpSettings smtp;
    smtp.url = options.smtp_url;
    smtp.username = env("SMTP_USERNAME") ? env("SMTP_USERNAME") : "";
    smtp.password = env("SMTP_PASSWORD") ? env("SMTP_PASSWORD") : "";
    settings.smtp = smtp;
    spdlog::info("email: through {}{}", options.smtp_url,
                 smtp.username.empty() ? " (no AUTH: SMTP_USERNAME not set)" : "");
  } else {
    spdlog::warn("email: off (no --smtp-url): patients and clinics get no email");
  }
  if (!options.sms_from.empty()) {
    // E.164 as written (Twilio's From): the plus, a country code, at most 15 digits.
    static const std::regex kE164(R"(\+[1-9][0-9]{6,14})");
    if (!std::regex_match(options.sms_from, kE164)) {
      spdlog::critical("--sms-from \"{}\": not an E.164 number such as +15550100",
                       options.sms_from);
      return std::nullopt;
    }
    if (!env("TWILIO_ACCOUNT_SID") || !env("TWILIO_AUTH_TOKEN")) {
      spdlog::critical(
          "--sms-from needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment");
      return std::nullopt;
    }
    SmsSettings sms;
    sms.api_url = options.sms_url;
    sms.account_sid = env("TWILIO_ACCOUNT_SID");
    sms.auth_token = env("TWILIO_AUTH_TOKEN");
    sms.from = options.sms_from;
    settings.sms = sms;
    spdlog::info("sms: from {} through {}", options.sms_from, options.sms_url);
  } else {
    spdlog::warn("sms: off (no --sms-from): patients get no text messages");
  }
  return settings;
}

// --mail-from, else "Bookings <bookings@HOST>" for the public URL's host.
std::optional<Mailbox> mail_from(const Options& options, const std::string& public_url) {
  if (!options.mail_from.empty()) {
    auto parsed = parse_mailbox(options.mail_from);
    if (!parsed.ok()) {
      spdlog::critical("--mail-from: {}", parsed.error().message);
      return std::nullopt;
    }
    return *parsed;
  }
  std::string host = public_url.substr(public_url.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  if (host.empty() || host.find('.') == std::string::npos) host = "localhost.localdomain";
  return Mailbox{"Bookings", "bookings@" + host};
}

// The providers' origins (flags) with the credentials the environment gives.
ProviderSettings provider_settings(const Options& options) {
  ProviderSettings p = options.providers;
  auto from_env = [](const char* name) { return std::string(env(name) ? env(name) : ""); };
  p.google.client_id = from_env("GOOGLE_CLIENT_ID");
  p.google.client_secret = from_env("GOOGLE_CLIENT_SECRET");
  p.microsoft.client_id = from_env("MICROSOFT_CLIENT_ID");
  p.microsoft.client_secret = from_env("MICROSOFT_CLIENT_SECRET");
  p.zoom_account_id = from_env("ZOOM_ACCOUNT_ID");
  p.zoom_client_id = from_env("ZOOM_CLIENT_ID");
  p.zoom_client_secret = from_env("ZOOM_CLIENT_SECRET");
  p.sync_interval = std::chrono::seconds(
      std::max<long long>(1, static_cast<long long>(options.calendar_sync_seconds)));
  p.allow_private_addresses = options.allow_private_feeds;
  spdlog::info("calendars: Google {}, Microsoft {}, Zoom {}; busy times synced every {} s",
               p.google_configured() ? "on" : "off (GOOGLE_CLIENT_ID not set)",
               p.microsoft_configured() ? "on" : "off (MICROSOFT_CLIENT_ID not set)",
               p.zoom_configured() ? "on" : "off (ZOOM_ACCOUNT_ID not set)",
               p.sync_interval.count());
  return p;
}

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
  cli.add_option("--public-url", options.public_url,
                 "origin patients reach this server at, for links in messages "
                 "(default: http://HOST:PORT)");
  cli.add_option("--smtp-url", options.smtp_url,
                 "SMTP relay: smtp://host:port (STARTTLS required except to loopback) or "
                 "smtps://host:port; SMTP_USERNAME and SMTP_PASSWORD from the environment");
  cli.add_option("--mail-from", options.mail_from,
                 "sender of messages, e.g. \"Clinic <bookings@example.org>\"");
  cli.add_option("--sms-url", options.sms_url, "Twilio API origin")->capture_default_str();
  cli.add_option("--sms-from", options.sms_from,
                 "SMS sender number (E.164); TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN from the "
                 "environment");
  cli.add_option("--templates", options.templates,
                 "directory of message templates overriding the built-in ones "
                 "(LANG/NAME.PART or CLINIC/LANG/NAME.PART)")
      ->check(CLI::ExistingDirectory);
  cli.add_flag("--allow-http-webhooks", options.allow_http_webhooks,
               "allow webhook URLs to loopback and private addresses (http:// to loopback "
               "only) and stop checking each connection's address (tests)");
  cli.add_option("--delivery-attempts", options.delivery_attempts,
                 "attempts per message before it is failed")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cli.add_option("--delivery-backoff", options.delivery_backoff,
                 "seconds before a failed message is tried again (doubling, with jitter)")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  ProviderSettings& providers = options.providers;
  providers.google.auth_url = std::string(kGoogleAuthUrl);
  providers.google.token_url = std::string(kGoogleTokenUrl);
  providers.microsoft.auth_url = std::string(kMicrosoftAuthUrl);
  providers.microsoft.token_url = std::string(kMicrosoftTokenUrl);
  cli.add_option("--google-auth-url", providers.google.auth_url,
                 "Google's OAuth authorization endpoint")
      ->capture_default_str();
  cli.add_option("--google-token-url", providers.google.token_url, "Google's OAuth token endpoint")
      ->capture_default_str();
  cli.add_option("--google-api-url", providers.google_api_url, "Google Calendar API origin")
      ->capture_default_str();
  cli.add_option("--microsoft-auth-url", providers.microsoft.auth_url,
                 "Microsoft identity platform authorization endpoint")
      ->capture_default_str();
  cli.add_option("--microsoft-token-url", providers.microsoft.token_url,
                 "Microsoft identity platform token endpoint")
      ->capture_default_str();
  cli.add_option("--graph-api-url", providers.graph_api_url, "Microsoft Graph origin")
      ->capture_default_str();
  cli.add_option("--zoom-token-url", providers.zoom_token_url, "Zoom's OAuth token endpoint")
      ->capture_default_str();
  cli.add_option("--zoom-api-url", providers.zoom_api_url, "Zoom API base URL")
      ->capture_default_str();
  cli.add_option("--jitsi-url", options.jitsi_url, "Jitsi Meet server for video appointments")
      ->capture_default_str();
  cli.add_option("--calendar-sync-seconds", options.calendar_sync_seconds,
                 "how often connected calendars' busy times are synced")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  cli.add_flag("--allow-private-feeds", options.allow_private_feeds,
               "allow ICS feed URLs on loopback and private addresses (tests)");
  AccountCommands account_commands(cli);
  CLI11_PARSE(cli, argc, argv);
  if (*migrate_command) return migrate(migrate_db);
  if (int exit_code = 0; account_commands.run(&exit_code)) return exit_code;
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
  init_http_clients();
  auto deliveries_configured = delivery_settings(options);
  if (!deliveries_configured) {
    spdlog::shutdown();
    return 1;
  }

  auto opened = open_storage(options.db, options.db_pool);
  if (!opened.ok()) {
    spdlog::critical("cannot open database {}: {}", redacted_db(options.db),
                     opened.error().message);
    spdlog::shutdown();
    return 1;
  }
  Storage& storage = *opened->storage;
  spdlog::info("database {}: {}", redacted_db(options.db), opened->durability);
  auto server_key = load_server_key(storage, env("SLOTBOOK_SECRET_KEY"));
  if (!server_key.ok()) {
    spdlog::critical("{}", server_key.error().message);
    spdlog::shutdown();
    return 1;
  }
  if (!server_key->from_environment) {
    spdlog::warn(
        "SLOTBOOK_SECRET_KEY is not set: manage links and webhook secrets are sealed with a key "
        "kept in the database");
  }
  auto templates = MessageTemplates::load(options.templates);
  if (!templates.ok()) {
    spdlog::critical("message templates: {}", templates.error().message);
    spdlog::shutdown();
    return 1;
  }
  const SystemClock clock;
  slotbook::SystemZoneSource zones;
  ClinicCatalog catalog(zones);
  WidgetSnapshots snapshots(storage, catalog, zones, clock);
  SmartSchedulingPublication publication(storage, catalog, clock);
  std::unique_ptr<DeliveryWorker> worker;                // made once the public URL is known
  std::atomic<DeliveryWorker*> running_worker{nullptr};  // other threads wake it
  auto wake_worker = [&running_worker] {
    if (DeliveryWorker* w = running_worker.load()) w->wake();
  };
  EventBus events;  // in-process subscribers, after commit
  events.subscribe([&snapshots, &publication, &wake_worker](const DomainEvent& event) {
    snapshots.invalidate(event.clinic_id, busy_time_touched(event));
    publication.invalidate(event.clinic_id);
    wake_worker();
  });
  // Changes committed by other processes on the same database (PostgreSQL).
  auto other_processes =
      storage.watch_changes([&snapshots, &publication, &wake_worker](const std::string& clinic_id) {
        snapshots.invalidate(clinic_id);
        publication.invalidate(clinic_id);
        wake_worker();
      });
  BookingService bookings(storage, catalog, zones, clock, events, server_key->bytes,
                          options.jitsi_url);
  ProviderSettings calendar_settings = provider_settings(options);  // public_url set below
  ConnectionAccess calendar_access(storage, clock, calendar_settings, server_key->bytes);
  CalendarSync calendar_sync(storage, catalog, clock, events, calendar_settings, calendar_access);
  CalendarWriteBack calendar_writeback(storage, catalog, bookings, clock, calendar_settings,
                                       calendar_access);
  deliveries_configured->zoom = calendar_settings.zoom_configured();
  CalendarService calendars(storage, catalog, clock, calendar_settings, server_key->bytes,
                            server_key->from_environment, calendar_sync, calendar_access,
                            calendar_writeback);
  bookings.set_occupancy_refresher(
      [&calendar_sync](const std::string& clinic_id, const std::vector<std::string>& who) {
        calendar_sync.refresh_stale(clinic_id, who);
      });
  DeliveryService deliveries(storage, bookings, clock, deliveries_configured->channels(),
                             server_key->bytes, options.allow_http_webhooks, wake_worker);
  auto prune = [&storage, &clock] {
    auto pruned = storage.prune_answers(clock.now() - kAnswerLifetime, kAnswersPerClient);
    if (!pruned.ok()) {
      spdlog::error("pruning idempotent answers failed: {}", pruned.error().message);
    } else if (*pruned > 0) {
      spdlog::info("pruned {} idempotent answers (older than a day or over a client's {})", *pruned,
                   kAnswersPerClient);
    }
    auto holds = storage.prune_holds(clock.now());
    if (!holds.ok()) spdlog::error("pruning expired holds failed: {}", holds.error().message);
  };
  prune();
  PeriodicTask pruning(std::chrono::minutes(1), prune);
  // Each pass syncs what is due, so it runs a few times per interval (at most every 30 s).
  const auto calendar_pass = std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(calendar_settings.sync_interval) / 4,
      std::chrono::milliseconds(250), std::chrono::seconds(30));
  for (const std::string& path : options.clinics) {
    if (!load_clinic(bookings, path)) {
      spdlog::shutdown();
      return 1;
    }
  }
  RateLimiter rate_limiter(options.rate_limit);
  const char* api_key = std::getenv("CALENDAR_API_KEY");
  BookingQueries queries(storage, catalog, zones, clock);
  AccountService accounts(storage, clock, api_key ? api_key : "");
  HoldService holds(storage, catalog, clock, events);
  AppContext app{clock,
                 queries,
                 bookings,
                 holds,
                 snapshots,
                 publication,
                 deliveries,
                 calendars,
                 accounts,
                 rate_limiter,
                 ServerSettings{options.allowed_origins, options.web_root, ""}};
  if (!api_key || !*api_key) {
    spdlog::info(
        "CALENDAR_API_KEY is not set: staff and partner endpoints take named API keys "
        "and staff sessions only");
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
  std::string public_url = options.public_url;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  if (public_url.empty()) {
    public_url = "http://" + options.host + ":" + std::to_string(port);
    spdlog::warn("--public-url not set: links in messages point at {}", public_url);
  }
  auto sender = mail_from(options, public_url);
  if (!sender) {
    spdlog::shutdown();
    return 1;
  }
  deliveries_configured->envelope_from = sender->address;
  app.settings.public_url = public_url;  // before serving: cookie flags and Origin checks
  publication.set_identifier_system(public_url + "/fhir/clinics");
  calendar_settings.public_url = public_url;
  PeriodicTask calendar_syncing(calendar_pass, [&calendar_sync] { calendar_sync.sync_due(); });
  const MessageBuilder messages(*templates,
                                MessageSettings{public_url, *sender, server_key->bytes});
  worker = std::make_unique<DeliveryWorker>(storage, catalog, bookings, messages, clock,
                                            *deliveries_configured, server_key->bytes,
                                            &calendar_writeback);
  worker->start();
  running_worker = worker.get();
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
  worker->stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}
