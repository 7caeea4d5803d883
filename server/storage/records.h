// Rows the storage layer keeps besides bookings (booking/booking_record.h). No behaviour.
#ifndef SLOTBOOK_SERVER_STORAGE_RECORDS_H_
#define SLOTBOOK_SERVER_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "booking/booking_record.h"

namespace slotbook::server {

// A clinic's configuration in the engine contract's snapshot form, without `busy`.
struct ClinicRecord {
  std::string id;
  std::string config_json;
  std::int64_t version = 0;  // increases on every replacement
};

// A stored answer to a request carrying an Idempotency-Key.
struct StoredAnswer {
  std::string request_hash;  // SHA-256 of the request it answered
  int status = 0;
  std::string sealed_body;  // encrypted with the key itself (tokens.h seal)
  UtcSeconds created_at{};
  std::string client;  // SHA-256 of the client's address: answers are bounded per client
};

// A domain event in the outbox (booking/domain_event.h), appended in the transaction of
// the change it describes. `position` orders the outbox (assigned by storage).
struct OutboxRecord {
  std::int64_t position = 0;
  std::string event_id;
  std::string clinic_id;
  std::string kind;        // "booking.created", ...
  std::string booking_id;  // empty for clinic events
  UtcSeconds occurred_at{};
  std::string payload_json;  // the event's JSON (docs/events.md)
};

// One message to one receiver (docs/notifications.md): an email or SMS to the patient or
// the clinic, or a webhook POST. Made from a domain event when the outbox is dispatched
// (or due later: reminders), claimed by one delivery worker at a time through a lease,
// retried with backoff until sent or failed.
struct DeliveryRecord {
  std::string id;  // "dlv_" + random: stable across attempts (webhook-id, Message-ID)
  std::string clinic_id;
  std::string booking_id;            // empty for clinic events
  std::int64_t outbox_position = 0;  // the event it tells of; 0: the booking as it is
  std::string channel;               // "email", "sms", "webhook"
  std::string purpose;               // "booking.created", ..., "reminder"
  std::string recipient;             // "patient", "clinic", or a webhook's id
  std::string status;                // "pending", "sent", "failed", "cancelled"
  int attempts = 0;                  // started so far (a claim counts as one)
  UtcSeconds next_attempt_at{};      // due: not claimed before
  UtcSeconds lease_until{};          // claimed by a worker until then
  std::string last_error;
  std::string receipt;  // the receiver's id for what it took (an SMS's SID)
  // Unique: a second job for the same thing (say, one reminder) is not made.
  std::string dedupe_key;
  UtcSeconds reminder_for{};  // reminders: the start they remind of
  UtcSeconds created_at{};
  UtcSeconds updated_at{};
  std::optional<UtcSeconds> sent_at;
};

struct DeliveryFilter {
  std::optional<std::string> status;
  std::optional<std::string> booking_id;
  std::optional<std::string> channel;
  std::optional<std::string> recipient;  // "patient", "clinic" or a webhook id
  std::optional<std::string> clinic_id;
  int skip = 0;
  int limit = 100;
};

// A webhook subscription (docs/webhooks.md). The secret signs every delivery, so it is
// kept sealed (encrypted with the server key), not hashed.
struct WebhookRecord {
  std::string id;         // "wh_" + random
  std::string clinic_id;  // empty: every clinic's events
  std::string url;
  std::string events_json;  // JSON array of event types
  std::string description;
  std::string sealed_secret;  // base64 of seal(server key, "whsec_...")
  UtcSeconds created_at{};
  std::optional<UtcSeconds> failing_since;  // first failure since the last success
  std::optional<UtcSeconds> disabled_at;    // failing for kWebhookDisableAfter: no more jobs
  std::string last_error;
};

// A practitioner's connected calendar (docs/integrations.md): a Google or Microsoft
// account reached through OAuth, or a subscribed ICS feed (one row per configured URL,
// made by the first sync). Its busy times are stored as ExternalBusyRecords.
struct CalendarConnectionRecord {
  std::string id;  // "cal_" + random hex
  std::string clinic_id;
  std::string practitioner_id;
  std::string provider;       // "google", "microsoft", "ics"
  std::string source;         // ics: the feed URL as configured; OAuth providers: ""
  std::string status;         // "connected"; "broken": the grant was revoked, not used
  std::string calendar_id;    // the provider's calendar (Google: the primary's id)
  std::string account_email;  // whose calendar it is, as the provider says
  // base64 of seal(server key, JSON {"access_token", "refresh_token"}); ics: "".
  std::string sealed_tokens;
  UtcSeconds access_expires_at{};
  UtcSeconds connected_at{};
  std::optional<UtcSeconds> last_sync_at;     // the last import that succeeded
  std::optional<UtcSeconds> last_attempt_at;  // the last import tried
  std::string last_error;                     // of the last attempt; "" when it worked
  std::string feed_etag;                      // ics: the ETag of the last fetch
};

// A span a connected calendar says its practitioner is busy: occupancy the engine sees like
// a booking's, without anything about what it is.
struct ExternalBusyRecord {
  std::string connection_id;
  std::string practitioner_id;
  TimeWindow span;
};

// A patient's short reservation of a slot while they type their details (booking/holds.h):
// it occupies `occupancy` for everyone else until `expires_at`, then is simply gone.
// Carries no patient data; only the token's SHA-256 is stored.
struct HoldRecord {
  std::string id;  // "hold_" + random hex
  std::string token_hash;
  std::string clinic_id;
  std::string practitioner_id;
  std::string appointment_type;
  UtcSeconds start_utc{};
  UtcSeconds end_utc{};
  TimeWindow occupancy;  // [start - buffer_before, end + buffer_after) of its type
  UtcSeconds created_at{};
  UtcSeconds expires_at{};
  int renewals = 0;
};

// An authorization in progress: what the OAuth redirect's `state` stands for. Single use,
// short-lived; the PKCE code verifier is kept sealed with the server key.
struct OAuthStateRecord {
  std::string state_hash;  // SHA-256 hex of the state sent to the provider
  std::string clinic_id;
  std::string practitioner_id;
  std::string provider;  // "google", "microsoft"
  std::string redirect_uri;
  std::string sealed_verifier;  // base64 of seal(server key, code_verifier)
  std::string requested_by;     // SHA-256 of the staff credential that asked (CSRF binding)
  UtcSeconds created_at{};
  UtcSeconds expires_at{};
};

// A booking mirrored somewhere outside: an event in a connected calendar or a Zoom meeting.
// Keeping the provider's id is what makes write-back idempotent.
struct CalendarLinkRecord {
  std::string booking_id;
  std::string target;       // a calendar connection id, or "zoom"
  std::string external_id;  // the provider's event or meeting id
  std::string meeting_url;  // the join link the provider made, if any
  TimeWindow written;       // the booking's time as last written there
  UtcSeconds updated_at{};
};

// A secret calendar feed URL (GET .../calendar.ics?token=): one per practitioner, and one
// for the whole clinic (practitioner_id ""). Only the token's hash is kept.
struct CalendarFeedRecord {
  std::string clinic_id;
  std::string practitioner_id;
  std::string token_hash;
  UtcSeconds created_at{};
};

// A staff member who signs in to the staff app (accounts/). The password is kept only as
// its Argon2id hash (libsodium's crypto_pwhash_str string, parameters included).
struct StaffUserRecord {
  std::string id;     // "usr_" + random hex
  std::string email;  // lower case; unique
  std::string password_hash;
  std::string role;             // "admin", "front_desk", "practitioner"
  std::string clinic_id;        // empty: every clinic on the server
  std::string practitioner_id;  // role practitioner: whose schedule is theirs
  UtcSeconds created_at{};
  std::optional<UtcSeconds> disabled_at;  // set: cannot sign in, sessions refused
};

// A signed-in browser. The cookie carries the token; only its hash is kept.
struct StaffSessionRecord {
  std::string token_hash;  // SHA-256 hex of the cookie's token
  std::string user_id;
  UtcSeconds created_at{};
  UtcSeconds last_seen_at{};  // idle timeout counts from here (updated at most once a minute)
  UtcSeconds expires_at{};    // absolute end
};

// A named API key of one clinic (or of every clinic). The secret is shown once and kept
// only as its hash; `prefix` lets people tell keys apart in lists.
struct ApiKeyRecord {
  std::string id;  // "key_" + random hex
  std::string name;
  std::string clinic_id;  // empty: every clinic
  std::string secret_hash;
  std::string prefix;      // the secret's first characters
  std::string created_by;  // who made it (an actor's name)
  UtcSeconds created_at{};
  std::optional<UtcSeconds> last_used_at;  // updated at most once a minute
  std::optional<UtcSeconds> revoked_at;
};

// One entry of the audit log (accounts/audit.h): who changed which booking or setting,
// when, and the state before and after (JSON; "" when there was none).
struct AuditRecord {
  std::int64_t id = 0;  // assigned by storage, increasing
  UtcSeconds at{};
  std::string actor_type;  // "user", "api_key", "bootstrap_key", "patient", "partner", "system"
  std::string actor_id;
  std::string actor_name;
  std::string clinic_id;    // empty: not about one clinic (a server-wide key, a user)
  std::string action;       // "booking.cancelled", "clinic.config_changed", "api_key.created", ...
  std::string target_type;  // "booking", "clinic", "api_key", "user"
  std::string target_id;
  std::string before_json;
  std::string after_json;
};

struct AuditFilter {
  std::optional<std::string> clinic_id;
  std::optional<std::string> target_id;
  std::optional<std::int64_t> before_id;  // entries older than this one (paging)
  int limit = 50;
};

struct BookingFilter {
  std::string clinic_id;
  std::optional<std::string> practitioner_id;
  std::optional<BookingStatus> status;
  UtcSeconds start_from{};    // start_utc >= start_from
  UtcSeconds start_before{};  // start_utc < start_before
  int skip = 0;
  int limit = 50;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_RECORDS_H_
