#include "common/periodic_task.h"

namespace slotbook::server {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> run)
    : interval_(interval), run_(std::move(run)), thread_([this] { loop(); }) {}

PeriodicTask::~PeriodicTask() {
  stopping_ = true;
  wake_.notify();
  thread_.join();
}

void PeriodicTask::loop() {
  for (;;) {
    wake_.wait(0, interval_);  // only destruction notifies
    if (stopping_) return;
    run_();
  }
}

}  // namespace slotbook::server
