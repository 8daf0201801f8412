#include "docket/engine/clock.h"

#include <chrono>

namespace docket::engine {

std::int64_t SystemClock::now_us() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t SystemClock::wait_until(std::int64_t deadline_us) {
  std::unique_lock lock(mu_);
  const auto start_generation = generation_;
  const auto wait_us = deadline_us - now_us();
  if (wait_us > 0) {
    cv_.wait_for(lock, std::chrono::microseconds(wait_us),
                 [&] { return generation_ != start_generation; });
  }
  return now_us();
}

void SystemClock::interrupt() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

std::int64_t ManualClock::now_us() const {
  std::lock_guard lock(mu_);
  const std::int64_t read = now_;
  now_ += step_us_;
  return read;
}

void ManualClock::tick_on_read(std::int64_t step_us) {
  std::lock_guard lock(mu_);
  step_us_ = step_us;
}

std::int64_t ManualClock::wait_until(std::int64_t deadline_us) {
  std::unique_lock lock(mu_);
  const auto start_generation = generation_;
  cv_.wait(lock, [&] { return now_ >= deadline_us || generation_ != start_generation; });
  return now_;
}

void ManualClock::interrupt() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void ManualClock::set(std::int64_t now_us) {
  {
    std::lock_guard lock(mu_);
    now_ = now_us;
    ++generation_;
  }
  cv_.notify_all();
}

void ManualClock::advance(std::int64_t delta_us) {
  {
    std::lock_guard lock(mu_);
    now_ += delta_us;
    ++generation_;
  }
  cv_.notify_all();
}

}  // namespace docket::engine
