// CalendarService: what staff do with practitioners' calendars (docs/integrations.md),
// behind the seed-000/001 routes and the staff API: connect a Google or Microsoft calendar
// (OAuth 2.0 authorization code flow with PKCE), see and drop connections, sync them now,
// list a connected calendar's events, and the secret ICS feeds of the schedule.
//
// Connecting needs SLOTBOOK_SECRET_KEY: tokens are sealed with the server key, and a key
// kept in the database next to them would protect nothing (secret_key_required). The
// `state` of an authorization is random (256 bits), stored hashed with the PKCE verifier
// sealed, bound to the staff credential that asked, used once, and expires after
// kAuthorizationLifetime.
//
// Thread-safe.
#ifndef SLOTBOOK_SERVER_CALENDARS_CALENDAR_SERVICE_H_
#define SLOTBOOK_SERVER_CALENDARS_CALENDAR_SERVICE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "booking/clinic_catalog.h"
#include "calendars/calendar_event.h"
#include "calendars/calendar_sync.h"
#include "calendars/calendar_writeback.h"
#include "calendars/connection_access.h"
#include "calendars/provider_settings.h"
#include "common/clock.h"
#include "storage/storage.h"

namespace slotbook::server {

inline constexpr auto kAuthorizationLifetime = std::chrono::minutes(10);

struct AuthorizationStart {
  std::string auth_url;
  std::string state;
};

// A practitioner's calendar feed: the URL to subscribe to (shown once) and its token.
struct CalendarFeedLink {
  std::string url;
  std::string token;
};

// What a feed's token opens: its clinic and practitioner ("" for the whole clinic), with
// the bookings it shows (from a month ago to the booking horizon, cancelled ones too, so
// subscribers drop them).
struct CalendarFeedScope {
  std::shared_ptr<const ClinicConfig> clinic;
  std::string practitioner_id;
  std::vector<BookingRecord> bookings;
};

class CalendarService {
 public:
  // `secret_key_from_environment`: the server key came from SLOTBOOK_SECRET_KEY.
  CalendarService(Storage& storage, ClinicCatalog& catalog, const Clock& clock,
                  const ProviderSettings& settings, std::string server_key,
                  bool secret_key_from_environment, CalendarSync& sync, ConnectionAccess& access,
                  CalendarWriteBack& writeback);

  // The URL that asks the practitioner to grant access. `provider`: "google" or
  // "microsoft"; `redirect_uri` empty: settings' redirect_uri. `requested_by`: the hash of
  // the staff credential. Failures (kInvalid): secret_key_required, provider_not_configured,
  // unknown_provider.
  Expected<AuthorizationStart> start_authorization(const ClinicConfig& clinic,
                                                   const std::string& practitioner_id,
                                                   const std::string& provider,
                                                   const std::string& redirect_uri,
                                                   const std::string& requested_by);
  // Trades the code for tokens and stores the connection (replacing the practitioner's
  // earlier one with that provider), then syncs it. `requested_by` empty: the provider's
  // redirect brought the browser back (the state alone vouches); else it must be the
  // credential that started it. Failures: invalid_state_token (kInvalid: unknown, used or
  // expired state, or another credential's), authorization_failed (kInvalid, the provider
  // refused the code; message says why), provider_unavailable (kUnavailable).
  Expected<CalendarConnectionRecord> complete_authorization(const std::string& code,
                                                            const std::string& state,
                                                            const std::string& requested_by);
  // The practitioner's connections, newest state.
  Expected<std::vector<CalendarConnectionRecord>> connections(const std::string& practitioner_id);
  // Drops the practitioner's connections with `provider` (empty: every OAuth connection);
  // their busy times go with them. Returns how many.
  Expected<int> disconnect(const std::string& clinic_id, const std::string& practitioner_id,
                           const std::string& provider);
  // Syncs the practitioner's connections now, then returns them.
  Expected<std::vector<CalendarConnectionRecord>> sync_now(const std::string& practitioner_id);

  // Events of the practitioner's connected Google or Microsoft calendars in [from, to),
  // read live from the providers. Per provider failure: kept in *errors ("google: ...").
  std::vector<CalendarEvent> provider_events(const std::string& practitioner_id, UtcSeconds from,
                                             UtcSeconds to, std::vector<std::string>* errors);

  // Writes booking `booking_id` into its practitioner's connected `provider` calendar now
  // (seed 001's sync-booking; the outbox does the same on every change) and returns the
  // event's id and the meeting link, if any. Failures: booking_not_found,
  // calendar_not_connected (kInvalid), provider_unavailable (kUnavailable: try again).
  struct SyncedBooking {
    std::string event_id;
    std::string meeting_link;
  };
  Expected<SyncedBooking> sync_booking(const std::string& booking_id, const std::string& provider);

  // Gives booking `booking_id` a `video` meeting now (seed 003): Zoom through the server's
  // Zoom app, Meet or Teams through the practitioner's connected Google or Microsoft
  // calendar, or (kNone) just the booking's event in a connected calendar. Failures:
  // booking_not_found, calendar_not_connected / zoom_not_configured (kInvalid),
  // invalid_state, provider_unavailable (kUnavailable).
  Expected<CalendarWriteBack::Mirrored> make_meeting(const std::string& booking_id,
                                                     VideoProvider video);

  // A new secret feed URL for the practitioner ("" : the clinic), replacing the last one.
  Expected<CalendarFeedLink> rotate_feed(const ClinicConfig& clinic,
                                         const std::string& practitioner_id);
  // The feed `token` opens for `clinic_id` and `practitioner_id`, if it opens it.
  // Failures: feed_not_found (kNotFound) for any token that does not match.
  Expected<CalendarFeedScope> open_feed(const std::string& clinic_id,
                                        const std::string& practitioner_id,
                                        const std::string& token);

 private:
  struct BookingCalendars {
    std::string practitioner_id;
    std::vector<CalendarConnectionRecord> connections;
  };
  // The booking's practitioner and their connections. Failures: booking_not_found, storage.
  Expected<BookingCalendars> booking_calendars(const std::string& booking_id);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const Clock& clock_;
  const ProviderSettings& settings_;
  const std::string server_key_;
  const bool secret_key_from_environment_;
  CalendarSync& sync_;
  ConnectionAccess& access_;
  CalendarWriteBack& writeback_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CALENDAR_SERVICE_H_
