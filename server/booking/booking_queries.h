// BookingQueries: every read the routes need, each in one consistent storage read:
// clinics, a booking with its clinic (by id, or by id and manage token), listings, the
// engine's free slots over stored occupancy, and health. Routes never open storage
// themselves. Thread-safe.
#ifndef SLOTBOOK_SERVER_BOOKING_BOOKING_QUERIES_H_
#define SLOTBOOK_SERVER_BOOKING_BOOKING_QUERIES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"
#include "booking/engine_snapshot.h"
#include "common/clock.h"
#include "common/expected.h"
#include "slotbook/engine.h"

namespace slotbook::server {

class Storage;
class ClinicCatalog;

struct BookingWithClinic {
  BookingRecord booking;
  std::shared_ptr<const ClinicConfig> clinic;
};

struct UpcomingFilter {
  int days = 30;  // from now
  std::optional<std::string> practitioner_id;
  std::optional<BookingStatus> status;
  int skip = 0;
  int limit = 50;
};
struct BookingPage {
  std::vector<BookingRecord> bookings;  // in start order
  std::int64_t total = 0;               // all matches, before skip and limit
};

// The most (slot, practitioner) pairs one availability answer lists (a few MB of JSON):
// 90 days of 15-minute slots of 10 practitioners working 9 hours fit; a year of 1-minute
// slots for a whole clinic does not.
inline constexpr std::size_t kMaxListedSlotEntries = 100000;

struct AvailabilityRequest {
  std::string clinic_id;
  std::string appointment_type;  // a configured type, or empty with `ad_hoc`
  std::optional<AdHocDuration> ad_hoc;
  std::optional<std::string> practitioner_id;  // nullopt: any practitioner
  LocalDate start_date;
  LocalDate end_date;
};
// The engine's answer with everything it points into (SlotList refers to `snapshot`).
struct Availability {
  std::shared_ptr<const ClinicConfig> clinic;
  Snapshot snapshot;
  SlotQuery query;
  SlotList slots;
};

class BookingQueries {
 public:
  BookingQueries(Storage& storage, ClinicCatalog& catalog, const ZoneSource& zones,
                 const Clock& clock)
      : storage_(storage), catalog_(catalog), zones_(zones), clock_(clock) {}

  // Failure: clinic_not_found (kNotFound).
  Expected<std::shared_ptr<const ClinicConfig>> clinic(std::string_view id);
  // Every clinic stored, by id.
  Expected<std::vector<std::shared_ptr<const ClinicConfig>>> clinics();
  // The clinic named `id`, or the only clinic stored when `id` is empty. Failures:
  // clinic_not_found; clinic_id_required (kInvalid) when several clinics exist.
  Expected<std::shared_ptr<const ClinicConfig>> named_or_only_clinic(std::string_view id);
  // The id of the clinic (first by id) whose practitioners include `practitioner_id`;
  // empty when none does.
  Expected<std::string> clinic_of_practitioner(std::string_view practitioner_id);

  // Failure: booking_not_found (kNotFound).
  Expected<BookingWithClinic> booking(std::string_view id);
  // The booking, only if `token` is its manage token (compared in constant time). A wrong
  // token and an unknown id fail alike: booking_not_found.
  Expected<BookingWithClinic> booking_for_token(std::string_view id, std::string_view token);
  // The booking whose manage token is `token` (a short manage link carries only that).
  // Failure: booking_not_found.
  Expected<BookingWithClinic> booking_for_token(std::string_view token);

  // The clinic's bookings starting from now to `filter.days` ahead.
  Expected<BookingPage> upcoming(const ClinicConfig& clinic, const UpcomingFilter& filter);
  // Bookings that occupy time starting on the local dates [first, last].
  Expected<std::vector<BookingRecord>> occupying_on_dates(const ClinicConfig& clinic,
                                                          LocalDate first, LocalDate last);

  // A schedule: every booking (cancelled ones too) starting on the local dates
  // [first, last], in start order, and the connected calendars' busy spans over those
  // days; only `practitioner_id`'s when it is not empty.
  struct Schedule {
    std::vector<BookingRecord> bookings;
    std::vector<ExternalBusyRecord> busy;
  };
  Expected<Schedule> schedule(const ClinicConfig& clinic, LocalDate first, LocalDate last,
                              std::string_view practitioner_id);
  // Bookings of the clinic whose patient name, email or phone contains `text`, or whose
  // confirmation number is `text` (case ignored); newest start first, at most `limit`.
  Expected<std::vector<BookingRecord>> search(const ClinicConfig& clinic, std::string_view text,
                                              int limit);

  // Free slots. Failures: clinic_not_found; the engine's unknown_appointment_type and
  // unknown_practitioner (kNotFound); invalid_range and range_too_large (kInvalid); and
  // too_many_slots (kInvalid) when the answer would list more than kMaxListedSlotEntries
  // (slot, practitioner) pairs: one request may not build an answer of hundreds of MB.
  Expected<std::unique_ptr<Availability>> availability(const AvailabilityRequest& request);

  // Every start the engine's grid has on `request.start_date` for one practitioner, as the
  // day would be without any booking or busy time, each with whether it is free now (seed
  // 003's availability by date). Starts the rules exclude anyway (past, notice, outside
  // hours) are not listed. REQUIRES: request.practitioner_id. Failures as availability.
  struct GridStart {
    Instant start;
    bool available = false;
  };
  Expected<std::vector<GridStart>> day_grid(const AvailabilityRequest& request);

  // Whether the database answers.
  Status health();

 private:
  Storage& storage_;
  ClinicCatalog& catalog_;
  const ZoneSource& zones_;
  const Clock& clock_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_BOOKING_QUERIES_H_
