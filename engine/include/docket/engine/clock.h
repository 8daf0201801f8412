// The engine's clock, injected so tests control time.
//
// SystemClock reads the real time; ManualClock holds a time that only advance()/set() change.
// Both are thread-safe. wait_until() blocks until the clock reaches a time, the waiter is
// interrupted, or (for the system clock) the deadline passes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace docket::engine {

inline constexpr std::int64_t kMicrosPerSecond = 1'000'000;
inline constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch.
  virtual std::int64_t now_us() const = 0;
  // Blocks until now_us() >= deadline_us or interrupt() is called (spurious early returns are
  // allowed; callers re-check). Returns now_us() on return.
  virtual std::int64_t wait_until(std::int64_t deadline_us) = 0;
  // Wakes every waiter of wait_until().
  virtual void interrupt() = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_us() const override;
  std::int64_t wait_until(std::int64_t deadline_us) override;
  void interrupt() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t generation_ = 0;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_us = 1'767'225'600'000'000)  // 2026-01-01T00:00:00Z
      : now_(start_us) {}
  std::int64_t now_us() const override;
  std::int64_t wait_until(std::int64_t deadline_us) override;
  void interrupt() override;

  void set(std::int64_t now_us);
  void advance(std::int64_t delta_us);
  // Every later reading moves the clock on by `step_us` after it is read, as a real clock moves
  // between two readings (0, the default: it stands still).
  void tick_on_read(std::int64_t step_us);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  mutable std::int64_t now_;
  std::int64_t step_us_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace docket::engine
