#include "publish/smart_scheduling.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "slotbook/engine.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

using Json = nlohmann::ordered_json;  // resources in the specification's field order

// The letters and digits of `text`, at most `max` of them ("x" when none): the readable
// part of an id, which a hash then makes unique.
std::string readable(const std::string& text, std::size_t max) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) && out.size() < max) out += static_cast<char>(c);
  }
  return out.empty() ? "x" : out;
}

std::string hashed(const std::string& text, std::size_t hex_digits) {
  return sha256_hex(text).substr(0, hex_digits);
}

// The civil date and time of `seconds` since the epoch (UTC, or local with an offset
// added), without iostreams: tens of thousands of Slots are written per generation.
struct CivilTime {
  int year;
  unsigned month, day, hour, minute, second;
};
CivilTime civil(date::sys_seconds seconds) {
  const auto day = date::floor<date::days>(seconds);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<Seconds> time(seconds - day);
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          static_cast<unsigned>(time.hours().count()),
          static_cast<unsigned>(time.minutes().count()),
          static_cast<unsigned>(time.seconds().count())};
}

// "2027-01-12T10:00:00-05:00": the instant in the clinic's offset at that moment, as the
// specification prefers for a Location's slots.
std::string local_timestamp(const ZoneRules& zone, Instant at) {
  const Seconds offset = zone.offset_at(at);
  const CivilTime t = civil(date::floor<Seconds>(at) + offset);
  const long minutes = static_cast<long>(offset.count() / 60);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02u:%02u:%02u%c%02ld:%02ld", t.year, t.month,
                t.day, t.hour, t.minute, t.second, minutes < 0 ? '-' : '+', std::labs(minutes) / 60,
                std::labs(minutes) % 60);
  return text;
}

// "202701121500": the start in UTC to the minute, for a Slot's id (grid starts are whole
// minutes).
std::string utc_minute(Instant at) {
  const CivilTime t = civil(date::floor<Seconds>(at));
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02u%02u%02u%02u", t.year, t.month, t.day, t.hour,
                t.minute);
  return text;
}

// "2027-01-12T15:00:00Z" (format_instant without iostreams, for whole seconds).
std::string utc_text(Instant at) {
  const CivilTime t = civil(date::floor<Seconds>(at));
  char text[24];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02u:%02u:%02uZ", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return text;
}

Json coding_json(const ServiceTypeCoding& coding, const std::string& type_name) {
  return {{"coding",
           Json::array({{{"system", coding.system},
                         {"code", coding.code},
                         {"display", coding.display.empty() ? type_name : coding.display}}})}};
}

// The clinic as a Location: its identifier under `identifier_system` (none when empty), its
// phone and booking page as telecom.
std::string location_line(const ClinicConfig& clinic, const std::string& identifier_system) {
  const ClinicPublishing& p = clinic.publishing();
  Json address = Json::object();
  if (p.address) {
    address["line"] = p.address->line;
    address["city"] = p.address->city;
    address["state"] = p.address->state;
    address["postalCode"] = p.address->postal_code;
    if (!p.address->district.empty()) address["district"] = p.address->district;
    if (!p.address->country.empty()) address["country"] = p.address->country;
  }
  Json location = {{"resourceType", "Location"}, {"id", location_id(clinic.id())}};
  if (!identifier_system.empty()) {
    location["identifier"] = Json::array({{{"system", identifier_system}, {"value", clinic.id()}}});
  }
  location["name"] = clinic.checked().clinic_name;
  location["telecom"] = Json::array({{{"system", "phone"}, {"value", clinic.change_policy().phone}},
                                     {{"system", "url"}, {"value", p.booking_url}}});
  location["address"] = std::move(address);
  if (!p.description.empty()) location["description"] = p.description;
  if (p.position) {
    location["position"] = {{"latitude", p.position->latitude},
                            {"longitude", p.position->longitude}};
  }
  return location.dump() + "\n";
}

// One schedule: an appointment type across practitioners (practitioner empty) or one
// practitioner's.
struct ScheduleScope {
  const AppointmentType* type;
  const Practitioner* practitioner;  // null: any
  std::string id;
};

std::string schedule_line(const ClinicConfig& clinic, const ScheduleScope& scope) {
  const std::string type_name = clinic.type_name(scope.type->id);
  Json actors = Json::array({{{"reference", "Location/" + location_id(clinic.id())},
                              {"display", clinic.checked().clinic_name}}});
  if (scope.practitioner) {
    actors.push_back({{"reference", "Practitioner/" + scope.practitioner->id},
                      {"display", clinic.practitioner_name(scope.practitioner->id)}});
  }
  Json schedule = {
      {"resourceType", "Schedule"},
      {"id", scope.id},
      {"serviceType",
       Json::array({coding_json(clinic.publishing().service_type_of(scope.type->id), type_name)})},
      {"actor", std::move(actors)},
  };
  return schedule.dump() + "\n";
}

// Every start of `scope` on the engine's grid from `now` to the horizon (at most
// kMaxPublishedDays), in order, each with whether the occupied clinic lists it free.
template <typename Each>
void for_each_grid_start(const Snapshot& grid, const Snapshot& occupied, const ScheduleScope& scope,
                         Instant now, Each&& each) {
  const LocalDate today = date::floor<date::days>(grid.zone.to_local(now));
  const LocalDate last =
      std::min(last_bookable_date(grid, *scope.type, now), today + date::days(kMaxPublishedDays));
  SlotQuery query;
  query.appointment_type = scope.type->id;
  if (scope.practitioner) query.practitioner_id = scope.practitioner->id;
  query.now = now;
  for (LocalDate from = today; from <= last; from += date::days(kMaxQueryRangeDays + 1)) {
    query.start_date = from;
    query.end_date = std::min(last, from + date::days(kMaxQueryRangeDays));
    auto all = list_slots(grid, query);
    auto free = list_slots(occupied, query);
    if (!all.ok() || !free.ok()) return;  // the scope comes from the clinic: cannot happen
    std::size_t f = 0;
    for (const Slot& slot : all->slots) {  // both in start order; free ones are grid starts
      while (f < free->slots.size() && free->slots[f].start < slot.start) ++f;
      const bool is_free = f < free->slots.size() && free->slots[f].start == slot.start;
      each(slot, is_free);
    }
  }
}

// The handle's JSON text up to its start: `["clinic","type","practitioner","`.
std::string handle_fields(const std::string& clinic_id, const std::string& type_id,
                          const std::string& practitioner_id) {
  const std::string text = nlohmann::json::array({clinic_id, type_id, practitioner_id, ""}).dump();
  return text.substr(0, text.size() - 2);  // without the empty start's `"]`
}

}  // namespace

std::string location_id(const std::string& clinic_id) {
  return readable(clinic_id, 40) + "." + hashed("location\n" + clinic_id, 12);
}

std::string schedule_id(const std::string& clinic_id, const std::string& type_id,
                        const std::string& practitioner_id) {
  std::string id = readable(clinic_id, 16) + "." + readable(type_id, 16) + ".";
  if (!practitioner_id.empty()) id += readable(practitioner_id, 12) + ".";
  return id + hashed("schedule\n" + clinic_id + "\n" + type_id + "\n" + practitioner_id, 12);
}

SmartSchedulingFiles smart_scheduling_files(const ClinicConfig& clinic, const Snapshot& occupied,
                                            Instant now, const std::string& identifier_system) {
  SmartSchedulingFiles out;
  out.locations = location_line(clinic, identifier_system);
  const Snapshot& grid = clinic.checked();
  const ClinicPublishing& publishing = clinic.publishing();
  std::vector<ScheduleScope> scopes;
  for (const AppointmentType& type : grid.appointment_types) {
    std::vector<const Practitioner*> offering;
    for (const Practitioner& p : grid.practitioners) {
      if (p.offers(type.id)) offering.push_back(&p);
    }
    if (offering.empty()) continue;  // nothing to book
    scopes.push_back({&type, nullptr, schedule_id(clinic.id(), type.id, "")});
    if (!publishing.per_practitioner) continue;
    for (const Practitioner* p : offering) {
      scopes.push_back({&type, p, schedule_id(clinic.id(), type.id, p->id)});
    }
  }
  // The deep link's JSON text up to the handle (the URL escaped once; a handle is
  // base64url, which needs no escaping).
  std::string deep_link_prefix =
      Json(publishing.booking_url +
           (publishing.booking_url.find('?') == std::string::npos ? "?" : "&") + "slot=")
          .dump();
  deep_link_prefix.pop_back();  // its closing quote
  // One deep link under both extension URLs: `,"extension":[{"url":"<hl7>","valueUrl":"<link>"},
  // {"url":"<registry>","valueUrl":"<link>"}]`, the handle spliced in after each prefix.
  const auto link_prefix = [&](const char* extension_url) {
    return "{\"url\":\"" + std::string(extension_url) + "\",\"valueUrl\":" + deep_link_prefix;
  };
  const std::string extension_prefix = ",\"extension\":[" + link_prefix(kBookingDeepLinkExtension);
  const std::string registry_prefix = "\"}," + link_prefix(kRegistryBookingDeepLinkExtension);
  for (const ScheduleScope& scope : scopes) {
    out.schedules += schedule_line(clinic, scope);
    // The fixed parts of this schedule's Slot lines, spliced: tens of thousands of lines.
    const std::string slot_id_prefix = hashed(scope.id, 16) + ".";
    const std::string reference = "\"schedule\":{\"reference\":\"Schedule/" + scope.id + "\"}";
    const std::string handle_prefix = handle_fields(
        clinic.id(), scope.type->id, scope.practitioner ? scope.practitioner->id : "any");
    for_each_grid_start(grid, occupied, scope, now, [&](const Slot& slot, bool is_free) {
      out.slots += "{\"resourceType\":\"Slot\",\"id\":\"" + slot_id_prefix +
                   utc_minute(slot.start) + "\"," + reference + ",\"status\":\"" +
                   (is_free ? "free" : "busy") + "\",\"start\":\"" +
                   local_timestamp(grid.zone, slot.start) + "\",\"end\":\"" +
                   local_timestamp(grid.zone, slot.end) + "\"";
      if (is_free) {
        // Grid starts are whole minutes: the instant's text has no fraction.
        const std::string handle = to_base64url(handle_prefix + utc_text(slot.start) + "\"]");
        out.slots += extension_prefix + handle + registry_prefix + handle + "\"}]";
      }
      out.slots += "}\n";
      ++out.slot_count;
    });
  }
  return out;
}

}  // namespace slotbook::server
