// Slows password guessing: failed sign-ins are counted per account and per client
// address, and past a few free ones each further attempt must wait, doubling each time
// (1 s, 2 s, 4 s, ... at most 15 minutes), until a sign-in succeeds or the failures are
// 15 minutes old. The wait applies whatever the password, so guessing gains nothing by
// being fast; a right password after the wait still signs in, so a person locked out by
// someone else's guessing gets in after a bounded time.
//
// In memory, per process: several processes on one database each count their own (the
// bound grows with their number; docs/staff-app.md). Thread-safe.
#ifndef SLOTBOOK_SERVER_ACCOUNTS_LOGIN_THROTTLE_H_
#define SLOTBOOK_SERVER_ACCOUNTS_LOGIN_THROTTLE_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.h"

namespace slotbook::server {

inline constexpr int kFreeFailuresPerAccount = 5;
inline constexpr int kFreeFailuresPerAddress = 20;
inline constexpr std::chrono::seconds kFailureMemory{15 * 60};
inline constexpr std::chrono::seconds kLongestLoginWait{15 * 60};

class LoginThrottle {
 public:
  // How long `account` from `address` must wait before trying again; 0 when it may now.
  std::chrono::seconds wait(const std::string& account, const std::string& address, UtcSeconds now);
  void failed(const std::string& account, const std::string& address, UtcSeconds now);
  void succeeded(const std::string& account);

 private:
  struct Failures {
    int count = 0;
    UtcSeconds last{};
  };
  static std::chrono::seconds wait_for(const Failures& f, int free, UtcSeconds now);
  void forget_old(UtcSeconds now);

  std::mutex mu_;
  std::map<std::string, Failures> by_account_;
  std::map<std::string, Failures> by_address_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ACCOUNTS_LOGIN_THROTTLE_H_
