// Plain rows the storage layer reads and writes. No behaviour; times are UTC seconds.
#ifndef SLOTBOOK_SERVER_STORAGE_RECORDS_H_
#define SLOTBOOK_SERVER_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "booking/booking_status.h"
#include "common/clock.h"

namespace slotbook::server {

// A clinic's configuration in the engine contract's snapshot form, without `busy`.
struct ClinicRecord {
  std::string id;
  std::string config_json;
  std::int64_t version = 0;  // increases on every replacement
};

struct BookingRecord {
  std::string id;
  std::string clinic_id;
  std::string practitioner_id;
  std::string appointment_type;  // empty: a partner booking of a bare duration
  UtcSeconds start_utc{};
  UtcSeconds end_utc{};
  BookingStatus status = BookingStatus::kConfirmed;
  std::string confirmation_number;
  std::string patient_name;
  std::string patient_email;
  std::string patient_phone;
  std::string notes;
  std::string source;  // "widget", "partner" or "staff"
  std::string external_reference_id;
  std::string manage_token_hash;  // SHA-256 hex; empty: no manage token issued
  int sequence = 0;               // RFC 5545 SEQUENCE: +1 per reschedule or cancel
  std::string cancel_reason;
  std::optional<UtcSeconds> cancelled_at;
  std::optional<UtcSeconds> reminder_sent_at;
  UtcSeconds created_at{};
  UtcSeconds updated_at{};
};

// A stored answer to a request carrying an Idempotency-Key.
struct StoredAnswer {
  std::string request_hash;  // SHA-256 of the request it answered
  int status = 0;
  std::string sealed_body;  // encrypted with the key itself (tokens.h seal)
  UtcSeconds created_at{};
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

// [from, to) on the UTC time line.
struct TimeWindow {
  UtcSeconds from{};
  UtcSeconds to{};
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
