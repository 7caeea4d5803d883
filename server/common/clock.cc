#include "common/clock.h"

namespace slotbook::server {

UtcSeconds SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace slotbook::server
