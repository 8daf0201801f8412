#include "docket/engine/reactor.h"

#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

namespace docket::engine {

Result<std::uint64_t> read_checkpoint(const EventStore& store, std::string_view key) {
  auto* family = store.column_family_if_exists(format::kCfCheckpoints);
  if (family == nullptr)
    return std::uint64_t{0};
  std::string value;
  auto s = store.db()->Get(rocksdb::ReadOptions(), family, key, &value);
  if (s.IsNotFound())
    return std::uint64_t{0};
  if (!s.ok() || value.size() != 8) {
    return unexpected(
        Error{ErrorCode::kIo, "Expected to read checkpoint " + std::string(key), {}, {}});
  }
  return format::get_u64be(value);
}

std::string Reactor::checkpoint_key(std::string_view name) {
  return std::string(format::kReactorCheckpointPrefix) + std::string(name);
}

Reactor::Reactor(EventStore& store, std::string name, Handler handler, std::string category)
    : store_(store),
      name_(std::move(name)),
      handler_(std::move(handler)),
      category_(std::move(category)) {
  auto cp = read_checkpoint(store_, checkpoint_key(name_));
  if (cp) {
    checkpoint_.store(*cp);
  } else {
    spdlog::error("reactor {}: {}", name_, cp.error().message);
  }
}

Reactor::~Reactor() {
  stop();
}

Result<void> Reactor::save_checkpoint(std::uint64_t position) {
  std::string value;
  format::put_u64be(value, position);
  // Not synced: after a crash the reactor may see some events again, and the idempotency keys of
  // its commands make that harmless.
  auto s = store_.db()->Put(rocksdb::WriteOptions(), store_.column_family(format::kCfCheckpoints),
                            checkpoint_key(name_), value);
  if (!s.ok())
    return unexpected(
        Error{ErrorCode::kIo, "Expected to save a checkpoint: " + s.ToString(), {}, {}});
  checkpoint_.store(position);
  return {};
}

Result<std::size_t> Reactor::run_once(std::size_t max_events) {
  std::size_t handled = 0;
  auto subscription = store_.subscribe(checkpoint_.load(), category_);
  while (handled < max_events) {
    auto batch = subscription->next(std::min<std::size_t>(512, max_events - handled),
                                    std::chrono::milliseconds(0));
    if (!batch)
      return unexpected(batch.error());
    if (batch->empty())
      break;
    for (const auto& e : *batch) {
      if (auto r = handler_(e); !r) {
        if (auto s = save_checkpoint(e.position - 1); !s)
          return unexpected(s.error());
        return unexpected(r.error());
      }
      ++handled;
    }
    if (auto s = save_checkpoint(subscription->position()); !s)
      return unexpected(s.error());
  }
  return handled;
}

void Reactor::start() {
  if (thread_.joinable())
    return;
  stopping_.store(false);
  live_ = store_.subscribe(checkpoint_.load(), category_);
  thread_ = std::thread([this] { run(); });
}

void Reactor::stop() {
  stopping_.store(true);
  if (live_)
    live_->close();
  if (thread_.joinable())
    thread_.join();
  live_.reset();
}

void Reactor::run() {
  while (!stopping_.load()) {
    auto batch = live_->next(512, std::chrono::milliseconds(500));
    if (!batch) {
      spdlog::error("reactor {}: {}", name_, batch.error().message);
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    bool failed = false;
    for (const auto& e : *batch) {
      while (!stopping_.load()) {
        auto r = handler_(e);
        if (r)
          break;
        spdlog::error("reactor {} at position {}: {}", name_, e.position, r.error().message);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      if (stopping_.load()) {
        failed = true;
        (void)save_checkpoint(e.position - 1);
        break;
      }
    }
    if (!failed && !batch->empty())
      (void)save_checkpoint(live_->position());
  }
}

}  // namespace docket::engine
