// The server's one reading of the wall clock. The engine never reads a clock; the server
// passes this instant to it as `now`.
#ifndef SLOTBOOK_SERVER_COMMON_CLOCK_H_
#define SLOTBOOK_SERVER_COMMON_CLOCK_H_

#include <chrono>
#include <cstdint>

#include "slotbook/time.h"

namespace slotbook::server {

// The current instant, truncated to whole seconds (stored times are whole seconds).
inline date::sys_seconds now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

inline std::int64_t to_unix(date::sys_seconds t) { return t.time_since_epoch().count(); }
inline date::sys_seconds from_unix(std::int64_t s) {
  return date::sys_seconds(std::chrono::seconds(s));
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_CLOCK_H_
