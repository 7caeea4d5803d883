// Storage: where clinics, bookings and idempotent answers persist. SQL lives only in the
// implementations (sqlite_storage.h today; PostgreSQL next), never in routes or services.
//
// Guarantees every implementation must give:
// - write() runs its work in one transaction that is serialized with every other write
//   to the same database (SQLite: BEGIN IMMEDIATE under one writer; PostgreSQL would take
//   a lock per clinic). Whatever the work reads inside it cannot change until it commits,
//   which is what makes "load occupancy, validate with the engine, insert" race-free.
// - A write that returned ok is durable (committed and synced) before write() returns.
// - read() sees one consistent committed state.
// Thread-safe: any thread may call read() and write() at any time.
#ifndef SLOTBOOK_SERVER_STORAGE_STORAGE_H_
#define SLOTBOOK_SERVER_STORAGE_STORAGE_H_

#include <cstdint>
#include <functional>
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
  virtual Expected<std::vector<std::string>> clinic_ids() = 0;
  virtual Expected<std::optional<BookingRecord>> booking(std::string_view id) = 0;
  // Bookings of `clinic_id` that occupy time (status other than cancelled) whose
  // [start, end) intersects [from, to), in start order; only `practitioner_id`'s when it
  // is not empty.
  virtual Expected<std::vector<BookingRecord>> occupying_bookings(
      std::string_view clinic_id, std::int64_t from, std::int64_t to,
      std::string_view practitioner_id = {}) = 0;
  // Bookings matching `filter` in start order (skip/limit applied), and the count of all
  // matches in *total.
  virtual Expected<std::vector<BookingRecord>> list_bookings(const BookingFilter& filter,
                                                             std::int64_t* total) = 0;
  // How many bookings occupying time `practitioner_id` has starting at or after `from`.
  virtual Expected<std::int64_t> upcoming_count(std::string_view clinic_id,
                                                std::string_view practitioner_id,
                                                std::int64_t from) = 0;
  virtual Expected<bool> confirmation_number_exists(std::string_view number) = 0;
  virtual Expected<std::optional<StoredAnswer>> stored_answer(std::string_view key_hash) = 0;
};

// What write() work may change, in addition to reading.
class WriteTransaction : public ReadView {
 public:
  // Inserts or replaces the configuration of clinic `id` (bookings are kept).
  virtual Status put_clinic(std::string_view id, std::string_view config_json) = 0;
  virtual Status insert_booking(const BookingRecord& booking) = 0;
  // Replaces the mutable fields of the booking with the same id.
  virtual Status update_booking(const BookingRecord& booking) = 0;
  virtual Status store_answer(std::string_view key_hash, const StoredAnswer& answer,
                              std::int64_t now) = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;
  // Runs `work` in one serialized write transaction: commits (durably) when it returns ok,
  // rolls back otherwise and returns its failure.
  virtual Status write(const std::function<Status(WriteTransaction&)>& work) = 0;
  // Runs `work` against one consistent committed state.
  virtual Status read(const std::function<Status(ReadView&)>& work) = 0;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_STORAGE_H_
