// Listing and validation share every decision below: the grid of a day's interval
// (DayClock, interval_window), the notice and horizon rule (BookingWindow, timing_refusal)
// and the occupancy test (BusyCursor, occupancy_refusal). list_slots() keeps a grid start
// exactly when slot_refusal() (timing, then occupancy) says kNone; validate_booking() asks
// the same two questions with the hours and grid checks between them, as the contract
// orders the reasons, so the two cannot disagree.
#include <algorithm>

#include "slotbook/engine.h"

namespace slotbook {
namespace {

// An interval of working hours on one local date, as UTC instants (engine-contract.md, step 2).
struct Window {
  Instant start;
  Instant end;
};

// One local date's wall-clock minutes as instants. Memoized: a clinic's practitioners
// mostly share their hours, so each distinct minute is converted once per date.
class DayClock {
 public:
  DayClock(const ZoneRules& zone, LocalDate date) : zone_(zone), date_(date) {}

  Instant at(int minute) {
    for (const auto& [known, instant] : known_) {
      if (known == minute) return instant;
    }
    // 24:00 is 00:00 of the next date: adding minutes to the date's midnight does that.
    Instant instant = zone_.to_instant(LocalTime{date_} + Minutes{minute});
    known_.emplace_back(minute, instant);
    return instant;
  }

 private:
  const ZoneRules& zone_;
  LocalDate date_;
  std::vector<std::pair<int, Instant>> known_;
};

Window interval_window(DayClock& clock, HoursInterval hours) {
  return {clock.at(hours.start_minute), clock.at(hours.end_minute)};
}

LocalDate local_date(const ZoneRules& zone, Instant instant) {
  return date::floor<date::days>(zone.to_local(instant));
}

Error unknown_type(std::string_view id) {
  return make_error(ErrorCode::kUnknownAppointmentType,
                    "no appointment type \"" + std::string(id) + "\"");
}

// Notice and horizon (engine-contract.md, step 4) for one appointment type at `now`.
struct BookingWindow {
  Instant now;
  Instant earliest_start;  // now + min_notice: a start exactly here is allowed
  LocalDate last_date;     // local date of now + max_advance_days

  BookingWindow(const Snapshot& snapshot, const AppointmentType& type, Instant at)
      : now(at),
        earliest_start(at + Minutes{type.min_notice_minutes}),
        last_date(last_bookable_date(snapshot, type, at)) {}
};

// The occupancy test over a practitioner's busy runs (sorted, disjoint). Queries are
// usually in increasing order (a sweep): the cursor then moves forward only, so a listing
// costs O(candidates + busy), not O(candidates x busy).
class BusyCursor {
 public:
  explicit BusyCursor(const std::vector<BusyInterval>& busy) : busy_(busy) {}

  // True when [from, to) overlaps no busy run.
  bool is_free(Instant from, Instant to) {
    // The first run that ends after `from` is the only one that can overlap. A query that
    // moves back, or a cursor's first query (a validation asks only one), finds it by
    // binary search; a sweep's next query steps forward from where the last one stopped.
    const bool first_query = !started_;
    started_ = true;
    if (first_query || (next_ > 0 && busy_[next_ - 1].end > from)) {
      next_ = static_cast<std::size_t>(
          std::upper_bound(busy_.begin(), busy_.end(), from,
                           [](Instant t, const BusyInterval& run) { return t < run.end; }) -
          busy_.begin());
    }
    while (next_ < busy_.size() && busy_[next_].end <= from) ++next_;
    return next_ == busy_.size() || !(busy_[next_].start < to);
  }

 private:
  const std::vector<BusyInterval>& busy_;
  std::size_t next_ = 0;
  bool started_ = false;
};

// Notice and horizon: why a start on local date `date` is too early or too late.
Refusal timing_refusal(const BookingWindow& window, LocalDate date, Instant start) {
  if (start < window.now) return Refusal::kInPast;
  if (start < window.earliest_start) return Refusal::kTooSoon;
  if (date > window.last_date) return Refusal::kTooFar;
  return Refusal::kNone;
}

// Buffers and busy time: whether the appointment's occupancy is free.
Refusal occupancy_refusal(const AppointmentType& type, Instant start, BusyCursor& busy) {
  Instant end = start + Minutes{type.duration_minutes};
  bool free = busy.is_free(start - Minutes{type.buffer_before_minutes},
                           end + Minutes{type.buffer_after_minutes});
  return free ? Refusal::kNone : Refusal::kConflict;
}

// The one decision whether a start on the grid of `date` is free (engine-contract.md, step 4).
Refusal slot_refusal(const AppointmentType& type, const BookingWindow& window, LocalDate date,
                     Instant start, BusyCursor& busy) {
  Refusal timing = timing_refusal(window, date, start);
  return timing != Refusal::kNone ? timing : occupancy_refusal(type, start, busy);
}

// A candidate start of one practitioner, before merging.
struct Candidate {
  Instant start;
  std::uint32_t practitioner;
};

// Appends p's free starts on `date` to `out`, in increasing order.
void collect_day(const Snapshot& snapshot, const AppointmentType& type, const BookingWindow& window,
                 std::uint32_t practitioner, LocalDate date, DayClock& clock, BusyCursor& busy,
                 std::vector<Candidate>& out) {
  const Practitioner& p = snapshot.practitioners[practitioner];
  const Minutes duration{type.duration_minutes};
  const Minutes step{type.slot_step_minutes};
  for (const HoursInterval& hours : snapshot.hours_on(p, date)) {
    Window w = interval_window(clock, hours);
    for (Instant start = w.start; start + duration <= w.end; start += step) {
      if (slot_refusal(type, window, date, start, busy) == Refusal::kNone) {
        out.push_back({start, practitioner});
      }
    }
  }
}

// Merges the adjacent sorted runs of `items` (run i is [bounds[i], bounds[i+1])) into one
// sorted run. Stable: of equal starts, the earlier run's comes first, so runs collected in
// practitioner-id order give each start's ids sorted. Pairwise passes of std::merge cost
// O(n log runs), with no allocation once `scratch` has grown.
void merge_runs(std::vector<Candidate>& items, std::vector<std::size_t>& bounds,
                std::vector<Candidate>& scratch) {
  const auto by_start = [](const Candidate& a, const Candidate& b) { return a.start < b.start; };
  while (bounds.size() > 2) {
    scratch.resize(items.size());
    std::size_t kept = 1;
    for (std::size_t i = 0; i + 1 < bounds.size(); i += 2) {
      auto first = items.begin() + static_cast<std::ptrdiff_t>(bounds[i]);
      auto middle = items.begin() + static_cast<std::ptrdiff_t>(bounds[i + 1]);
      auto out = scratch.begin() + static_cast<std::ptrdiff_t>(bounds[i]);
      if (i + 2 < bounds.size()) {
        auto last = items.begin() + static_cast<std::ptrdiff_t>(bounds[i + 2]);
        std::merge(first, middle, middle, last, out, by_start);
        bounds[kept++] = bounds[i + 2];
      } else {
        std::copy(first, middle, out);
        bounds[kept++] = bounds[i + 1];
      }
    }
    bounds.resize(kept);
    items.swap(scratch);
  }
}

}  // namespace

LocalDate last_bookable_date(const Snapshot& snapshot, const AppointmentType& type, Instant now) {
  return local_date(snapshot.zone, now) + date::days{type.max_advance_days};
}

Result<LocalDate> last_bookable_date(const Snapshot& snapshot, std::string_view type_id,
                                     Instant now) {
  const AppointmentType* type = snapshot.find_type(type_id);
  if (!type) return unknown_type(type_id);
  return last_bookable_date(snapshot, *type, now);
}

std::string_view to_string(Refusal reason) {
  switch (reason) {
    case Refusal::kNone:
      return "";
    case Refusal::kUnknownAppointmentType:
      return "unknown_appointment_type";
    case Refusal::kUnknownPractitioner:
      return "unknown_practitioner";
    case Refusal::kInPast:
      return "in_past";
    case Refusal::kTooSoon:
      return "too_soon";
    case Refusal::kTooFar:
      return "too_far";
    case Refusal::kOutsideHours:
      return "outside_hours";
    case Refusal::kOffGrid:
      return "off_grid";
    case Refusal::kConflict:
      return "conflict";
  }
  return "";
}

std::optional<AppointmentType> resolve_type(const Snapshot& snapshot, std::string_view id,
                                            const std::optional<AdHocDuration>& ad_hoc) {
  if (ad_hoc) {
    AppointmentType type;
    type.name = "Appointment";
    type.duration_minutes = ad_hoc->duration_minutes;
    type.slot_step_minutes = ad_hoc->step_minutes;
    type.min_notice_minutes = snapshot.rules.min_notice_minutes;
    type.max_advance_days = snapshot.rules.max_advance_days;
    return type;
  }
  const AppointmentType* type = snapshot.find_type(id);
  if (!type) return std::nullopt;
  return *type;
}

Result<SlotList> list_slots(const Snapshot& snapshot, const SlotQuery& query) {
  if (auto error = check_query_range(query.start_date, query.end_date)) return *error;
  std::optional<AppointmentType> resolved =
      resolve_type(snapshot, query.appointment_type, query.ad_hoc);
  if (!resolved) return unknown_type(query.appointment_type);
  // An ad hoc duration is offered by every practitioner.
  const bool ad_hoc = query.ad_hoc.has_value();
  std::vector<std::uint32_t> who;
  if (query.practitioner_id) {
    const Practitioner* p = snapshot.find_practitioner(*query.practitioner_id);
    if (!p || !(ad_hoc || p->offers(resolved->id))) {
      return make_error(
          ErrorCode::kUnknownPractitioner,
          "no practitioner \"" + *query.practitioner_id + "\" offering \"" + resolved->id + "\"");
    }
    who.push_back(static_cast<std::uint32_t>(p - snapshot.practitioners.data()));
  } else {
    for (std::uint32_t i = 0; i < snapshot.practitioners.size(); ++i) {
      if (ad_hoc || snapshot.practitioners[i].offers(resolved->id)) who.push_back(i);
    }
  }

  SlotList list;
  list.type = std::move(*resolved);
  const AppointmentType* type = &list.type;
  const BookingWindow window(snapshot, *type, query.now);
  const LocalDate last = std::min(query.end_date, window.last_date);
  std::vector<BusyCursor> cursors;
  cursors.reserve(who.size());
  for (std::uint32_t i : who) cursors.emplace_back(snapshot.practitioners[i].busy);

  const auto duration = Minutes{type->duration_minutes};
  std::vector<Candidate> day, scratch;
  std::vector<std::size_t> runs;
  for (LocalDate date = query.start_date; date <= last; date += date::days{1}) {
    day.clear();
    runs.assign(1, 0);
    DayClock clock(snapshot.zone, date);
    for (std::size_t k = 0; k < who.size(); ++k) {
      collect_day(snapshot, *type, window, who[k], date, clock, cursors[k], day);
      if (day.size() > runs.back()) runs.push_back(day.size());
    }
    if (day.empty()) continue;
    merge_runs(day, runs, scratch);
    SlotDay slot_day{date, static_cast<std::uint32_t>(list.slots.size()), 0};
    for (std::size_t i = 0; i < day.size();) {
      Slot slot{day[i].start, day[i].start + duration,
                static_cast<std::uint32_t>(list.practitioners.size()), 0};
      for (; i < day.size() && day[i].start == slot.start; ++i) {
        list.practitioners.push_back(day[i].practitioner);
        ++slot.practitioner_count;
      }
      list.slots.push_back(slot);
      ++slot_day.slot_count;
    }
    list.days.push_back(slot_day);
  }
  return list;
}

Refusal validate_booking(const Snapshot& snapshot, const BookingRequest& request) {
  std::optional<AppointmentType> resolved =
      resolve_type(snapshot, request.appointment_type, request.ad_hoc);
  if (!resolved) return Refusal::kUnknownAppointmentType;
  const AppointmentType* type = &*resolved;
  const Practitioner* p = snapshot.find_practitioner(request.practitioner_id);
  if (!p || !(request.ad_hoc || p->offers(type->id))) return Refusal::kUnknownPractitioner;

  const BookingWindow window(snapshot, *type, request.now);
  const LocalDate date = local_date(snapshot.zone, request.start);
  if (Refusal timing = timing_refusal(window, date, request.start); timing != Refusal::kNone) {
    return timing;
  }
  // Hours and grid come before occupancy in the contract's order of reasons.
  const Minutes duration{type->duration_minutes};
  const Micros step = Minutes{type->slot_step_minutes};
  DayClock clock(snapshot.zone, date);
  for (const HoursInterval& hours : snapshot.hours_on(*p, date)) {
    Window w = interval_window(clock, hours);
    if (request.start < w.start || request.start + duration > w.end) continue;
    if ((request.start - w.start) % step != Micros::zero()) return Refusal::kOffGrid;
    BusyCursor busy(p->busy);
    return occupancy_refusal(*type, request.start, busy);
  }
  return Refusal::kOutsideHours;
}

}  // namespace slotbook
