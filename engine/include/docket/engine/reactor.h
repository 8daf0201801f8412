// Reactor: runs a reaction ("event -> commands") over the log, exactly once in effect.
//
// It follows the log from its checkpoint (stored under its name in the checkpoints family) and
// calls the handler for each event, optionally only those of one category. The handler issues
// its commands with idempotency keys derived from the event's position, so when a crash makes
// the reactor see an event again, the repeated commands return their first result and write
// nothing: each reaction happens once. The checkpoint advances after each handled batch; a
// handler error stops the batch there and is retried after a pause.
//
// Thread-safety: start()/stop() and run_once() must not be called concurrently with each other;
// checkpoint() is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "docket/engine/event_store.h"

namespace docket::engine {

class Reactor {
 public:
  using Handler = std::function<Result<void>(const RecordedEvent&)>;

  Reactor(EventStore& store, std::string name, Handler handler, std::string category = {});
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Handles every event committed so far, on this thread; returns how many were handled.
  Result<std::size_t> run_once(std::size_t max_events = SIZE_MAX);
  // Follows the log on a thread of its own until stop().
  void start();
  void stop();

  std::uint64_t checkpoint() const { return checkpoint_.load(); }
  const std::string& name() const { return name_; }

  // The key of a reactor's checkpoint in the checkpoints family.
  static std::string checkpoint_key(std::string_view name);

 private:
  Result<void> save_checkpoint(std::uint64_t position);
  void run();

  EventStore& store_;
  std::string name_;
  Handler handler_;
  std::string category_;
  std::atomic<std::uint64_t> checkpoint_{0};
  std::atomic<bool> stopping_{false};
  std::unique_ptr<Subscription> live_;
  std::thread thread_;
};

// Reads and writes consumer checkpoints (reactors, projections) in the checkpoints family.
Result<std::uint64_t> read_checkpoint(const EventStore& store, std::string_view key);

}  // namespace docket::engine
