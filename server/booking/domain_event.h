// Domain events: what happened to a booking or a clinic's configuration, with the state
// before and after (docs/events.md). The services append one to the outbox in the same
// write transaction as the change, so an event exists exactly when its change committed;
// after commit they hand it to in-process subscribers (EventBus). Integrations
// (notifications, webhooks, calendars) hang off these events, never off routes.
#ifndef SLOTBOOK_SERVER_BOOKING_DOMAIN_EVENT_H_
#define SLOTBOOK_SERVER_BOOKING_DOMAIN_EVENT_H_

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "common/clock.h"
#include "common/expected.h"
#include "storage/records.h"

namespace slotbook::server {

enum class EventKind {
  kBookingCreated,
  kBookingRescheduled,  // start, practitioner or appointment type changed
  kBookingCancelled,
  kBookingStatusChanged,          // any other status change (confirmed, completed, no_show)
  kBookingReminderRequested,      // staff asked for a reminder now (the delivery worker sends it)
  kBookingReminderSent,           // a reminder went out (reminder_sent_at set)
  kBookingConfirmationRequested,  // staff asked for the confirmation to be sent again
  kBookingUpdated,                // details only (notes)
  kBookingMeetingReady,           // the video meeting's join link arrived (meeting_url set)
  kClinicConfigChanged,
  kCalendarBusyChanged,  // a connected calendar's busy times changed (calendars/)
  kHoldChanged,          // a hold was taken, renewed or released (booking/hold_service.h)
};

// "booking.created", "booking.rescheduled", ..., "clinic.config_changed".
std::string_view to_string(EventKind kind);
std::optional<EventKind> parse_event_kind(std::string_view text);

struct DomainEvent {
  std::string id;  // "evt_" + random hex: stable, so receivers can drop duplicates
  EventKind kind = EventKind::kBookingCreated;
  std::string clinic_id;
  UtcSeconds occurred_at{};
  // Booking events: the booking before (absent for created) and after the change.
  std::optional<BookingRecord> before;
  std::optional<BookingRecord> after;
  // kClinicConfigChanged: the configuration version before (0: the clinic is new) and after.
  std::int64_t config_version_before = 0;
  std::int64_t config_version_after = 0;
  // kCalendarBusyChanged, kHoldChanged: whose busy times changed.
  std::string practitioner_id;

  const std::string& booking_id() const;  // empty for clinic events
};

// A booking event. `before` empty: created.
DomainEvent booking_event(EventKind kind, std::optional<BookingRecord> before, BookingRecord after,
                          UtcSeconds now);
DomainEvent clinic_config_event(std::string clinic_id, std::int64_t version_before,
                                std::int64_t version_after, UtcSeconds now);
DomainEvent calendar_busy_event(std::string clinic_id, std::string practitioner_id, UtcSeconds now);
DomainEvent hold_event(std::string clinic_id, std::string practitioner_id, UtcSeconds now);
// The practitioners whose busy time the event may have changed (a booking's before and
// after, a busy-time event's); empty: the whole clinic's (a configuration change).
std::vector<std::string> busy_time_touched(const DomainEvent& event);
// Whether `kind` is about a practitioner's busy times only (no booking, nothing to audit,
// nothing to deliver): kCalendarBusyChanged and kHoldChanged.
bool is_busy_time_event(EventKind kind);
// Which kind of booking event turns `before` into `after`; nullopt when nothing a
// subscriber could care about changed.
std::optional<EventKind> classify_change(const BookingRecord& before, const BookingRecord& after);

// The event's JSON form, as stored in the outbox and documented in docs/events.md. The
// manage token's hash is never part of it.
nlohmann::ordered_json event_json(const DomainEvent& event);
// The event event_json(event) describes (the bookings without what the JSON leaves out:
// occupancy, the manage token's hash and seal). Fails (kStorage) on anything else.
Expected<DomainEvent> parse_event_json(std::string_view text);

// The outbox row that stores `event` (its position is the storage's to assign).
OutboxRecord outbox_record(const DomainEvent& event);

// In-process subscribers, told about each event after its transaction committed, on the
// committing thread. Subscribe before serving; thread-safe to publish.
class EventBus {
 public:
  using Subscriber = std::function<void(const DomainEvent&)>;
  void subscribe(Subscriber subscriber);
  void publish(const std::vector<DomainEvent>& events) const;

 private:
  std::vector<Subscriber> subscribers_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_DOMAIN_EVENT_H_
