// The slot engine (engine.md, "Semantics"): which appointment starts are free, and whether
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

#include <nlohmann/json_fwd.hpp>

#include "slotbook/result.h"
#include "slotbook/snapshot.h"
#include "slotbook/time.h"

namespace slotbook {

struct SlotQuery {
  std::string appointment_type;
  std::optional<std::string> practitioner_id;  // nullopt: any practitioner
  LocalDate start_date;
  LocalDate end_date;
  Instant now;
};

struct BookingRequest {
  std::string appointment_type;
  std::string practitioner_id;
  Instant start;
  Instant now;
};

// Listing output in flat arrays (no allocation per slot).
struct Slot {
  date::sys_seconds start;
  date::sys_seconds end;
  std::uint32_t first_practitioner;  // index into SlotList::practitioners
  std::uint32_t practitioner_count;
};
struct SlotDay {
  LocalDate date;
  std::uint32_t first_slot;  // index into SlotList::slots
  std::uint32_t slot_count;
};
struct SlotList {
  const AppointmentType* type = nullptr;
  std::vector<SlotDay> days;  // only days with slots, in date order
  std::vector<Slot> slots;    // in start order within each day
  // Indices into Snapshot::practitioners, sorted by id within each slot.
  std::vector<std::uint32_t> practitioners;
};

// Parses a query. Errors: invalid_query, invalid_range, range_too_large.
Result<SlotQuery> parse_slot_query(const nlohmann::json& query);
// Parses a booking request. Errors: invalid_query.
Result<BookingRequest> parse_booking_request(const nlohmann::json& booking);

// Lists the free slots. Errors: unknown_appointment_type, unknown_practitioner.
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
