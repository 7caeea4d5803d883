#include "slotbook/slot_table.h"

#include <chrono>
#include <utility>

namespace slotbook {
namespace {

double epoch_milliseconds(Instant instant) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(instant.time_since_epoch()).count());
}

}  // namespace

SlotTable make_slot_table(const Snapshot& snapshot, SlotList list) {
  SlotTable table;
  const std::size_t days = list.days.size();
  table.day_date.reserve(days);
  table.day_weekday.reserve(days);
  table.day_first_slot.reserve(days);
  table.day_slot_count.reserve(days);
  for (const SlotDay& day : list.days) {
    table.day_date.push_back(day.date.time_since_epoch().count());
    table.day_weekday.push_back(static_cast<std::uint8_t>(weekday_index(day.date)));
    table.day_first_slot.push_back(day.first_slot);
    table.day_slot_count.push_back(day.slot_count);
  }

  const std::size_t slots = list.slots.size();
  table.slot_start_ms.resize(slots);
  table.slot_end_ms.resize(slots);
  table.slot_start_minute.resize(slots);
  table.slot_end_minute.resize(slots);
  table.slot_first_practitioner.resize(slots);
  table.slot_practitioner_count.resize(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    const Slot& slot = list.slots[i];
    table.slot_start_ms[i] = epoch_milliseconds(slot.start);
    table.slot_end_ms[i] = epoch_milliseconds(slot.end);
    table.slot_start_minute[i] =
        static_cast<std::uint16_t>(minute_of_day(snapshot.zone.to_local(slot.start)));
    table.slot_end_minute[i] =
        static_cast<std::uint16_t>(minute_of_day(snapshot.zone.to_local(slot.end)));
    table.slot_first_practitioner[i] = slot.first_practitioner;
    table.slot_practitioner_count[i] = slot.practitioner_count;
  }
  table.practitioners = std::move(list.practitioners);
  return table;
}

}  // namespace slotbook
