// Runs a function every `interval` on its own thread until destroyed (maintenance such as
// pruning expired idempotent answers). Destruction wakes the thread and joins it at once,
// so stopping the server never waits out an interval.
#ifndef SLOTBOOK_SERVER_COMMON_PERIODIC_TASK_H_
#define SLOTBOOK_SERVER_COMMON_PERIODIC_TASK_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "common/wakeup.h"

namespace slotbook::server {

class PeriodicTask {
 public:
  // The first run is one interval after construction.
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> run);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void loop();

  const std::chrono::milliseconds interval_;
  const std::function<void()> run_;
  Wakeup wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_PERIODIC_TASK_H_
