#include "calendars/ics_feed.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <libical/ical.h>

namespace slotbook::server {
namespace {

using WallToUtc = std::function<date::sys_seconds(date::local_seconds)>;

// Recurrence iterator steps per call, counting those before the window: bounds hostile rules
// such as FREQ=SECONDLY;COUNT=2000000000 (rules without COUNT skip ahead to the window).
constexpr std::int64_t kMaxRecurrenceSteps = 200000;
// Longer events are clamped: the span is clipped to the window anyway, and icaltime_adjust
// takes an int.
constexpr std::int64_t kMaxLengthDays = 40000;
constexpr std::int64_t kDaySeconds = 86400;

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
struct IteratorDeleter {
  void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};

std::once_flag g_init;
// libical's built-in zones are shared by every call and extend their cached transitions when
// used; recursive because an expansion under the lock converts times that take it again.
std::recursive_mutex g_builtin_mutex;

void init_libical() {
  std::call_once(g_init, [] {
    (void)icaltimezone_get_utc_timezone();
    (void)icaltimezone_get_builtin_timezones();
  });
}

Failure bad(std::string why) { return invalid("invalid_ics", std::move(why)); }

// How the wall-clock fields of a time map onto the UTC line.
struct Clock {
  enum Kind { kUtc, kZone, kFloating } kind = kFloating;
  icaltimezone* zone = nullptr;
  bool builtin = false;
};

date::local_seconds local_of(const icaltimetype& t) {
  const date::local_days day{date::year{t.year} / static_cast<unsigned>(t.month) /
                             static_cast<unsigned>(t.day)};
  if (t.is_date) return day;
  return day + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} +
         std::chrono::seconds{t.second};
}

bool same_fields(const icaltimetype& a, const icaltimetype& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day && a.hour == b.hour &&
         a.minute == b.minute && a.second == b.second && a.is_date == b.is_date;
}

class FeedReader {
 public:
  FeedReader(date::sys_seconds from, date::sys_seconds to, const WallToUtc& wall_to_utc,
             const FeedLimits& limits)
      : from_(from), to_(to), wall_to_utc_(wall_to_utc), limits_(limits) {}

  // Collects the RECURRENCE-ID instants of every override, by UID.
  std::optional<Failure> collect_overrides(icalcomponent* event) {
    icalproperty* rid = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
    icalproperty* uid = icalcomponent_get_first_property(event, ICAL_UID_PROPERTY);
    if (!rid || !uid || !icalproperty_get_uid(uid)) return std::nullopt;
    const icaltimetype t = icalproperty_get_recurrenceid(rid);
    if (icaltime_is_null_time(t)) return std::nullopt;
    Clock clock;
    if (auto failure = clock_of(event, rid, t, &clock)) return failure;
    overrides_[icalproperty_get_uid(uid)].insert(to_utc(t, clock));
    return std::nullopt;
  }

  std::optional<Failure> add_event(icalcomponent* event) {
    if (icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED) return std::nullopt;
    icalproperty* transp = icalcomponent_get_first_property(event, ICAL_TRANSP_PROPERTY);
    if (transp && icalproperty_get_transp(transp) == ICAL_TRANSP_TRANSPARENT) return std::nullopt;
    icalproperty* start_prop = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    if (!start_prop) return std::nullopt;
    const icaltimetype start = icalproperty_get_dtstart(start_prop);
    if (icaltime_is_null_time(start)) return std::nullopt;
    Clock clock;
    if (auto failure = clock_of(event, start_prop, start, &clock)) return failure;
    Length length;
    if (auto failure = length_of(event, start, clock, &length)) return failure;
    if (length.days < 0 || length.seconds < 0 || (length.days == 0 && length.seconds == 0)) {
      return std::nullopt;  // zero or negative length: never busy
    }

    Series series;
    const bool is_override = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
    icalproperty* uid = icalcomponent_get_first_property(event, ICAL_UID_PROPERTY);
    if (!is_override && uid && icalproperty_get_uid(uid)) {
      auto found = overrides_.find(icalproperty_get_uid(uid));
      if (found != overrides_.end()) series.overridden = &found->second;
    }
    if (auto failure = collect_exdates(event, start, &series)) return failure;

    std::unique_lock<std::recursive_mutex> lock(g_builtin_mutex, std::defer_lock);
    if (clock.builtin) lock.lock();
    emit(start, clock, length, series);
    if (error_) return error_;
    if (!is_override) {
      for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY); p;
           p = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        if (auto failure = expand_rule(icalproperty_get_rrule(p), start, clock, length, series)) {
          return failure;
        }
      }
      for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY); p;
           p = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
        if (auto failure = add_rdate(event, p, length, series)) return failure;
      }
    }
    return error_;
  }

  std::vector<FeedBusy> take_merged() {
    std::sort(spans_.begin(), spans_.end(),
              [](const FeedBusy& a, const FeedBusy& b) { return a.start < b.start; });
    std::vector<FeedBusy> merged;
    for (const FeedBusy& span : spans_) {
      if (!merged.empty() && span.start <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, span.end);
      } else {
        merged.push_back(span);
      }
    }
    return merged;
  }

 private:
  // Nominal days added in wall time, then exact seconds (RFC 5545 3.3.6).
  struct Length {
    std::int64_t days = 0;
    std::int64_t seconds = 0;
  };
  struct Series {
    const std::set<date::sys_seconds>* overridden = nullptr;
    std::set<date::sys_seconds> excluded;
    std::set<date::local_days> excluded_days;  // EXDATE;VALUE=DATE on a timed series
  };

  // The zone named by `prop`'s TZID: the feed's VTIMEZONE, else libical's built-in zone.
  std::optional<Failure> clock_of(icalcomponent* event, icalproperty* prop, const icaltimetype& t,
                                  Clock* clock) {
    *clock = Clock{};
    if (t.is_date) return std::nullopt;  // all-day: via wall_to_utc, whatever the TZID
    if (icaltime_is_utc(t)) {
      clock->kind = Clock::kUtc;
      return std::nullopt;
    }
    icalparameter* param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    const char* tzid = param ? icalparameter_get_tzid(param) : nullptr;
    if (!tzid) return std::nullopt;  // floating
    icaltimezone* zone = nullptr;
    for (icalcomponent* c = icalcomponent_get_parent(event); c && !zone;
         c = icalcomponent_get_parent(c)) {
      zone = icalcomponent_get_timezone(c, tzid);
    }
    if (!zone) {
      std::lock_guard<std::recursive_mutex> lock(g_builtin_mutex);
      zone = icaltimezone_get_builtin_timezone(tzid);
      if (!zone) zone = icaltimezone_get_builtin_timezone_from_tzid(tzid);
      clock->builtin = zone != nullptr;
    }
    if (!zone) return bad(std::string("unknown TZID \"") + tzid + "\"");
    clock->kind = zone == icaltimezone_get_utc_timezone() ? Clock::kUtc : Clock::kZone;
    clock->zone = zone;
    return std::nullopt;
  }

  date::sys_seconds to_utc(icaltimetype t, const Clock& clock) {
    if (t.is_date) return wall_to_utc_(local_of(t));
    switch (clock.kind) {
      case Clock::kUtc:
        return date::sys_seconds{local_of(t).time_since_epoch()};
      case Clock::kZone: {
        t.zone = nullptr;
        std::unique_lock<std::recursive_mutex> lock(g_builtin_mutex, std::defer_lock);
        if (clock.builtin) lock.lock();
        return date::sys_seconds{std::chrono::seconds{icaltime_as_timet_with_zone(t, clock.zone)}};
      }
      case Clock::kFloating:
        break;
    }
    return wall_to_utc_(local_of(t));
  }

  std::optional<Failure> length_of(icalcomponent* event, const icaltimetype& start,
                                   const Clock& clock, Length* length) {
    *length = Length{};
    if (icalproperty* end_prop = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
      const icaltimetype end = icalproperty_get_dtend(end_prop);
      if (start.is_date) {
        icaltimetype end_day = end;
        end_day.is_date = 1;
        length->days = (local_of(end_day) - local_of(start)).count() / kDaySeconds;
      } else {
        Clock end_clock;
        if (auto failure = clock_of(event, end_prop, end, &end_clock)) return failure;
        length->seconds = (to_utc(end, end_clock) - to_utc(start, clock)).count();
      }
    } else if (icalproperty* dur =
                   icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY)) {
      const icaldurationtype d = icalproperty_get_duration(dur);
      if (d.is_neg) return std::nullopt;  // zero length: ignored
      length->days = std::int64_t{d.weeks} * 7 + d.days;
      length->seconds = std::int64_t{d.hours} * 3600 + std::int64_t{d.minutes} * 60 + d.seconds;
    } else if (start.is_date) {
      length->days = 1;
    }
    length->days = std::min(length->days, kMaxLengthDays);
    length->seconds = std::min(length->seconds, kMaxLengthDays * kDaySeconds);
    return std::nullopt;
  }

  std::optional<Failure> collect_exdates(icalcomponent* event, const icaltimetype& start,
                                         Series* series) {
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)) {
      const icaltimetype t = icalproperty_get_exdate(p);
      if (icaltime_is_null_time(t)) continue;
      if (t.is_date && !start.is_date) {
        series->excluded_days.insert(date::floor<date::days>(local_of(t)));
        continue;
      }
      Clock clock;
      if (auto failure = clock_of(event, p, t, &clock)) return failure;
      series->excluded.insert(to_utc(t, clock));
    }
    return std::nullopt;
  }

  // Adds the instance starting at wall time `t`; returns its UTC start.
  date::sys_seconds emit(const icaltimetype& t, const Clock& clock, const Length& length,
                         const Series& series) {
    const date::sys_seconds start = to_utc(t, clock);
    if (series.overridden && series.overridden->count(start)) return start;
    if (series.excluded.count(start)) return start;
    if (!t.is_date && series.excluded_days.count(date::floor<date::days>(local_of(t)))) {
      return start;
    }
    date::sys_seconds end;
    if (t.is_date) {
      end = wall_to_utc_(local_of(t) + date::days{length.days});
    } else if (length.days > 0) {
      icaltimetype later = t;
      icaltime_adjust(&later, static_cast<int>(length.days), 0, 0, 0);
      end = to_utc(later, clock);
    } else {
      end = start;
    }
    end += std::chrono::seconds{length.seconds};
    add_span(start, end);
    return start;
  }

  void add_span(date::sys_seconds start, date::sys_seconds end) {
    if (end <= start || start >= to_ || end <= from_) return;
    spans_.push_back({std::max(start, from_), std::min(end, to_)});
    if (spans_.size() > limits_.max_intervals && !error_) {
      error_ = bad("too many busy spans in the window (more than " +
                   std::to_string(limits_.max_intervals) + ")");
    }
  }

  std::optional<Failure> expand_rule(const icalrecurrencetype& rule, icaltimetype start,
                                     const Clock& clock, const Length& length,
                                     const Series& series) {
    start.zone = clock.kind == Clock::kZone  ? clock.zone
                 : clock.kind == Clock::kUtc ? icaltimezone_get_utc_timezone()
                                             : nullptr;
    std::unique_ptr<icalrecur_iterator, IteratorDeleter> it(icalrecur_iterator_new(rule, start));
    if (!it) return std::nullopt;  // libical rejects the rule: only DTSTART remains
    // Without COUNT the instances before the window need not be counted: skip to a little
    // before it (an instance that started earlier may still be running).
    const std::int64_t reach = length.days * kDaySeconds + length.seconds + 2 * kDaySeconds;
    const date::sys_seconds first = to_utc(start, clock);
    const date::sys_seconds skip_to = from_ - std::chrono::seconds{reach};
    if (rule.count == 0 && skip_to > first) {
      icaltimetype hint = icaltime_from_timet_with_zone(
          static_cast<time_t>(skip_to.time_since_epoch().count()), start.is_date,
          clock.kind == Clock::kZone ? clock.zone : icaltimezone_get_utc_timezone());
      hint.zone = start.zone;
      (void)icalrecur_iterator_set_start(it.get(), hint);
    }
    while (true) {
      if (++steps_ > kMaxRecurrenceSteps) {
        return bad("recurrences need more than " + std::to_string(kMaxRecurrenceSteps) +
                   " expansion steps");
      }
      const icaltimetype next = icalrecur_iterator_next(it.get());
      if (icaltime_is_null_time(next)) break;
      if (same_fields(next, start)) continue;  // DTSTART is emitted on its own
      if (emit(next, clock, length, series) >= to_) break;
      if (error_) return error_;
    }
    return error_;
  }

  std::optional<Failure> add_rdate(icalcomponent* event, icalproperty* p, const Length& length,
                                   const Series& series) {
    const icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
    const bool is_period = !icaltime_is_null_time(rdate.period.start);
    const icaltimetype t = is_period ? rdate.period.start : rdate.time;
    if (icaltime_is_null_time(t)) return std::nullopt;
    Clock clock;
    if (auto failure = clock_of(event, p, t, &clock)) return failure;
    if (!is_period) {
      emit(t, clock, length, series);
      return error_;
    }
    const date::sys_seconds start = to_utc(t, clock);
    if (series.overridden && series.overridden->count(start)) return std::nullopt;
    if (series.excluded.count(start)) return std::nullopt;
    date::sys_seconds end;
    if (!icaltime_is_null_time(rdate.period.end)) {
      end = to_utc(rdate.period.end, clock);
    } else {
      const icaldurationtype d = rdate.period.duration;
      if (d.is_neg) return std::nullopt;
      end = start + std::chrono::seconds{std::min<std::int64_t>(icaldurationtype_as_int(d),
                                                                kMaxLengthDays * kDaySeconds)};
    }
    add_span(start, end);
    return error_;
  }

  const date::sys_seconds from_;
  const date::sys_seconds to_;
  const WallToUtc& wall_to_utc_;
  const FeedLimits& limits_;
  std::map<std::string, std::set<date::sys_seconds>> overrides_;
  std::vector<FeedBusy> spans_;
  std::int64_t steps_ = 0;
  std::optional<Failure> error_;
};

// The VCALENDARs of a parsed text: the root itself, or the children of the XROOT libical
// makes when the text holds several.
std::vector<icalcomponent*> calendars_of(icalcomponent* root) {
  std::vector<icalcomponent*> out;
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
    out.push_back(root);
  } else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) {
    for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<icalcomponent*> events_of(const std::vector<icalcomponent*>& calendars) {
  std::vector<icalcomponent*> out;
  for (icalcomponent* calendar : calendars) {
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Expected<std::vector<FeedBusy>> feed_busy(std::string_view ics, date::sys_seconds from,
                                          date::sys_seconds to, const WallToUtc& wall_to_utc,
                                          const FeedLimits& limits) {
  if (ics.size() > limits.max_bytes) {
    return bad("feed larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  if (ics.find('\0') != std::string_view::npos) return bad("feed contains a NUL byte");
  init_libical();
  const std::string text(ics);  // libical wants a NUL-terminated string
  std::unique_ptr<icalcomponent, ComponentDeleter> root(icalparser_parse_string(text.c_str()));
  if (!root) return bad("not an iCalendar text");
  const std::vector<icalcomponent*> calendars = calendars_of(root.get());
  if (calendars.empty()) return bad("no VCALENDAR in the feed");
  if (to <= from) return std::vector<FeedBusy>{};

  FeedReader reader(from, to, wall_to_utc, limits);
  const std::vector<icalcomponent*> events = events_of(calendars);
  for (icalcomponent* event : events) {
    if (auto failure = reader.collect_overrides(event)) return *failure;
  }
  for (icalcomponent* event : events) {
    if (auto failure = reader.add_event(event)) return *failure;
  }
  return reader.take_merged();
}

}  // namespace slotbook::server
