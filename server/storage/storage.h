// Storage: where clinics, bookings, idempotent answers and the outbox of domain events
// persist. SQL lives only in the
// implementations (storage/sqlite/, storage/postgres/), never in services or
// routes. Times are UtcSeconds; `now` always comes from the caller's Clock, never from SQL.
//
// Guarantees every implementation must give:
// - write(scope, work) runs `work` in one transaction serialized with every other write
//   whose scope overlaps (same clinic and, when both name practitioners, a shared one or
//   the same idempotency key;
//   SQLite serializes all writes, PostgreSQL locks what the scope names, in a fixed
//   order). Whatever `work` reads about its scope cannot change until it commits, which is
//   what makes "load occupancy, validate with the engine, insert" race-free.
// - `work` may be run more than once: after a serialization failure or deadlock the
//   transaction is rolled back and `work` runs again (a bounded number of times). So it
//   must have no effect outside the transaction except state it resets when it starts.
// - A write that returned ok is durable (committed and synced) before write() returns.
// - read() sees one consistent committed state.
// Thread-safe: any thread may call any method at any time.
#ifndef SLOTBOOK_SERVER_STORAGE_STORAGE_H_
#define SLOTBOOK_SERVER_STORAGE_STORAGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "storage/records.h"

namespace slotbook::server {

// Queries available inside read() and write().
class ReadView {
 public:
  virtual ~ReadView() = default;
  virtual Expected<std::optional<ClinicRecord>> clinic(std::string_view id) = 0;
  // The version of clinic `id`'s configuration (nullopt: no such clinic), without it.
  virtual Expected<std::optional<std::int64_t>> clinic_version(std::string_view id) = 0;
  virtual Expected<std::vector<std::string>> clinic_ids() = 0;
  virtual Expected<std::optional<BookingRecord>> booking(std::string_view id) = 0;
  // The id of the booking whose manage token hashes to `token_hash`, if any.
  virtual Expected<std::optional<std::string>> booking_id_for_token_hash(
      std::string_view token_hash) = 0;
  // Bookings of `clinic_id` whose status occupies time (booking_status.h) and whose
  // [start, end) intersects `window`, in start order; only `practitioner_id`'s when it is
  // not empty.
  virtual Expected<std::vector<BookingRecord>> occupying_bookings(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id = {}) = 0;
  // Bookings matching `filter` in start order (skip/limit applied), and the count of all
  // matches in *total.
  virtual Expected<std::vector<BookingRecord>> list_bookings(const BookingFilter& filter,
                                                             std::int64_t* total) = 0;
  // Bookings of `clinic_id` whose patient name or email contains `text` (case ignored),
  // whose phone contains its digits (when it has 3 or more), or whose confirmation number
  // is `text` (case ignored); newest start first, at most `limit`.
  virtual Expected<std::vector<BookingRecord>> search_bookings(std::string_view clinic_id,
                                                               std::string_view text,
                                                               int limit) = 0;
  // How many bookings occupying time `practitioner_id` has starting within `window`.
  virtual Expected<std::int64_t> occupying_count(std::string_view clinic_id,
                                                 std::string_view practitioner_id,
                                                 TimeWindow window) = 0;
  virtual Expected<bool> confirmation_number_exists(std::string_view number) = 0;
  virtual Expected<std::optional<StoredAnswer>> stored_answer(std::string_view key_hash) = 0;
  // Outbox entries after `position`, in order, at most `limit`.
  virtual Expected<std::vector<OutboxRecord>> outbox_after(std::int64_t position, int limit) = 0;
  virtual Expected<std::optional<OutboxRecord>> outbox_record(std::int64_t position) = 0;
  virtual Expected<std::optional<DeliveryRecord>> delivery(std::string_view id) = 0;
  // Deliveries matching `filter`, newest first (skip/limit applied); *total counts all.
  virtual Expected<std::vector<DeliveryRecord>> list_deliveries(const DeliveryFilter& filter,
                                                                std::int64_t* total) = 0;
  virtual Expected<std::vector<WebhookRecord>> webhooks() = 0;  // by creation
  virtual Expected<std::optional<WebhookRecord>> webhook(std::string_view id) = 0;
  // A value stored with store_secret_if_absent (the server key when the environment has
  // none).
  virtual Expected<std::optional<std::string>> stored_secret(std::string_view name) = 0;

  // Calendar connections of `practitioner_id` (empty: of every practitioner), by id.
  virtual Expected<std::vector<CalendarConnectionRecord>> calendar_connections(
      std::string_view practitioner_id) = 0;
  virtual Expected<std::optional<CalendarConnectionRecord>> calendar_connection(
      std::string_view id) = 0;
  // Busy spans from connected calendars of `clinic_id` intersecting `window`, in start
  // order; only `practitioner_id`'s when it is not empty. Broken connections' spans are
  // kept (the last state known) and included.
  virtual Expected<std::vector<ExternalBusyRecord>> external_busy(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id = {}) = 0;
  virtual Expected<std::optional<OAuthStateRecord>> oauth_state(std::string_view state_hash) = 0;
  // Where booking `booking_id` is mirrored, by target.
  virtual Expected<std::vector<CalendarLinkRecord>> calendar_links(std::string_view booking_id) = 0;
  // Bookings mirrored into `target` whose written time intersects `window`.
  virtual Expected<std::vector<CalendarLinkRecord>> calendar_links_into(std::string_view target,
                                                                        TimeWindow window) = 0;
  virtual Expected<std::optional<CalendarFeedRecord>> calendar_feed_for_token(
      std::string_view token_hash) = 0;

  // Staff accounts (accounts/). Emails are stored lower case and looked up as given.
  virtual Expected<std::optional<StaffUserRecord>> staff_user(std::string_view id) = 0;
  virtual Expected<std::optional<StaffUserRecord>> staff_user_by_email(std::string_view email) = 0;
  virtual Expected<std::vector<StaffUserRecord>> staff_users() = 0;  // by email
  virtual Expected<std::optional<StaffSessionRecord>> staff_session(
      std::string_view token_hash) = 0;
  virtual Expected<std::optional<ApiKeyRecord>> api_key(std::string_view id) = 0;
  virtual Expected<std::optional<ApiKeyRecord>> api_key_by_secret_hash(
      std::string_view secret_hash) = 0;
  // Keys of `clinic_id` (empty: every key), by creation.
  virtual Expected<std::vector<ApiKeyRecord>> api_keys(std::string_view clinic_id) = 0;
  // Audit entries matching `filter`, newest first, at most filter.limit.
  virtual Expected<std::vector<AuditRecord>> audit_entries(const AuditFilter& filter) = 0;

  // Hold `id`, expired or not (the caller compares expires_at with its clock).
  virtual Expected<std::optional<HoldRecord>> hold(std::string_view id) = 0;
  // Holds of `clinic_id` still alive at `now` whose occupancy intersects `window`, in start
  // order; only `practitioner_id`'s when it is not empty.
  virtual Expected<std::vector<HoldRecord>> live_holds(std::string_view clinic_id,
                                                       TimeWindow window,
                                                       std::string_view practitioner_id,
                                                       UtcSeconds now) = 0;
};

// What write() work may change, in addition to reading.
class WriteTransaction : public ReadView {
 public:
  // Inserts or replaces the configuration of clinic `id` (bookings are kept); an
  // identical configuration changes nothing, not even the version.
  virtual Status put_clinic(std::string_view id, std::string_view config_json, UtcSeconds now) = 0;
  virtual Status insert_booking(const BookingRecord& booking) = 0;
  // Replaces the mutable fields of the booking with the same id.
  virtual Status update_booking(const BookingRecord& booking) = 0;
  virtual Status store_answer(std::string_view key_hash, const StoredAnswer& answer) = 0;
  // Appends a domain event; it commits or rolls back with the change it describes.
  virtual Status append_outbox(const OutboxRecord& record) = 0;
  // The oldest outbox records not yet dispatched, at most `limit`, in position order, held
  // by this transaction until it ends: one another transaction holds is skipped, not
  // waited for. For Storage::dispatch_outbox.
  virtual Expected<std::vector<OutboxRecord>> claim_undispatched(int limit) = 0;
  virtual Status mark_dispatched(const std::vector<OutboxRecord>& records, UtcSeconds now) = 0;

  // Adds a delivery; one whose dedupe_key exists already is not added (and that is ok).
  virtual Status insert_delivery(const DeliveryRecord& delivery) = 0;
  // Leases up to `limit` pending deliveries due at `now` whose lease has run out, oldest
  // due first, until `lease_until`, counting an attempt for each; returns them as leased.
  // One another transaction is claiming is skipped, not waited for, so workers in
  // several processes never hold one delivery at once.
  virtual Expected<std::vector<DeliveryRecord>> claim_deliveries(UtcSeconds now,
                                                                 UtcSeconds lease_until,
                                                                 int limit) = 0;
  // Stores the mutable fields (status, attempts, times, error, receipt) of delivery `id`.
  virtual Status update_delivery(const DeliveryRecord& delivery) = 0;
  // Cancels booking `booking_id`'s pending reminders, except those for the start
  // `keep_for` (when given); returns how many.
  virtual Expected<std::int64_t> cancel_pending_reminders(std::string_view booking_id,
                                                          std::optional<UtcSeconds> keep_for,
                                                          UtcSeconds now) = 0;
  virtual Status insert_webhook(const WebhookRecord& webhook) = 0;
  // Stores the mutable fields of webhook `id` (url, events, description, failing_since,
  // disabled_at, last_error).
  virtual Status update_webhook(const WebhookRecord& webhook) = 0;
  // Whether it existed.
  virtual Expected<bool> delete_webhook(std::string_view id) = 0;
  // Stores `value` under `name` unless a value is stored there already.
  virtual Status store_secret_if_absent(std::string_view name, std::string_view value) = 0;

  // Inserts the connection, or replaces the one with its id.
  virtual Status put_calendar_connection(const CalendarConnectionRecord& connection) = 0;
  // Deletes connection `id` with its busy spans and links; whether it existed.
  virtual Expected<bool> delete_calendar_connection(std::string_view id) = 0;
  // Replaces every busy span of connection `connection_id` with `spans` (the scope must
  // name the practitioner: this changes occupancy).
  virtual Status replace_external_busy(std::string_view connection_id, std::string_view clinic_id,
                                       std::string_view practitioner_id,
                                       const std::vector<TimeWindow>& spans) = 0;
  // Stores an authorization in progress and deletes those expired at `now`.
  virtual Status put_oauth_state(const OAuthStateRecord& state, UtcSeconds now) = 0;
  // Whether it existed (a state is used once).
  virtual Expected<bool> delete_oauth_state(std::string_view state_hash) = 0;
  // Inserts the link, or replaces the one for its booking and target.
  virtual Status put_calendar_link(const CalendarLinkRecord& link) = 0;
  virtual Status delete_calendar_link(std::string_view booking_id, std::string_view target) = 0;
  // Inserts the feed, or replaces the token of the feed for its clinic and practitioner.
  virtual Status put_calendar_feed(const CalendarFeedRecord& feed) = 0;

  // Inserts the user, or replaces the one with its id. Another user's email fails with
  // kInvalid "email_taken".
  virtual Status put_staff_user(const StaffUserRecord& user) = 0;
  // Inserts the session, or replaces the one with its token hash, and deletes sessions
  // past their absolute end at `now`.
  virtual Status put_staff_session(const StaffSessionRecord& session, UtcSeconds now) = 0;
  // How many were deleted: the one session, or every session of `user_id`.
  virtual Expected<std::int64_t> delete_staff_session(std::string_view token_hash) = 0;
  virtual Expected<std::int64_t> delete_staff_sessions_of(std::string_view user_id) = 0;
  // Inserts the key, or replaces the one with its id.
  virtual Status put_api_key(const ApiKeyRecord& key) = 0;
  // Appends an entry (its id is assigned); it commits or rolls back with the change.
  virtual Status append_audit(const AuditRecord& entry) = 0;

  // Inserts the hold, or replaces the one with its id (the scope must name its
  // practitioner: a hold is occupancy).
  virtual Status put_hold(const HoldRecord& hold) = 0;
  // Whether it existed.
  virtual Expected<bool> delete_hold(std::string_view id) = 0;
};

// What insert_booking and update_booking fail with when the store itself refuses an
// occupancy overlapping another occupying booking of the same practitioner (PostgreSQL's
// exclusion constraint). The service's scoped writes make it unreachable; when it happens
// anyway, the change is not made, the transaction stays usable, and the service answers
// the engine's `conflict`.
inline Failure occupancy_conflict() {
  return {FailureKind::kInvalidState, "occupancy_conflict",
          "the time overlaps another booking of the practitioner"};
}
inline bool is_occupancy_conflict(const Failure& failure) {
  return failure.code == "occupancy_conflict";
}

// What a write serializes on.
struct WriteScope {
  // Empty: the work touches no clinic's bookings or configuration (the outbox's own
  // bookkeeping), and row locks alone keep such writes apart.
  std::string clinic_id;
  // The practitioners whose occupancy the work reads or changes, sorted and unique;
  // empty: the whole clinic (configuration changes).
  std::vector<std::string> practitioner_ids;
  // The idempotent answer the work reads and stores (its key's hash), if any: two
  // requests with one key are serialized even when their bodies differ in practitioners.
  std::string idempotency_key_hash;
};

// A running Storage::watch_changes; destroying it stops the calls (and waits for one in
// progress).
class ChangeWatch {
 public:
  virtual ~ChangeWatch() = default;
};

class Storage {
 public:
  virtual ~Storage() = default;
  // Runs `work` in one serialized write transaction (see above): commits (durably) when it
  // returns ok, rolls back otherwise and returns its failure.
  virtual Status write(const WriteScope& scope,
                       const std::function<Status(WriteTransaction&)>& work) = 0;
  // Runs `work` against one consistent committed state.
  virtual Status read(const std::function<Status(ReadView&)>& work) = 0;
  // Hands the oldest outbox records no call has dispatched yet (at most `limit`, in
  // position order) to `handle`, in one write transaction that marks them dispatched at
  // `now` when `handle` returns ok and leaves them for a later call when it fails. A
  // record another process is dispatching at that moment is skipped, not waited for
  // (PostgreSQL: FOR UPDATE SKIP LOCKED), so several processes drain one outbox together
  // and no record is dispatched by two calls. `handle` may write (e.g. the jobs an event
  // makes) and, like write()'s work, may run more than once. Returns how many records
  // were dispatched (0: none waiting).
  using OutboxHandler =
      std::function<Status(WriteTransaction&, const std::vector<OutboxRecord>& records)>;
  Expected<int> dispatch_outbox(int limit, UtcSeconds now, const OutboxHandler& handle);
  // Deletes idempotent answers stored before `created_before`, and each client's beyond
  // its `keep_per_client` newest; returns how many. Run periodically by the server, not
  // as a side effect of anything else.
  virtual Expected<std::int64_t> prune_answers(UtcSeconds created_before,
                                               std::int64_t keep_per_client) = 0;
  // Deletes the holds expired at `now`; returns how many. Run periodically with
  // prune_answers (an expired hold already occupies nothing: this only reclaims rows).
  virtual Expected<std::int64_t> prune_holds(UtcSeconds now) = 0;
  // Calls `on_change(clinic_id)`, from a storage thread, after a change to that clinic
  // committed in any process on the same database, this one included; "" means anything
  // may have changed (the storage could not listen for a while). Until the returned watch
  // is destroyed. A database only this process writes (SQLite) has nothing to tell
  // beyond the in-process event bus: the default returns a watch that never calls.
  virtual std::unique_ptr<ChangeWatch> watch_changes(
      std::function<void(const std::string& clinic_id)> on_change) {
    (void)on_change;
    return std::make_unique<ChangeWatch>();
  }
};

// The value `query` (ReadView& -> Expected<T>) answers in one consistent read: for the
// services' many reads of one thing.
template <typename Query>
auto read_value(Storage& storage, Query&& query) -> decltype(query(std::declval<ReadView&>())) {
  std::optional<decltype(query(std::declval<ReadView&>()))> answer;
  Status read = storage.read([&](ReadView& view) -> Status {
    answer.emplace(query(view));
    return answer->ok() ? Status() : Status(answer->error());
  });
  if (!read.ok()) return read.error();
  return std::move(*answer);
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_STORAGE_H_
