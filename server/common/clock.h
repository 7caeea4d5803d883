// The server's one owner of "now". Services are given a Clock and ask it; nothing else in
// the server reads the wall clock, and the engine never does (it takes `now` as input).
// Tests inject their own Clock (C++) or run the real binary under faketime.
#ifndef SLOTBOOK_SERVER_COMMON_CLOCK_H_
#define SLOTBOOK_SERVER_COMMON_CLOCK_H_

#include <chrono>
#include <cstdint>

#include "slotbook/time.h"

namespace slotbook::server {

// A UTC instant to the second: what the server stores and compares.
using UtcSeconds = date::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, truncated to whole seconds (stored times are whole seconds).
  virtual UtcSeconds now() const = 0;
};

// The operating system's wall clock.
class SystemClock final : public Clock {
 public:
  UtcSeconds now() const override;
};

// Unix seconds, for storage columns and formats that need a number.
inline std::int64_t to_unix(UtcSeconds t) { return t.time_since_epoch().count(); }
inline UtcSeconds from_unix(std::int64_t s) { return UtcSeconds(std::chrono::seconds(s)); }
// An engine instant truncated to the second (stored bookings start on whole seconds).
inline UtcSeconds to_seconds(Instant t) { return std::chrono::floor<std::chrono::seconds>(t); }

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_CLOCK_H_
