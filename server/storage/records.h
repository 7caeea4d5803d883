// Plain rows the storage layer reads and writes. No behaviour; times are Unix seconds.
#ifndef SLOTBOOK_SERVER_STORAGE_RECORDS_H_
#define SLOTBOOK_SERVER_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>

namespace slotbook::server {

// A clinic's configuration in the engine contract's snapshot form, without `busy`.
struct ClinicRecord {
  std::string id;
  std::string config_json;
  std::int64_t version = 0;  // increases on every replacement
};

// Booking statuses. Every status except cancelled occupies the practitioner's time.
inline constexpr const char* kPending = "pending";
inline constexpr const char* kConfirmed = "confirmed";
inline constexpr const char* kCompleted = "completed";
inline constexpr const char* kCancelled = "cancelled";
inline constexpr const char* kNoShow = "no_show";

struct BookingRecord {
  std::string id;
  std::string clinic_id;
  std::string practitioner_id;
  std::string appointment_type;  // empty: a partner booking of a bare duration
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;
  std::string status;
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
  std::optional<std::int64_t> cancelled_at;
  std::optional<std::int64_t> reminder_sent_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A stored answer to a request carrying an Idempotency-Key.
struct StoredAnswer {
  std::string request_hash;  // SHA-256 of the request it answered
  int status = 0;
  std::string sealed_body;  // encrypted with the key itself (tokens.h seal)
};

struct BookingFilter {
  std::string clinic_id;
  std::optional<std::string> practitioner_id;
  std::optional<std::string> status;
  std::int64_t start_from = 0;    // start_utc >= start_from
  std::int64_t start_before = 0;  // start_utc < start_before
  int skip = 0;
  int limit = 50;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_RECORDS_H_
