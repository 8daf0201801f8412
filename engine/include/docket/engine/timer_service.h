// TimerService: fires durable timers through a handler, exactly once in effect.
//
// Timers are written by EventStore::append in the same batch as the events that set them. When
// a timer is due, the service calls the handler with it; the handler runs the timer's command
// through the normal command path and must cancel the timer *in the same append* as the events
// that command causes (CommandRunner::fire does this, and cancels it with an empty append when
// the command is rejected). A crash before that append leaves the timer in place, so it fires
// again after a restart; after it, the timer is gone. So each timer's effect happens once.
//
// Thread-safety: all member functions are thread-safe. The handler runs on the service's thread
// (start()) or on the caller of fire_due().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "docket/engine/event_store.h"

namespace docket::engine {

class TimerService {
 public:
  // Returns true when the timer was handled (its cancellation committed), false to retry later.
  using Handler = std::function<bool(const TimerSpec&)>;

  TimerService(EventStore& store, Handler handler);
  ~TimerService();  // stops the thread
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  // Starts a thread that waits on the store's clock and fires timers as they fall due.
  void start();
  void stop();

  // Fires every timer due at the clock's current time, on this thread; returns how many were
  // handled. Tests drive time with a ManualClock and call this.
  std::size_t fire_due();

  // Timers due at or before `until_us`, in due order (at most max_count).
  Result<std::vector<TimerSpec>> pending(std::int64_t until_us = INT64_MAX,
                                         std::size_t max_count = 1000) const;

 private:
  void run();
  // Fires the timers due at `now_us`.
  std::size_t fire_due_at(std::int64_t now_us);

  EventStore& store_;
  Handler handler_;
  std::mutex fire_mu_;  // one firing pass at a time
  std::atomic<bool> stopping_{false};
  std::atomic<bool> dirty_{false};
  std::thread thread_;
  std::uint64_t listener_id_ = 0;
};

}  // namespace docket::engine
