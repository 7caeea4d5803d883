// A pause another thread can cut short, made of relative sleeps only. Condition-variable
// timeouts are absolute instants of the monotonic clock, and under a faked clock
// (libfaketime: how tests, and operators checking reminders, run the server at another
// time) those instants are never reached, so such a wait would never time out. Sleeping
// in short slices keeps working under any clock, at the cost of waking every kSlice.
#ifndef SLOTBOOK_SERVER_COMMON_WAKEUP_H_
#define SLOTBOOK_SERVER_COMMON_WAKEUP_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace slotbook::server {

class Wakeup {
 public:
  static constexpr std::chrono::milliseconds kSlice{20};

  // Ends every wait in progress (within kSlice) and the next one that saw an older count.
  void notify() { count_.fetch_add(1); }
  // What to pass to wait(): notifications after this moment end it.
  std::uint64_t count() const { return count_.load(); }
  // Returns once notify() was called after count() returned `seen`, or after `timeout`.
  void wait(std::uint64_t seen, std::chrono::milliseconds timeout) const {
    for (std::chrono::milliseconds waited{0}; waited < timeout && count_.load() == seen;
         waited += kSlice) {
      std::this_thread::sleep_for(std::min(kSlice, timeout - waited));
    }
  }

 private:
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_WAKEUP_H_
