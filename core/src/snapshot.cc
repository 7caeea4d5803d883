// Snapshot parsing: every rule of engine-contract.md's "Inputs" and "Fine print" that concerns the
// snapshot is checked here, once, so the engine itself can assume a valid clinic.
#include "slotbook/snapshot.h"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "json_fields.h"
#include "slotbook/json_api.h"

namespace slotbook {
namespace {

using internal::Fields;
using nlohmann::json;

constexpr ErrorCode kCode = ErrorCode::kInvalidSnapshot;
constexpr const char* kWeekdayKeys[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

Error snapshot_error(const std::string& message) { return make_error(kCode, message); }

// One day's hours: [{"start": "HH:MM", "end": "HH:MM"}, ...], sorted on return.
std::optional<Error> parse_day_hours(const json& list, const std::string& where, DayHours& out) {
  if (!list.is_array()) return snapshot_error(where + " must be an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string item = where + "[" + std::to_string(i) + "]";
    Fields fields(list[i], kCode, item);
    std::string start_text = fields.string("start");
    std::string end_text = fields.string("end");
    if (fields.failed()) return fields.error();
    auto start = parse_time_of_day(start_text);
    auto end = parse_time_of_day(end_text);
    if (!start || *start == 24 * 60) {
      return snapshot_error(item + ".start must be a time HH:MM from 00:00 to 23:59");
    }
    if (!end) return snapshot_error(item + ".end must be a time HH:MM from 00:00 to 24:00");
    if (*end <= *start) return snapshot_error(item + " must end after it starts");
    out.push_back({*start, *end});
  }
  std::sort(out.begin(), out.end(), [](const HoursInterval& a, const HoursInterval& b) {
    return a.start_minute < b.start_minute;
  });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].start_minute < out[i - 1].end_minute) {
      return snapshot_error(where + " has overlapping intervals");
    }
  }
  return std::nullopt;
}

std::optional<Error> parse_dates(const json* list, const std::string& where,
                                 std::vector<LocalDate>& out) {
  if (!list) return std::nullopt;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    std::optional<LocalDate> date;
    if (item.is_string()) date = parse_date(item.get_ref<const std::string&>());
    if (!date) {
      return snapshot_error(where + "[" + std::to_string(i) + "] must be a date YYYY-MM-DD");
    }
    out.push_back(*date);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return std::nullopt;
}

std::optional<Error> parse_types(const json& list, const ClinicRules& rules,
                                 std::vector<AppointmentType>& out) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    Fields fields(list[i], kCode, "appointment_types[" + std::to_string(i) + "]");
    AppointmentType type;
    type.id = fields.string("id");
    type.name = fields.optional_string("name").value_or("");
    type.duration_minutes = fields.integer("duration_minutes", 1, kMaxDurationMinutes, {});
    type.buffer_before_minutes = fields.integer("buffer_before_minutes", 0, kMaxBufferMinutes, 0);
    type.buffer_after_minutes = fields.integer("buffer_after_minutes", 0, kMaxBufferMinutes, 0);
    type.slot_step_minutes =
        fields.integer("slot_step_minutes", 1, kMaxStepMinutes, type.duration_minutes);
    type.min_notice_minutes =
        fields.integer("min_notice_minutes", 0, kMaxMinNoticeMinutes, rules.min_notice_minutes);
    type.max_advance_days =
        fields.integer("max_advance_days", 0, kMaxAdvanceDaysLimit, rules.max_advance_days);
    if (fields.failed()) return fields.error();
    for (const auto& other : out) {
      if (other.id == type.id)
        return snapshot_error("duplicate appointment type id \"" + type.id + "\"");
    }
    out.push_back(std::move(type));
  }
  return std::nullopt;
}

std::optional<Error> parse_practitioner(const json& item, const std::string& where,
                                        Practitioner& p) {
  Fields fields(item, kCode, where);
  p.id = fields.string("id");
  p.name = fields.optional_string("name").value_or("");
  const json* types = fields.array("appointment_types", true);
  const json* weekly = fields.object("weekly_hours", false);
  const json* overrides = fields.array("overrides", false);
  if (fields.failed()) return fields.error();
  if (p.id == "any") return snapshot_error(where + ".id \"any\" is reserved");

  for (std::size_t i = 0; i < types->size(); ++i) {
    const json& type = (*types)[i];
    if (!type.is_string()) {
      return snapshot_error(where + ".appointment_types[" + std::to_string(i) +
                            "] must be a string");
    }
    p.appointment_types.push_back(type.get<std::string>());
  }
  if (weekly) {
    for (const auto& [key, hours] : weekly->items()) {
      auto day = std::find(std::begin(kWeekdayKeys), std::end(kWeekdayKeys), key);
      if (day == std::end(kWeekdayKeys)) {
        return snapshot_error(where + ".weekly_hours has an unknown day \"" + key +
                              "\" (expected monday..sunday in lower case)");
      }
      if (auto error = parse_day_hours(hours, where + ".weekly_hours." + key,
                                       p.weekly_hours[day - std::begin(kWeekdayKeys)])) {
        return error;
      }
    }
  }
  if (overrides) {
    for (std::size_t i = 0; i < overrides->size(); ++i) {
      std::string item_where = where + ".overrides[" + std::to_string(i) + "]";
      Fields override_fields((*overrides)[i], kCode, item_where);
      std::string date_text = override_fields.string("date");
      const json* hours = override_fields.array("hours", true);
      if (override_fields.failed()) return override_fields.error();
      auto date = parse_date(date_text);
      if (!date) return snapshot_error(item_where + ".date must be a date YYYY-MM-DD");
      DayHours day;
      if (auto error = parse_day_hours(*hours, item_where + ".hours", day)) return error;
      if (!p.overrides.emplace(*date, std::move(day)).second) {
        return snapshot_error(where + " has two overrides for " + date_text);
      }
    }
  }
  return std::nullopt;
}

// The contract's busy intervals, added to their practitioners' busy time (parse_snapshot
// then merges it into sorted disjoint runs: two overlapping or touching intervals occupy
// exactly the time their union does).
std::optional<Error> parse_busy(const json* list, std::vector<Practitioner>& practitioners,
                                const Snapshot& snapshot) {
  if (!list) return std::nullopt;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string where = "busy[" + std::to_string(i) + "]";
    Fields fields((*list)[i], kCode, where);
    std::string practitioner_id = fields.string("practitioner_id");
    std::string start_text = fields.string("start");
    std::string end_text = fields.string("end");
    if (fields.failed()) return fields.error();
    auto start = parse_instant(start_text);
    auto end = parse_instant(end_text);
    if (!start || !end) return snapshot_error(where + " start and end must be RFC 3339 instants");
    if (*end <= *start) return snapshot_error(where + " must end after it starts");
    if (const Practitioner* p = snapshot.find_practitioner(practitioner_id)) {
      practitioners[static_cast<std::size_t>(p - practitioners.data())].busy.push_back(
          {*start, *end});
    }
  }
  return std::nullopt;
}

// The server's compact form of the same busy time (docs/api.md, the widget snapshot):
// [{"practitioner_id", "from": RFC 3339, "runs": [gap, length, gap, length, ...]}], whole
// seconds; each gap is counted from the previous run's end (the first from `from`). For a
// large clinic, a seventh of the text of `busy` and a sixth of its parsing.
std::optional<Error> parse_busy_runs(const json* list, std::vector<Practitioner>& practitioners,
                                     const Snapshot& snapshot) {
  if (!list) return std::nullopt;
  // Ten years of seconds: no gap or length of a real calendar comes near, and sums of
  // them stay far inside an Instant's range.
  constexpr std::int64_t kMaxSeconds = std::int64_t{10} * 366 * 24 * 3600;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string where = "busy_runs[" + std::to_string(i) + "]";
    Fields fields((*list)[i], kCode, where);
    std::string practitioner_id = fields.string("practitioner_id");
    std::string from_text = fields.string("from");
    const json* runs = fields.array("runs", true);
    if (fields.failed()) return fields.error();
    auto at = parse_instant(from_text);
    if (!at) return snapshot_error(where + ".from must be an RFC 3339 instant");
    if (runs->size() % 2 != 0) {
      return snapshot_error(where + ".runs must hold pairs of gap and length");
    }
    const Practitioner* p = snapshot.find_practitioner(practitioner_id);
    std::vector<BusyInterval>* busy =
        p ? &practitioners[static_cast<std::size_t>(p - practitioners.data())].busy : nullptr;
    for (std::size_t k = 0; k < runs->size(); k += 2) {
      auto gap = internal::as_int64((*runs)[k]);
      auto length = internal::as_int64((*runs)[k + 1]);
      if (!gap || !length || *gap < 0 || *length <= 0 || *gap > kMaxSeconds ||
          *length > kMaxSeconds) {
        return snapshot_error(where + ".runs[" + std::to_string(k) +
                              "] must be a gap >= 0 and a length > 0, in whole seconds");
      }
      const Instant start = *at + Seconds(*gap);
      *at = start + Seconds(*length);
      if (busy) busy->push_back({start, *at});
    }
  }
  return std::nullopt;
}

Result<ZoneRules> resolve_zone(const json& snapshot, const std::string& timezone,
                               const ZoneSource* zones) {
  auto embedded = snapshot.find("zone_rules");
  if (embedded != snapshot.end()) {
    auto rules = ZoneRules::from_json(*embedded);
    if (rules.ok() && rules->name() != timezone) {
      return snapshot_error("zone_rules are for \"" + rules->name() +
                            "\" but clinic.timezone is \"" + timezone + "\"");
    }
    return rules;
  }
  if (!zones) {
    return snapshot_error(
        "the snapshot carries no zone_rules and this build has no tz database; "
        "serve snapshots prepared with `slot-engine prepare`");
  }
  return zones->rules_for(timezone);
}

}  // namespace

void normalize_busy(std::vector<BusyInterval>& busy) {
  std::sort(busy.begin(), busy.end(),
            [](const BusyInterval& a, const BusyInterval& b) { return a.start < b.start; });
  std::size_t merged = 0;
  for (std::size_t i = 0; i < busy.size(); ++i) {
    if (merged > 0 && busy[i].start <= busy[merged - 1].end) {
      busy[merged - 1].end = std::max(busy[merged - 1].end, busy[i].end);
    } else {
      busy[merged++] = busy[i];
    }
  }
  busy.resize(merged);
}

Snapshot with_busy(const Snapshot& base, const std::vector<PractitionerBusy>& busy,
                   const std::vector<std::string>* only) {
  Snapshot out;
  out.clinic_id = base.clinic_id;
  out.clinic_name = base.clinic_name;
  out.zone = base.zone;
  out.rules = base.rules;
  out.closed_dates = base.closed_dates;
  out.appointment_types = base.appointment_types;
  for (const Practitioner& p : base.practitioners) {  // sorted by id, and stays so
    if (!only || std::find(only->begin(), only->end(), p.id) != only->end()) {
      out.practitioners.push_back(p);
    }
  }
  std::vector<bool> touched(out.practitioners.size(), false);
  for (const PractitionerBusy& entry : busy) {
    if (const Practitioner* p = out.find_practitioner(entry.practitioner_id)) {
      const auto index = static_cast<std::size_t>(p - out.practitioners.data());
      out.practitioners[index].busy.push_back(entry.interval);
      touched[index] = true;
    }
  }
  for (std::size_t i = 0; i < touched.size(); ++i) {
    if (touched[i]) normalize_busy(out.practitioners[i].busy);
  }
  return out;
}

bool Practitioner::offers(std::string_view type_id) const {
  return std::find(appointment_types.begin(), appointment_types.end(), type_id) !=
         appointment_types.end();
}

const AppointmentType* Snapshot::find_type(std::string_view id) const {
  for (const auto& type : appointment_types) {
    if (type.id == id) return &type;
  }
  return nullptr;
}

const Practitioner* Snapshot::find_practitioner(std::string_view id) const {
  auto it =
      std::lower_bound(practitioners.begin(), practitioners.end(), id,
                       [](const Practitioner& p, std::string_view key) { return p.id < key; });
  return it != practitioners.end() && it->id == id ? &*it : nullptr;
}

bool Snapshot::is_closed(LocalDate date) const {
  return std::binary_search(closed_dates.begin(), closed_dates.end(), date);
}

const DayHours& Snapshot::hours_on(const Practitioner& p, LocalDate date) const {
  static const DayHours kClosed;
  if (is_closed(date)) return kClosed;
  if (auto it = p.overrides.find(date); it != p.overrides.end()) return it->second;
  return p.weekly_hours[weekday_index(date)];
}

Result<Snapshot> parse_snapshot(const json& input, const ZoneSource* zones) {
  Fields top(input, kCode, "snapshot");
  const json* clinic = top.object("clinic", true);
  const json* rules_json = top.object("rules", false);
  const json* types = top.array("appointment_types", true);
  const json* practitioners = top.array("practitioners", true);
  const json* busy = top.array("busy", false);
  const json* busy_runs = top.array("busy_runs", false);
  if (top.failed()) return top.error();

  Snapshot snapshot{};
  Fields clinic_fields(*clinic, kCode, "clinic");
  snapshot.clinic_id = clinic_fields.string("id");
  snapshot.clinic_name = clinic_fields.optional_string("name").value_or("");
  std::string timezone = clinic_fields.string("timezone");
  const json* closed = clinic_fields.array("closed_dates", false);
  if (clinic_fields.failed()) return clinic_fields.error();
  if (auto error = parse_dates(closed, "clinic.closed_dates", snapshot.closed_dates)) return *error;

  ClinicRules& rules = snapshot.rules;
  if (rules_json) {
    Fields rule_fields(*rules_json, kCode, "rules");
    rules.min_notice_minutes = rule_fields.integer("min_notice_minutes", 0, kMaxMinNoticeMinutes,
                                                   kDefaultMinNoticeMinutes);
    rules.max_advance_days =
        rule_fields.integer("max_advance_days", 0, kMaxAdvanceDaysLimit, kDefaultMaxAdvanceDays);
    if (rule_fields.failed()) return rule_fields.error();
  }
  if (auto error = parse_types(*types, rules, snapshot.appointment_types)) return *error;

  for (std::size_t i = 0; i < practitioners->size(); ++i) {
    Practitioner p;
    if (auto error = parse_practitioner((*practitioners)[i],
                                        "practitioners[" + std::to_string(i) + "]", p)) {
      return *error;
    }
    snapshot.practitioners.push_back(std::move(p));
  }
  std::sort(snapshot.practitioners.begin(), snapshot.practitioners.end(),
            [](const Practitioner& a, const Practitioner& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < snapshot.practitioners.size(); ++i) {
    if (snapshot.practitioners[i].id == snapshot.practitioners[i - 1].id) {
      return snapshot_error("duplicate practitioner id \"" + snapshot.practitioners[i].id + "\"");
    }
  }
  if (auto error = parse_busy(busy, snapshot.practitioners, snapshot)) return *error;
  if (auto error = parse_busy_runs(busy_runs, snapshot.practitioners, snapshot)) return *error;
  for (Practitioner& p : snapshot.practitioners) normalize_busy(p.busy);

  auto zone = resolve_zone(input, timezone, zones);
  if (!zone.ok()) return zone.error();
  snapshot.zone = std::move(zone).value();
  return snapshot;
}

}  // namespace slotbook
