// When a delivery that did not go through is tried again, and when it stops being tried.
// One owner for the schedule: the worker asks it, the staff API reports what it said.
#ifndef SLOTBOOK_SERVER_NOTIFY_RETRY_POLICY_H_
#define SLOTBOOK_SERVER_NOTIFY_RETRY_POLICY_H_

#include <chrono>

namespace slotbook::server {

struct RetryPolicy {
  int max_attempts = 12;                         // then the delivery is failed
  std::chrono::milliseconds first_delay{30000};  // after the first failed attempt
  std::chrono::milliseconds max_delay{std::chrono::hours(6)};

  // The pause after `attempts` failed attempts (1-based): first_delay doubled per attempt
  // up to max_delay, then drawn uniformly from its upper half ("equal jitter"), so
  // deliveries that failed together do not all come back at once.
  std::chrono::milliseconds delay_after(int attempts) const;
  bool exhausted(int attempts) const { return attempts >= max_attempts; }
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_RETRY_POLICY_H_
