// Reactor: runs a reaction ("event -> commands") over the log, exactly once in effect.
//
// It follows the log from its checkpoint (stored under its name in the checkpoints family) and
// calls the handler for each event, optionally only those of one category. The handler issues
// its commands with idempotency keys derived from the event's position, so when the reactor
// sees an event again (after a crash, or to retry), the repeated commands return their first
// result and write nothing: each reaction happens once.
//
// A handler's failure says whether it may pass:
//  - one that may pass (a conflict, an overloaded or failing store) is retried, with a backoff
//    that doubles from ReactorOptions::first_backoff up to max_backoff; the checkpoint never
//    passes the event meanwhile, so later events wait behind it. After max_attempts it is
//    treated as failed for good (code kept, message saying so), so it cannot block forever.
//  - one that fails for good (the decider's rejection, which running it again cannot change) is
//    recorded durably in the failed_reactions family (reactor name 0x00 u64be position, see
//    doc/format.md), counted, and the reactor goes on with the next event. failed() lists the
//    record, retry() runs it again on an operator's request.
// The checkpoint passes an event only once its reaction succeeded or its failure is recorded;
// when the record cannot be written, the event is retried like a failure that may pass.
//
// Thread-safety: start()/stop() and run_once() must not be called concurrently with each other;
// checkpoint(), stats(), failed() and retry() are thread-safe (retry() calls the handler on the
// calling thread, possibly while the reactor's thread calls it for another event).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "docket/engine/event_store.h"

namespace docket::engine {

// Why a reaction did not go through.
struct ReactionError {
  bool permanent = false;  // true: running it again cannot succeed; false: it may pass
  std::string code;        // a stable code: a rejection's ("invalid_state"…) or an engine error's
  std::string message;     // "Expected …, but …"
};

using ReactionResult = Expected<void, ReactionError>;

// Whether an engine error may pass when the same work is tried again: a conflict, an overloaded
// queue, an I/O failure or a closing store may; a malformed request, a missing or corrupt record
// may not.
bool may_pass(ErrorCode code);
// An engine error as a reaction's failure, permanent unless may_pass(error.code).
ReactionError reaction_error(const Error& error);

struct ReactorOptions {
  std::chrono::milliseconds first_backoff{50};
  std::chrono::milliseconds max_backoff{5'000};
  std::uint32_t max_attempts = 20;  // attempts at a failure that may pass before it is recorded
};

// A reaction that failed for good, as recorded.
struct FailedReaction {
  std::uint64_t position = 0;  // the event reacted to
  std::string stream;          // its stream and type
  std::string event_type;
  std::string code;  // the failure's code and message
  std::string message;
  std::uint32_t attempts = 0;     // how often it was tried
  std::int64_t failed_at_us = 0;  // when it was recorded (the store's clock)
};

struct ReactorStats {
  std::uint64_t failed = 0;             // reactions listed as failed for good now
  std::uint64_t failures_total = 0;     // recorded as failed since the reactor started
  std::uint64_t retries_total = 0;      // attempts that failed in a way that may pass
  std::uint64_t retrying_position = 0;  // the event being retried now; 0: none
  std::uint32_t retrying_attempts = 0;  // attempts at it so far
};

class Reactor {
 public:
  using Handler = std::function<ReactionResult(const RecordedEvent&)>;

  Reactor(EventStore& store, std::string name, Handler handler, std::string category = {},
          ReactorOptions options = {});
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Handles every event committed so far, on this thread, without waiting between attempts;
  // returns how many were handled (succeeded or recorded as failed). A failure that may pass
  // stops there (the checkpoint stays before the event) and is returned as an Error of code
  // kOverloaded; the next call tries that event again, counting attempts across calls.
  Result<std::size_t> run_once(std::size_t max_events = SIZE_MAX);
  // Follows the log on a thread of its own until stop().
  void start();
  void stop();

  std::uint64_t checkpoint() const { return checkpoint_.load(); }
  // Whether start()ed and not stop()ped: a thread follows the log.
  bool running() const { return running_.load(); }
  // Waits until the reactor's thread has handled the event at `position` (its reaction succeeded
  // or is recorded as failed for good), so that the commands it issued are committed. False when
  // that has not happened within `timeout`, or the reactor is not running (or stops meanwhile).
  // Thread-safe; for read-your-writes across reactions.
  bool wait_for(std::uint64_t position, std::chrono::milliseconds timeout) const;
  const std::string& name() const { return name_; }
  ReactorStats stats() const;

  // Up to `limit` reactions recorded as failed for good, oldest event first, from position
  // `from` on. kIo when the family cannot be read.
  Result<std::vector<FailedReaction>> failed(std::uint64_t from = 0,
                                             std::size_t limit = 1000) const;
  // Runs the listed reaction to the event at `position` again: on success its record is
  // removed; on failure the record is updated (attempts, code, message) and the failure
  // returned. The code kNotListed when no reaction at that position is listed.
  Expected<void, ReactionError> retry(std::uint64_t position);

  static constexpr std::string_view kNotListed = "not_listed";

  // The key of a reactor's checkpoint in the checkpoints family.
  static std::string checkpoint_key(std::string_view name);

 private:
  std::optional<ReactionError> handle(const RecordedEvent& event, std::uint32_t* attempts);
  Result<void> record_failure(const RecordedEvent& event, const ReactionError& error,
                              std::uint32_t attempts);
  Result<void> save_checkpoint(std::uint64_t position);
  void mark_passed(std::uint64_t position);  // wakes wait_for()
  std::chrono::milliseconds backoff(std::uint32_t attempts) const;
  bool pause(std::chrono::milliseconds how_long);  // false when stopping
  void run();

  EventStore& store_;
  std::string name_;
  Handler handler_;
  std::string category_;
  ReactorOptions options_;
  std::atomic<std::uint64_t> checkpoint_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> failures_total_{0};
  std::atomic<std::uint64_t> retries_total_{0};
  std::atomic<std::uint64_t> retrying_position_{0};
  std::atomic<std::uint32_t> retrying_attempts_{0};
  std::mutex records_mu_;  // serialises writes of failure records (the count follows them)
  std::atomic<bool> stopping_{false};
  std::mutex wake_mu_;
  std::condition_variable wake_;
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> passed_{0};  // the last event handled (in memory; >= checkpoint)
  mutable std::mutex passed_mu_;
  mutable std::condition_variable passed_cv_;
  std::unique_ptr<Subscription> live_;
  std::thread thread_;
};

// Reads and writes consumer checkpoints (reactors, projections) in the checkpoints family.
Result<std::uint64_t> read_checkpoint(const EventStore& store, std::string_view key);

}  // namespace docket::engine
