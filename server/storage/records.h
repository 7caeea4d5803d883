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
