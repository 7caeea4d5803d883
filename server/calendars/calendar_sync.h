// CalendarSync: brings the busy times of practitioners' connected calendars into slotbook
// (docs/integrations.md "Busy times"), where the engine sees them as occupancy like
// bookings: in the widget snapshot, in listings and at booking validation.
//
// - Every connection is synced on an interval (ProviderSettings::sync_interval), on
//   demand (sync_practitioner, the staff API), and right before a booking is validated
//   when its last attempt is older than the interval (refresh_stale).
// - A sync fetches the busy times from now to the clinic's booking horizon: an ICS feed
//   with If-None-Match (libical, ics_feed.h), Google's freeBusy.query, or Microsoft
//   Graph's calendarView. slotbook's own events (write-back) are not busy times of
//   their own: their spans are left out (Google) or the events skipped (Graph, by
//   transactionId).
// - What changed replaces the connection's stored spans in a write scoped to the
//   practitioner, with a calendar.busy_changed event (widget snapshots are rebuilt, other
//   processes hear of it). A failed sync changes nothing but the connection's
//   last_error: the last synced state stays in force, and a provider that is down never
//   blocks a booking.
// - The ICS feeds the clinic configurations list are connections too: made on the first
//   pass that sees them, removed (with their spans) when no longer configured.
//
// Thread-safe: one sync of a connection at a time in this process (others skip it).
#ifndef SLOTBOOK_SERVER_CALENDARS_CALENDAR_SYNC_H_
#define SLOTBOOK_SERVER_CALENDARS_CALENDAR_SYNC_H_

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "booking/clinic_catalog.h"
#include "booking/domain_event.h"
#include "calendars/connection_access.h"
#include "calendars/provider_settings.h"
#include "common/clock.h"
#include "storage/storage.h"

namespace slotbook::server {

class CalendarSync {
 public:
  // How long refresh_stale lets a booking wait for one connection's provider.
  static constexpr auto kBeforeBookingTimeout = std::chrono::milliseconds(2500);

  CalendarSync(Storage& storage, ClinicCatalog& catalog, const Clock& clock, const EventBus& events,
               const ProviderSettings& settings, ConnectionAccess& access);

  // The periodic pass: reconciles the configured ICS feeds with their connections, then
  // syncs each connected connection whose last attempt is older than the interval.
  void sync_due();
  // Syncs every connection of `practitioner_id` now. Failures: storage only (a provider's
  // failure is in the connection's last_error).
  Status sync_practitioner(const std::string& practitioner_id);
  // Syncs the connections of `clinic_id`'s practitioners `practitioner_ids` (empty: all)
  // that have not been attempted within the interval, each bounded by
  // kBeforeBookingTimeout. Never fails: the last synced state is what counts then. Reads
  // nothing when the last pass found no connection anywhere.
  void refresh_stale(const std::string& clinic_id,
                     const std::vector<std::string>& practitioner_ids);

  // The connection id an ICS feed URL of a practitioner is kept under (stable).
  static std::string ics_connection_id(const std::string& practitioner_id, const std::string& url);

 private:
  struct Fetched {
    bool unchanged = false;  // 304: the feed is as last time
    std::vector<TimeWindow> spans;
    std::string etag;
  };
  Status reconcile_feeds();
  // Syncs one connection unless another thread is syncing it.
  Status sync(const CalendarConnectionRecord& connection, std::chrono::milliseconds timeout);
  ProviderResult<Fetched> fetch(CalendarConnectionRecord& connection, const ClinicConfig& clinic,
                                TimeWindow window, std::chrono::milliseconds timeout);
  ProviderResult<Fetched> fetch_feed(const CalendarConnectionRecord& connection,
                                     const ClinicConfig& clinic, TimeWindow window,
                                     std::chrono::milliseconds timeout);
  Status record(const CalendarConnectionRecord& connection, const ProviderResult<Fetched>& fetched);
  bool due(const CalendarConnectionRecord& connection, UtcSeconds now) const;

  Storage& storage_;
  ClinicCatalog& catalog_;
  const Clock& clock_;
  const EventBus& events_;
  const ProviderSettings& settings_;
  ConnectionAccess& access_;
  std::mutex mutex_;
  std::set<std::string> in_flight_;
  // Whether the last pass saw any connection: when none, a booking reads nothing more (a
  // connection made since is synced by the next pass, at most 30 s later).
  std::atomic<bool> any_connections_{true};
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CALENDAR_SYNC_H_
