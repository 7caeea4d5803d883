#include "slotbook/slot_table.h"

#include <utility>

namespace slotbook {
namespace {

// A double division, exact for the whole milliseconds it is given (a correctly rounded
// quotient that is an integer below 2^53); a 64-bit integer division costs ten times more in
// WebAssembly.
double epoch_milliseconds(Instant instant) {
  return static_cast<double>(instant.time_since_epoch().count()) / 1000.0;
}

// Wall-clock readings of a listing's instants, which come in runs that share an offset: the
// zone's rules are looked up once per run instead of once per instant. Reads exactly what
// ZoneRules::to_local reads.
class LocalClock {
 public:
  explicit LocalClock(const ZoneRules& zone) : zone_(zone) {}

  LocalTime at(Instant instant) {
    const date::sys_seconds second = date::floor<Seconds>(instant);
    if (second < span_.begin || !(second < span_.end)) span_ = zone_.offset_span(instant);
    return LocalTime{second.time_since_epoch() + span_.offset};
  }

 private:
  const ZoneRules& zone_;
  ZoneRules::OffsetSpan span_{date::sys_seconds::max(), date::sys_seconds::min(), Seconds{0}};
};

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
  LocalClock clock(snapshot.zone);
  for (std::size_t i = 0; i < slots; ++i) {
    const Slot& slot = list.slots[i];
    table.slot_start_ms[i] = epoch_milliseconds(slot.start);
    table.slot_end_ms[i] = epoch_milliseconds(slot.end);
    table.slot_start_minute[i] = static_cast<std::uint16_t>(minute_of_day(clock.at(slot.start)));
    table.slot_end_minute[i] = static_cast<std::uint16_t>(minute_of_day(clock.at(slot.end)));
    table.slot_first_practitioner[i] = slot.first_practitioner;
    table.slot_practitioner_count[i] = slot.practitioner_count;
  }
  table.practitioners = std::move(list.practitioners);
  return table;
}

}  // namespace slotbook
