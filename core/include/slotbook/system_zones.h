// SystemZoneSource: zone rules from the system tz database (native builds only).
// Transitions come from date::tz (USE_OS_TZDB, /usr/share/zoneinfo); the POSIX footer
// from the zone's TZif file. Results are cached per zone; thread-safe.
#ifndef SLOTBOOK_SYSTEM_ZONES_H_
#define SLOTBOOK_SYSTEM_ZONES_H_

#include <map>
#include <mutex>
#include <string>

#include "slotbook/zone_rules.h"

namespace slotbook {

class SystemZoneSource final : public ZoneSource {
 public:
  Result<ZoneRules> rules_for(std::string_view zone_name) const override;

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, ZoneRules, std::less<>> cache_;
};

}  // namespace slotbook

#endif  // SLOTBOOK_SYSTEM_ZONES_H_
