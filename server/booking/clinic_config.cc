#include "booking/clinic_config.h"

#include "booking/hold_rules.h"
#include "slotbook/json_api.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace slotbook::server {
namespace {

constexpr std::size_t kMaxName = 255;

// `config` with each appointment type's and practitioner's per-language `name` replaced by
// its plain form (in_language("")), the languages kept in the maps by id.
Expected<nlohmann::json> with_plain_names(
    const nlohmann::json& config, std::map<std::string, LocalizedText>& type_names,
    std::map<std::string, LocalizedText>& practitioner_names) {
  nlohmann::json out = config;
  for (const auto& [list, names] : {std::pair{"appointment_types", &type_names},
                                    std::pair{"practitioners", &practitioner_names}}) {
    auto items = out.find(list);
    if (items == out.end() || !items->is_array()) continue;  // the engine says what is wrong
    for (std::size_t i = 0; i < items->size(); ++i) {
      nlohmann::json& item = (*items)[i];
      if (!item.is_object() || !item.contains("name") || !item["name"].is_object()) continue;
      const std::string field = std::string(list) + "[" + std::to_string(i) + "].name";
      auto name = LocalizedText::from_json(item["name"], field, kMaxName);
      if (!name.ok()) return name.error();
      item["name"] = name->in_language("");
      if (item.contains("id") && item["id"].is_string()) {
        (*names)[item["id"].get<std::string>()] = std::move(*name);
      }
    }
  }
  return out;
}

}  // namespace

Expected<ClinicConfig> ClinicConfig::from_json(nlohmann::json config, const ZoneSource& zones,
                                               std::int64_t version) {
  if (!config.is_object()) {
    return invalid("invalid_clinic_config", "the clinic configuration must be a JSON object");
  }
  config.erase("busy");
  config.erase("zone_rules");
  // The engine reads names as plain strings; names per language are the server's.
  std::map<std::string, LocalizedText> type_names, practitioner_names;
  auto plain = with_plain_names(config, type_names, practitioner_names);
  if (!plain.ok()) return plain.error();
  auto checked = parse_snapshot(*plain, &zones);
  if (!checked.ok()) return invalid("invalid_clinic_config", checked.error().message);
  std::vector<std::string> type_ids;
  for (const AppointmentType& type : checked->appointment_types) type_ids.push_back(type.id);
  auto questions = parse_intake_questions(config, type_ids);
  if (!questions.ok()) return questions.error();
  auto hold_minutes = parse_hold_minutes(config);
  if (!hold_minutes.ok()) return hold_minutes.error();
  auto notifications = parse_clinic_notifications(config);
  if (!notifications.ok()) return notifications.error();
  auto calendars = parse_clinic_calendars(config);
  if (!calendars.ok()) return calendars.error();
  auto change_policy = parse_change_policy(config);
  if (!change_policy.ok()) return change_policy.error();
  auto publishing = parse_clinic_publishing(config, change_policy->phone);
  if (!publishing.ok()) return publishing.error();
  ClinicConfig out;
  out.notifications_ = std::move(*notifications);
  out.calendars_ = std::move(*calendars);
  out.change_policy_ = std::move(*change_policy);
  out.publishing_ = std::move(*publishing);
  out.questions_ = std::move(*questions);
  out.hold_minutes_ = *hold_minutes;
  out.type_names_ = std::move(type_names);
  out.practitioner_names_ = std::move(practitioner_names);
  out.json_ = std::move(config);
  out.checked_ = std::move(checked).value();
  out.version_ = version;
  return out;
}

nlohmann::json ClinicConfig::public_json() const {
  nlohmann::json out = json_;
  out.erase("notifications");
  for (nlohmann::json& practitioner : out["practitioners"]) {
    for (const char* field : kPrivatePractitionerFields) practitioner.erase(field);
  }
  // Plain names for the engine, each language's under `names` for the widget.
  auto spell_out = [](nlohmann::json& list, const std::map<std::string, LocalizedText>& names) {
    for (nlohmann::json& item : list) {
      const auto it = item.is_object() ? names.find(item.value("id", "")) : names.end();
      if (it == names.end()) continue;
      item["name"] = it->second.in_language("");
      item["names"] = it->second.languages_json();
    }
  };
  spell_out(out["appointment_types"], type_names_);
  spell_out(out["practitioners"], practitioner_names_);
  return out;
}

ClinicConfig ClinicConfig::with_version(std::int64_t version) const {
  ClinicConfig out = *this;
  out.version_ = version;
  return out;
}

std::optional<Instant> ClinicConfig::wall_time(LocalTime local) const {
  const Instant instant = checked_.zone.to_instant(local);
  if (checked_.zone.to_local(instant) != local) return std::nullopt;
  return instant;
}

std::string ClinicConfig::skipped_wall_time_message(LocalTime local) const {
  return format_date(date::floor<date::days>(local)) + " " + format_hh_mm(local) +
         " does not occur in " + timezone() + " (the clocks skip it)";
}

TimeWindow ClinicConfig::occupancy(const BookingRecord& booking) const {
  std::chrono::minutes before{0}, after{0};
  if (!booking.appointment_type.empty()) {
    if (const AppointmentType* type = checked_.find_type(booking.appointment_type)) {
      before = std::chrono::minutes(type->buffer_before_minutes);
      after = std::chrono::minutes(type->buffer_after_minutes);
    }
  }
  return {booking.start_utc - before, booking.end_utc + after};
}

int ClinicConfig::horizon_days() const {
  int days = 0;
  for (const auto& type : checked_.appointment_types) days = std::max(days, type.max_advance_days);
  return days;
}

std::chrono::minutes ClinicConfig::max_buffer_before() const {
  int minutes = 0;
  for (const auto& type : checked_.appointment_types) {
    minutes = std::max(minutes, type.buffer_before_minutes);
  }
  return std::chrono::minutes(minutes);
}

std::chrono::minutes ClinicConfig::max_buffer_after() const {
  int minutes = 0;
  for (const auto& type : checked_.appointment_types) {
    minutes = std::max(minutes, type.buffer_after_minutes);
  }
  return std::chrono::minutes(minutes);
}

Expected<std::string> ClinicConfig::resolve_type(std::string_view id_or_name) const {
  if (checked_.find_type(id_or_name)) return std::string(id_or_name);
  auto lower = [](std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  const std::string wanted = lower(id_or_name);
  std::vector<std::string> matches;
  for (const AppointmentType& type : checked_.appointment_types) {
    if (!type.name.empty() && lower(type.name) == wanted) matches.push_back(type.id);
  }
  if (matches.size() > 1) {
    return invalid("ambiguous_appointment_type", "appointment types " + matches[0] + " and " +
                                                     matches[1] + " are both named '" +
                                                     std::string(id_or_name) + "': use the id");
  }
  return matches.empty() ? std::string(id_or_name) : matches.front();
}

std::string ClinicConfig::practitioner_name(std::string_view id, std::string_view language) const {
  if (const auto it = practitioner_names_.find(std::string(id)); it != practitioner_names_.end()) {
    return it->second.in_language(language);
  }
  const Practitioner* p = checked_.find_practitioner(id);
  return p && !p->name.empty() ? p->name : std::string(id);
}

std::string ClinicConfig::type_name(std::string_view id, std::string_view language) const {
  if (const auto it = type_names_.find(std::string(id)); it != type_names_.end()) {
    return it->second.in_language(language);
  }
  const AppointmentType* t = checked_.find_type(id);
  return t && !t->name.empty() ? t->name : std::string(id);
}

}  // namespace slotbook::server
