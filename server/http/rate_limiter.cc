#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace slotbook::server {
namespace {
constexpr std::size_t kPruneAbove = 10000;
}

int RateLimiter::acquire(const std::string& client) {
  if (per_minute_ <= 0) return 0;
  const auto now = std::chrono::steady_clock::now();
  const double capacity = per_minute_;
  const double per_second = per_minute_ / 60.0;
  std::lock_guard<std::mutex> lock(mutex_);
  if (buckets_.size() > kPruneAbove) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double idle = std::chrono::duration<double>(now - it->second.updated).count();
      it = it->second.tokens + idle * per_second >= capacity ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, inserted] = buckets_.try_emplace(client, Bucket{capacity, now});
  Bucket& bucket = it->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(capacity, bucket.tokens + elapsed * per_second);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second)));
}

}  // namespace slotbook::server
