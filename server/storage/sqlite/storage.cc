#include "storage/sqlite/storage.h"

#include <sqlite3.h>

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "slotbook/limits.h"
#include "storage/account_columns.h"
#include "storage/booking_columns.h"
#include "storage/calendar_columns.h"
#include "storage/delivery_columns.h"
#include "storage/hold_columns.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/schema.h"

namespace slotbook::server {
namespace {

// Stored bookings never last longer than the engine's longest duration, so a booking
// intersecting [from, to) starts after from - that duration: the bound lets the
// (clinic_id, start_utc) index answer occupancy queries.
constexpr auto kLongestBooking = std::chrono::minutes(kMaxDurationMinutes);

Expected<std::vector<BookingRecord>> collect_bookings(SqliteStatement& stmt) {
  std::vector<BookingRecord> out;
  for (;;) {
    auto row = stmt.step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(booking_from_row(stmt));
  }
}

constexpr const char* kOutboxColumns =
    "position, event_id, clinic_id, kind, booking_id, occurred_at, payload";

Expected<std::vector<OutboxRecord>> collect_outbox(SqliteStatement& stmt) {
  std::vector<OutboxRecord> out;
  for (;;) {
    auto row = stmt.step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(OutboxRecord{stmt.integer(0), stmt.text(1), stmt.text(2), stmt.text(3),
                               stmt.text(4), stmt.time(5), stmt.text(6)});
  }
}

template <typename Record, typename FromRow>
Expected<std::vector<Record>> collect(SqliteStatement& stmt, FromRow from_row) {
  std::vector<Record> out;
  for (;;) {
    auto row = stmt.step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(from_row(stmt));
  }
}

const auto kDeliveryFromRow = [](const SqliteStatement& s) { return delivery_from_row(s); };
const auto kWebhookFromRow = [](const SqliteStatement& s) { return webhook_from_row(s); };
const auto kConnectionFromRow = [](const SqliteStatement& s) { return connection_from_row(s); };
const auto kOAuthStateFromRow = [](const SqliteStatement& s) { return oauth_state_from_row(s); };
const auto kLinkFromRow = [](const SqliteStatement& s) { return link_from_row(s); };
const auto kFeedFromRow = [](const SqliteStatement& s) { return feed_from_row(s); };
const auto kStaffUserFromRow = [](const SqliteStatement& s) { return staff_user_from_row(s); };
const auto kStaffSessionFromRow = [](const SqliteStatement& s) {
  return staff_session_from_row(s);
};
const auto kApiKeyFromRow = [](const SqliteStatement& s) { return api_key_from_row(s); };
const auto kAuditFromRow = [](const SqliteStatement& s) { return audit_from_row(s); };
const auto kHoldFromRow = [](const SqliteStatement& s) { return hold_from_row(s); };

// Both reads and writes run their queries through this one class.
class SqliteTransaction final : public WriteTransaction {
 public:
  explicit SqliteTransaction(SqliteConnection& connection) : c_(connection) {}

  Expected<std::optional<ClinicRecord>> clinic(std::string_view id) override {
    auto stmt = c_.prepare("SELECT id, config_json, version FROM clinics WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<ClinicRecord>();
    return std::optional<ClinicRecord>(
        ClinicRecord{stmt->text(0), stmt->text(1), stmt->integer(2)});
  }

  Expected<std::optional<std::int64_t>> clinic_version(std::string_view id) override {
    auto stmt = c_.prepare("SELECT version FROM clinics WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(stmt->integer(0));
  }

  Expected<std::vector<std::string>> clinic_ids() override {
    auto stmt = c_.prepare("SELECT id FROM clinics ORDER BY id");
    if (!stmt.ok()) return stmt.error();
    std::vector<std::string> ids;
    for (;;) {
      auto row = stmt->step();
      if (!row.ok()) return row.error();
      if (!*row) return ids;
      ids.push_back(stmt->text(0));
    }
  }

  Expected<std::optional<BookingRecord>> booking(std::string_view id) override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kBookingColumns + " FROM bookings WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    return first_row(collect_bookings(*stmt));
  }

  Expected<std::optional<std::string>> booking_id_for_token_hash(
      std::string_view token_hash) override {
    auto stmt = c_.prepare("SELECT id FROM bookings WHERE manage_token_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, token_hash);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->text(0));
  }

  Expected<std::vector<BookingRecord>> occupying_bookings(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id) override {
    std::string sql = std::string("SELECT ") + kBookingColumns +
                      " FROM bookings WHERE clinic_id = ?1 AND start_utc > ?2 AND start_utc < ?3 "
                      "AND end_utc > ?4 AND " +
                      occupying_statuses_sql();
    if (!practitioner_id.empty()) sql += " AND practitioner_id = ?5";
    auto stmt = c_.prepare(sql + " ORDER BY start_utc, id");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id).bind(2, window.from - kLongestBooking).bind(3, window.to);
    stmt->bind(4, window.from);
    if (!practitioner_id.empty()) stmt->bind(5, practitioner_id);
    return collect_bookings(*stmt);
  }

  Expected<std::vector<BookingRecord>> list_bookings(const BookingFilter& filter,
                                                     std::int64_t* total) override {
    std::string where = " WHERE clinic_id = ?1 AND start_utc >= ?2 AND start_utc < ?3";
    if (filter.practitioner_id) where += " AND practitioner_id = ?4";
    if (filter.status) where += " AND status = ?5";
    auto bind_filter = [&](SqliteStatement& stmt) {
      stmt.bind(1, filter.clinic_id).bind(2, filter.start_from).bind(3, filter.start_before);
      if (filter.practitioner_id) stmt.bind(4, *filter.practitioner_id);
      if (filter.status) stmt.bind(5, to_string(*filter.status));
    };
    {
      auto count = c_.prepare("SELECT COUNT(*) FROM bookings" + where);
      if (!count.ok()) return count.error();
      bind_filter(*count);
      auto row = count->step();
      if (!row.ok()) return row.error();
      *total = count->integer(0);
    }
    auto stmt = c_.prepare(std::string("SELECT ") + kBookingColumns + " FROM bookings" + where +
                           " ORDER BY start_utc, id LIMIT ?6 OFFSET ?7");
    if (!stmt.ok()) return stmt.error();
    bind_filter(*stmt);
    stmt->bind(6, static_cast<std::int64_t>(filter.limit))
        .bind(7, static_cast<std::int64_t>(filter.skip));
    return collect_bookings(*stmt);
  }

  Expected<std::vector<BookingRecord>> search_bookings(std::string_view clinic_id,
                                                       std::string_view text, int limit) override {
    const BookingSearchPatterns p = booking_search_patterns(text);
    auto stmt = c_.prepare(std::string("SELECT ") + kBookingColumns +
                           " FROM bookings WHERE clinic_id = ?1 AND (lower(patient_name) LIKE ?2 "
                           "ESCAPE '\\' OR lower(patient_email) LIKE ?2 ESCAPE '\\' OR (?3 <> '' "
                           "AND patient_phone LIKE ?3) OR confirmation_number = ?4) ORDER BY "
                           "start_utc DESC, id LIMIT ?5");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id).bind(2, p.contains).bind(3, p.phone_contains);
    stmt->bind(4, p.confirmation).bind(5, static_cast<std::int64_t>(limit));
    return collect_bookings(*stmt);
  }

  Expected<std::int64_t> occupying_count(std::string_view clinic_id,
                                         std::string_view practitioner_id,
                                         TimeWindow window) override {
    auto stmt = c_.prepare(
        "SELECT COUNT(*) FROM bookings WHERE clinic_id = ? AND practitioner_id = ? AND "
        "start_utc >= ? AND start_utc < ? AND " +
        occupying_statuses_sql());
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id).bind(2, practitioner_id).bind(3, window.from).bind(4, window.to);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    return stmt->integer(0);
  }

  Expected<bool> confirmation_number_exists(std::string_view number) override {
    auto stmt = c_.prepare("SELECT 1 FROM bookings WHERE confirmation_number = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, number);
    return stmt->step();
  }

  Expected<std::optional<StoredAnswer>> stored_answer(std::string_view key_hash) override {
    auto stmt = c_.prepare(
        "SELECT request_hash, status, sealed_body, created_at, client FROM idempotent_answers "
        "WHERE key_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, key_hash);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<StoredAnswer>();
    return std::optional<StoredAnswer>(StoredAnswer{stmt->text(0),
                                                    static_cast<int>(stmt->integer(1)),
                                                    stmt->blob(2), stmt->time(3), stmt->text(4)});
  }

  Status put_clinic(std::string_view id, std::string_view config_json, UtcSeconds now) override {
    // Re-storing an identical configuration changes nothing (not even the version).
    auto stmt = c_.prepare(
        "INSERT INTO clinics (id, config_json, version, updated_at) "
        "VALUES (?1, ?2, 1, ?3) "
        "ON CONFLICT (id) DO UPDATE SET config_json = excluded.config_json, "
        "version = clinics.version + 1, updated_at = excluded.updated_at "
        "WHERE clinics.config_json <> excluded.config_json");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id).bind(2, config_json).bind(3, now);
    return stmt->run();
  }

  Status insert_booking(const BookingRecord& b) override {
    auto stmt = c_.prepare(std::string("INSERT INTO bookings (") + kBookingColumns + ") VALUES (" +
                           placeholders(kBookingColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_booking_columns(b, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status update_booking(const BookingRecord& b) override {
    auto stmt = c_.prepare(
        "UPDATE bookings SET practitioner_id = ?2, appointment_type = ?3, start_utc = ?4, "
        "end_utc = ?5, status = ?6, notes = ?7, sequence = ?8, cancel_reason = ?9, "
        "cancelled_at = ?10, reminder_sent_at = ?11, updated_at = ?12, occupied_from = ?13, "
        "occupied_to = ?14, meeting_url = ?15, meeting_provider = ?16 WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, b.id).bind(2, b.practitioner_id).bind(3, b.appointment_type);
    stmt->bind(4, b.start_utc).bind(5, b.end_utc).bind(6, to_string(b.status)).bind(7, b.notes);
    stmt->bind(8, static_cast<std::int64_t>(b.sequence)).bind(9, b.cancel_reason);
    stmt->bind(10, b.cancelled_at).bind(11, b.reminder_sent_at).bind(12, b.updated_at);
    stmt->bind(13, b.occupancy.from).bind(14, b.occupancy.to);
    stmt->bind(15, b.meeting_url).bind(16, b.meeting_provider);
    return stmt->run();
  }

  Status store_answer(std::string_view key_hash, const StoredAnswer& answer) override {
    auto stmt = c_.prepare(
        "INSERT OR REPLACE INTO idempotent_answers "
        "(key_hash, request_hash, status, sealed_body, created_at, client) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, key_hash).bind(2, answer.request_hash);
    stmt->bind(3, static_cast<std::int64_t>(answer.status)).bind_blob(4, answer.sealed_body);
    stmt->bind(5, answer.created_at).bind(6, answer.client);
    return stmt->run();
  }

  Expected<std::vector<OutboxRecord>> outbox_after(std::int64_t position, int limit) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kOutboxColumns +
                           " FROM outbox WHERE position > ? ORDER BY position LIMIT ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, position).bind(2, static_cast<std::int64_t>(limit));
    return collect_outbox(*stmt);
  }

  // One writer: no other transaction holds any, so there is nothing to skip.
  Expected<std::vector<OutboxRecord>> claim_undispatched(int limit) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kOutboxColumns +
                           " FROM outbox WHERE dispatched_at IS NULL ORDER BY position LIMIT ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, static_cast<std::int64_t>(limit));
    return collect_outbox(*stmt);
  }

  Status mark_dispatched(const std::vector<OutboxRecord>& records, UtcSeconds now) override {
    for (const OutboxRecord& record : records) {
      // Prepared (from the cache) per row: a statement is reset when its handle goes.
      auto stmt = c_.prepare("UPDATE outbox SET dispatched_at = ? WHERE position = ?");
      if (!stmt.ok()) return stmt.error();
      stmt->bind(1, now).bind(2, record.position);
      if (Status status = stmt->run(); !status.ok()) return status;
    }
    return Status();
  }

  Expected<std::optional<OutboxRecord>> outbox_record(std::int64_t position) override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE position = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, position);
    return first_row(collect_outbox(*stmt));
  }

  Expected<std::optional<DeliveryRecord>> delivery(std::string_view id) override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    return first_row(collect<DeliveryRecord>(*stmt, kDeliveryFromRow));
  }

  Expected<std::vector<DeliveryRecord>> list_deliveries(const DeliveryFilter& filter,
                                                        std::int64_t* total) override {
    std::string where = " WHERE 1 = 1";
    if (filter.status) where += " AND status = ?1";
    if (filter.booking_id) where += " AND booking_id = ?2";
    if (filter.channel) where += " AND channel = ?3";
    if (filter.recipient) where += " AND recipient = ?6";
    if (filter.clinic_id) where += " AND clinic_id = ?8";
    auto bind_filter = [&](SqliteStatement& stmt) {
      if (filter.status) stmt.bind(1, *filter.status);
      if (filter.booking_id) stmt.bind(2, *filter.booking_id);
      if (filter.channel) stmt.bind(3, *filter.channel);
      if (filter.recipient) stmt.bind(6, *filter.recipient);
      if (filter.clinic_id) stmt.bind(8, *filter.clinic_id);
    };
    {
      auto count = c_.prepare("SELECT COUNT(*) FROM deliveries" + where);
      if (!count.ok()) return count.error();
      bind_filter(*count);
      auto row = count->step();
      if (!row.ok()) return row.error();
      *total = count->integer(0);
    }
    auto stmt = c_.prepare(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries" + where +
                           " ORDER BY created_at DESC, id LIMIT ?4 OFFSET ?5");
    if (!stmt.ok()) return stmt.error();
    bind_filter(*stmt);
    stmt->bind(4, static_cast<std::int64_t>(filter.limit))
        .bind(5, static_cast<std::int64_t>(filter.skip));
    return collect<DeliveryRecord>(*stmt, kDeliveryFromRow);
  }

  Expected<std::vector<WebhookRecord>> webhooks() override {
    auto stmt = c_.prepare(std::string("SELECT ") + kWebhookColumns +
                           " FROM webhooks ORDER BY created_at, id");
    if (!stmt.ok()) return stmt.error();
    return collect<WebhookRecord>(*stmt, kWebhookFromRow);
  }

  Expected<std::optional<WebhookRecord>> webhook(std::string_view id) override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kWebhookColumns + " FROM webhooks WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    return first_row(collect<WebhookRecord>(*stmt, kWebhookFromRow));
  }

  Expected<std::optional<std::string>> stored_secret(std::string_view name) override {
    auto stmt = c_.prepare("SELECT value FROM server_secrets WHERE name = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, name);
    auto row = stmt->step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->text(0));
  }

  Status insert_delivery(const DeliveryRecord& d) override {
    auto stmt = c_.prepare(std::string("INSERT INTO deliveries (") + kDeliveryColumns +
                           ") VALUES (" + placeholders(kDeliveryColumnCount, '?') +
                           ") ON CONFLICT (dedupe_key) DO NOTHING");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_delivery_columns(d, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  // One writer: no other transaction is claiming, so there is nothing to skip.
  Expected<std::vector<DeliveryRecord>> claim_deliveries(UtcSeconds now, UtcSeconds lease_until,
                                                         int limit) override {
    auto stmt = c_.prepare(std::string("UPDATE deliveries SET lease_until = ?2, attempts = "
                                       "attempts + 1, updated_at = ?1 WHERE id IN (SELECT id FROM "
                                       "deliveries WHERE status = 'pending' AND next_attempt_at "
                                       "<= ?1 AND lease_until <= ?1 ORDER BY next_attempt_at, id "
                                       "LIMIT ?3) RETURNING ") +
                           kDeliveryColumns);
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, now).bind(2, lease_until).bind(3, static_cast<std::int64_t>(limit));
    return collect<DeliveryRecord>(*stmt, kDeliveryFromRow);
  }

  Status update_delivery(const DeliveryRecord& d) override {
    auto stmt = c_.prepare(
        "UPDATE deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = ?5, "
        "last_error = ?6, receipt = ?7, updated_at = ?8, sent_at = ?9 WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, d.id).bind(2, d.status).bind(3, static_cast<std::int64_t>(d.attempts));
    stmt->bind(4, d.next_attempt_at).bind(5, d.lease_until).bind(6, d.last_error);
    stmt->bind(7, d.receipt).bind(8, d.updated_at).bind(9, d.sent_at);
    return stmt->run();
  }

  Expected<std::int64_t> cancel_pending_reminders(std::string_view booking_id,
                                                  std::optional<UtcSeconds> keep_for,
                                                  UtcSeconds now) override {
    auto stmt = c_.prepare(
        "UPDATE deliveries SET status = 'cancelled', updated_at = ?3 WHERE booking_id = ?1 AND "
        "purpose = 'reminder' AND status = 'pending' AND (?2 IS NULL OR reminder_for <> ?2)");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, booking_id).bind(2, keep_for).bind(3, now);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return static_cast<std::int64_t>(sqlite3_changes(c_.handle()));
  }

  Status insert_webhook(const WebhookRecord& w) override {
    auto stmt = c_.prepare(std::string("INSERT INTO webhooks (") + kWebhookColumns + ") VALUES (" +
                           placeholders(kWebhookColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_webhook_columns(w, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status update_webhook(const WebhookRecord& w) override {
    auto stmt = c_.prepare(
        "UPDATE webhooks SET failing_since = ?2, disabled_at = ?3, last_error = ?4, url = ?5, "
        "events = ?6, description = ?7 WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, w.id).bind(2, w.failing_since).bind(3, w.disabled_at).bind(4, w.last_error);
    stmt->bind(5, w.url).bind(6, w.events_json).bind(7, w.description);
    return stmt->run();
  }

  Expected<bool> delete_webhook(std::string_view id) override {
    auto stmt = c_.prepare("DELETE FROM webhooks WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return sqlite3_changes(c_.handle()) > 0;
  }

  Status store_secret_if_absent(std::string_view name, std::string_view value) override {
    auto stmt = c_.prepare(
        "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, name).bind(2, value);
    return stmt->run();
  }

  Expected<std::vector<CalendarConnectionRecord>> calendar_connections(
      std::string_view practitioner_id) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kConnectionColumns +
                           " FROM calendar_connections WHERE ?1 = '' OR practitioner_id = ?1 "
                           "ORDER BY id");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, practitioner_id);
    return collect<CalendarConnectionRecord>(*stmt, kConnectionFromRow);
  }

  Expected<std::optional<CalendarConnectionRecord>> calendar_connection(
      std::string_view id) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kConnectionColumns +
                           " FROM calendar_connections WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    return first_row(collect<CalendarConnectionRecord>(*stmt, kConnectionFromRow));
  }

  Expected<std::vector<ExternalBusyRecord>> external_busy(
      std::string_view clinic_id, TimeWindow window, std::string_view practitioner_id) override {
    auto stmt = c_.prepare(
        "SELECT connection_id, practitioner_id, start_utc, end_utc FROM calendar_busy "
        "WHERE clinic_id = ?1 AND start_utc < ?3 AND end_utc > ?2 AND "
        "(?4 = '' OR practitioner_id = ?4) ORDER BY start_utc, connection_id");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id).bind(2, window.from).bind(3, window.to).bind(4, practitioner_id);
    return collect<ExternalBusyRecord>(*stmt, [](const SqliteStatement& row) {
      return ExternalBusyRecord{row.text(0), row.text(1), TimeWindow{row.time(2), row.time(3)}};
    });
  }

  Expected<std::optional<OAuthStateRecord>> oauth_state(std::string_view state_hash) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kOAuthStateColumns +
                           " FROM oauth_states WHERE state_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, state_hash);
    return first_row(collect<OAuthStateRecord>(*stmt, kOAuthStateFromRow));
  }

  Expected<std::vector<CalendarLinkRecord>> calendar_links(std::string_view booking_id) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kLinkColumns +
                           " FROM calendar_links WHERE booking_id = ? ORDER BY target");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, booking_id);
    return collect<CalendarLinkRecord>(*stmt, kLinkFromRow);
  }

  Expected<std::vector<CalendarLinkRecord>> calendar_links_into(std::string_view target,
                                                                TimeWindow window) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kLinkColumns +
                           " FROM calendar_links WHERE target = ?1 AND written_from < ?3 AND "
                           "written_to > ?2 ORDER BY written_from");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, target).bind(2, window.from).bind(3, window.to);
    return collect<CalendarLinkRecord>(*stmt, kLinkFromRow);
  }

  Expected<std::optional<CalendarFeedRecord>> calendar_feed_for_token(
      std::string_view token_hash) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kFeedColumns +
                           " FROM calendar_feeds WHERE token_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, token_hash);
    return first_row(collect<CalendarFeedRecord>(*stmt, kFeedFromRow));
  }

  Expected<std::optional<StaffUserRecord>> staff_user(std::string_view id) override {
    return one_staff_user("id", id);
  }

  Expected<std::optional<StaffUserRecord>> staff_user_by_email(std::string_view email) override {
    return one_staff_user("email", email);
  }

  Expected<std::vector<StaffUserRecord>> staff_users() override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kStaffUserColumns + " FROM staff_users ORDER BY email");
    if (!stmt.ok()) return stmt.error();
    return collect<StaffUserRecord>(*stmt, kStaffUserFromRow);
  }

  Expected<std::optional<StaffSessionRecord>> staff_session(std::string_view token_hash) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kStaffSessionColumns +
                           " FROM staff_sessions WHERE token_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, token_hash);
    return first_row(collect<StaffSessionRecord>(*stmt, kStaffSessionFromRow));
  }

  Expected<std::optional<ApiKeyRecord>> api_key(std::string_view id) override {
    return one_api_key("id", id);
  }

  Expected<std::optional<ApiKeyRecord>> api_key_by_secret_hash(
      std::string_view secret_hash) override {
    return one_api_key("secret_hash", secret_hash);
  }

  Expected<std::vector<ApiKeyRecord>> api_keys(std::string_view clinic_id) override {
    auto stmt =
        c_.prepare(std::string("SELECT ") + kApiKeyColumns +
                   " FROM api_keys WHERE ?1 = '' OR clinic_id = ?1 ORDER BY created_at, id");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id);
    return collect<ApiKeyRecord>(*stmt, kApiKeyFromRow);
  }

  Expected<std::vector<AuditRecord>> audit_entries(const AuditFilter& filter) override {
    std::string where = " WHERE 1 = 1";
    if (filter.clinic_id) where += " AND clinic_id = ?1";
    if (filter.target_id) where += " AND target_id = ?2";
    if (filter.before_id) where += " AND id < ?3";
    auto stmt = c_.prepare(std::string("SELECT ") + kAuditColumns + " FROM audit_log" + where +
                           " ORDER BY id DESC LIMIT ?4");
    if (!stmt.ok()) return stmt.error();
    if (filter.clinic_id) stmt->bind(1, *filter.clinic_id);
    if (filter.target_id) stmt->bind(2, *filter.target_id);
    if (filter.before_id) stmt->bind(3, *filter.before_id);
    stmt->bind(4, static_cast<std::int64_t>(filter.limit));
    return collect<AuditRecord>(*stmt, kAuditFromRow);
  }

  Expected<std::optional<HoldRecord>> hold(std::string_view id) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kHoldColumns + " FROM holds WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    return first_row(collect<HoldRecord>(*stmt, kHoldFromRow));
  }

  Expected<std::vector<HoldRecord>> live_holds(std::string_view clinic_id, TimeWindow window,
                                               std::string_view practitioner_id,
                                               UtcSeconds now) override {
    auto stmt = c_.prepare(std::string("SELECT ") + kHoldColumns +
                           " FROM holds WHERE clinic_id = ?1 AND occupied_from < ?3 AND "
                           "occupied_to > ?2 AND expires_at > ?4 AND "
                           "(?5 = '' OR practitioner_id = ?5) ORDER BY start_utc, id");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, clinic_id).bind(2, window.from).bind(3, window.to).bind(4, now);
    stmt->bind(5, practitioner_id);
    return collect<HoldRecord>(*stmt, kHoldFromRow);
  }

  Status put_calendar_connection(const CalendarConnectionRecord& c) override {
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO calendar_connections (") +
                           kConnectionColumns + ") VALUES (" +
                           placeholders(kConnectionColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_connection_columns(c, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Expected<bool> delete_calendar_connection(std::string_view id) override {
    for (const char* sql : {"DELETE FROM calendar_busy WHERE connection_id = ?",
                            "DELETE FROM calendar_links WHERE target = ?"}) {
      auto stmt = c_.prepare(sql);
      if (!stmt.ok()) return stmt.error();
      stmt->bind(1, id);
      if (Status status = stmt->run(); !status.ok()) return status.error();
    }
    auto stmt = c_.prepare("DELETE FROM calendar_connections WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return sqlite3_changes(c_.handle()) > 0;
  }

  Status replace_external_busy(std::string_view connection_id, std::string_view clinic_id,
                               std::string_view practitioner_id,
                               const std::vector<TimeWindow>& spans) override {
    auto clear = c_.prepare("DELETE FROM calendar_busy WHERE connection_id = ?");
    if (!clear.ok()) return clear.error();
    clear->bind(1, connection_id);
    if (Status status = clear->run(); !status.ok()) return status;
    for (const TimeWindow& span : spans) {
      auto stmt = c_.prepare(
          "INSERT INTO calendar_busy (connection_id, clinic_id, practitioner_id, start_utc, "
          "end_utc) VALUES (?, ?, ?, ?, ?)");
      if (!stmt.ok()) return stmt.error();
      stmt->bind(1, connection_id).bind(2, clinic_id).bind(3, practitioner_id);
      stmt->bind(4, span.from).bind(5, span.to);
      if (Status status = stmt->run(); !status.ok()) return status;
    }
    return Status();
  }

  Status put_oauth_state(const OAuthStateRecord& state, UtcSeconds now) override {
    auto expired = c_.prepare("DELETE FROM oauth_states WHERE expires_at <= ?");
    if (!expired.ok()) return expired.error();
    expired->bind(1, now);
    if (Status status = expired->run(); !status.ok()) return status;
    auto stmt = c_.prepare(std::string("INSERT INTO oauth_states (") + kOAuthStateColumns +
                           ") VALUES (" + placeholders(kOAuthStateColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_oauth_state_columns(state, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Expected<bool> delete_oauth_state(std::string_view state_hash) override {
    auto stmt = c_.prepare("DELETE FROM oauth_states WHERE state_hash = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, state_hash);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return sqlite3_changes(c_.handle()) > 0;
  }

  Status put_calendar_link(const CalendarLinkRecord& link) override {
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO calendar_links (") + kLinkColumns +
                           ") VALUES (" + placeholders(kLinkColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_link_columns(link, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status delete_calendar_link(std::string_view booking_id, std::string_view target) override {
    auto stmt = c_.prepare("DELETE FROM calendar_links WHERE booking_id = ? AND target = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, booking_id).bind(2, target);
    return stmt->run();
  }

  Status put_calendar_feed(const CalendarFeedRecord& feed) override {
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO calendar_feeds (") + kFeedColumns +
                           ") VALUES (?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, feed.clinic_id).bind(2, feed.practitioner_id).bind(3, feed.token_hash);
    stmt->bind(4, feed.created_at);
    return stmt->run();
  }

  Status put_staff_user(const StaffUserRecord& u) override {
    auto taken = c_.prepare("SELECT 1 FROM staff_users WHERE email = ? AND id <> ?");
    if (!taken.ok()) return taken.error();
    taken->bind(1, u.email).bind(2, u.id);
    auto row = taken->step();
    if (!row.ok()) return row.error();
    if (*row) return invalid("email_taken", "another user has the email " + u.email);
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO staff_users (") + kStaffUserColumns +
                           ") VALUES (" + placeholders(kStaffUserColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_staff_user_columns(u, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status put_staff_session(const StaffSessionRecord& session, UtcSeconds now) override {
    auto expired = c_.prepare("DELETE FROM staff_sessions WHERE expires_at <= ?");
    if (!expired.ok()) return expired.error();
    expired->bind(1, now);
    if (Status st = expired->run(); !st.ok()) return st;
    auto stmt =
        c_.prepare(std::string("INSERT OR REPLACE INTO staff_sessions (") + kStaffSessionColumns +
                   ") VALUES (" + placeholders(kStaffSessionColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_staff_session_columns(session, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Expected<std::int64_t> delete_staff_session(std::string_view token_hash) override {
    return deleted("DELETE FROM staff_sessions WHERE token_hash = ?", token_hash);
  }

  Expected<std::int64_t> delete_staff_sessions_of(std::string_view user_id) override {
    return deleted("DELETE FROM staff_sessions WHERE user_id = ?", user_id);
  }

  Status put_api_key(const ApiKeyRecord& k) override {
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO api_keys (") + kApiKeyColumns +
                           ") VALUES (" + placeholders(kApiKeyColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_api_key_columns(k, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status append_audit(const AuditRecord& a) override {
    auto stmt = c_.prepare(std::string("INSERT INTO audit_log (") + kAuditInsertColumns +
                           ") VALUES (" + placeholders(kAuditInsertColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_audit_insert_columns(a, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Status put_hold(const HoldRecord& h) override {
    auto stmt = c_.prepare(std::string("INSERT OR REPLACE INTO holds (") + kHoldColumns +
                           ") VALUES (" + placeholders(kHoldColumnCount, '?') + ")");
    if (!stmt.ok()) return stmt.error();
    int index = 0;
    bind_hold_columns(h, [&](const auto& value) { stmt->bind(++index, value); });
    return stmt->run();
  }

  Expected<bool> delete_hold(std::string_view id) override {
    auto stmt = c_.prepare("DELETE FROM holds WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, id);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return sqlite3_changes(c_.handle()) > 0;
  }

  Status append_outbox(const OutboxRecord& r) override {
    auto stmt = c_.prepare(
        "INSERT INTO outbox (event_id, clinic_id, kind, booking_id, occurred_at, payload) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, r.event_id).bind(2, r.clinic_id).bind(3, r.kind).bind(4, r.booking_id);
    stmt->bind(5, r.occurred_at).bind(6, r.payload_json);
    return stmt->run();
  }

 private:
  // `column` is one of this class's literals, never input.
  Expected<std::optional<StaffUserRecord>> one_staff_user(const char* column,
                                                          std::string_view value) {
    auto stmt = c_.prepare(std::string("SELECT ") + kStaffUserColumns + " FROM staff_users WHERE " +
                           column + " = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, value);
    return first_row(collect<StaffUserRecord>(*stmt, kStaffUserFromRow));
  }

  Expected<std::optional<ApiKeyRecord>> one_api_key(const char* column, std::string_view value) {
    auto stmt = c_.prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE " +
                           column + " = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, value);
    return first_row(collect<ApiKeyRecord>(*stmt, kApiKeyFromRow));
  }

  Expected<std::int64_t> deleted(const char* sql, std::string_view value) {
    auto stmt = c_.prepare(sql);
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, value);
    if (Status status = stmt->run(); !status.ok()) return status.error();
    return static_cast<std::int64_t>(sqlite3_changes(c_.handle()));
  }

  SqliteConnection& c_;
};

Status migrate(SqliteConnection& connection) {
  std::size_t version = 0;
  {
    // Reset (by leaving scope) before migrating: SQLite refuses DROP TABLE while any
    // statement of the connection is still active.
    auto version_stmt = connection.prepare("PRAGMA user_version");
    if (!version_stmt.ok()) return version_stmt.error();
    auto row = version_stmt->step();
    if (!row.ok()) return row.error();
    version = static_cast<std::size_t>(version_stmt->integer(0));
  }
  const auto& migrations = sqlite_migrations();
  if (version > migrations.size()) {
    return storage_failure("database schema version " + std::to_string(version) +
                           " is newer than this server knows (" +
                           std::to_string(migrations.size()) + ")");
  }
  for (std::size_t i = version; i < migrations.size(); ++i) {
    Status status = connection.exec("BEGIN IMMEDIATE");
    if (status.ok()) status = connection.exec(migrations[i]);
    if (status.ok()) {
      status = connection.exec(("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
    }
    if (status.ok()) status = connection.exec("COMMIT");
    if (!status.ok()) {
      (void)connection.exec("ROLLBACK");
      return storage_failure("migration " + std::to_string(i + 1) +
                             " failed: " + status.error().message);
    }
  }
  return Status();
}

}  // namespace

Expected<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path, int readers) {
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage());
  auto writer = SqliteConnection::open(path);
  if (!writer.ok()) return writer.error();
  storage->writer_ = std::move(*writer);
  Status migrated = migrate(*storage->writer_);
  if (!migrated.ok()) return migrated.error();
  // One process owns the file (docs/deploy.md), so a delivery still leased was claimed by
  // this server before it was killed: it is due again now, not when the lease runs out.
  if (Status released = storage->writer_->exec(
          "UPDATE deliveries SET lease_until = 0 WHERE status = 'pending' AND lease_until > 0");
      !released.ok()) {
    return released.error();
  }
  for (int i = 0; i < std::max(1, readers); ++i) {
    auto reader = SqliteConnection::open(path);
    if (!reader.ok()) return reader.error();
    storage->idle_readers_.push_back(reader->get());
    storage->readers_.push_back(std::move(*reader));
  }
  return storage;
}

SqliteStorage::~SqliteStorage() = default;

// SQLite has one writer: every scope overlaps every other, and BEGIN IMMEDIATE makes a
// transaction the only writer from its start, so `work` never needs a second run.
// One write() waiting for its batch: the work, and what became of it.
struct SqliteStorage::PendingWrite {
  const std::function<Status(WriteTransaction&)>* work = nullptr;
  Status status;
  std::exception_ptr thrown;
  bool done = false;
};

Status SqliteStorage::write(const WriteScope&,
                            const std::function<Status(WriteTransaction&)>& work) {
  PendingWrite mine;
  mine.work = &work;
  std::unique_lock<std::mutex> lock(queue_mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (batch_running_) {
      batch_done_.wait(lock);
      continue;
    }
    // Lead: everything queued by now (this write among it) goes into one transaction.
    batch_running_ = true;
    std::vector<PendingWrite*> batch;
    batch.swap(queue_);
    lock.unlock();
    run_batch(batch);
    lock.lock();
    for (PendingWrite* write : batch) write->done = true;
    batch_running_ = false;
    batch_done_.notify_all();
  }
  if (mine.thrown) std::rethrow_exception(mine.thrown);
  return mine.status;
}

void SqliteStorage::run_batch(const std::vector<PendingWrite*>& batch) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  Status begun = writer_->exec("BEGIN IMMEDIATE");
  if (!begun.ok()) {
    for (PendingWrite* write : batch) write->status = begun;
    return;
  }
  SqliteTransaction transaction(*writer_);
  bool any_kept = false;
  for (PendingWrite* write : batch) {
    // Each work in its own savepoint: it sees the ones before it, and a refused or failed
    // one is undone alone.
    write->status = writer_->exec("SAVEPOINT work");
    if (!write->status.ok()) continue;
    try {
      write->status = (*write->work)(transaction);
    } catch (...) {
      write->thrown = std::current_exception();
    }
    const bool keep = write->status.ok() && !write->thrown;
    if (!keep) (void)writer_->exec("ROLLBACK TO work");
    (void)writer_->exec("RELEASE work");
    any_kept = any_kept || keep;
  }
  // One durable commit for the whole batch; nobody hears "ok" before it.
  Status committed = any_kept ? writer_->exec("COMMIT") : writer_->exec("ROLLBACK");
  if (committed.ok()) return;
  (void)writer_->exec("ROLLBACK");
  for (PendingWrite* write : batch) {
    if (write->status.ok() && !write->thrown) write->status = committed;
  }
}

Status SqliteStorage::read(const std::function<Status(ReadView&)>& work) {
  SqliteConnection* connection = acquire_reader();
  Status status = connection->exec("BEGIN");
  if (status.ok()) {
    SqliteTransaction view(*connection);
    try {
      status = work(view);
    } catch (...) {
      (void)connection->exec("ROLLBACK");
      release_reader(connection);
      throw;
    }
    (void)connection->exec(status.ok() ? "COMMIT" : "ROLLBACK");
  }
  release_reader(connection);
  return status;
}

Expected<std::int64_t> SqliteStorage::prune_answers(UtcSeconds created_before,
                                                    std::int64_t keep_per_client) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  auto too_old = writer_->prepare("DELETE FROM idempotent_answers WHERE created_at < ?");
  if (!too_old.ok()) return too_old.error();
  too_old->bind(1, created_before);
  if (Status status = too_old->run(); !status.ok()) return status.error();
  std::int64_t deleted = sqlite3_changes(writer_->handle());
  // No index by client: this runs once a minute over at most a day of answers, while an
  // index would cost every durable booking commit another page.
  auto too_many = writer_->prepare(
      "DELETE FROM idempotent_answers WHERE rowid IN (SELECT rowid FROM ("
      "SELECT rowid, ROW_NUMBER() OVER (PARTITION BY client ORDER BY created_at DESC, "
      "rowid DESC) AS newest FROM idempotent_answers) WHERE newest > ?)");
  if (!too_many.ok()) return too_many.error();
  too_many->bind(1, keep_per_client);
  if (Status status = too_many->run(); !status.ok()) return status.error();
  return deleted + sqlite3_changes(writer_->handle());
}

Expected<std::int64_t> SqliteStorage::prune_holds(UtcSeconds now) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  auto expired = writer_->prepare("DELETE FROM holds WHERE expires_at <= ?");
  if (!expired.ok()) return expired.error();
  expired->bind(1, now);
  if (Status status = expired->run(); !status.ok()) return status.error();
  return sqlite3_changes(writer_->handle());
}

Expected<std::string> SqliteStorage::durability() {
  auto settings = [](SqliteConnection& c) -> Expected<std::string> {
    std::string out;
    for (const char* name : {"journal_mode", "synchronous"}) {
      auto stmt = c.prepare(std::string("PRAGMA ") + name);
      if (!stmt.ok()) return stmt.error();
      auto row = stmt->step();
      if (!row.ok()) return row.error();
      out += (out.empty() ? "" : " ") + std::string(name) + "=" + (*row ? stmt->text(0) : "?");
    }
    return out;
  };
  std::lock_guard<std::mutex> write_lock(write_mutex_);
  auto expected = settings(*writer_);
  if (!expected.ok()) return expected;
  // Idle readers only: one in use belongs to its thread until released.
  std::lock_guard<std::mutex> readers_lock(readers_mutex_);
  for (SqliteConnection* idle : idle_readers_) {
    auto reader = settings(*idle);
    if (!reader.ok()) return reader;
    if (*reader != *expected) return "a reader: " + *reader;
  }
  return expected;
}

SqliteConnection* SqliteStorage::acquire_reader() {
  std::unique_lock<std::mutex> lock(readers_mutex_);
  reader_available_.wait(lock, [this] { return !idle_readers_.empty(); });
  SqliteConnection* connection = idle_readers_.back();
  idle_readers_.pop_back();
  return connection;
}

void SqliteStorage::release_reader(SqliteConnection* connection) {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    idle_readers_.push_back(connection);
  }
  reader_available_.notify_one();
}

}  // namespace slotbook::server
