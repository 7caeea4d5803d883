// RateLimiter: a token bucket per client address. Each client may make `per_minute`
// requests in a burst and earns them back at per_minute per minute. per_minute 0 turns
// limiting off. Thread-safe; memory is bounded by pruning idle full buckets.
#ifndef SLOTBOOK_SERVER_HTTP_RATE_LIMITER_H_
#define SLOTBOOK_SERVER_HTTP_RATE_LIMITER_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace slotbook::server {

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

  // Takes one token for `client`: 0 when allowed, otherwise the seconds to wait.
  int acquire(const std::string& client);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_RATE_LIMITER_H_
