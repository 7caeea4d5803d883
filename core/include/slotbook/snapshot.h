// Snapshot: everything the engine knows about one clinic (engine-contract.md, "Snapshot"), parsed
// and checked once. A Snapshot that exists is valid: every range, default and uniqueness
// rule of the contract has been applied, busy intervals are sorted per practitioner, and
// the zone's rules are resolved. Immutable after parsing; safe to share between threads.
#ifndef SLOTBOOK_SNAPSHOT_H_
#define SLOTBOOK_SNAPSHOT_H_

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slotbook/limits.h"
#include "slotbook/result.h"
#include "slotbook/time.h"
#include "slotbook/zone_rules.h"

namespace slotbook {

// Working hours [start, end) of one day, in minutes since local midnight (end <= 1440).
struct HoursInterval {
  int start_minute;
  int end_minute;
};
using DayHours = std::vector<HoursInterval>;  // sorted, non-overlapping

struct AppointmentType {
  std::string id;
  std::string name;
  int duration_minutes = 0;
  int buffer_before_minutes = 0;
  int buffer_after_minutes = 0;
  int slot_step_minutes = 0;
  int min_notice_minutes = 0;  // the type's own value, else the clinic's rule
  int max_advance_days = 0;    // the type's own value, else the clinic's rule
};

// Clinic-wide rules, resolved (limits.h defaults when the snapshot gives none). Each
// AppointmentType already carries its own resolved values; these are what a type without
// its own value, or an ad hoc duration, follows.
struct ClinicRules {
  int min_notice_minutes = kDefaultMinNoticeMinutes;
  int max_advance_days = kDefaultMaxAdvanceDays;
};

struct BusyInterval {
  Instant start;
  Instant end;
};

struct Practitioner {
  std::string id;
  std::string name;
  std::vector<std::string> appointment_types;  // as listed, unknown ids included
  std::array<DayHours, 7> weekly_hours;        // index 0 = monday .. 6 = sunday
  std::map<LocalDate, DayHours> overrides;
  std::vector<BusyInterval> busy;  // sorted by start

  bool offers(std::string_view type_id) const;
};

struct Snapshot {
  std::string clinic_id;
  std::string clinic_name;
  ZoneRules zone;
  ClinicRules rules;
  std::vector<LocalDate> closed_dates;             // sorted, unique
  std::vector<AppointmentType> appointment_types;  // input order
  std::vector<Practitioner> practitioners;         // sorted by id

  const AppointmentType* find_type(std::string_view id) const;
  const Practitioner* find_practitioner(std::string_view id) const;
  bool is_closed(LocalDate date) const;
  // The hours of practitioner `p` on local date `date` (closures, overrides, weekly).
  const DayHours& hours_on(const Practitioner& p, LocalDate date) const;
};

// One busy interval of one practitioner, as the contract's snapshot "busy" lists them.
struct PractitionerBusy {
  std::string practitioner_id;
  BusyInterval interval;  // start < end
};

// A snapshot for one decision: `base` holding only the practitioners in `only` (every one
// when null), with `busy` added to their busy time exactly as parse_snapshot adds a
// snapshot's "busy" (intervals of other practitioners are ignored). How the server asks
// about stored bookings without going through JSON.
Snapshot with_busy(const Snapshot& base, const std::vector<PractitionerBusy>& busy,
                   const std::vector<std::string>* only = nullptr);

// Sorts `busy` and merges overlapping or touching intervals (how a Practitioner keeps it).
void normalize_busy(std::vector<BusyInterval>& busy);

// parse_snapshot (JSON to Snapshot) is in json_api.h.

}  // namespace slotbook

#endif  // SLOTBOOK_SNAPSHOT_H_
