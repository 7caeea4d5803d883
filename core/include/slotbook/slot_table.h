// SlotTable: a slot listing as columns of plain numbers, for a caller that has neither the
// engine's types nor a tz database (the WebAssembly widget reads the columns through
// typed-array views instead of parsing the listing's JSON). The columns say everything
// the contract's JSON listing says about days and slots (slot_list_json writes the same
// facts as text), so a caller can rebuild that JSON from them byte for byte.
//
// Pure: no clock, no I/O, no exceptions. A SlotTable is a value; it does not refer to the
// Snapshot it was made from.
#ifndef SLOTBOOK_SLOT_TABLE_H_
#define SLOTBOOK_SLOT_TABLE_H_

#include <cstdint>
#include <vector>

#include "slotbook/engine.h"
#include "slotbook/snapshot.h"

namespace slotbook {

struct SlotTable {
  // One entry per day with slots, in date order (SlotList::days).
  std::vector<std::int32_t> day_date;         // the clinic date, days since 1970-01-01
  std::vector<std::uint8_t> day_weekday;      // 0 = Monday .. 6 = Sunday (weekday_index)
  std::vector<std::uint32_t> day_first_slot;  // index of the day's first slot
  std::vector<std::uint32_t> day_slot_count;  // >= 1

  // One entry per slot, in SlotList::slots order (start order within each day).
  // UTC bounds in milliseconds since the Unix epoch. Exact: slot bounds are whole seconds
  // (grid starts are wall-clock minutes), far inside a double's 2^53.
  std::vector<double> slot_start_ms;
  std::vector<double> slot_end_ms;
  // Clinic wall-clock times of day, minutes since midnight 0..1439 (minute_of_day): the
  // contract's "start" and "end" as numbers. A slot ending at midnight ends at minute 0.
  std::vector<std::uint16_t> slot_start_minute;
  std::vector<std::uint16_t> slot_end_minute;
  std::vector<std::uint32_t> slot_first_practitioner;  // index into `practitioners`
  std::vector<std::uint32_t> slot_practitioner_count;  // >= 1

  // Indices into Snapshot::practitioners (sorted by id), sorted by id within each slot.
  std::vector<std::uint32_t> practitioners;
};

// The columns of `list`, which list_slots() answered about `snapshot`. Takes over
// list.practitioners rather than copying it.
SlotTable make_slot_table(const Snapshot& snapshot, SlotList list);

}  // namespace slotbook

#endif  // SLOTBOOK_SLOT_TABLE_H_
