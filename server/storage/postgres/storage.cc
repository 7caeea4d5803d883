#include "storage/postgres/storage.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "slotbook/limits.h"
#include "storage/account_columns.h"
#include "storage/booking_columns.h"
#include "storage/calendar_columns.h"
#include "storage/delivery_columns.h"
#include "storage/hold_columns.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/schema.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

// As in SQLite: stored bookings never last longer than the engine's longest duration, so
// the (clinic_id, start_utc) index bounds occupancy queries.
constexpr auto kLongestBooking = std::chrono::minutes(kMaxDurationMinutes);

constexpr const char* kChannel = "slotbook_changes";

// A 64-bit advisory lock key for one thing a write may lock. Keys are hashes, so two
// different things may share one: that only serializes them needlessly.
std::string lock_key(std::string_view kind, std::string_view clinic_id,
                     std::string_view practitioner_id = {}) {
  std::string text(kind);
  text += '\0';
  text += clinic_id;
  text += '\0';
  text += practitioner_id;
  const std::uint64_t bits = std::stoull(sha256_hex(text).substr(0, 16), nullptr, 16);
  return std::to_string(static_cast<std::int64_t>(bits));
}

// "BEGIN; SELECT <locks of scope>": one round trip that opens the transaction and locks
// what the scope names, in the one order every write uses. The keys are spliced: they
// are numbers this program computed, never input.
std::string begin_locked(const WriteScope& scope) {
  std::string sql = "BEGIN; SELECT ";
  if (scope.practitioner_ids.empty()) {
    // Configuration changes check practitioner ids across clinics: one at a time.
    sql += "pg_advisory_xact_lock(" + lock_key("configuration", "") + "), ";
    sql += "pg_advisory_xact_lock(" + lock_key("clinic", scope.clinic_id) + ")";
  } else {
    sql += "pg_advisory_xact_lock_shared(" + lock_key("clinic", scope.clinic_id) + ")";
  }
  // Target-list items are evaluated left to right: the order above and below holds. A
  // request's idempotency key before its practitioners, so the second request with a key
  // waits for the first to finish and then replays its answer.
  if (!scope.idempotency_key_hash.empty()) {
    sql += ", pg_advisory_xact_lock(" + lock_key("idempotency", scope.idempotency_key_hash) + ")";
  }
  for (const std::string& practitioner : scope.practitioner_ids) {  // sorted
    sql +=
        ", pg_advisory_xact_lock(" + lock_key("practitioner", scope.clinic_id, practitioner) + ")";
  }
  return sql;
}

bool worth_retrying(std::string_view sqlstate) {
  return sqlstate == kSerializationFailure || sqlstate == kDeadlockDetected ||
         sqlstate == kUniqueViolation;
}

Expected<std::vector<BookingRecord>> bookings_of(Expected<PgResult> result) {
  if (!result.ok()) return result.error();
  std::vector<BookingRecord> out;
  out.reserve(static_cast<std::size_t>(result->rows()));
  for (int i = 0; i < result->rows(); ++i) out.push_back(booking_from_row(result->row(i)));
  return out;
}

const std::string& select_bookings() {
  static const std::string sql = std::string("SELECT ") + kBookingColumns + " FROM bookings";
  return sql;
}

constexpr const char* kOutboxColumns =
    "position, event_id, clinic_id, kind, booking_id, occurred_at, payload";

Expected<std::vector<OutboxRecord>> outbox_of(Expected<PgResult> result) {
  if (!result.ok()) return result.error();
  std::vector<OutboxRecord> out;
  for (int i = 0; i < result->rows(); ++i) {
    PgRow row = result->row(i);
    out.push_back(OutboxRecord{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4),
                               row.time(5), row.text(6)});
  }
  return out;
}

template <typename Record, typename FromRow>
Expected<std::vector<Record>> rows_of(Expected<PgResult> result, FromRow from_row) {
  if (!result.ok()) return result.error();
  std::vector<Record> out;
  for (int i = 0; i < result->rows(); ++i) out.push_back(from_row(result->row(i)));
  return out;
}

const auto kDeliveryFromRow = [](const PgRow& row) { return delivery_from_row(row); };
const auto kWebhookFromRow = [](const PgRow& row) { return webhook_from_row(row); };
const auto kConnectionFromRow = [](const PgRow& row) { return connection_from_row(row); };
const auto kOAuthStateFromRow = [](const PgRow& row) { return oauth_state_from_row(row); };
const auto kLinkFromRow = [](const PgRow& row) { return link_from_row(row); };
const auto kFeedFromRow = [](const PgRow& row) { return feed_from_row(row); };
const auto kStaffUserFromRow = [](const PgRow& row) { return staff_user_from_row(row); };
const auto kStaffSessionFromRow = [](const PgRow& row) { return staff_session_from_row(row); };
const auto kApiKeyFromRow = [](const PgRow& row) { return api_key_from_row(row); };
const auto kAuditFromRow = [](const PgRow& row) { return audit_from_row(row); };
const auto kHoldFromRow = [](const PgRow& row) { return hold_from_row(row); };

Status done(const Expected<PgResult>& result) {
  return result.ok() ? Status() : Status(result.error());
}

// Both reads and writes run their queries through this one class.
class PgTransaction final : public WriteTransaction {
 public:
  explicit PgTransaction(PgConnection& connection) : c_(connection) {}

  // Whether a failure this transaction returned came from a race another attempt wins.
  bool lost_race() const { return lost_race_; }

  Expected<std::optional<ClinicRecord>> clinic(std::string_view id) override {
    auto r =
        c_.query("SELECT id, config_json, version FROM clinics WHERE id = $1", PgParams().add(id));
    if (!r.ok()) return r.error();
    if (r->rows() == 0) return std::optional<ClinicRecord>();
    PgRow row = r->row(0);
    return std::optional<ClinicRecord>(ClinicRecord{row.text(0), row.text(1), row.integer(2)});
  }

  Expected<std::optional<std::int64_t>> clinic_version(std::string_view id) override {
    auto r = c_.query("SELECT version FROM clinics WHERE id = $1", PgParams().add(id));
    if (!r.ok()) return r.error();
    if (r->rows() == 0) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(r->row(0).integer(0));
  }

  Expected<std::vector<std::string>> clinic_ids() override {
    auto r = c_.query("SELECT id FROM clinics ORDER BY id");
    if (!r.ok()) return r.error();
    std::vector<std::string> ids;
    for (int i = 0; i < r->rows(); ++i) ids.push_back(r->row(i).text(0));
    return ids;
  }

  Expected<std::optional<BookingRecord>> booking(std::string_view id) override {
    return first_row(
        bookings_of(c_.query(select_bookings() + " WHERE id = $1", PgParams().add(id))));
  }

  Expected<std::optional<std::string>> booking_id_for_token_hash(
      std::string_view token_hash) override {
    auto r = c_.query("SELECT id FROM bookings WHERE manage_token_hash = $1",
                      PgParams().add(token_hash));
    if (!r.ok()) return r.error();
    if (r->rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r->row(0).text(0));
  }

  Expected<std::vector<BookingRecord>> occupying_bookings(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id) override {
    std::string sql = select_bookings() +
                      " WHERE clinic_id = $1 AND start_utc > $2 AND start_utc < $3 AND "
                      "end_utc > $4 AND " +
                      occupying_statuses_sql();
    PgParams params;
    params.add(clinic_id).add(window.from - kLongestBooking).add(window.to).add(window.from);
    if (!practitioner_id.empty()) {
      sql += " AND practitioner_id = $5";
      params.add(practitioner_id);
    }
    return bookings_of(c_.query(sql + " ORDER BY start_utc, id", params));
  }

  Expected<std::vector<BookingRecord>> list_bookings(const BookingFilter& filter,
                                                     std::int64_t* total) override {
    std::string where = " WHERE clinic_id = $1 AND start_utc >= $2 AND start_utc < $3";
    PgParams params;
    params.add(filter.clinic_id).add(filter.start_from).add(filter.start_before);
    if (filter.practitioner_id) {
      params.add(*filter.practitioner_id);
      where += " AND practitioner_id = $" + std::to_string(params.size());
    }
    if (filter.status) {
      params.add(to_string(*filter.status));
      where += " AND status = $" + std::to_string(params.size());
    }
    auto count = c_.query("SELECT COUNT(*) FROM bookings" + where, params);
    if (!count.ok()) return count.error();
    *total = count->row(0).integer(0);
    const std::string limits = " LIMIT $" + std::to_string(params.size() + 1) + " OFFSET $" +
                               std::to_string(params.size() + 2);
    params.add(static_cast<std::int64_t>(filter.limit)).add(static_cast<std::int64_t>(filter.skip));
    return bookings_of(
        c_.query(select_bookings() + where + " ORDER BY start_utc, id" + limits, params));
  }

  Expected<std::vector<BookingRecord>> search_bookings(std::string_view clinic_id,
                                                       std::string_view text, int limit) override {
    const BookingSearchPatterns p = booking_search_patterns(text);
    return bookings_of(c_.query(
        select_bookings() +
            " WHERE clinic_id = $1 AND (lower(patient_name) LIKE $2 ESCAPE '\\' OR "
            "lower(patient_email) LIKE $2 ESCAPE '\\' OR ($3 <> '' AND patient_phone LIKE $3) OR "
            "confirmation_number = $4) ORDER BY start_utc DESC, id LIMIT $5",
        PgParams()
            .add(clinic_id)
            .add(p.contains)
            .add(p.phone_contains)
            .add(p.confirmation)
            .add(static_cast<std::int64_t>(limit))));
  }

  Expected<std::int64_t> occupying_count(std::string_view clinic_id,
                                         std::string_view practitioner_id,
                                         TimeWindow window) override {
    auto r = c_.query(
        "SELECT COUNT(*) FROM bookings WHERE clinic_id = $1 AND practitioner_id = $2 AND "
        "start_utc >= $3 AND start_utc < $4 AND " +
            occupying_statuses_sql(),
        PgParams().add(clinic_id).add(practitioner_id).add(window.from).add(window.to));
    if (!r.ok()) return r.error();
    return r->row(0).integer(0);
  }

  Expected<bool> confirmation_number_exists(std::string_view number) override {
    auto r =
        c_.query("SELECT 1 FROM bookings WHERE confirmation_number = $1", PgParams().add(number));
    if (!r.ok()) return r.error();
    return r->rows() > 0;
  }

  Expected<std::optional<StoredAnswer>> stored_answer(std::string_view key_hash) override {
    auto r = c_.query(
        "SELECT request_hash, status, sealed_body, created_at, client FROM idempotent_answers "
        "WHERE key_hash = $1",
        PgParams().add(key_hash));
    if (!r.ok()) return r.error();
    if (r->rows() == 0) return std::optional<StoredAnswer>();
    PgRow row = r->row(0);
    return std::optional<StoredAnswer>(StoredAnswer{row.text(0), static_cast<int>(row.integer(1)),
                                                    row.bytes(2), row.time(3), row.text(4)});
  }

  Status put_clinic(std::string_view id, std::string_view config_json, UtcSeconds now) override {
    // Re-storing an identical configuration changes nothing (not even the version).
    auto r = c_.query(
        "INSERT INTO clinics (id, config_json, version, updated_at) VALUES ($1, $2, 1, $3) "
        "ON CONFLICT (id) DO UPDATE SET config_json = excluded.config_json, "
        "version = clinics.version + 1, updated_at = excluded.updated_at "
        "WHERE clinics.config_json <> excluded.config_json",
        PgParams().add(id).add(config_json).add(now));
    return r.ok() ? Status() : Status(r.error());
  }

  Status insert_booking(const BookingRecord& b) override {
    // DO NOTHING without a target also absorbs exclusion violations, so a refused
    // overlap leaves the transaction usable.
    static const std::string sql = std::string("INSERT INTO bookings (") + kBookingColumns +
                                   ") VALUES (" + placeholders(kBookingColumnCount, '$') +
                                   ") ON CONFLICT DO NOTHING";
    PgParams params;
    bind_booking_columns(b, [&](const auto& value) { params.add(value); });
    auto r = c_.query(sql, params);
    if (!r.ok()) return r.error();
    if (r->affected() == 1) return Status();
    // Not inserted: the id or confirmation number was taken meanwhile by a write that
    // did not share this one's locks (another practitioner's), or the time overlaps.
    auto taken = c_.query("SELECT 1 FROM bookings WHERE id = $1 OR confirmation_number = $2",
                          PgParams().add(b.id).add(b.confirmation_number));
    if (!taken.ok()) return taken.error();
    if (taken->rows() > 0) {
      lost_race_ = true;
      return storage_failure("booking id or confirmation number taken concurrently");
    }
    return occupancy_conflict();
  }

  Status update_booking(const BookingRecord& b) override {
    // In a savepoint: an UPDATE refused by the exclusion constraint would otherwise end
    // the whole transaction.
    if (Status saved = c_.exec("SAVEPOINT update_booking"); !saved.ok()) return saved;
    auto r = c_.query(
        "UPDATE bookings SET practitioner_id = $2, appointment_type = $3, start_utc = $4, "
        "end_utc = $5, status = $6, notes = $7, sequence = $8, cancel_reason = $9, "
        "cancelled_at = $10, reminder_sent_at = $11, updated_at = $12, occupied_from = $13, "
        "occupied_to = $14, meeting_url = $15, meeting_provider = $16 WHERE id = $1",
        PgParams()
            .add(b.id)
            .add(b.practitioner_id)
            .add(b.appointment_type)
            .add(b.start_utc)
            .add(b.end_utc)
            .add(to_string(b.status))
            .add(b.notes)
            .add(static_cast<std::int64_t>(b.sequence))
            .add(b.cancel_reason)
            .add(b.cancelled_at)
            .add(b.reminder_sent_at)
            .add(b.updated_at)
            .add(b.occupancy.from)
            .add(b.occupancy.to)
            .add(b.meeting_url)
            .add(b.meeting_provider));
    if (!r.ok()) {
      const bool overlap = c_.last_sqlstate() == kExclusionViolation;
      Status undone = c_.exec("ROLLBACK TO SAVEPOINT update_booking");
      if (overlap && undone.ok()) return occupancy_conflict();
      return r.error();
    }
    return c_.exec("RELEASE SAVEPOINT update_booking");
  }

  Status store_answer(std::string_view key_hash, const StoredAnswer& answer) override {
    auto r = c_.query(
        "INSERT INTO idempotent_answers "
        "(key_hash, request_hash, status, sealed_body, created_at, client) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_hash) DO UPDATE SET "
        "request_hash = excluded.request_hash, status = excluded.status, "
        "sealed_body = excluded.sealed_body, created_at = excluded.created_at, "
        "client = excluded.client",
        PgParams()
            .add(key_hash)
            .add(answer.request_hash)
            .add(static_cast<std::int64_t>(answer.status))
            .add_bytes(answer.sealed_body)
            .add(answer.created_at)
            .add(answer.client));
    return r.ok() ? Status() : Status(r.error());
  }

  Expected<std::vector<OutboxRecord>> outbox_after(std::int64_t position, int limit) override {
    return outbox_of(c_.query(std::string("SELECT ") + kOutboxColumns +
                                  " FROM outbox WHERE position > $1 ORDER BY position LIMIT $2",
                              PgParams().add(position).add(static_cast<std::int64_t>(limit))));
  }

  Expected<std::vector<OutboxRecord>> claim_undispatched(int limit) override {
    return outbox_of(c_.query(std::string("SELECT ") + kOutboxColumns +
                                  " FROM outbox WHERE dispatched_at IS NULL ORDER BY position "
                                  "LIMIT $1 FOR UPDATE SKIP LOCKED",
                              PgParams().add(static_cast<std::int64_t>(limit))));
  }

  Status mark_dispatched(const std::vector<OutboxRecord>& records, UtcSeconds now) override {
    std::string positions = "{";
    for (const OutboxRecord& record : records) {
      positions += (positions.size() > 1 ? "," : "") + std::to_string(record.position);
    }
    auto r = c_.query("UPDATE outbox SET dispatched_at = $1 WHERE position = ANY($2::bigint[])",
                      PgParams().add(now).add(positions + "}"));
    return r.ok() ? Status() : Status(r.error());
  }

  Expected<std::optional<OutboxRecord>> outbox_record(std::int64_t position) override {
    return first_row(outbox_of(
        c_.query(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE position = $1",
                 PgParams().add(position))));
  }

  Expected<std::optional<DeliveryRecord>> delivery(std::string_view id) override {
    return first_row(rows_of<DeliveryRecord>(
        c_.query(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries WHERE id = $1",
                 PgParams().add(id)),
        kDeliveryFromRow));
  }

  Expected<std::vector<DeliveryRecord>> list_deliveries(const DeliveryFilter& filter,
                                                        std::int64_t* total) override {
    std::string where = " WHERE true";
    PgParams params;
    auto match = [&](const char* column, const std::optional<std::string>& value) {
      if (!value) return;
      params.add(*value);
      where += std::string(" AND ") + column + " = $" + std::to_string(params.size());
    };
    match("status", filter.status);
    match("booking_id", filter.booking_id);
    match("channel", filter.channel);
    match("recipient", filter.recipient);
    match("clinic_id", filter.clinic_id);
    auto count = c_.query("SELECT COUNT(*) FROM deliveries" + where, params);
    if (!count.ok()) return count.error();
    *total = count->row(0).integer(0);
    const std::string limits = " LIMIT $" + std::to_string(params.size() + 1) + " OFFSET $" +
                               std::to_string(params.size() + 2);
    params.add(static_cast<std::int64_t>(filter.limit)).add(static_cast<std::int64_t>(filter.skip));
    return rows_of<DeliveryRecord>(
        c_.query(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries" + where +
                     " ORDER BY created_at DESC, id" + limits,
                 params),
        kDeliveryFromRow);
  }

  Expected<std::vector<WebhookRecord>> webhooks() override {
    return rows_of<WebhookRecord>(c_.query(std::string("SELECT ") + kWebhookColumns +
                                           " FROM webhooks ORDER BY created_at, id"),
                                  kWebhookFromRow);
  }

  Expected<std::optional<WebhookRecord>> webhook(std::string_view id) override {
    return first_row(rows_of<WebhookRecord>(
        c_.query(std::string("SELECT ") + kWebhookColumns + " FROM webhooks WHERE id = $1",
                 PgParams().add(id)),
        kWebhookFromRow));
  }

  Expected<std::optional<std::string>> stored_secret(std::string_view name) override {
    auto r = c_.query("SELECT value FROM server_secrets WHERE name = $1", PgParams().add(name));
    if (!r.ok()) return r.error();
    if (r->rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r->row(0).text(0));
  }

  Status insert_delivery(const DeliveryRecord& d) override {
    static const std::string sql = std::string("INSERT INTO deliveries (") + kDeliveryColumns +
                                   ") VALUES (" + placeholders(kDeliveryColumnCount, '$') +
                                   ") ON CONFLICT (dedupe_key) DO NOTHING";
    PgParams params;
    bind_delivery_columns(d, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Expected<std::vector<DeliveryRecord>> claim_deliveries(UtcSeconds now, UtcSeconds lease_until,
                                                         int limit) override {
    return rows_of<DeliveryRecord>(
        c_.query(std::string("UPDATE deliveries SET lease_until = $2, attempts = attempts + 1, "
                             "updated_at = $1 WHERE id IN (SELECT id FROM deliveries WHERE "
                             "status = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1 "
                             "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                             "RETURNING ") +
                     kDeliveryColumns,
                 PgParams().add(now).add(lease_until).add(static_cast<std::int64_t>(limit))),
        kDeliveryFromRow);
  }

  Status update_delivery(const DeliveryRecord& d) override {
    return done(c_.query(
        "UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, lease_until = $5, "
        "last_error = $6, receipt = $7, updated_at = $8, sent_at = $9 WHERE id = $1",
        PgParams()
            .add(d.id)
            .add(d.status)
            .add(static_cast<std::int64_t>(d.attempts))
            .add(d.next_attempt_at)
            .add(d.lease_until)
            .add(d.last_error)
            .add(d.receipt)
            .add(d.updated_at)
            .add(d.sent_at)));
  }

  Expected<std::int64_t> cancel_pending_reminders(std::string_view booking_id,
                                                  std::optional<UtcSeconds> keep_for,
                                                  UtcSeconds now) override {
    auto r = c_.query(
        "UPDATE deliveries SET status = 'cancelled', updated_at = $3 WHERE booking_id = $1 AND "
        "purpose = 'reminder' AND status = 'pending' AND ($2::bigint IS NULL OR reminder_for <> "
        "$2::bigint)",
        PgParams().add(booking_id).add(keep_for).add(now));
    if (!r.ok()) return r.error();
    return r->affected();
  }

  Status insert_webhook(const WebhookRecord& w) override {
    static const std::string sql = std::string("INSERT INTO webhooks (") + kWebhookColumns +
                                   ") VALUES (" + placeholders(kWebhookColumnCount, '$') + ")";
    PgParams params;
    bind_webhook_columns(w, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Status update_webhook(const WebhookRecord& w) override {
    return done(c_.query(
        "UPDATE webhooks SET failing_since = $2, disabled_at = $3, last_error = $4, url = $5, "
        "events = $6, description = $7 WHERE id = $1",
        PgParams()
            .add(w.id)
            .add(w.failing_since)
            .add(w.disabled_at)
            .add(w.last_error)
            .add(w.url)
            .add(w.events_json)
            .add(w.description)));
  }

  Expected<bool> delete_webhook(std::string_view id) override {
    auto r = c_.query("DELETE FROM webhooks WHERE id = $1", PgParams().add(id));
    if (!r.ok()) return r.error();
    return r->affected() > 0;
  }

  Status store_secret_if_absent(std::string_view name, std::string_view value) override {
    return done(c_.query(
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        PgParams().add(name).add(value)));
  }

  Expected<std::vector<CalendarConnectionRecord>> calendar_connections(
      std::string_view practitioner_id) override {
    return rows_of<CalendarConnectionRecord>(
        c_.query(std::string("SELECT ") + kConnectionColumns +
                     " FROM calendar_connections WHERE $1 = '' OR practitioner_id = $1 "
                     "ORDER BY id",
                 PgParams().add(practitioner_id)),
        kConnectionFromRow);
  }

  Expected<std::optional<CalendarConnectionRecord>> calendar_connection(
      std::string_view id) override {
    return first_row(
        rows_of<CalendarConnectionRecord>(c_.query(std::string("SELECT ") + kConnectionColumns +
                                                       " FROM calendar_connections WHERE id = $1",
                                                   PgParams().add(id)),
                                          kConnectionFromRow));
  }

  Expected<std::vector<ExternalBusyRecord>> external_busy(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id) override {
    return rows_of<ExternalBusyRecord>(
        c_.query("SELECT connection_id, practitioner_id, start_utc, end_utc FROM calendar_busy "
                 "WHERE clinic_id = $1 AND start_utc < $3 AND end_utc > $2 AND "
                 "($4 = '' OR practitioner_id = $4) ORDER BY start_utc, connection_id",
                 PgParams().add(clinic_id).add(window.from).add(window.to).add(practitioner_id)),
        [](const PgRow& row) {
          return ExternalBusyRecord{row.text(0), row.text(1), TimeWindow{row.time(2), row.time(3)}};
        });
  }

  Expected<std::optional<OAuthStateRecord>> oauth_state(std::string_view state_hash) override {
    return first_row(
        rows_of<OAuthStateRecord>(c_.query(std::string("SELECT ") + kOAuthStateColumns +
                                               " FROM oauth_states WHERE state_hash = $1",
                                           PgParams().add(state_hash)),
                                  kOAuthStateFromRow));
  }

  Expected<std::vector<CalendarLinkRecord>> calendar_links(std::string_view booking_id) override {
    return rows_of<CalendarLinkRecord>(
        c_.query(std::string("SELECT ") + kLinkColumns +
                     " FROM calendar_links WHERE booking_id = $1 ORDER BY target",
                 PgParams().add(booking_id)),
        kLinkFromRow);
  }

  Expected<std::vector<CalendarLinkRecord>> calendar_links_into(std::string_view target,
                                                                TimeWindow window) override {
    return rows_of<CalendarLinkRecord>(
        c_.query(std::string("SELECT ") + kLinkColumns +
                     " FROM calendar_links WHERE target = $1 AND written_from < $3 AND "
                     "written_to > $2 ORDER BY written_from",
                 PgParams().add(target).add(window.from).add(window.to)),
        kLinkFromRow);
  }

  Expected<std::optional<CalendarFeedRecord>> calendar_feed_for_token(
      std::string_view token_hash) override {
    return first_row(rows_of<CalendarFeedRecord>(
        c_.query(
            std::string("SELECT ") + kFeedColumns + " FROM calendar_feeds WHERE token_hash = $1",
            PgParams().add(token_hash)),
        kFeedFromRow));
  }

  Expected<std::optional<StaffUserRecord>> staff_user(std::string_view id) override {
    return one_staff_user("id", id);
  }

  Expected<std::optional<StaffUserRecord>> staff_user_by_email(std::string_view email) override {
    return one_staff_user("email", email);
  }

  Expected<std::vector<StaffUserRecord>> staff_users() override {
    return rows_of<StaffUserRecord>(
        c_.query(std::string("SELECT ") + kStaffUserColumns + " FROM staff_users ORDER BY email",
                 PgParams()),
        kStaffUserFromRow);
  }

  Expected<std::optional<StaffSessionRecord>> staff_session(std::string_view token_hash) override {
    return first_row(
        rows_of<StaffSessionRecord>(c_.query(std::string("SELECT ") + kStaffSessionColumns +
                                                 " FROM staff_sessions WHERE token_hash = $1",
                                             PgParams().add(token_hash)),
                                    kStaffSessionFromRow));
  }

  Expected<std::optional<ApiKeyRecord>> api_key(std::string_view id) override {
    return one_api_key("id", id);
  }

  Expected<std::optional<ApiKeyRecord>> api_key_by_secret_hash(
      std::string_view secret_hash) override {
    return one_api_key("secret_hash", secret_hash);
  }

  Expected<std::vector<ApiKeyRecord>> api_keys(std::string_view clinic_id) override {
    return rows_of<ApiKeyRecord>(
        c_.query(std::string("SELECT ") + kApiKeyColumns +
                     " FROM api_keys WHERE $1 = '' OR clinic_id = $1 ORDER BY created_at, id",
                 PgParams().add(clinic_id)),
        kApiKeyFromRow);
  }

  Expected<std::vector<AuditRecord>> audit_entries(const AuditFilter& filter) override {
    // NULL parameters switch a condition off, so one statement serves every filter.
    return rows_of<AuditRecord>(
        c_.query(std::string("SELECT ") + kAuditColumns +
                     " FROM audit_log WHERE ($1::text IS NULL OR clinic_id = $1) AND "
                     "($2::text IS NULL OR target_id = $2) AND ($3::bigint IS NULL OR id < $3) "
                     "ORDER BY id DESC LIMIT $4",
                 PgParams()
                     .add_nullable(filter.clinic_id)
                     .add_nullable(filter.target_id)
                     .add(filter.before_id)
                     .add(static_cast<std::int64_t>(filter.limit))),
        kAuditFromRow);
  }

  Expected<std::optional<HoldRecord>> hold(std::string_view id) override {
    return first_row(rows_of<HoldRecord>(
        c_.query(std::string("SELECT ") + kHoldColumns + " FROM holds WHERE id = $1",
                 PgParams().add(id)),
        kHoldFromRow));
  }

  Expected<std::vector<HoldRecord>> live_holds(std::string_view clinic_id, TimeWindow window,
                                               std::string_view practitioner_id,
                                               UtcSeconds now) override {
    return rows_of<HoldRecord>(
        c_.query(std::string("SELECT ") + kHoldColumns +
                     " FROM holds WHERE clinic_id = $1 AND occupied_from < $3 AND "
                     "occupied_to > $2 AND expires_at > $4 AND "
                     "($5 = '' OR practitioner_id = $5) ORDER BY start_utc, id",
                 PgParams()
                     .add(clinic_id)
                     .add(window.from)
                     .add(window.to)
                     .add(now)
                     .add(practitioner_id)),
        kHoldFromRow);
  }

  Status put_calendar_connection(const CalendarConnectionRecord& c) override {
    static const std::string sql =
        std::string("INSERT INTO calendar_connections (") + kConnectionColumns + ") VALUES (" +
        placeholders(kConnectionColumnCount, '$') +
        ") ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, calendar_id = "
        "EXCLUDED.calendar_id, account_email = EXCLUDED.account_email, sealed_tokens = "
        "EXCLUDED.sealed_tokens, access_expires_at = EXCLUDED.access_expires_at, connected_at = "
        "EXCLUDED.connected_at, last_sync_at = EXCLUDED.last_sync_at, last_attempt_at = "
        "EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error, feed_etag = "
        "EXCLUDED.feed_etag";
    PgParams params;
    bind_connection_columns(c, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Expected<bool> delete_calendar_connection(std::string_view id) override {
    for (const char* sql : {"DELETE FROM calendar_busy WHERE connection_id = $1",
                            "DELETE FROM calendar_links WHERE target = $1"}) {
      if (Status status = done(c_.query(sql, PgParams().add(id))); !status.ok()) {
        return status.error();
      }
    }
    auto r = c_.query("DELETE FROM calendar_connections WHERE id = $1", PgParams().add(id));
    if (!r.ok()) return r.error();
    return r->affected() > 0;
  }

  Status replace_external_busy(std::string_view connection_id, std::string_view clinic_id,
                               std::string_view practitioner_id,
                               const std::vector<TimeWindow>& spans) override {
    Status cleared = done(c_.query("DELETE FROM calendar_busy WHERE connection_id = $1",
                                   PgParams().add(connection_id)));
    if (!cleared.ok() || spans.empty()) return cleared;
    std::string starts = "{", ends = "{";
    for (const TimeWindow& span : spans) {
      starts += (starts.size() > 1 ? "," : "") + std::to_string(to_unix(span.from));
      ends += (ends.size() > 1 ? "," : "") + std::to_string(to_unix(span.to));
    }
    return done(c_.query(
        "INSERT INTO calendar_busy (connection_id, clinic_id, practitioner_id, start_utc, end_utc) "
        "SELECT $1, $2, $3, s, e FROM unnest($4::bigint[], $5::bigint[]) AS spans(s, e)",
        PgParams()
            .add(connection_id)
            .add(clinic_id)
            .add(practitioner_id)
            .add(starts + "}")
            .add(ends + "}")));
  }

  Status put_oauth_state(const OAuthStateRecord& state, UtcSeconds now) override {
    Status expired =
        done(c_.query("DELETE FROM oauth_states WHERE expires_at <= $1", PgParams().add(now)));
    if (!expired.ok()) return expired;
    static const std::string sql = std::string("INSERT INTO oauth_states (") + kOAuthStateColumns +
                                   ") VALUES (" + placeholders(kOAuthStateColumnCount, '$') + ")";
    PgParams params;
    bind_oauth_state_columns(state, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Expected<bool> delete_oauth_state(std::string_view state_hash) override {
    auto r = c_.query("DELETE FROM oauth_states WHERE state_hash = $1", PgParams().add(state_hash));
    if (!r.ok()) return r.error();
    return r->affected() > 0;
  }

  Status put_calendar_link(const CalendarLinkRecord& link) override {
    static const std::string sql =
        std::string("INSERT INTO calendar_links (") + kLinkColumns + ") VALUES (" +
        placeholders(kLinkColumnCount, '$') +
        ") ON CONFLICT (booking_id, target) DO UPDATE SET external_id = EXCLUDED.external_id, "
        "meeting_url = EXCLUDED.meeting_url, written_from = EXCLUDED.written_from, written_to = "
        "EXCLUDED.written_to, updated_at = EXCLUDED.updated_at";
    PgParams params;
    bind_link_columns(link, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Status delete_calendar_link(std::string_view booking_id, std::string_view target) override {
    return done(c_.query("DELETE FROM calendar_links WHERE booking_id = $1 AND target = $2",
                         PgParams().add(booking_id).add(target)));
  }

  Status put_calendar_feed(const CalendarFeedRecord& feed) override {
    return done(c_.query(
        std::string("INSERT INTO calendar_feeds (") + kFeedColumns +
            ") VALUES ($1, $2, $3, $4) ON CONFLICT (clinic_id, practitioner_id) DO UPDATE SET "
            "token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at",
        PgParams()
            .add(feed.clinic_id)
            .add(feed.practitioner_id)
            .add(feed.token_hash)
            .add(feed.created_at)));
  }

  Status put_staff_user(const StaffUserRecord& u) override {
    auto taken = c_.query("SELECT 1 FROM staff_users WHERE email = $1 AND id <> $2",
                          PgParams().add(u.email).add(u.id));
    if (!taken.ok()) return taken.error();
    if (taken->rows() > 0) return invalid("email_taken", "another user has the email " + u.email);
    static const std::string sql =
        std::string("INSERT INTO staff_users (") + kStaffUserColumns + ") VALUES (" +
        placeholders(kStaffUserColumnCount, '$') +
        ") ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, password_hash = "
        "EXCLUDED.password_hash, role = EXCLUDED.role, clinic_id = EXCLUDED.clinic_id, "
        "practitioner_id = EXCLUDED.practitioner_id, disabled_at = EXCLUDED.disabled_at";
    PgParams params;
    bind_staff_user_columns(u, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Status put_staff_session(const StaffSessionRecord& session, UtcSeconds now) override {
    Status expired =
        done(c_.query("DELETE FROM staff_sessions WHERE expires_at <= $1", PgParams().add(now)));
    if (!expired.ok()) return expired;
    static const std::string sql =
        std::string("INSERT INTO staff_sessions (") + kStaffSessionColumns + ") VALUES (" +
        placeholders(kStaffSessionColumnCount, '$') +
        ") ON CONFLICT (token_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, "
        "expires_at = EXCLUDED.expires_at";
    PgParams params;
    bind_staff_session_columns(session, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Expected<std::int64_t> delete_staff_session(std::string_view token_hash) override {
    auto r =
        c_.query("DELETE FROM staff_sessions WHERE token_hash = $1", PgParams().add(token_hash));
    if (!r.ok()) return r.error();
    return static_cast<std::int64_t>(r->affected());
  }

  Expected<std::int64_t> delete_staff_sessions_of(std::string_view user_id) override {
    auto r = c_.query("DELETE FROM staff_sessions WHERE user_id = $1", PgParams().add(user_id));
    if (!r.ok()) return r.error();
    return static_cast<std::int64_t>(r->affected());
  }

  Status put_api_key(const ApiKeyRecord& k) override {
    static const std::string sql =
        std::string("INSERT INTO api_keys (") + kApiKeyColumns + ") VALUES (" +
        placeholders(kApiKeyColumnCount, '$') +
        ") ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, last_used_at = "
        "EXCLUDED.last_used_at, revoked_at = EXCLUDED.revoked_at";
    PgParams params;
    bind_api_key_columns(k, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Status append_audit(const AuditRecord& a) override {
    static const std::string sql = std::string("INSERT INTO audit_log (") + kAuditInsertColumns +
                                   ") VALUES (" + placeholders(kAuditInsertColumnCount, '$') + ")";
    PgParams params;
    bind_audit_insert_columns(a, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Status put_hold(const HoldRecord& h) override {
    static const std::string sql =
        std::string("INSERT INTO holds (") + kHoldColumns + ") VALUES (" +
        placeholders(kHoldColumnCount, '$') +
        ") ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at, renewals = "
        "EXCLUDED.renewals";
    PgParams params;
    bind_hold_columns(h, [&](const auto& value) { params.add(value); });
    return done(c_.query(sql, params));
  }

  Expected<bool> delete_hold(std::string_view id) override {
    auto r = c_.query("DELETE FROM holds WHERE id = $1", PgParams().add(id));
    if (!r.ok()) return r.error();
    return r->affected() > 0;
  }

  Status append_outbox(const OutboxRecord& r) override {
    // The NOTIFY reaches every process's watch_changes when this transaction commits
    // (once per clinic however many events it appended), in the same round trip as the
    // insert.
    auto result = c_.query(
        "WITH appended AS (INSERT INTO outbox (event_id, clinic_id, kind, booking_id, "
        "occurred_at, payload) VALUES ($1, $2, $3, $4, $5, $6) RETURNING clinic_id) "
        "SELECT pg_notify('" +
            std::string(kChannel) + "', clinic_id) FROM appended",
        PgParams()
            .add(r.event_id)
            .add(r.clinic_id)
            .add(r.kind)
            .add(r.booking_id)
            .add(r.occurred_at)
            .add(r.payload_json));
    return result.ok() ? Status() : Status(result.error());
  }

 private:
  // `column` is one of this class's literals, never input.
  Expected<std::optional<StaffUserRecord>> one_staff_user(const char* column,
                                                          std::string_view value) {
    return first_row(
        rows_of<StaffUserRecord>(c_.query(std::string("SELECT ") + kStaffUserColumns +
                                              " FROM staff_users WHERE " + column + " = $1",
                                          PgParams().add(value)),
                                 kStaffUserFromRow));
  }

  Expected<std::optional<ApiKeyRecord>> one_api_key(const char* column, std::string_view value) {
    return first_row(rows_of<ApiKeyRecord>(c_.query(std::string("SELECT ") + kApiKeyColumns +
                                                        " FROM api_keys WHERE " + column + " = $1",
                                                    PgParams().add(value)),
                                           kApiKeyFromRow));
  }

  PgConnection& c_;
  bool lost_race_ = false;
};

// Whether a refused connection means the server has no slot left for it (SQLSTATE 53300;
// libpq reports a refused connection by message only).
bool out_of_connection_slots(const Failure& failure) {
  const std::string& m = failure.message;
  return m.find("too many clients") != std::string::npos ||
         m.find("too many connections") != std::string::npos ||
         m.find("connection slots are reserved") != std::string::npos;
}

// A short random pause before attempt `attempt` (1-based), growing with it, so racing
// writers do not meet again in lockstep.
void back_off(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int> micros(0, 1000 * attempt);
  std::this_thread::sleep_for(std::chrono::microseconds(micros(random)));
}

}  // namespace

// A pooled connection in use; returned to the pool when destroyed, unless it broke.
class PgStorage::Lease {
 public:
  Lease(PgStorage* pool, std::unique_ptr<PgConnection> connection, bool reused)
      : pool_(pool), connection_(std::move(connection)), reused_(reused) {}
  Lease(Lease&& other) noexcept = default;
  ~Lease() {
    if (pool_ && connection_) pool_->release(std::move(connection_));
  }
  PgConnection& operator*() const { return *connection_; }
  // Whether it came from the pool (and so may have broken while idle).
  bool reused() const { return reused_; }

 private:
  PgStorage* pool_;
  std::unique_ptr<PgConnection> connection_;
  bool reused_;
};

Expected<std::unique_ptr<PgStorage>> PgStorage::open(const std::string& uri, int pool_size) {
  auto first = PgConnection::open(uri);
  if (!first.ok()) return first.error();
  auto version = migrate_postgres(**first);
  if (!version.ok()) return version.error();
  std::unique_ptr<PgStorage> storage(new PgStorage(uri, std::max(1, pool_size)));
  storage->open_ = 1;
  storage->idle_.push_back(std::move(*first));
  return storage;
}

Expected<int> PgStorage::migrate(const std::string& uri) {
  auto connection = PgConnection::open(uri);
  if (!connection.ok()) return connection.error();
  return migrate_postgres(**connection);
}

PgStorage::PgStorage(std::string uri, int pool_size) : uri_(std::move(uri)), pool_cap_(pool_size) {}

PgStorage::~PgStorage() = default;

Expected<PgStorage::Lease> PgStorage::acquire() {
  std::unique_lock<std::mutex> lock(pool_mutex_);
  for (;;) {
    connection_available_.wait(lock, [this] { return !idle_.empty() || open_ < pool_cap_; });
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection), true);
    }
    open_ += 1;
    lock.unlock();
    auto opened = PgConnection::open(uri_);
    lock.lock();
    if (opened.ok()) return Lease(this, std::move(*opened), false);
    open_ -= 1;
    if (open_ > 0 && out_of_connection_slots(opened.error())) {
      // The database has no slot for another connection (max_connections, or a limit on
      // the database or role, shared with the other processes): make do with the ones
      // this process has, waiting for one to come back, rather than fail the request.
      if (pool_cap_ > open_) {
        pool_cap_ = open_;
        spdlog::warn("PostgreSQL has no connection slot to spare: this process keeps {} ({})",
                     pool_cap_, opened.error().message);
      }
      continue;
    }
    connection_available_.notify_one();
    return opened.error();
  }
}

void PgStorage::release(std::unique_ptr<PgConnection> connection) {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (connection->broken()) {
    // The database went away: the idle ones are most likely broken too.
    open_ -= 1 + static_cast<int>(idle_.size());
    idle_.clear();
    connection.reset();
  } else {
    idle_.push_back(std::move(connection));
  }
  connection_available_.notify_one();
}

Status PgStorage::attempt(const std::string& begin,
                          const std::function<Status(WriteTransaction&)>& work, bool* retry) {
  *retry = false;
  auto lease = acquire();
  if (!lease.ok()) return lease.error();
  PgConnection& c = **lease;
  Status status = c.exec(begin);
  if (!status.ok()) {
    // Nothing ran but BEGIN (and locks): a connection that died while idle is safe to
    // replace. A lock wait that ends in a deadlock is worth another attempt too.
    *retry = (lease->reused() && status.error().kind == FailureKind::kUnavailable) ||
             worth_retrying(c.last_sqlstate());
    if (!c.broken()) (void)c.exec("ROLLBACK");
    return status;
  }
  bool lost_race = false;
  if (status.ok()) {
    PgTransaction transaction(c);
    try {
      status = work(transaction);
    } catch (...) {
      (void)c.exec("ROLLBACK");
      throw;
    }
    lost_race = transaction.lost_race();
    if (status.ok()) status = c.exec("COMMIT");
  }
  if (status.ok()) return status;
  // A broken connection during or after COMMIT leaves the outcome unknown: never rerun
  // the work then (the client sees 503 and may retry with its Idempotency-Key).
  *retry = !c.broken() && (lost_race || worth_retrying(c.last_sqlstate()));
  if (!c.broken()) (void)c.exec("ROLLBACK");
  return status;
}

Status PgStorage::write(const WriteScope& scope,
                        const std::function<Status(WriteTransaction&)>& work) {
  // No clinic: nothing to lock beyond the rows the work touches (the outbox's claim).
  const std::string begin = scope.clinic_id.empty() ? "BEGIN" : begin_locked(scope);
  Status status;
  for (int attempt = 1; attempt <= kWriteAttempts; ++attempt) {
    bool retry = false;
    status = this->attempt(begin, work, &retry);
    if (!retry) return status;
    back_off(attempt);
  }
  return status;
}

Status PgStorage::read(const std::function<Status(ReadView&)>& work) {
  const std::function<Status(WriteTransaction&)> as_write = [&work](WriteTransaction& tx) {
    return work(tx);
  };
  Status status;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    bool retry = false;
    status = this->attempt("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", as_write, &retry);
    if (!retry) return status;
  }
  return status;
}

Expected<std::int64_t> PgStorage::prune_answers(UtcSeconds created_before,
                                                std::int64_t keep_per_client) {
  auto lease = acquire();
  if (!lease.ok()) return lease.error();
  PgConnection& c = **lease;
  auto too_old = c.query("DELETE FROM idempotent_answers WHERE created_at < $1",
                         PgParams().add(created_before));
  if (!too_old.ok()) return too_old.error();
  auto too_many = c.query(
      "DELETE FROM idempotent_answers WHERE key_hash IN (SELECT key_hash FROM ("
      "SELECT key_hash, ROW_NUMBER() OVER (PARTITION BY client ORDER BY created_at DESC, "
      "key_hash DESC) AS newest FROM idempotent_answers) ranked WHERE newest > $1)",
      PgParams().add(keep_per_client));
  if (!too_many.ok()) return too_many.error();
  return too_old->affected() + too_many->affected();
}

Expected<std::int64_t> PgStorage::prune_holds(UtcSeconds now) {
  auto lease = acquire();
  if (!lease.ok()) return lease.error();
  auto expired = (**lease).query("DELETE FROM holds WHERE expires_at <= $1", PgParams().add(now));
  if (!expired.ok()) return expired.error();
  return expired->affected();
}

Expected<std::string> PgStorage::durability() {
  auto lease = acquire();
  if (!lease.ok()) return lease.error();
  auto r = (**lease).query(
      "SELECT current_setting('synchronous_commit'), current_setting('fsync'), "
      "current_setting('server_version')");
  if (!r.ok()) return r.error();
  PgRow row = r->row(0);
  return "synchronous_commit=" + row.text(0) + " fsync=" + row.text(1) +
         " server_version=" + row.text(2);
}

namespace {

// LISTENs on its own connection, reconnecting with backoff, until destroyed.
class PgChangeWatch final : public ChangeWatch {
 public:
  PgChangeWatch(std::string uri, std::function<void(const std::string&)> on_change)
      : uri_(std::move(uri)), on_change_(std::move(on_change)), thread_([this] { loop(); }) {}
  ~PgChangeWatch() override {
    stopping_ = true;
    thread_.join();
  }

 private:
  void loop() {
    auto pause = std::chrono::milliseconds(100);
    while (!stopping_) {
      auto connection = PgConnection::open(uri_);
      if (connection.ok() && (*connection)->exec(std::string("LISTEN ") + kChannel).ok()) {
        pause = std::chrono::milliseconds(100);
        on_change_("");  // whatever committed while nobody listened
        PGconn* conn = (*connection)->handle();
        while (!stopping_ && !(*connection)->broken()) {
          pollfd fd{PQsocket(conn), POLLIN, 0};
          if (poll(&fd, 1, 250) <= 0) continue;
          if (!PQconsumeInput(conn)) break;
          while (PGnotify* note = PQnotifies(conn)) {
            on_change_(note->extra);
            PQfreemem(note);
          }
        }
      }
      // Down (or stopping): try again, backing off to at most a second between attempts.
      for (auto waited = std::chrono::milliseconds(0); waited < pause && !stopping_;
           waited += std::chrono::milliseconds(50)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
  }

  const std::string uri_;
  const std::function<void(const std::string&)> on_change_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace

std::unique_ptr<ChangeWatch> PgStorage::watch_changes(
    std::function<void(const std::string&)> on_change) {
  return std::make_unique<PgChangeWatch>(uri_, std::move(on_change));
}

}  // namespace slotbook::server
