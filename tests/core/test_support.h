// Helpers shared by the engine tests: snapshots built as JSON, and the engine's JSON API
// run with the system tz database.
#ifndef SLOTBOOK_TESTS_CORE_TEST_SUPPORT_H_
#define SLOTBOOK_TESTS_CORE_TEST_SUPPORT_H_

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "slotbook/json_api.h"
#include "slotbook/system_zones.h"

namespace slotbook::test {

using nlohmann::json;

inline const SystemZoneSource& system_zones() {
  static const SystemZoneSource zones;
  return zones;
}

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

inline std::string data_path(const std::string& relative) {
  return std::string(SLOTBOOK_TEST_DATA) + "/" + relative;
}

// A one-practitioner clinic: "dr-a" offers "visit" (30 min) with the given weekly hours.
inline json basic_snapshot(const std::string& timezone = "America/New_York") {
  return json::parse(R"({
    "clinic": {"id": "c1", "name": "Clinic", "timezone": "TZ"},
    "rules": {"min_notice_minutes": 0, "max_advance_days": 365},
    "appointment_types": [{"id": "visit", "duration_minutes": 30}],
    "practitioners": [{"id": "dr-a", "appointment_types": ["visit"], "weekly_hours": {
      "monday": [{"start": "09:00", "end": "12:00"}],
      "tuesday": [{"start": "09:00", "end": "12:00"}],
      "wednesday": [{"start": "09:00", "end": "12:00"}],
      "thursday": [{"start": "09:00", "end": "12:00"}],
      "friday": [{"start": "09:00", "end": "12:00"}],
      "saturday": [{"start": "09:00", "end": "12:00"}],
      "sunday": [{"start": "09:00", "end": "12:00"}]}}]
  })")
      .patch(json::parse(R"([{"op": "replace", "path": "/clinic/timezone", "value": ")" + timezone +
                         R"("}])"));
}

inline json query(const std::string& start, const std::string& end, const std::string& now,
                  const std::string& type = "visit") {
  return {{"appointment_type", type}, {"start_date", start}, {"end_date", end}, {"now", now}};
}

inline json booking(const std::string& start, const std::string& now,
                    const std::string& practitioner = "dr-a", const std::string& type = "visit") {
  return {{"appointment_type", type},
          {"practitioner_id", practitioner},
          {"start", start},
          {"now", now}};
}

inline json run_slots(const json& snapshot, const json& q) {
  return json::parse(slots_json(snapshot.dump(), q.dump(), &system_zones()).json);
}

inline json run_validate(const json& snapshot, const json& b) {
  return json::parse(validate_json(snapshot.dump(), b.dump(), &system_zones()).json);
}

// The reason a validation gave ("ok" when accepted, the error code when it was an error).
inline std::string reason_of(const json& snapshot, const json& b) {
  json answer = run_validate(snapshot, b);
  if (answer.contains("error")) return answer["error"]["code"].get<std::string>();
  return answer["ok"].get<bool>() ? "ok" : answer["reason"].get<std::string>();
}

// The list of start_utc of every listed slot.
inline std::vector<std::string> starts_of(const json& answer) {
  std::vector<std::string> starts;
  for (const auto& day : answer["available_slots"]) {
    for (const auto& slot : day["slots"]) starts.push_back(slot["start_utc"].get<std::string>());
  }
  return starts;
}

inline std::string error_code(const json& answer) {
  return answer.contains("error") ? answer["error"]["code"].get<std::string>() : "";
}

}  // namespace slotbook::test

#endif  // SLOTBOOK_TESTS_CORE_TEST_SUPPORT_H_
