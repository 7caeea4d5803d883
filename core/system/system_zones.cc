// The native seam to the outside world for time zones: reads the system tz database
// through date::tz and turns a zone into the engine's ZoneRules.
#include "slotbook/system_zones.h"

#include <date/tz.h>

#include <exception>
#include <fstream>
#include <sstream>

namespace slotbook {
namespace {

// Transitions are listed from here on; earlier instants use the offset in force at it.
// No clinic books before 1970, and it keeps a prepared snapshot small.
constexpr date::sys_days kFirstListed = date::sys_days{date::year{1970} / 1 / 1};

// Debian's libdate-tz is built with USE_OS_TZDB and reads this directory.
constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

// The POSIX TZ footer of a TZif v2+ file: the text between the last two newlines.
std::string read_footer(const std::string& zone_name) {
  std::ifstream file(kZoneInfoDir + zone_name, std::ios::binary);
  if (!file) return {};
  std::stringstream content;
  content << file.rdbuf();
  const std::string bytes = content.str();
  if (bytes.size() < 2 || bytes.back() != '\n') return {};
  auto start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return {};
  return bytes.substr(start + 1, bytes.size() - start - 2);
}

Result<ZoneRules> load(std::string_view zone_name) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(std::string(zone_name));
  } catch (const std::exception&) {
    zone = nullptr;
  }
  if (!zone) {
    return make_error(ErrorCode::kInvalidSnapshot,
                      "unknown time zone \"" + std::string(zone_name) + "\"");
  }
  date::sys_info info = zone->get_info(kFirstListed);
  const Seconds initial = info.offset;
  std::vector<ZoneTransition> transitions;
  Seconds current = initial;
  // date::tz reports the last period of the file as lasting forever; the footer takes over.
  while (info.end < date::sys_days{date::year{32767} / 1 / 1}) {
    info = zone->get_info(info.end);
    if (info.offset != current) {  // abbreviation-only changes do not matter here
      transitions.push_back({info.begin, info.offset});
      current = info.offset;
    }
  }
  std::string name(zone_name);
  auto rules = ZoneRules::make(name, initial, transitions, read_footer(name));
  if (!rules.ok()) {
    // A footer this engine cannot evaluate: keep the last offset forever, as date::tz does.
    rules = ZoneRules::make(name, initial, std::move(transitions), "");
  }
  return rules;
}

}  // namespace

Result<ZoneRules> SystemZoneSource::rules_for(std::string_view zone_name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = cache_.find(zone_name); it != cache_.end()) return it->second;
  auto rules = load(zone_name);
  if (rules.ok()) cache_.emplace(std::string(zone_name), rules.value());
  return rules;
}

}  // namespace slotbook
