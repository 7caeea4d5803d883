// BookingService: every change to bookings and clinic configurations. Each change is one
// Storage::write transaction that loads what it depends on (configuration, occupancy),
// asks the engine (placement.h: fair "any" included), and writes, so two requests can
// never both take one slot.
//
// Every committed change appends a DomainEvent to the outbox in its own transaction and,
// after commit, publishes it on the EventBus (domain_event.h).
//
// Thread-safe; the engine decides, this class only assembles inputs and stores outcomes.
#ifndef SLOTBOOK_SERVER_BOOKING_BOOKING_SERVICE_H_
#define SLOTBOOK_SERVER_BOOKING_BOOKING_SERVICE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "booking/actor.h"
#include "booking/booking_status.h"
#include "booking/clinic_config.h"
#include "booking/domain_event.h"
#include "booking/engine_snapshot.h"
#include "booking/hold_service.h"
#include "booking/intake_questions.h"
#include "booking/video_meeting.h"
#include "common/clock.h"
#include "common/expected.h"
#include "slotbook/engine.h"

namespace slotbook::server {

class ClinicCatalog;
class Storage;
class WriteTransaction;

struct PatientDetails {
  std::string name;
  std::string email;
  std::string phone;
  std::string id;           // the clinic's own patient identifier (staff bookings), may be empty
  std::string language;     // BCP 47 tag the patient booked in; empty: not known
  bool sms_opt_in = false;  // the patient agreed to text messages (needs a valid phone)
};

struct NewBooking {
  std::string clinic_id;
  std::string appointment_type;         // a configured type id, or empty with `ad_hoc`
  std::optional<AdHocDuration> ad_hoc;  // partner bookings: a bare duration
  std::string practitioner_id;          // an id, or "any"
  Instant start;
  PatientDetails patient;
  std::string notes;
  std::string source;  // "widget", "partner", "staff"
  std::string external_reference_id;
  // Who referred the patient through a published deep link (booking_record.h).
  std::string referral_source;
  std::string booking_referral;
  BookingStatus status = BookingStatus::kConfirmed;  // or kPending (staff)
  bool issue_manage_token = true;
  Actor actor = Actor::system();  // who books (the audit log)
  HoldClaim hold;                 // the patient's hold on this slot, if any (hold_service.h)
  // The answers to the clinic's intake questions (intake_questions.h): an object of
  // question id -> value, or null. Patients must answer the required ones.
  nlohmann::json answers;
};

// The outcome of a booking or reschedule the engine was asked about.
struct BookingDecision {
  Refusal refusal = Refusal::kNone;  // kNone: `booking` is stored as shown
  BookingRecord booking;
  std::string manage_token;  // the plain token, present only in a new booking's answer
  std::shared_ptr<const ClinicConfig> clinic;
};

// Idempotent answers are replayed for a day; a client retries within minutes. Pruning
// keeps a client's newest kAnswersPerClient (one address may be a whole clinic's network,
// so the bound is generous; the booking rate limit bounds what comes in between).
inline constexpr auto kAnswerLifetime = std::chrono::hours(24);
inline constexpr std::int64_t kAnswersPerClient = 1000;

// An HTTP answer kept for an Idempotency-Key.
struct StoredReply {
  int status = 0;
  std::string body;
};
struct IdempotentRequest {
  std::string key;           // the client's Idempotency-Key
  std::string request_hash;  // SHA-256 of the request; a reuse with another request fails
  std::function<StoredReply(const BookingDecision&)> render;
  std::string client;  // the client's address (stored hashed)
};
struct BookResult {
  std::optional<StoredReply> replay;  // set: the key was seen; answer this again
  BookingDecision decision;
  // Non-empty: the answers were refused (nothing stored, nothing replayed later).
  std::vector<AnswerProblem> answer_problems;
};

struct RescheduleRequest {
  std::optional<Instant> start;
  std::optional<std::string> practitioner_id;
  std::optional<std::string> appointment_type;
  std::optional<std::string> notes;
  // Who asks; a patient cannot change an appointment that has started.
  Actor actor = Actor::system();
};

class BookingService {
 public:
  // `manage_link_key` (the server key, server_key.h) seals each new manage token into its
  // booking, so messages sent later can carry the manage link; empty: not kept.
  // `jitsi_url` (--jitsi-url) is where video types with "video": "jitsi" meet
  // (video_meeting.h).
  BookingService(Storage& storage, ClinicCatalog& catalog, const ZoneSource& zones,
                 const Clock& clock, const EventBus& events, std::string manage_link_key = {},
                 std::string jitsi_url = std::string(kDefaultJitsiUrl));

  // Called before a booking is validated, outside any transaction, with the clinic and the
  // practitioners who may take it: the connected calendars' busy times are synced there
  // when they are stale (calendars/calendar_sync.h). It must not fail or wait unboundedly.
  // Set before serving.
  using OccupancyRefresher = std::function<void(const std::string& clinic_id,
                                                const std::vector<std::string>& practitioners)>;
  void set_occupancy_refresher(OccupancyRefresher refresh) {
    refresh_occupancy_ = std::move(refresh);
  }

  // Books `request` if the engine finds its start free. With `idempotent`, the answer
  // is stored in the same transaction and a later call with the same key replays it.
  // A request with a live hold of its own on the slot (hold_covers) is validated without
  // that hold, books the hold's practitioner, and consumes the hold in its transaction; a
  // hold that is gone or for another slot does nothing. Answers are checked against the
  // clinic's questions of the moment (answer_problems).
  // The patient's phone is stored in E.164 when it reads as a number of the clinic's
  // country (as given otherwise). Failures: clinic_not_found, idempotency_key_reused
  // (kInvalid), invalid_phone (kInvalid: SMS asked for without a valid number), storage.
  Expected<BookResult> book(const NewBooking& request, const IdempotentRequest* idempotent);

  // Moves booking `id` (same id, SEQUENCE + 1) after the engine accepts the new start,
  // or only updates notes when nothing about the time changes. Failures: booking_not_found,
  // invalid_state (cancelled, completed, no-show, or started for a patient), storage.
  Expected<BookingDecision> reschedule(std::string_view id, const RescheduleRequest& request);

  // Cancels (frees the slot). Cancelling a cancelled booking returns it unchanged.
  // Failures: booking_not_found, invalid_state, storage.
  Expected<BookingDecision> cancel(std::string_view id, std::string_view reason,
                                   const Actor& actor);

  // Staff status transitions: pending -> confirmed | cancelled, confirmed -> completed |
  // cancelled | no_show (completed and no_show once the appointment has started).
  // Anything else is invalid_state.
  Expected<BookingDecision> set_status(std::string_view id, BookingStatus status,
                                       const Actor& actor = Actor::system());

  // A staff edit: reschedule (`request`) and then, if given, a status transition, in one
  // transaction: if either is refused or invalid, nothing is stored. request.actor asks.
  Expected<BookingDecision> update(std::string_view id, const RescheduleRequest& request,
                                   std::optional<BookingStatus> status);

  // Asks for a reminder now (booking.reminder_requested; the delivery worker sends it).
  // Failures: booking_not_found, invalid_state (not occupying time), storage.
  Expected<BookingDecision> request_reminder(std::string_view id,
                                             const Actor& actor = Actor::system());
  // Asks for the confirmation to be sent to the patient again, as the booking is now
  // (booking.confirmation_requested). Failures: booking_not_found, invalid_state (not
  // active), storage.
  Expected<BookingDecision> request_confirmation(std::string_view id, const Actor& actor);
  // Records that staff reminded the patient themselves, now (booking.reminder_sent).
  // Failures: booking_not_found, invalid_state (not occupying time), storage.
  Expected<BookingDecision> mark_reminder_sent(std::string_view id,
                                               const Actor& actor = Actor::system());
  // Stores the join link `provider` made for the booking's video meeting
  // (booking.meeting_ready), unless the booking's meeting is another provider's by now.
  // Failures: booking_not_found, storage.
  Expected<BookingDecision> set_meeting_link(std::string_view id, std::string_view provider,
                                             std::string_view url);
  // Makes the booking's video meeting `provider`'s ("zoom", "google_meet", "teams"), its
  // link to come from that provider (seed 003's create-*-meeting). Failures:
  // booking_not_found, invalid_state (not occupying time), storage.
  Expected<BookingDecision> set_meeting_provider(std::string_view id, std::string_view provider,
                                                 const Actor& actor = Actor::system());
  // Records that a reminder went out (booking.reminder_sent), once per reminder however
  // many of its channels report it: `first_sent` reads, under the booking's lock, when the
  // reminder's first channel went (nullopt: none did); a booking whose reminder_sent_at
  // is already at or after that has it recorded and is left unchanged.
  using FirstSent = std::function<Expected<std::optional<UtcSeconds>>(ReadView&)>;
  Expected<BookingDecision> record_reminder_sent(std::string_view id, const FirstSent& first_sent);

  // Checks `config` with the engine and clinic_bounds.h and stores it as its clinic's
  // configuration (bookings kept; an identical configuration changes nothing). Upcoming
  // bookings it would orphan (their practitioner or type removed, or the type no longer
  // offered by their practitioner) refuse the change, or with `cancel_orphans` are
  // cancelled in the same transaction (booking.cancelled events). Failures (kInvalid):
  // invalid_clinic_config, practitioner_id_taken (another clinic's), bookings_in_the_way.
  // The audit log gets the configuration before and after, as `actor`'s change.
  Expected<std::shared_ptr<const ClinicConfig>> put_clinic(const nlohmann::json& config,
                                                           bool cancel_orphans = false,
                                                           const Actor& actor = Actor::system());

  // What put_clinic would do with `config`, without storing anything: the engine's and
  // the bounds' verdict (failures as put_clinic's, bookings_in_the_way included), and the
  // upcoming bookings the new hours would leave outside working hours (they stay booked:
  // a clinic decides what to do with them).
  struct ConfigPreview {
    std::vector<BookingRecord> outside_hours;
    std::shared_ptr<const ClinicConfig> clinic;  // the configuration as it would be stored
  };
  Expected<ConfigPreview> preview_clinic(const nlohmann::json& config, bool cancel_orphans);

 private:
  Expected<std::shared_ptr<const ClinicConfig>> current_clinic(std::string_view clinic_id);
  static std::vector<std::string> touched_by(const RescheduleRequest& request,
                                             const BookingRecord& booking,
                                             const ClinicConfig& clinic);
  // The parts of a change, applied to `d` inside a change_booking transaction.
  Status apply_reschedule(WriteTransaction& tx, BookingDecision& d, UtcSeconds now,
                          const RescheduleRequest& request);
  static Status apply_status(BookingDecision& d, UtcSeconds now, BookingStatus status);
  Expected<std::string> new_confirmation_number(WriteTransaction& tx, const ClinicConfig& clinic,
                                                Instant start);
  // Loads booking `id` and its clinic inside a transaction scoped to its practitioner plus
  // `practitioners_touched` (beyond the booking's own), applies `change`, stores the result.
  // The event is the kind classify_change finds, or `event` when given (a request that
  // changes nothing but must be heard of).
  using Change = std::function<Status(WriteTransaction&, BookingDecision&, UtcSeconds now)>;
  Expected<BookingDecision> change_booking(
      std::string_view id,
      const std::function<std::vector<std::string>(const BookingRecord&, const ClinicConfig&)>&
          practitioners_touched,
      const Change& change, const Actor& actor, std::optional<EventKind> event = std::nullopt);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const ZoneSource& zones_;
  const Clock& clock_;
  const EventBus& events_;
  const std::string manage_link_key_;
  const std::string jitsi_url_;
  OccupancyRefresher refresh_occupancy_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_BOOKING_SERVICE_H_
