#include "notify/retry_policy.h"

#include <algorithm>
#include <random>

namespace slotbook::server {

std::chrono::milliseconds RetryPolicy::delay_after(int attempts) const {
  const int doublings = std::clamp(attempts - 1, 0, 30);
  const double full = std::min(static_cast<double>(first_delay.count()) * (1 << doublings),
                               static_cast<double>(max_delay.count()));
  thread_local std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> upper_half(full / 2, full);
  return std::chrono::milliseconds(static_cast<long long>(upper_half(random)));
}

}  // namespace slotbook::server
