// The engine contract's defaults and bounds (engine-contract.md, "Snapshot" and "Query"), defined
// once. The engine applies them when it parses; the server and the widget ask the parsed
// Snapshot for resolved values and use these only to state or pre-check the same bounds.
#ifndef SLOTBOOK_LIMITS_H_
#define SLOTBOOK_LIMITS_H_

namespace slotbook {

// Clinic-wide rules when a snapshot gives none (a type's own value wins over both).
inline constexpr int kDefaultMinNoticeMinutes = 120;
inline constexpr int kDefaultMaxAdvanceDays = 90;

// Bounds of a snapshot's fields.
inline constexpr int kMaxDurationMinutes = 480;      // an appointment type's duration
inline constexpr int kMaxBufferMinutes = 1440;       // buffer before / after
inline constexpr int kMaxStepMinutes = 1440;         // slot grid step
inline constexpr int kMaxMinNoticeMinutes = 525600;  // one year
inline constexpr int kMaxAdvanceDaysLimit = 3650;    // ten years

// A slot query spans at most this many days after its start date.
inline constexpr int kMaxQueryRangeDays = 90;

}  // namespace slotbook

#endif  // SLOTBOOK_LIMITS_H_
