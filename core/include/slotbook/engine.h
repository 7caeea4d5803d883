// The slot engine (engine-contract.md, "Semantics"): which appointment starts are free, and whether
// one requested start is bookable. The rules that make a start free (notice and horizon,
// then occupancy) live in one place, src/engine.cc: listing keeps a grid start when they
// pass, validation applies the same two checks around its hours and grid checks, so the
// two can never disagree. The server and the widget call these same functions.
//
// Pure: no clock (`now` is an input), no I/O, no globals, no exceptions. Thread-safe on
// a shared const Snapshot.
#ifndef SLOTBOOK_ENGINE_H_
#define SLOTBOOK_ENGINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slotbook/result.h"
#include "slotbook/snapshot.h"
#include "slotbook/time.h"

namespace slotbook {

// A bare duration asked about instead of a configured appointment type (partner and staff
// requests): offered by every practitioner, no buffers, the clinic's notice and horizon.
struct AdHocDuration {
  int duration_minutes = 30;  // 1..kMaxDurationMinutes
  int step_minutes = 30;      // the grid; 1 lets a booking start at any minute
};

struct SlotQuery {
  std::string appointment_type;  // ignored when `ad_hoc` is set
  std::optional<AdHocDuration> ad_hoc;
  std::optional<std::string> practitioner_id;  // nullopt: any practitioner
  LocalDate start_date;
  LocalDate end_date;
  Instant now;
};

struct BookingRequest {
  std::string appointment_type;  // ignored when `ad_hoc` is set
  std::string practitioner_id;
  Instant start;
  Instant now;
  std::optional<AdHocDuration> ad_hoc;
};

// Listing output in flat arrays (no allocation per slot).
struct Slot {
  Instant start;
  Instant end;
  std::uint32_t first_practitioner;  // index into SlotList::practitioners
  std::uint32_t practitioner_count;
};
struct SlotDay {
  LocalDate date;
  std::uint32_t first_slot;  // index into SlotList::slots
  std::uint32_t slot_count;
};
struct SlotList {
  AppointmentType type;       // as resolved (an ad hoc duration has an empty id)
  std::vector<SlotDay> days;  // only days with slots, in date order
  std::vector<Slot> slots;    // in start order within each day
  // Indices into Snapshot::practitioners, sorted by id within each slot.
  std::vector<std::uint32_t> practitioners;
};

// The contract's range rule for a query: invalid_range when `end` is before `start`,
// range_too_large when it is more than kMaxQueryRangeDays after it.
std::optional<Error> check_query_range(LocalDate start, LocalDate end);

// The type a query or request is about, with notice and horizon resolved: the configured
// type `id`, or `ad_hoc` as a type (empty id) that follows the clinic's rules. nullopt:
// no such type.
std::optional<AppointmentType> resolve_type(const Snapshot& snapshot, std::string_view id,
                                            const std::optional<AdHocDuration>& ad_hoc);

// The last local date a start of `type` may fall on when asked at `now` (the horizon
// rule: the local date of `now` plus the type's max_advance_days). The widget asks this
// instead of re-implementing the rule.
LocalDate last_bookable_date(const Snapshot& snapshot, const AppointmentType& type, Instant now);
// The same for the configured type `type_id`. Errors: unknown_appointment_type (the error
// list_slots answers for that type).
Result<LocalDate> last_bookable_date(const Snapshot& snapshot, std::string_view type_id,
                                     Instant now);

// Lists the free slots (the query's range is checked by check_query_range first).
// Errors: invalid_range, range_too_large, unknown_appointment_type, unknown_practitioner.
Result<SlotList> list_slots(const Snapshot& snapshot, const SlotQuery& query);

enum class Refusal {
  kNone,
  kUnknownAppointmentType,
  kUnknownPractitioner,
  kInPast,
  kTooSoon,
  kTooFar,
  kOutsideHours,
  kOffGrid,
  kConflict,
};
std::string_view to_string(Refusal reason);  // "conflict", ...; "" for kNone

// Whether `request` is bookable: kNone exactly when list_slots would list its start for
// that practitioner on the local date of its start; otherwise the first reason that holds,
// in the contract's order.
Refusal validate_booking(const Snapshot& snapshot, const BookingRequest& request);

}  // namespace slotbook

#endif  // SLOTBOOK_ENGINE_H_
