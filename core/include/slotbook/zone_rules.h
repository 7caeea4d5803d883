// ZoneRules: the one representation of an IANA time zone the engine computes with.
//
// A zone is the offset in force before its first listed transition, the UTC transitions
// (instant, new offset) that the tz database lists, and the zone's POSIX TZ footer
// (e.g. "EST5EDT,M3.2.0,M11.1.0") that governs after the last listed transition. Natively
// the rules are read from the system tz database (system_zones.h); a snapshot may carry
// them as JSON ("zone_rules"), which is how the WebAssembly build, which has no tz
// database, learns them. Both builds compute with this one type, so they agree to the
// second.
//
// Thread safety: immutable after construction; safe to share between threads.
#ifndef SLOTBOOK_ZONE_RULES_H_
#define SLOTBOOK_ZONE_RULES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "slotbook/result.h"
#include "slotbook/time.h"

namespace slotbook {

struct ZoneTransition {
  date::sys_seconds at;  // the first instant of the new offset
  Seconds offset;        // UTC offset from `at` on (local = UTC + offset)
};

class ZoneRules {
 public:
  // Builds and checks rules: transitions strictly increasing, every offset within
  // +-26 hours, and a footer that is empty or a POSIX TZ string this engine can evaluate.
  // Returns an invalid_snapshot error otherwise.
  static Result<ZoneRules> make(std::string zone_name, Seconds initial_offset,
                                std::vector<ZoneTransition> transitions, std::string posix_footer);

  // The "zone_rules" JSON of a prepared snapshot:
  //   {"zone": NAME, "initial_offset": SECONDS, "transitions": [[UNIX_SECONDS, OFFSET], ...],
  //    "posix": FOOTER}
  static Result<ZoneRules> from_json(const nlohmann::json& rules);
  void to_json(nlohmann::json& out) const;

  const std::string& name() const { return name_; }

  // The UTC offset in force at `instant`.
  Seconds offset_at(Instant instant) const;
  // The wall-clock reading at `instant` (to the second, rounding down).
  LocalTime to_local(Instant instant) const;
  // The contract's wall-clock-to-UTC rule: a wall time that occurs twice maps to its
  // earlier occurrence; one that does not occur (a DST gap) maps to the instant of the
  // transition that skipped it.
  Instant to_instant(LocalTime local) const;

  // The offset in force at an instant and the instants [begin, end) around it that share
  // it: offset_at(t) == offset for every t in the span. For callers that convert many
  // nearby instants and look the rules up once per span (slot_table.cc).
  struct OffsetSpan {
    date::sys_seconds begin;  // first instant of this offset (or the earliest representable)
    date::sys_seconds end;    // first instant of the next one (or far in the future)
    Seconds offset;
  };
  OffsetSpan offset_span(Instant instant) const;

 private:
  struct Footer;
  OffsetSpan period_at(date::sys_seconds instant) const;

  std::string name_;
  Seconds initial_offset_{0};
  std::vector<ZoneTransition> transitions_;
  std::string footer_text_;
  std::shared_ptr<const Footer> footer_;  // null when the zone has no footer
};

// Where rules come from when a snapshot names its zone without carrying "zone_rules".
// The engine itself never reads files; a native build passes a SystemZoneSource.
class ZoneSource {
 public:
  virtual ~ZoneSource() = default;
  // The rules of IANA zone `zone_name`, or an invalid_snapshot error if it is unknown.
  virtual Result<ZoneRules> rules_for(std::string_view zone_name) const = 0;
};

}  // namespace slotbook

#endif  // SLOTBOOK_ZONE_RULES_H_
