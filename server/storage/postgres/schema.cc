#include "storage/postgres/schema.h"

#include <string>

#include "storage/postgres/connection.h"

namespace slotbook::server {
namespace {

// pg_advisory_lock key of migrations: "slotbook" in ASCII, so other applications sharing
// the database are unlikely to collide with it.
constexpr const char* kMigrationLockKey = "8317145157504823147";

}  // namespace

const std::vector<const char*>& postgres_migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: the SQLite schema's tables as of its migration 8, plus what only PostgreSQL
      // can promise: no two occupying bookings of one practitioner overlap, whatever the
      // service does. Identifiers compare byte by byte (COLLATE "C"), as in SQLite: they
      // are ASCII, and a locale's collation would only make every index lookup slower.
      R"sql(
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE clinics (
  id          TEXT COLLATE "C" PRIMARY KEY,
  config_json TEXT NOT NULL,
  version     BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE TABLE bookings (
  id                    TEXT COLLATE "C" PRIMARY KEY,
  clinic_id             TEXT COLLATE "C" NOT NULL REFERENCES clinics(id),
  practitioner_id       TEXT COLLATE "C" NOT NULL,
  appointment_type      TEXT COLLATE "C" NOT NULL,
  start_utc             BIGINT NOT NULL,
  end_utc               BIGINT NOT NULL CHECK (end_utc > start_utc),
  status                TEXT NOT NULL CHECK (status IN
                          ('pending','confirmed','completed','cancelled','no_show')),
  confirmation_number   TEXT COLLATE "C" NOT NULL UNIQUE,
  patient_name          TEXT NOT NULL,
  patient_email         TEXT NOT NULL,
  patient_phone         TEXT NOT NULL,
  notes                 TEXT NOT NULL,
  source                TEXT NOT NULL,
  external_reference_id TEXT NOT NULL,
  manage_token_hash     TEXT NOT NULL,
  sequence              INTEGER NOT NULL,
  cancel_reason         TEXT NOT NULL,
  cancelled_at          BIGINT,
  reminder_sent_at      BIGINT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  patient_id            TEXT NOT NULL DEFAULT '',
  occupied_from         BIGINT NOT NULL CHECK (occupied_from <= start_utc),
  occupied_to           BIGINT NOT NULL CHECK (occupied_to >= end_utc),
  occupancy             INT8RANGE GENERATED ALWAYS AS (int8range(occupied_from, occupied_to))
                          STORED,
  -- Every status but cancelled occupies time (booking_status.h).
  CONSTRAINT bookings_never_overlap EXCLUDE USING gist
    (clinic_id WITH =, practitioner_id WITH =, occupancy WITH &&)
    WHERE (status <> 'cancelled')
);
-- With the end: occupancy queries reach back by the longest duration and skip the
-- bookings that ended before their window in the index.
CREATE INDEX bookings_by_practitioner ON bookings (clinic_id, practitioner_id, start_utc, end_utc);
CREATE INDEX bookings_by_start ON bookings (clinic_id, start_utc);
CREATE TABLE idempotent_answers (
  key_hash     TEXT COLLATE "C" PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  sealed_body  BYTEA NOT NULL,
  created_at   BIGINT NOT NULL,
  client       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX idempotent_answers_by_age ON idempotent_answers (created_at);
CREATE TABLE outbox (
  position    BIGSERIAL PRIMARY KEY,
  event_id    TEXT COLLATE "C" NOT NULL,
  clinic_id   TEXT COLLATE "C" NOT NULL,
  kind        TEXT COLLATE "C" NOT NULL,
  booking_id  TEXT COLLATE "C" NOT NULL,
  occurred_at BIGINT NOT NULL,
  payload     TEXT NOT NULL,
  dispatched_at BIGINT
);
CREATE INDEX outbox_undispatched ON outbox (position) WHERE dispatched_at IS NULL;
)sql",
      // 2: the language the patient booked in (SQLite's 9; empty for bookings before).
      R"sql(
ALTER TABLE bookings ADD COLUMN patient_language TEXT NOT NULL DEFAULT '';
)sql",
      // 3: SQLite's 10: deliveries, webhooks, the server key when the environment gives
      // none, the SMS consent and the sealed manage token; the outbox backlog is history.
      R"sql(
ALTER TABLE bookings ADD COLUMN sms_opt_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN manage_token_sealed TEXT NOT NULL DEFAULT '';
UPDATE outbox SET dispatched_at = occurred_at WHERE dispatched_at IS NULL;
CREATE TABLE deliveries (
  id              TEXT COLLATE "C" PRIMARY KEY,
  clinic_id       TEXT COLLATE "C" NOT NULL,
  booking_id      TEXT COLLATE "C" NOT NULL,
  outbox_position BIGINT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('email','sms','webhook','calendar','meeting')),
  purpose         TEXT NOT NULL,
  recipient       TEXT COLLATE "C" NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','sent','failed','cancelled')),
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT NOT NULL,
  last_error      TEXT NOT NULL,
  receipt         TEXT NOT NULL,
  dedupe_key      TEXT COLLATE "C" NOT NULL UNIQUE,
  reminder_for    BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_booking ON deliveries (booking_id);
CREATE TABLE webhooks (
  id            TEXT COLLATE "C" PRIMARY KEY,
  url           TEXT NOT NULL,
  events        TEXT NOT NULL,
  description   TEXT NOT NULL,
  sealed_secret TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  failing_since BIGINT,
  disabled_at   BIGINT,
  last_error    TEXT NOT NULL,
  clinic_id     TEXT NOT NULL
);
-- Short manage links (/m?t=TOKEN, in text messages) find their booking by the token's
-- hash. Partial: partner bookings have no token.
CREATE INDEX bookings_by_token ON bookings (manage_token_hash) WHERE manage_token_hash <> '';
CREATE TABLE server_secrets (
  name  TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
      // The calendars of practitioners (calendars/): connections with their sealed tokens,
      // the busy times they report, authorizations in progress, bookings mirrored into
      // them, secret feed URLs; and each booking's video meeting link.
      R"sql(
ALTER TABLE bookings ADD COLUMN meeting_url TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_provider TEXT NOT NULL DEFAULT '';
CREATE TABLE calendar_connections (
  id                TEXT COLLATE "C" PRIMARY KEY,
  clinic_id         TEXT NOT NULL,
  practitioner_id   TEXT NOT NULL,
  provider          TEXT NOT NULL CHECK (provider IN ('google','microsoft','ics')),
  source            TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('connected','broken')),
  calendar_id       TEXT NOT NULL,
  account_email     TEXT NOT NULL,
  sealed_tokens     TEXT NOT NULL,
  access_expires_at BIGINT NOT NULL,
  connected_at      BIGINT NOT NULL,
  last_sync_at      BIGINT,
  last_attempt_at   BIGINT,
  last_error        TEXT NOT NULL,
  feed_etag         TEXT NOT NULL,
  UNIQUE (practitioner_id, provider, source)
);
CREATE TABLE calendar_busy (
  connection_id   TEXT NOT NULL,
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  start_utc       BIGINT NOT NULL,
  end_utc         BIGINT NOT NULL
);
CREATE INDEX calendar_busy_by_practitioner ON calendar_busy (clinic_id, practitioner_id, start_utc);
CREATE INDEX calendar_busy_by_connection ON calendar_busy (connection_id);
CREATE TABLE oauth_states (
  state_hash      TEXT COLLATE "C" PRIMARY KEY,
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  provider        TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  sealed_verifier TEXT NOT NULL,
  requested_by    TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL
);
CREATE TABLE calendar_links (
  booking_id    TEXT COLLATE "C" NOT NULL,
  target        TEXT COLLATE "C" NOT NULL,
  external_id   TEXT NOT NULL,
  meeting_url   TEXT NOT NULL,
  written_from  BIGINT NOT NULL,
  written_to    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (booking_id, target)
);
CREATE INDEX calendar_links_by_target ON calendar_links (target, written_from);
CREATE TABLE calendar_feeds (
  clinic_id       TEXT COLLATE "C" NOT NULL,
  practitioner_id TEXT COLLATE "C" NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (clinic_id, practitioner_id)
);
)sql",
      // 5: SQLite's 12: staff accounts (accounts/).
      R"sql(
CREATE TABLE staff_users (
  id              TEXT PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  password_hash   TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('admin','front_desk','practitioner')),
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  disabled_at     BIGINT
);
CREATE TABLE staff_sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  clinic_id    TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE TABLE audit_log (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          BIGINT NOT NULL,
  actor_type  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  clinic_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json  TEXT NOT NULL
);
CREATE INDEX audit_by_target ON audit_log (target_id, id);
CREATE INDEX audit_by_clinic ON audit_log (clinic_id, id);
)sql",
      // 6: holds (booking/holds.h) and the intake answers of each booking.
      R"sql(
CREATE TABLE holds (
  id               TEXT PRIMARY KEY,
  token_hash       TEXT NOT NULL,
  clinic_id        TEXT NOT NULL,
  practitioner_id  TEXT NOT NULL,
  appointment_type TEXT NOT NULL,
  start_utc        BIGINT NOT NULL,
  end_utc          BIGINT NOT NULL,
  occupied_from    BIGINT NOT NULL,
  occupied_to      BIGINT NOT NULL,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  renewals         INTEGER NOT NULL
);
CREATE INDEX holds_by_clinic ON holds (clinic_id, occupied_from);
ALTER TABLE bookings ADD COLUMN answers_json TEXT NOT NULL DEFAULT '';
)sql",
      // 7: who referred a booking that came through a SMART Scheduling Links deep link.
      R"sql(
ALTER TABLE bookings ADD COLUMN referral_source TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN booking_referral TEXT NOT NULL DEFAULT '';
)sql",
  };
  return kMigrations;
}

Expected<int> migrate_postgres(PgConnection& connection) {
  Status locked =
      connection.exec(std::string("SELECT pg_advisory_lock(") + kMigrationLockKey + ")");
  if (!locked.ok()) return locked.error();
  auto migrate = [&]() -> Expected<int> {
    Status ready = connection.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); "
        "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)");
    if (!ready.ok()) return ready.error();
    auto current = connection.query("SELECT version FROM schema_version");
    if (!current.ok()) return current.error();
    const int version = static_cast<int>(current->row(0).integer(0));
    const auto& migrations = postgres_migrations();
    const int newest = static_cast<int>(migrations.size());
    if (version > newest) {
      return storage_failure("database schema version " + std::to_string(version) +
                             " is newer than this server knows (" + std::to_string(newest) + ")");
    }
    for (int i = version; i < newest; ++i) {
      Status status = connection.exec("BEGIN");
      if (status.ok()) status = connection.exec(migrations[i]);
      if (status.ok()) {
        status = connection.exec("UPDATE schema_version SET version = " + std::to_string(i + 1));
      }
      if (status.ok()) status = connection.exec("COMMIT");
      if (!status.ok()) {
        (void)connection.exec("ROLLBACK");
        Failure failure = status.error();
        failure.message = "migration " + std::to_string(i + 1) + " failed: " + failure.message;
        return failure;
      }
    }
    return newest;
  };
  auto migrated = migrate();
  (void)connection.exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLockKey + ")");
  return migrated;
}

}  // namespace slotbook::server
