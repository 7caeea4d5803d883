#include "calendars/calendar_service.h"

#include <spdlog/spdlog.h>

#include "calendars/connection_tokens.h"
#include "calendars/google_calendar.h"
#include "calendars/microsoft_graph.h"
#include "calendars/oauth.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kStateBytes = 32;  // 256 bits
constexpr int kFeedTokenBytes = 24;
constexpr int kMaxFeedEvents = 5000;

std::optional<OAuthProvider> oauth_provider(const std::string& name) {
  if (name == kGoogle) return OAuthProvider::kGoogle;
  if (name == kMicrosoft) return OAuthProvider::kMicrosoft;
  return std::nullopt;
}

std::string new_connection_id() { return "cal_" + random_code("0123456789abcdef", 24); }

Failure from_provider(const ProviderFailure& failure) {
  if (failure.kind == ProviderFailure::Kind::kRetry) {
    return {FailureKind::kUnavailable, "provider_unavailable",
            "the calendar provider did not answer as expected: " + failure.detail};
  }
  return invalid("authorization_failed", failure.detail);
}

}  // namespace

CalendarService::CalendarService(Storage& storage, ClinicCatalog& catalog, const Clock& clock,
                                 const ProviderSettings& settings, std::string server_key,
                                 bool secret_key_from_environment, CalendarSync& sync,
                                 ConnectionAccess& access, CalendarWriteBack& writeback)
    : storage_(storage),
      catalog_(catalog),
      clock_(clock),
      settings_(settings),
      server_key_(std::move(server_key)),
      secret_key_from_environment_(secret_key_from_environment),
      sync_(sync),
      access_(access),
      writeback_(writeback) {}

Expected<AuthorizationStart> CalendarService::start_authorization(
    const ClinicConfig& clinic, const std::string& practitioner_id, const std::string& provider,
    const std::string& redirect_uri, const std::string& requested_by) {
  const auto oauth = oauth_provider(provider);
  if (!oauth) {
    return invalid("unknown_provider", "calendar_type must be \"google\" or \"outlook\"");
  }
  if (!secret_key_from_environment_) {
    return invalid("secret_key_required",
                   "connecting a calendar needs SLOTBOOK_SECRET_KEY (32 bytes, base64) in the "
                   "server's environment: calendar tokens are encrypted with it");
  }
  const OAuthApp& app = *oauth == OAuthProvider::kGoogle ? settings_.google : settings_.microsoft;
  if (app.client_id.empty() || app.client_secret.empty()) {
    return invalid("provider_not_configured",
                   provider == kGoogle
                       ? "set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google calendars"
                       : "set MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET to connect "
                         "Microsoft calendars");
  }
  const UtcSeconds now = clock_.now();
  AuthorizationStart out;
  out.state = random_token(kStateBytes);
  const Pkce pkce = new_pkce();
  OAuthStateRecord record;
  record.state_hash = sha256_hex(out.state);
  record.clinic_id = clinic.id();
  record.practitioner_id = practitioner_id;
  record.provider = provider;
  record.redirect_uri = redirect_uri.empty() ? settings_.redirect_uri() : redirect_uri;
  record.sealed_verifier = to_base64(seal(server_key_, pkce.verifier));
  record.requested_by = requested_by;
  record.created_at = now;
  record.expires_at = now + kAuthorizationLifetime;
  Status stored = storage_.write(
      WriteScope{}, [&](WriteTransaction& tx) { return tx.put_oauth_state(record, now); });
  if (!stored.ok()) return stored.error();
  out.auth_url = authorization_url(*oauth, app, record.redirect_uri, out.state, pkce.challenge);
  return out;
}

Expected<CalendarConnectionRecord> CalendarService::complete_authorization(
    const std::string& code, const std::string& state, const std::string& requested_by) {
  const UtcSeconds now = clock_.now();
  // Taken in one transaction: a state works once, whoever comes first.
  std::optional<OAuthStateRecord> taken;
  Status took = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    taken.reset();
    auto found = tx.oauth_state(sha256_hex(state));
    if (!found.ok()) return found.error();
    if (!*found) return Status();
    if (!requested_by.empty() && !constant_time_equals((*found)->requested_by, requested_by)) {
      return Status();  // another credential's: left for its owner
    }
    auto deleted = tx.delete_oauth_state((*found)->state_hash);
    if (!deleted.ok()) return deleted.error();
    taken = std::move(*found);
    return Status();
  });
  if (!took.ok()) return took.error();
  if (!taken || taken->expires_at <= now) {
    return invalid("invalid_state_token",
                   "the authorization is unknown, was already used or has expired: start again");
  }
  const auto verifier_sealed = from_base64(taken->sealed_verifier);
  const auto verifier = verifier_sealed ? open_sealed(server_key_, *verifier_sealed) : std::nullopt;
  if (!verifier) return storage_failure("an authorization's verifier cannot be opened");
  const OAuthProvider oauth = *oauth_provider(taken->provider);
  const OAuthApp& app = oauth == OAuthProvider::kGoogle ? settings_.google : settings_.microsoft;
  auto grant = exchange_code(oauth, app, code, taken->redirect_uri, *verifier, settings_.timeout);
  if (!grant.ok()) return from_provider(grant.error());

  CalendarConnectionRecord connection;
  connection.clinic_id = taken->clinic_id;
  connection.practitioner_id = taken->practitioner_id;
  connection.provider = taken->provider;
  connection.status = std::string(kConnected);
  connection.connected_at = now;
  connection.access_expires_at = now + grant->expires_in;
  connection.sealed_tokens =
      seal_tokens(server_key_, ConnectionTokens{grant->access_token, grant->refresh_token});
  if (oauth == OAuthProvider::kGoogle) {
    // The primary calendar's id is the account's address; "primary" names it as well
    // (reading the calendar itself would need a wider scope than free/busy and events).
    connection.account_email = email_from_id_token(grant->id_token);
    connection.calendar_id =
        connection.account_email.empty() ? "primary" : connection.account_email;
  } else {
    auto email =
        msgraph::account_email(settings_.graph_api_url, grant->access_token, settings_.timeout);
    if (!email.ok()) return from_provider(email.error());
    connection.account_email = *email;
    connection.calendar_id = *email;
  }
  Status stored = storage_.write(WriteScope{connection.clinic_id, {connection.practitioner_id}, ""},
                                 [&](WriteTransaction& tx) -> Status {
                                   auto existing =
                                       tx.calendar_connections(connection.practitioner_id);
                                   if (!existing.ok()) return existing.error();
                                   connection.id.clear();
                                   for (const CalendarConnectionRecord& c : *existing) {
                                     if (c.provider == connection.provider)
                                       connection.id = c.id;  // reconnected
                                   }
                                   if (connection.id.empty()) connection.id = new_connection_id();
                                   return tx.put_calendar_connection(connection);
                                 });
  if (!stored.ok()) return stored.error();
  spdlog::info("calendar of {} connected: {} {}", connection.practitioner_id, connection.provider,
               connection.account_email);
  if (Status synced = sync_.sync_practitioner(connection.practitioner_id); !synced.ok()) {
    spdlog::warn("first sync of {}: {}", connection.id, synced.error().message);
  }
  auto after = connections(connection.practitioner_id);
  if (after.ok()) {
    for (const CalendarConnectionRecord& c : *after) {
      if (c.id == connection.id) return c;
    }
  }
  return connection;
}

Expected<std::vector<CalendarConnectionRecord>> CalendarService::connections(
    const std::string& practitioner_id) {
  std::vector<CalendarConnectionRecord> out;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto found = view.calendar_connections(practitioner_id);
    if (!found.ok()) return found.error();
    out = std::move(*found);
    return Status();
  });
  if (!read.ok()) return read.error();
  return out;
}

Expected<int> CalendarService::disconnect(const std::string& clinic_id,
                                          const std::string& practitioner_id,
                                          const std::string& provider) {
  int dropped = 0;
  std::vector<DomainEvent> published;
  const UtcSeconds now = clock_.now();
  Status done = storage_.write(
      WriteScope{clinic_id, {practitioner_id}, ""}, [&](WriteTransaction& tx) -> Status {
        dropped = 0;
        published.clear();
        auto existing = tx.calendar_connections(practitioner_id);
        if (!existing.ok()) return existing.error();
        for (const CalendarConnectionRecord& c : *existing) {
          if (c.provider == kIcs || (!provider.empty() && c.provider != provider)) continue;
          auto deleted = tx.delete_calendar_connection(c.id);
          if (!deleted.ok()) return deleted.error();
          dropped += *deleted ? 1 : 0;
        }
        if (dropped == 0) return Status();
        published = {calendar_busy_event(clinic_id, practitioner_id, now)};
        return tx.append_outbox(outbox_record(published.back()));
      });
  if (!done.ok()) return done.error();
  return dropped;
}

Expected<std::vector<CalendarConnectionRecord>> CalendarService::sync_now(
    const std::string& practitioner_id) {
  if (Status synced = sync_.sync_practitioner(practitioner_id); !synced.ok()) {
    return synced.error();
  }
  return connections(practitioner_id);
}

std::vector<CalendarEvent> CalendarService::provider_events(const std::string& practitioner_id,
                                                            UtcSeconds from, UtcSeconds to,
                                                            std::vector<std::string>* errors) {
  std::vector<CalendarEvent> out;
  auto found = connections(practitioner_id);
  if (!found.ok()) {
    errors->push_back(found.error().message);
    return out;
  }
  for (CalendarConnectionRecord& c : *found) {
    if (c.provider == kIcs || c.status != kConnected) continue;
    auto events = access_.with_token<std::vector<CalendarEvent>>(
        c, [&](const std::string& token) -> ProviderResult<std::vector<CalendarEvent>> {
          if (c.provider == kGoogle) {
            return gcal::list_events(settings_.google_api_url, token, c.calendar_id, from, to,
                                     settings_.timeout);
          }
          return msgraph::calendar_view(settings_.graph_api_url, token, from, to,
                                        settings_.timeout);
        });
    if (!events.ok()) {
      errors->push_back(c.provider + ": " + events.error().detail);
      continue;
    }
    out.insert(out.end(), events->begin(), events->end());
  }
  return out;
}

namespace {

// The connected calendar a booking's practitioner has with `provider` ("": Google, else
// Microsoft); "" when none.
std::string connection_for(const std::vector<CalendarConnectionRecord>& connections,
                           const std::string& provider) {
  for (std::string_view wanted : {provider.empty() ? kGoogle : std::string_view(provider),
                                  provider.empty() ? kMicrosoft : std::string_view(provider)}) {
    for (const CalendarConnectionRecord& c : connections) {
      if (c.provider == wanted && c.status == kConnected) return c.id;
    }
  }
  return "";
}

}  // namespace

Expected<CalendarService::BookingCalendars> CalendarService::booking_calendars(
    const std::string& booking_id) {
  BookingCalendars out;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto booking = view.booking(booking_id);
    if (!booking.ok()) return booking.error();
    if (!*booking) return not_found("booking_not_found", "no booking " + booking_id);
    out.practitioner_id = (*booking)->practitioner_id;
    auto found = view.calendar_connections(out.practitioner_id);
    if (!found.ok()) return found.error();
    out.connections = std::move(*found);
    return Status();
  });
  if (!read.ok()) return read.error();
  return out;
}

Expected<CalendarWriteBack::Mirrored> CalendarService::make_meeting(const std::string& booking_id,
                                                                    VideoProvider video) {
  if (video == VideoProvider::kZoom && !settings_.zoom_configured()) {
    return invalid(
        "zoom_not_configured",
        "set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET to make Zoom meetings");
  }
  auto theirs = booking_calendars(booking_id);
  if (!theirs.ok()) return theirs.error();
  const std::string provider = video == VideoProvider::kGoogleMeet ? std::string(kGoogle)
                               : video == VideoProvider::kTeams    ? std::string(kMicrosoft)
                                                                   : "";
  const std::string connection_id = connection_for(theirs->connections, provider);
  if (video != VideoProvider::kZoom && connection_id.empty()) {
    return invalid("calendar_not_connected",
                   "no " + (provider.empty() ? std::string("Google or Microsoft") : provider) +
                       " calendar is connected for practitioner " + theirs->practitioner_id);
  }
  CalendarWriteBack::Mirrored made =
      video == VideoProvider::kNone ? writeback_.mirror_to_calendar(booking_id, connection_id)
                                    : writeback_.make_meeting(booking_id, video, connection_id);
  if (made.outcome.kind == SendOutcome::Kind::kRejected && made.external_id.empty()) {
    return invalid_state(made.outcome.detail);
  }
  if (made.outcome.kind != SendOutcome::Kind::kSent) {
    return Failure{FailureKind::kUnavailable, "provider_unavailable",
                   "the provider did not take it: " + made.outcome.detail};
  }
  return made;
}

Expected<CalendarService::SyncedBooking> CalendarService::sync_booking(
    const std::string& booking_id, const std::string& provider) {
  auto theirs = booking_calendars(booking_id);
  if (!theirs.ok()) return theirs.error();
  const std::string connection_id = connection_for(theirs->connections, provider);
  if (connection_id.empty()) {
    return invalid(
        "calendar_not_connected",
        "no " + provider + " calendar is connected for practitioner " + theirs->practitioner_id);
  }
  const auto mirrored = writeback_.mirror_to_calendar(booking_id, connection_id);
  if (mirrored.outcome.kind != SendOutcome::Kind::kSent) {
    return Failure{FailureKind::kUnavailable, "provider_unavailable",
                   "the calendar did not take the event: " + mirrored.outcome.detail};
  }
  return SyncedBooking{mirrored.external_id, mirrored.meeting_url};
}

Expected<CalendarFeedLink> CalendarService::rotate_feed(const ClinicConfig& clinic,
                                                        const std::string& practitioner_id) {
  CalendarFeedLink link;
  link.token = random_token(kFeedTokenBytes);
  const CalendarFeedRecord feed{clinic.id(), practitioner_id, sha256_hex(link.token), clock_.now()};
  Status stored = storage_.write(WriteScope{},
                                 [&](WriteTransaction& tx) { return tx.put_calendar_feed(feed); });
  if (!stored.ok()) return stored.error();
  link.url = settings_.public_url +
             (practitioner_id.empty() ? "/api/v1/clinics/" + clinic.id()
                                      : "/api/v1/practitioners/" + practitioner_id) +
             "/calendar.ics?token=" + link.token;
  return link;
}

Expected<CalendarFeedScope> CalendarService::open_feed(const std::string& clinic_id,
                                                       const std::string& practitioner_id,
                                                       const std::string& token) {
  CalendarFeedScope out;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto feed = view.calendar_feed_for_token(sha256_hex(token));
    if (!feed.ok()) return feed.error();
    const bool matches = *feed && (*feed)->practitioner_id == practitioner_id &&
                         (clinic_id.empty() || (*feed)->clinic_id == clinic_id);
    if (!matches) return not_found("feed_not_found", "no calendar feed has this token");
    auto clinic = catalog_.get(view, (*feed)->clinic_id);
    if (!clinic.ok()) return clinic.error();
    out.clinic = *clinic;
    out.practitioner_id = practitioner_id;
    const UtcSeconds now = clock_.now();
    BookingFilter filter;
    filter.clinic_id = (*clinic)->id();
    if (!practitioner_id.empty()) filter.practitioner_id = practitioner_id;
    filter.start_from = now - date::days(31);
    filter.start_before = now + date::days((*clinic)->horizon_days() + 1);
    filter.limit = kMaxFeedEvents;
    std::int64_t total = 0;
    auto bookings = view.list_bookings(filter, &total);
    if (!bookings.ok()) return bookings.error();
    out.bookings = std::move(*bookings);
    return Status();
  });
  if (!read.ok()) return read.error();
  return out;
}

}  // namespace slotbook::server
