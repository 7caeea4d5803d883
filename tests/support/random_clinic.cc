#include "random_clinic.h"

#include <cstdio>

#include "slotbook/time.h"

namespace slotbook::test {

using nlohmann::json;

const std::vector<std::string>& RandomClinics::zones() {
  static const std::vector<std::string> kZones = {
      "America/New_York",   "Europe/Berlin",     "Australia/Lord_Howe",
      "America/St_Johns",   "Asia/Kolkata",      "Pacific/Chatham",
      "America/Santiago",   "Africa/Casablanca", "Asia/Kathmandu",
      "Pacific/Auckland",   "America/Sao_Paulo", "Europe/Dublin",
      "America/Havana",     "Asia/Tehran",       "UTC",
      "America/Los_Angeles"};
  return kZones;
}

std::string RandomClinics::hh_mm(int minutes) const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

json RandomClinics::day_hours() {
  // Non-overlapping intervals on a 5- or 15-minute grid; DST transitions happen between
  // 00:00 and 04:00 local in most zones, so those hours are favoured.
  json hours = json::array();
  int grain = chance(0.3) ? 5 : 15;
  int cursor = chance(0.4) ? 0 : uniform(0, 10 * 60 / grain) * grain;
  int count = uniform(1, 3);
  for (int i = 0; i < count && cursor < 24 * 60; ++i) {
    int start = cursor + (i == 0 ? 0 : uniform(0, 8) * grain);
    if (start >= 24 * 60) break;
    int end = std::min(24 * 60, start + uniform(1, 36) * grain);
    if (chance(0.1)) end = 24 * 60;
    hours.push_back({{"start", hh_mm(start)}, {"end", hh_mm(end)}});
    cursor = end;
  }
  return hours;
}

std::string RandomClinics::random_date() {
  // Within 2026-2027; half the time within days of a week in which many zones change
  // their clocks (US, EU, southern hemisphere), so DST days are common, not rare.
  static const std::vector<std::pair<unsigned, unsigned>> kTransitionWeeks = {
      {3, 8}, {3, 25}, {4, 1}, {9, 6}, {9, 24}, {10, 1}, {10, 25}, {11, 1}};
  if (chance(0.5)) {
    const auto& [month, day] = pick(kTransitionWeeks);
    date::year year{chance(0.5) ? 2026 : 2027};
    return format_date(LocalDate{year / date::month{month} / date::day{day}} +
                       date::days{uniform(-3, 6)});
  }
  return format_date(LocalDate{date::year{2026} / 1 / 1} + date::days{uniform(0, 729)});
}

std::string RandomClinics::random_instant_near(const std::string& date) {
  static const std::vector<std::string> kOffsets = {"Z", "Z", "+05:30", "-03:00", "+13:45"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%s", date.c_str(), uniform(0, 23),
                uniform(0, 11) * 5, chance(0.9) ? 0 : uniform(0, 59), pick(kOffsets).c_str());
  return buf;
}

RandomCase RandomClinics::next() {
  static const std::vector<int> kDurations = {10, 15, 20, 25, 30, 45, 50, 60, 90};
  static const std::vector<int> kSteps = {5, 10, 15, 20, 25, 30, 45, 60, 7};
  static const std::vector<int> kBuffers = {0, 5, 10, 15, 30};
  static const std::vector<std::string> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                     "friday", "saturday", "sunday"};
  RandomCase out;
  json& s = out.snapshot;
  std::string start_date = random_date();
  s["clinic"] = {{"id", "clinic-" + std::to_string(uniform(0, 999))}, {"timezone", pick(zones())}};
  if (chance(0.5)) s["clinic"]["closed_dates"] = {random_date(), start_date};
  if (chance(0.8)) {
    s["rules"] = json::object();
    if (chance(0.8))
      s["rules"]["min_notice_minutes"] = pick(std::vector<int>{0, 30, 60, 120, 1440});
    if (chance(0.8)) s["rules"]["max_advance_days"] = pick(std::vector<int>{0, 3, 14, 90, 400});
  }
  int type_count = uniform(1, 3);
  s["appointment_types"] = json::array();
  for (int t = 0; t < type_count; ++t) {
    json type = {{"id", "type-" + std::to_string(t)}, {"duration_minutes", pick(kDurations)}};
    if (chance(0.6)) type["slot_step_minutes"] = pick(kSteps);
    if (chance(0.4)) type["buffer_before_minutes"] = pick(kBuffers);
    if (chance(0.4)) type["buffer_after_minutes"] = pick(kBuffers);
    if (chance(0.2)) type["min_notice_minutes"] = uniform(0, 3000);
    if (chance(0.2)) type["max_advance_days"] = uniform(0, 30);
    s["appointment_types"].push_back(type);
  }
  int practitioner_count = uniform(1, 4);
  s["practitioners"] = json::array();
  for (int p = 0; p < practitioner_count; ++p) {
    json pr = {{"id", "pr-" + std::to_string(p)}, {"appointment_types", json::array()}};
    for (int t = 0; t < type_count; ++t) {
      if (chance(0.75)) pr["appointment_types"].push_back("type-" + std::to_string(t));
    }
    pr["weekly_hours"] = json::object();
    for (const auto& day : kWeekdays) {
      if (chance(0.7)) pr["weekly_hours"][day] = day_hours();
    }
    if (chance(0.4)) {
      pr["overrides"] = {
          {{"date", start_date}, {"hours", chance(0.3) ? json::array() : day_hours()}}};
    }
    s["practitioners"].push_back(pr);
  }
  s["busy"] = json::array();
  int busy_count = uniform(0, 12);
  for (int b = 0; b < busy_count; ++b) {
    // Busy runs of 15 minutes to 12 hours around the query's first days.
    std::string start = random_instant_near(start_date);
    Instant end = *parse_instant(start) + Minutes{uniform(1, 48) * 15};
    json entry = {{"practitioner_id", "pr-" + std::to_string(uniform(0, practitioner_count))},
                  {"start", start},
                  {"end", format_instant(end)}};
    s["busy"].push_back(entry);
  }

  json& q = out.query;
  q["appointment_type"] = "type-" + std::to_string(uniform(0, type_count - 1));
  if (chance(0.5))
    q["practitioner_id"] = chance(0.2)
                               ? json("any")
                               : json("pr-" + std::to_string(uniform(0, practitioner_count - 1)));
  q["start_date"] = start_date;
  const LocalDate first = *parse_date(start_date);
  const std::string end_date = format_date(first + date::days{uniform(0, 20)});
  q["end_date"] = end_date;
  const std::string now_date = format_date(first - date::days{uniform(0, 5)});
  q["now"] = random_instant_near(now_date);

  json& b = out.booking;
  b["appointment_type"] = q["appointment_type"];
  b["practitioner_id"] =
      "pr-" + std::to_string(chance(0.1) ? practitioner_count : uniform(0, practitioner_count - 1));
  b["start"] = random_instant_near(chance(0.5) ? start_date : end_date);
  b["now"] = q["now"];
  return out;
}

json RandomClinics::break_snapshot(json s) {
  switch (uniform(0, 9)) {
    case 0:
      s["clinic"]["timezone"] = "Nowhere/City";
      break;
    case 1:
      s["appointment_types"][0]["duration_minutes"] =
          pick(std::vector<json>{0, 481, 30.5, "30", nullptr});
      break;
    case 2:
      s["practitioners"][0]["weekly_hours"]["funday"] = json::array();
      break;
    case 3:
      s["practitioners"][0]["weekly_hours"]["monday"] = {{{"start", "10:00"}, {"end", "12:00"}},
                                                         {{"start", "11:00"}, {"end", "13:00"}}};
      break;
    case 4:
      s["practitioners"][0]["weekly_hours"]["monday"] = {{{"start", "24:00"}, {"end", "24:00"}}};
      break;
    case 5:
      s["practitioners"].push_back(s["practitioners"][0]);
      break;
    case 6:
      s["busy"] = {{{"practitioner_id", "pr-0"},
                    {"start", "2026-01-01T10:00:00Z"},
                    {"end", "2026-01-01T09:00:00Z"}}};
      break;
    case 7:
      s["clinic"].erase("id");
      break;
    case 8:
      s["rules"] = {{"min_notice_minutes", -1}};
      break;
    default:
      s["practitioners"][0]["id"] = "any";
      break;
  }
  return s;
}

json RandomClinics::break_query(json q) {
  switch (uniform(0, 5)) {
    case 0:
      q["start_date"] = "2026-02-30";
      break;
    case 1:
      q["now"] = "2026-01-01T10:00Z";
      break;
    case 2:
      q["end_date"] = "2020-01-01";
      break;
    case 3:
      q["end_date"] = "2029-01-01";
      break;
    case 4:
      q["appointment_type"] = "no-such-type";
      break;
    default:
      q["practitioner_id"] = "nobody";
      break;
  }
  return q;
}

}  // namespace slotbook::test
