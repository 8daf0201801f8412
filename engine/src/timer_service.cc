#include "docket/engine/timer_service.h"

#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "timer_codec.h"

namespace docket::engine {

TimerService::TimerService(EventStore& store, Handler handler)
    : store_(store), handler_(std::move(handler)) {
  listener_id_ = store_.add_timers_listener([this] {
    dirty_.store(true);
    store_.clock().interrupt();
  });
}

TimerService::~TimerService() {
  store_.remove_timers_listener(listener_id_);
  stop();
}

void TimerService::start() {
  if (thread_.joinable())
    return;
  stopping_.store(false);
  thread_ = std::thread([this] { run(); });
}

void TimerService::stop() {
  stopping_.store(true);
  store_.clock().interrupt();
  if (thread_.joinable())
    thread_.join();
}

Result<std::vector<TimerSpec>> TimerService::pending(std::int64_t until_us,
                                                     std::size_t max_count) const {
  std::vector<TimerSpec> out;
  auto* timers = store_.column_family_if_exists(format::kCfTimers);
  if (timers == nullptr)
    return out;
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), timers));
  const std::string prefix(1, format::kTimerDuePrefix);
  for (it->Seek(prefix); it->Valid() && out.size() < max_count; it->Next()) {
    auto key = it->key().ToStringView();
    if (key.empty() || key[0] != format::kTimerDuePrefix || key.size() < 9)
      break;
    const auto due = format::decode_time(key.substr(1, 8));
    if (due > until_us)
      break;
    auto spec = decode_timer(due, it->value().ToStringView());
    if (!spec) {
      return unexpected(
          Error{ErrorCode::kCorruption, "Expected a well-formed timer record", {}, {}});
    }
    out.push_back(std::move(*spec));
  }
  if (!it->status().ok()) {
    return unexpected(
        Error{ErrorCode::kIo, "Expected to read timers: " + it->status().ToString(), {}, {}});
  }
  return out;
}

std::size_t TimerService::fire_due() {
  return fire_due_at(store_.clock().now_us());
}

std::size_t TimerService::fire_due_at(std::int64_t now_us) {
  std::lock_guard lock(fire_mu_);
  std::size_t fired = 0;
  auto due = pending(now_us);
  if (!due) {
    spdlog::error("timers: {}", due.error().message);
    return 0;
  }
  for (const auto& t : *due) {
    if (stopping_.load())
      break;
    if (handler_(t))
      ++fired;
  }
  return fired;
}

void TimerService::run() {
  constexpr std::int64_t kIdleWaitUs = 60 * kMicrosPerSecond;
  constexpr std::int64_t kRetryWaitUs = kMicrosPerSecond;
  while (!stopping_.load()) {
    dirty_.store(false);
    // One `now` for the pass and the wait: a timer that fell due only after the pass read the
    // clock is not mistaken for one the pass failed to fire (the wait returns at once for it).
    const auto now = store_.clock().now_us();
    fire_due_at(now);
    if (stopping_.load())
      break;
    auto next = pending(INT64_MAX, 1);
    std::int64_t wake = now + kIdleWaitUs;
    if (next && !next->empty()) {
      // A timer the pass should have fired is still there: back off instead of spinning.
      wake = next->front().due_at_us <= now ? now + kRetryWaitUs
                                            : std::min(wake, next->front().due_at_us);
    }
    if (!dirty_.load())
      store_.clock().wait_until(wake);
  }
}

}  // namespace docket::engine
