#include "storage/sqlite/schema.h"

namespace slotbook::server {

const std::vector<const char*>& sqlite_migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: clinics, bookings, idempotent answers.
      R"sql(
CREATE TABLE clinics (
  id          TEXT PRIMARY KEY,
  config_json TEXT NOT NULL,
  version     INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE bookings (
  id                    TEXT PRIMARY KEY,
  clinic_id             TEXT NOT NULL REFERENCES clinics(id),
  practitioner_id       TEXT NOT NULL,
  appointment_type      TEXT NOT NULL,
  start_utc             INTEGER NOT NULL,
  end_utc               INTEGER NOT NULL CHECK (end_utc > start_utc),
  status                TEXT NOT NULL CHECK (status IN
                          ('pending','confirmed','completed','cancelled','no_show')),
  confirmation_number   TEXT NOT NULL UNIQUE,
  patient_name          TEXT NOT NULL,
  patient_email         TEXT NOT NULL,
  patient_phone         TEXT NOT NULL,
  notes                 TEXT NOT NULL,
  source                TEXT NOT NULL,
  external_reference_id TEXT NOT NULL,
  manage_token_hash     TEXT NOT NULL,
  sequence              INTEGER NOT NULL,
  cancel_reason         TEXT NOT NULL,
  cancelled_at          INTEGER,
  reminder_sent_at      INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX bookings_by_practitioner ON bookings (clinic_id, practitioner_id, start_utc);
CREATE INDEX bookings_by_start ON bookings (clinic_id, start_utc);
CREATE TABLE idempotent_answers (
  key_hash     TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  sealed_body  BLOB NOT NULL,
  created_at   INTEGER NOT NULL
);
)sql",
      // 2: the outbox of domain events (booking/domain_event.h), appended in the same
      // transaction as the change each describes.
      R"sql(
CREATE TABLE outbox (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  clinic_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  booking_id  TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  payload     TEXT NOT NULL
);
CREATE INDEX outbox_by_booking ON outbox (booking_id);
)sql",
      // 3: the clinic's own patient identifier on staff bookings (seed 000 patient_id).
      R"sql(
ALTER TABLE bookings ADD COLUMN patient_id TEXT NOT NULL DEFAULT '';
)sql",
      // 4: a leaner outbox. Every booking commit appends to it, and with synchronous=FULL
      // each extra page a commit touches costs: no AUTOINCREMENT counter (the table is
      // append-only, so rowids already grow), no UNIQUE index on the random event ids,
      // no index by booking until something reads by booking.
      R"sql(
CREATE TABLE outbox_lean (
  position    INTEGER PRIMARY KEY,
  event_id    TEXT NOT NULL,
  clinic_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  booking_id  TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  payload     TEXT NOT NULL
);
INSERT INTO outbox_lean SELECT position, event_id, clinic_id, kind, booking_id, occurred_at,
  payload FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_lean RENAME TO outbox;
)sql",
      // 5: who stored an idempotent answer (a hash of the address), so pruning can bound
      // the answers one client keeps.
      R"sql(
ALTER TABLE idempotent_answers ADD COLUMN client TEXT NOT NULL DEFAULT '';
)sql",
      // 6: each booking's occupancy (booking_record.h). Bookings stored before it get
      // their bare time: within their true occupancy, which is all that is promised.
      R"sql(
ALTER TABLE bookings ADD COLUMN occupied_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN occupied_to INTEGER NOT NULL DEFAULT 0;
UPDATE bookings SET occupied_from = start_utc, occupied_to = end_utc;
)sql",
      // 7: outbox records are dispatched once (Storage::dispatch_outbox). Those stored
      // before are history: nobody is to hear about them now. The partial index holds
      // only what waits, so it stays a page or two.
      R"sql(
ALTER TABLE outbox ADD COLUMN dispatched_at INTEGER;
UPDATE outbox SET dispatched_at = occurred_at;
CREATE INDEX outbox_undispatched ON outbox (position) WHERE dispatched_at IS NULL;
)sql",
      // 8: a practitioner's bookings by start with their end, so an occupancy query
      // (which reaches back by the longest duration) skips the ones that ended before
      // its window in the index instead of reading each row.
      R"sql(
DROP INDEX bookings_by_practitioner;
CREATE INDEX bookings_by_practitioner ON bookings (clinic_id, practitioner_id, start_utc, end_utc);
)sql",
      // 9: the language the patient booked in (empty for bookings made before).
      R"sql(
ALTER TABLE bookings ADD COLUMN patient_language TEXT NOT NULL DEFAULT '';
)sql",
      // 10: deliveries (notify/), webhooks, the server key when the environment gives
      // none, and per booking the SMS consent and the sealed manage token. Outbox records
      // stored before delivery existed are history: nobody is to be told of them now.
      R"sql(
ALTER TABLE bookings ADD COLUMN sms_opt_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN manage_token_sealed TEXT NOT NULL DEFAULT '';
UPDATE outbox SET dispatched_at = occurred_at WHERE dispatched_at IS NULL;
CREATE TABLE deliveries (
  id              TEXT PRIMARY KEY,
  clinic_id       TEXT NOT NULL,
  booking_id      TEXT NOT NULL,
  outbox_position INTEGER NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('email','sms','webhook','calendar','meeting')),
  purpose         TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','sent','failed','cancelled')),
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER NOT NULL,
  last_error      TEXT NOT NULL,
  receipt         TEXT NOT NULL,
  dedupe_key      TEXT NOT NULL UNIQUE,
  reminder_for    INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_booking ON deliveries (booking_id);
CREATE TABLE webhooks (
  id            TEXT PRIMARY KEY,
  url           TEXT NOT NULL,
  events        TEXT NOT NULL,
  description   TEXT NOT NULL,
  sealed_secret TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  failing_since INTEGER,
  disabled_at   INTEGER,
  last_error    TEXT NOT NULL,
  clinic_id     TEXT NOT NULL
);
-- Short manage links (/m?t=TOKEN, in text messages) find their booking by the token's
-- hash. Partial: partner bookings have no token.
CREATE INDEX bookings_by_token ON bookings (manage_token_hash) WHERE manage_token_hash <> '';
CREATE TABLE server_secrets (
  name  TEXT PRIMARY KEY,
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
  id                TEXT PRIMARY KEY,
  clinic_id         TEXT NOT NULL,
  practitioner_id   TEXT NOT NULL,
  provider          TEXT NOT NULL CHECK (provider IN ('google','microsoft','ics')),
  source            TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('connected','broken')),
  calendar_id       TEXT NOT NULL,
  account_email     TEXT NOT NULL,
  sealed_tokens     TEXT NOT NULL,
  access_expires_at INTEGER NOT NULL,
  connected_at      INTEGER NOT NULL,
  last_sync_at      INTEGER,
  last_attempt_at   INTEGER,
  last_error        TEXT NOT NULL,
  feed_etag         TEXT NOT NULL,
  UNIQUE (practitioner_id, provider, source)
);
CREATE TABLE calendar_busy (
  connection_id   TEXT NOT NULL,
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  start_utc       INTEGER NOT NULL,
  end_utc         INTEGER NOT NULL
);
CREATE INDEX calendar_busy_by_practitioner ON calendar_busy (clinic_id, practitioner_id, start_utc);
CREATE INDEX calendar_busy_by_connection ON calendar_busy (connection_id);
CREATE TABLE oauth_states (
  state_hash      TEXT PRIMARY KEY,
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  provider        TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  sealed_verifier TEXT NOT NULL,
  requested_by    TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL
);
CREATE TABLE calendar_links (
  booking_id    TEXT NOT NULL,
  target        TEXT NOT NULL,
  external_id   TEXT NOT NULL,
  meeting_url   TEXT NOT NULL,
  written_from  INTEGER NOT NULL,
  written_to    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (booking_id, target)
);
CREATE INDEX calendar_links_by_target ON calendar_links (target, written_from);
CREATE TABLE calendar_feeds (
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (clinic_id, practitioner_id)
);
)sql",
      // 12: staff accounts (accounts/): users, their sessions, named API keys, the audit
      // log (append-only, so plain rowids grow without an AUTOINCREMENT counter).
      R"sql(
CREATE TABLE staff_users (
  id              TEXT PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  password_hash   TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('admin','front_desk','practitioner')),
  clinic_id       TEXT NOT NULL,
  practitioner_id TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  disabled_at     INTEGER
);
CREATE TABLE staff_sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  clinic_id    TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
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
      // 13: holds (booking/holds.h): short reservations of a slot, no patient data; the
      // intake answers of each booking (booking/intake_questions.h).
      R"sql(
CREATE TABLE holds (
  id               TEXT PRIMARY KEY,
  token_hash       TEXT NOT NULL,
  clinic_id        TEXT NOT NULL,
  practitioner_id  TEXT NOT NULL,
  appointment_type TEXT NOT NULL,
  start_utc        INTEGER NOT NULL,
  end_utc          INTEGER NOT NULL,
  occupied_from    INTEGER NOT NULL,
  occupied_to      INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  renewals         INTEGER NOT NULL
);
CREATE INDEX holds_by_clinic ON holds (clinic_id, occupied_from);
ALTER TABLE bookings ADD COLUMN answers_json TEXT NOT NULL DEFAULT '';
)sql",
      // 14: who referred a booking that came through a SMART Scheduling Links deep link
      // (docs/smart-scheduling-links.md): the aggregator's `source` and `booking-referral`.
      R"sql(
ALTER TABLE bookings ADD COLUMN referral_source TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN booking_referral TEXT NOT NULL DEFAULT '';
)sql",
  };
  return kMigrations;
}

}  // namespace slotbook::server
