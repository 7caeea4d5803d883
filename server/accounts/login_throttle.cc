#include "accounts/login_throttle.h"

#include <algorithm>

namespace slotbook::server {
namespace {

// Beyond this many remembered accounts or addresses, old entries are dropped first: a
// flood of made-up names cannot grow memory without bound.
constexpr std::size_t kMaxRemembered = 10000;

}  // namespace

std::chrono::seconds LoginThrottle::wait_for(const Failures& f, int free, UtcSeconds now) {
  if (f.count < free || now - f.last >= kFailureMemory) return std::chrono::seconds(0);
  const int doublings = std::min(f.count - free, 10);  // 2^10 s > 15 minutes
  const std::chrono::seconds wait =
      std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), kLongestLoginWait);
  const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - f.last);
  return waited >= wait ? std::chrono::seconds(0) : wait - waited;
}

std::chrono::seconds LoginThrottle::wait(const std::string& account, const std::string& address,
                                         UtcSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::chrono::seconds longest(0);
  if (auto it = by_account_.find(account); it != by_account_.end()) {
    longest = std::max(longest, wait_for(it->second, kFreeFailuresPerAccount, now));
  }
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    longest = std::max(longest, wait_for(it->second, kFreeFailuresPerAddress, now));
  }
  return longest;
}

void LoginThrottle::failed(const std::string& account, const std::string& address, UtcSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  forget_old(now);
  for (auto* map : {&by_account_, &by_address_}) {
    Failures& f = (*map)[map == &by_account_ ? account : address];
    if (now - f.last >= kFailureMemory) f.count = 0;
    f.count += 1;
    f.last = now;
  }
}

void LoginThrottle::succeeded(const std::string& account) {
  std::lock_guard<std::mutex> lock(mu_);
  by_account_.erase(account);
}

void LoginThrottle::forget_old(UtcSeconds now) {
  for (auto* map : {&by_account_, &by_address_}) {
    if (map->size() < kMaxRemembered) continue;
    for (auto it = map->begin(); it != map->end();) {
      it = now - it->second.last >= kFailureMemory ? map->erase(it) : std::next(it);
    }
    while (map->size() >= kMaxRemembered) {
      map->erase(std::min_element(map->begin(), map->end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      }));
    }
  }
}

}  // namespace slotbook::server
