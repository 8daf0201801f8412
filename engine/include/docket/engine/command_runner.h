// CommandRunner<D>: runs commands of any decider against its streams.
//
// For a command on a stream it loads the state (from a cache of hot streams bounded in entries and
// in bytes, else the newest snapshot plus the events after it), calls the pure D::decide, and
// appends the decided events with the version it decided on as the expected version. When
// another writer got there first it reloads and decides again, a bounded number of times. Only
// D::evolve changes state, and loading from scratch runs the same evolve, so a replay yields what
// the runner saw. An evolve that throws refuses the event: the load fails with kCorruption naming
// it, and nothing is decided on a state that skipped an event.
//
// The cache may lag behind the log: an append is visible to readers (subscriptions, reactors)
// before the thread that made it folds it into the cache. A command's own stream is safe (its
// expected version catches a stale state), but a decision that reads another stream's state
// after a known event must load with load(stream, position), which guarantees every event of
// the stream up to that position. Snapshots are used only when bound to the chain (see
// SnapshotStore).
//
// A decider D provides:
//   D::State, D::Command, D::Context, D::Rejection
//   static D::State initial();
//   static void evolve(D::State&, const RecordedEvent&);  // throws on an event it cannot fold
//   static Expected<Decision, D::Rejection> decide(const D::State&, const D::Command&, const
//   D::Context&);
// and optionally `static constexpr std::uint32_t kStateVersion`, which enables snapshots (the
// State must then be serialisable with cereal).
//
// Thread-safety: handle() and the loaders may be called from many threads at once; commands on
// the same stream are serialised inside one runner.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/engine/snapshot_store.h"

namespace docket::engine {

// What a decider decides. `credential_writes` go to the `credentials` family, outside the hash
// chain, in the same atomic write as the events (see AppendRequest).
struct Decision {
  std::vector<ProposedEvent> events;
  std::vector<TimerSpec> timers_to_set;
  std::vector<std::string> timers_to_cancel;
  std::vector<std::pair<std::string, std::string>> credential_writes;
  // The events will make a reaction issue commands of its own (a case registered when a filing
  // is accepted): the caller may wait for them before answering (read-your-writes, see Reactor).
  bool causes_reactions = false;
  // Record the events and still reject the command (AppendRequest::rejection): the decider's
  // rejection as bytes its adapter reads back from CommandResult::append.rejection.
  std::string rejection;
  // The decider could not decide: reading another stream it needed failed (a storage error).
  // The command fails with this error, and nothing is written.
  std::optional<Error> read_error;
};

template <class D>
concept Decider = requires(typename D::State& state, const typename D::State& const_state,
                           const typename D::Command& command, const typename D::Context& context,
                           const RecordedEvent& event) {
  typename D::Rejection;
  { D::initial() } -> std::convertible_to<typename D::State>;
  D::evolve(state, event);
  {
    D::decide(const_state, command, context)
    } -> std::same_as<Expected<Decision, typename D::Rejection>>;
};

template <class D>
concept SnapshottingDecider = Decider<D> && requires {
  { D::kStateVersion } -> std::convertible_to<std::uint32_t>;
};

// How a command is to be recorded.
struct CommandOptions {
  Actor actor;
  Uuid correlation_id;
  Uuid causation_id;
  std::string idempotency_key;  // a repeated key returns the first result without deciding again
  // The caller's If-Match: decide only on this version; otherwise fail with
  // kWrongExpectedVersion and do not retry.
  std::optional<std::uint64_t> expected_version;
  // The caller's own writes, made with the command's events when they are written (see
  // AppendRequest::side_writes).
  std::vector<SideWrite> side_writes;
  // The time the decider was given as "now" (AppendRequest::decided_at_us); 0: none.
  std::int64_t decided_at_us = 0;
};

struct RunnerOptions {
  std::size_t cache_entries = 10'000;  // hot streams whose state stays in memory
  std::size_t max_retries = 10;        // decide-again attempts after version conflicts
  // Snapshots: after a command, the stream's state is saved as its snapshot when at least
  // `snapshot_every` events were folded since its last snapshot (none yet: since version 0) and,
  // once that snapshot is larger than `snapshot_small_bytes`, the payload bytes of those events
  // reach its size. A large state is thus saved less often as it grows: each snapshot is at most
  // the last one plus what the events since added, so the bytes written to snapshots stay within
  // about twice the events' payload bytes (or snapshot_small_bytes per snapshot_every events),
  // whatever the state's size, and a load folds about a state's worth of events at most after
  // its snapshot. 0: never.
  std::uint64_t snapshot_every = 100;
  std::string snapshot_key;  // the key of the snapshots' seals (empty: unkeyed)
  std::size_t snapshot_small_bytes = 4096;
  // A seam for tests of races: called after an append is durable (and visible to readers) and
  // before the runner folds it into its cache. Empty in production.
  std::function<void(const std::string& stream, const AppendResult&)> after_append;
  // The bytes the cached states may take at most, counted as the payload bytes folded into each
  // (a state holds at most what its events carried); a state larger than a quarter of it is not
  // cached at all. With cache_entries, a bound on the cache's memory.
  std::size_t cache_bytes = 128u << 20;
};

// The outcome of a command that went through (possibly deciding nothing). A command recorded and
// still rejected has its rejection in append.rejection.
struct CommandResult {
  AppendResult append;
  std::uint64_t stream_version = 0;
  std::size_t event_count = 0;
  bool deduplicated = false;
  bool causes_reactions = false;  // the decision's flag, when it wrote its events
};

// Why a command did not go through: the decider's rejection, or an engine error.
template <class Rejection>
using CommandFailure = std::variant<Rejection, Error>;

template <Decider D>
class CommandRunner {
 public:
  using State = typename D::State;
  using Command = typename D::Command;
  using Context = typename D::Context;
  using Rejection = typename D::Rejection;
  using Failure = CommandFailure<Rejection>;

  struct Loaded {
    State state;
    std::uint64_t version = 0;   // 0: the stream does not exist
    std::uint64_t position = 0;  // position of the last event folded in
    std::size_t bytes = 0;       // payload bytes folded in (the state's size, roughly)
    // The newest snapshot this state was loaded from or saved as (version 0: none), its size,
    // and the payload bytes folded in after it: what the snapshot rule (RunnerOptions) reads.
    std::uint64_t snapshot_version = 0;
    std::size_t snapshot_bytes = 0;
    std::size_t bytes_since_snapshot = 0;
  };

  explicit CommandRunner(EventStore& store, RunnerOptions options = {})
      : store_(store), options_(options), snapshots_(store, options_.snapshot_key) {}

  // Decides and appends. See the class comment.
  Expected<CommandResult, Failure> handle(const std::string& stream, const Command& command,
                                          const Context& context,
                                          const CommandOptions& options = {}) {
    return run(stream, command, context, options, nullptr);
  }

  // Runs work the runner must not do on the store's writer thread. `post(f)` runs f soon, once,
  // on a thread where blocking briefly is fine (an io context, a pool); it must run every f it
  // is given, or the command it continues is never answered.
  using Post = std::function<void(std::function<void()>)>;
  // Completes an asynchronous command: its outcome and, when it wrote events, the stream's state
  // right after them (valid only during the call; nullptr otherwise: a rejection, an error, a
  // repeat answered from its idempotency key, a decision that wrote nothing).
  using Done = std::function<void(Expected<CommandResult, Failure>, const State* after)>;

  // Decides and appends without waiting for the commit: what handle() does, with no thread held
  // while the group commit is written. The state is loaded and the command decided on the calling
  // thread; the append is queued on the store's writer; when its group commit is durable (and
  // the acknowledged tip recorded) `post` continues: the commit is folded into the cache, `done`
  // runs, and the stream's next waiting command starts. `done` runs exactly once, always through
  // `post` (never inside this call), on success and on every failure alike.
  //
  // Commands handed to handle_async on one stream take turns inside this runner: while one is
  // being committed the next waits in a queue, holding no thread, so they do not conflict with
  // each other. A writer outside the turn (handle(), another runner) can still win the race:
  // the loser folds in what was written and decides again, up to max_retries times, unless an
  // expected version was given (then kWrongExpectedVersion, as for handle()).
  void handle_async(std::string stream, Command command, Context context, CommandOptions options,
                    Post post, Done done) {
    auto op = std::make_shared<AsyncCommand>(AsyncCommand{std::move(stream), std::move(command),
                                                          std::move(context), std::move(options),
                                                          std::move(post), std::move(done)});
    {
      std::lock_guard lock(turns_mu_);
      auto [it, first] = turns_.try_emplace(op->stream);
      if (!first) {
        it->second.push_back(op);
        return;
      }
    }
    attempt_async(op);
  }

  // Runs a fired timer's command: the timer is removed in the same append as the events the
  // command causes; when the decider rejects the command, the timer is removed by itself.
  Expected<CommandResult, Failure> fire(const TimerSpec& timer, const Command& command,
                                        const Context& context,
                                        const CommandOptions& options = {}) {
    auto result = run(timer.stream, command, context, options, &timer);
    if (!result && std::holds_alternative<Rejection>(result.error())) {
      AppendRequest remove;
      remove.stream = timer.stream;
      remove.actor = options.actor;
      remove.timers_fired.push_back({timer.id, timer.due_at_us});
      if (auto r = store_.append(std::move(remove)); !r)
        return unexpected(Failure(r.error()));
    }
    return result;
  }

  // The state of a stream as this runner last saw it: from the cache, which may miss the
  // newest events (see the class comment), else from the store.
  Result<Loaded> load(const std::string& stream) {
    if (auto cached = cache_get(stream))
      return std::move(cached->loaded);
    const auto through = store_.last_position();
    auto loaded = load_from_store(stream);
    if (loaded)
      cache_put(stream, *loaded, through);
    return loaded;
  }

  // `inspect(state)` on the stream's state as load(stream) gives it, without copying the state
  // out of the cache: a reader that needs a few fields of a large state (who may reach a case)
  // pays for those fields, not for the state. While `inspect` runs the cache is locked: keep it
  // short and never call back into the runner from it.
  template <class F>
  auto inspect(const std::string& stream, F&& inspect)
      -> Result<std::invoke_result_t<F&, const Loaded&>> {
    {
      std::lock_guard lock(cache_mu_);
      if (auto it = cache_.find(stream); it != cache_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        return inspect(std::as_const(it->second.loaded));
      }
    }
    auto loaded = load(stream);  // folded from the store, and cached
    if (!loaded)
      return unexpected(loaded.error());
    return inspect(std::as_const(*loaded));
  }

  // The state of a stream with every event of it at positions up to `through_position` folded
  // in (and perhaps later ones). The caller knows that position is committed: it is the event
  // it reacts to, or a position the store reported. Reads forward from the log when the cache
  // has not seen that far.
  Result<Loaded> load(const std::string& stream, std::uint64_t through_position) {
    auto cached = cache_get(stream);
    if (cached && cached->fresh_through >= through_position)
      return std::move(cached->loaded);
    // Everything up to `seen` is readable now: once folded, the state is fresh through it.
    const auto seen = store_.last_position();
    auto loaded = cached ? catch_up(stream, std::move(cached->loaded)) : load_from_store(stream);
    if (loaded)
      cache_put(stream, *loaded, seen);
    return loaded;
  }

  // The state folded from scratch over the events that `include` admits, stopping at the first it
  // refuses: the state as of a version, a position or a time. Uses no cache and no snapshot.
  Result<Loaded> load_until(const std::string& stream,
                            const std::function<bool(const RecordedEvent&)>& include) const {
    Loaded loaded{D::initial(), 0, 0};
    std::uint64_t from = 1;
    for (;;) {
      auto page = store_.read_stream(stream, from, kPage);
      if (!page)
        return unexpected(page.error());
      for (const auto& e : *page) {
        if (!include(e))
          return loaded;
        if (auto folded = fold(loaded.state, e); !folded)
          return unexpected(std::move(folded).error());
        loaded.version = e.version;
        loaded.position = e.position;
      }
      if (page->size() < kPage)
        return loaded;
      from = page->back().version + 1;
    }
  }

  void forget(const std::string& stream) {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(stream); it != cache_.end())
      erase_locked(it);
  }

  EventStore& store() const { return store_; }

 private:
  static constexpr std::size_t kPage = 1000;

  struct CacheEntry {
    Loaded loaded;
    // The stream has no event after loaded.position up to this position.
    std::uint64_t fresh_through = 0;
    std::list<std::string>::iterator lru;
  };

  // A decision that writes nothing at all: no events, timers or credentials, no fired timer to
  // remove, no idempotency key to record and no side write.
  static bool writes_nothing(const Decision& decision, const CommandOptions& options,
                             const TimerSpec* fired) {
    return decision.events.empty() && decision.timers_to_set.empty() &&
           decision.timers_to_cancel.empty() && decision.credential_writes.empty() &&
           fired == nullptr && options.idempotency_key.empty() && options.side_writes.empty();
  }

  // The append that carries `decision` onto `stream` at `version`; events without an id get one
  // (kept in `decision`, so a retry appends the same ids).
  static AppendRequest append_request(const std::string& stream, std::uint64_t version,
                                      Decision& decision, const CommandOptions& options,
                                      const TimerSpec* fired) {
    for (auto& e : decision.events) {
      if (e.event_id.is_nil())
        e.event_id = Uuid::random();
    }
    AppendRequest request;
    request.stream = stream;
    request.expected = ExpectedVersion::exact(version);
    request.actor = options.actor;
    request.correlation_id = options.correlation_id;
    request.causation_id = options.causation_id;
    request.idempotency_key = options.idempotency_key;
    request.timers_to_set = decision.timers_to_set;
    request.timers_to_cancel = decision.timers_to_cancel;
    if (fired != nullptr)
      request.timers_fired.push_back({fired->id, fired->due_at_us});
    request.events = decision.events;
    request.credential_writes = decision.credential_writes;
    request.rejection = decision.rejection;
    request.side_writes = options.side_writes;
    request.decided_at_us = options.decided_at_us;
    return request;
  }

  struct Cached {
    Loaded loaded;
    std::uint64_t fresh_through = 0;
  };

  Expected<CommandResult, Failure> run(const std::string& stream, const Command& command,
                                       const Context& context, const CommandOptions& options,
                                       const TimerSpec* fired) {
    // The result first recorded under the command's idempotency key, if any. Asked again after
    // waiting for the stream's turn and after every conflict or rejection: a copy of the command
    // may have committed meanwhile, and its result, not a decision on the state it left, is the
    // answer.
    auto first_result = [&]() -> Expected<std::optional<CommandResult>, Failure> {
      if (options.idempotency_key.empty())
        return std::optional<CommandResult>();
      auto first = store_.find_idempotent(options.idempotency_key);
      if (!first)
        return unexpected(Failure(first.error()));
      if (!*first)
        return std::optional<CommandResult>();
      return std::optional<CommandResult>(
          CommandResult{**first, (*first)->stream_version, 0, true});
    };
    // Commands on one stream take turns inside this runner: deciding on a state another thread
    // is about to change would only end in a conflict. Writers outside the runner still race,
    // and lose to the expected-version check.
    std::lock_guard turn(stripes_[std::hash<std::string>{}(stream) % stripes_.size()]);
    // The cached state is taken out of the cache, not copied (a copy costs the state's size);
    // every way out below that keeps it valid puts it back.
    std::uint64_t fresh_through = 0;
    auto loaded = take(stream, fresh_through);
    auto put_back = [&] {
      if (loaded)
        cache_put(stream, std::move(*loaded), fresh_through);
    };
    for (std::size_t attempt = 0;; ++attempt) {
      if (auto first = first_result(); !first || *first) {
        put_back();
        if (!first)
          return unexpected(std::move(first).error());
        return std::move(**first);
      }
      if (!loaded)
        return unexpected(Failure(loaded.error()));
      if (options.expected_version && *options.expected_version != loaded->version) {
        put_back();
        return unexpected(Failure(Error{
            ErrorCode::kWrongExpectedVersion,
            "Expected " + stream + " at version " + std::to_string(*options.expected_version) +
                ", but it is at version " + std::to_string(loaded->version),
            loaded->version, std::nullopt}));
      }
      auto decided = D::decide(loaded->state, command, context);
      if (!decided) {
        put_back();
        if (auto first = first_result(); first && *first)
          return std::move(**first);
        return unexpected(Failure(std::move(decided).error()));
      }
      Decision decision = std::move(decided).value();
      if (decision.read_error) {
        put_back();
        return unexpected(Failure(std::move(*decision.read_error)));
      }
      if (writes_nothing(decision, options, fired)) {
        const auto version = loaded->version;
        put_back();
        return CommandResult{AppendResult{0, 0, version, false, 0, decision.rejection}, version, 0,
                             false};
      }
      auto request = append_request(stream, loaded->version, decision, options, fired);
      auto appended = store_.append(std::move(request));
      if (!appended) {
        if (appended.error().code == ErrorCode::kWrongExpectedVersion &&
            attempt < options_.max_retries && !options.expected_version) {
          // Someone else appended first: fold in what they wrote, from the store (not from the
          // cache, which another thread may have filled with an older state), and decide again.
          forget(stream);
          backoff(attempt);
          loaded = catch_up(stream, std::move(*loaded));
          continue;
        }
        if (appended.error().code != ErrorCode::kWrongExpectedVersion)
          forget(stream);
        return unexpected(Failure(std::move(appended).error()));
      }
      if (options_.after_append)
        options_.after_append(stream, *appended);
      if (appended->deduplicated) {
        forget(stream);
        return CommandResult{*appended, appended->stream_version, 0, true};
      }
      advance(stream, std::move(*loaded), decision, *appended, options);
      return CommandResult{*appended, appended->stream_version, decision.events.size(), false,
                           decision.causes_reactions};
    }
  }

  // One command of handle_async, from its turn to its answer.
  struct AsyncCommand {
    std::string stream;
    Command command;
    Context context;
    CommandOptions options;
    Post post;
    Done done;
    std::size_t attempt = 0;
    std::optional<Result<Loaded>> loaded;  // set once loaded; folded forward on conflicts
    Decision decision;                     // what the pending append carries
  };
  using AsyncPtr = std::shared_ptr<AsyncCommand>;

  // The state of a stream for the command in its turn (see the two-argument take below); the
  // commit puts it back, folded forward (see answer_async for the other ends).
  Result<Loaded> take(const std::string& stream) {
    std::uint64_t fresh_through = 0;
    return take(stream, fresh_through);
  }

  // Answers `op` (through its post) and hands the stream's turn to the next waiting command. A
  // state taken for it goes back to the cache unchanged (nothing was written).
  void answer_async(const AsyncPtr& op, Expected<CommandResult, Failure> outcome) {
    if (op->loaded && *op->loaded) {
      const auto position = (*op->loaded)->position;
      cache_put(op->stream, std::move(**op->loaded), position);
      op->loaded.reset();
    }
    op->post([this, op, outcome = std::move(outcome)]() mutable {
      op->done(std::move(outcome), nullptr);
      next_turn(op->stream);
    });
  }

  // The stream's turn passes to its next waiting command, which runs on this thread.
  void next_turn(const std::string& stream) {
    AsyncPtr next;
    {
      std::lock_guard lock(turns_mu_);
      auto it = turns_.find(stream);
      if (it == turns_.end())
        return;
      if (it->second.empty()) {
        turns_.erase(it);
        return;
      }
      next = std::move(it->second.front());
      it->second.pop_front();
    }
    attempt_async(next);
  }

  // Loads (or folds forward), decides and queues the append of `op`, as run() does one attempt.
  void attempt_async(const AsyncPtr& op) {
    const auto& stream = op->stream;
    const auto& options = op->options;
    auto first_result = [&]() -> Expected<std::optional<CommandResult>, Failure> {
      if (options.idempotency_key.empty())
        return std::optional<CommandResult>();
      auto first = store_.find_idempotent(options.idempotency_key);
      if (!first)
        return unexpected(Failure(first.error()));
      if (!*first)
        return std::optional<CommandResult>();
      return std::optional<CommandResult>(
          CommandResult{**first, (*first)->stream_version, 0, true});
    };
    if (auto first = first_result(); !first || *first) {
      if (!first)
        return answer_async(op, unexpected(std::move(first).error()));
      return answer_async(op, std::move(**first));
    }
    if (!op->loaded)
      op->loaded = take(stream);
    auto& loaded = *op->loaded;
    if (!loaded)
      return answer_async(op, unexpected(Failure(loaded.error())));
    if (options.expected_version && *options.expected_version != loaded->version) {
      return answer_async(
          op,
          unexpected(Failure(Error{ErrorCode::kWrongExpectedVersion,
                                   "Expected " + stream + " at version " +
                                       std::to_string(*options.expected_version) +
                                       ", but it is at version " + std::to_string(loaded->version),
                                   loaded->version, std::nullopt})));
    }
    auto decided = D::decide(loaded->state, op->command, op->context);
    if (!decided) {
      if (auto first = first_result(); first && *first)
        return answer_async(op, std::move(**first));
      return answer_async(op, unexpected(Failure(std::move(decided).error())));
    }
    op->decision = std::move(decided).value();
    auto& decision = op->decision;
    if (decision.read_error)
      return answer_async(op, unexpected(Failure(std::move(*decision.read_error))));
    if (writes_nothing(decision, options, nullptr)) {
      return answer_async(
          op, CommandResult{AppendResult{0, 0, loaded->version, false, 0, decision.rejection},
                            loaded->version, 0, false});
    }
    auto request = append_request(stream, loaded->version, decision, options, nullptr);
    // The writer thread only hands the outcome on: folding and answering happen after `post`.
    store_.append_async(std::move(request), [this, op](Result<AppendResult> appended) mutable {
      op->post([this, op, appended = std::move(appended)]() mutable {
        committed_async(op, std::move(appended));
      });
    });
  }

  // The group commit of `op`'s append is done (or refused): fold it in and answer, or decide again.
  void committed_async(const AsyncPtr& op, Result<AppendResult> appended) {
    const auto& stream = op->stream;
    auto& loaded = *op->loaded;
    if (!appended) {
      if (appended.error().code == ErrorCode::kWrongExpectedVersion &&
          op->attempt < options_.max_retries && !op->options.expected_version) {
        // Someone outside the turn appended first: fold in what they wrote and decide again.
        forget(stream);
        ++op->attempt;
        op->loaded = catch_up(stream, std::move(*loaded));
        return attempt_async(op);
      }
      if (appended.error().code != ErrorCode::kWrongExpectedVersion)
        forget(stream);
      op->done(unexpected(Failure(std::move(appended).error())), nullptr);
      return next_turn(stream);
    }
    if (options_.after_append)
      options_.after_append(stream, *appended);
    if (appended->deduplicated) {
      forget(stream);
      op->done(CommandResult{*appended, appended->stream_version, 0, true}, nullptr);
      return next_turn(stream);
    }
    const CommandResult result{*appended, appended->stream_version, op->decision.events.size(),
                               /*deduplicated=*/false, op->decision.causes_reactions};
    // The events are durable whether or not they fold: the command is answered either way.
    if (!advance(stream, std::move(*loaded), op->decision, *appended, op->options,
                 [&](const State& after) { op->done(result, &after); }))
      op->done(result, nullptr);
    next_turn(stream);
  }

  // Spreads out writers that keep colliding on one stream: a random pause that grows with each
  // attempt (up to about 16 ms), so one of them gets through.
  static void backoff(std::size_t attempt) {
    thread_local std::minstd_rand rng(std::random_device{}());
    const auto cap_us =
        std::min<std::uint64_t>(16'000, 250ULL << std::min<std::size_t>(attempt, 6));
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (cap_us + 1)));
  }

  // Folds the just-appended events into the loaded state, exactly as they were recorded.
  // `folded`, when given, sees the state before it is cached. False when an event did not fold.
  bool advance(const std::string& stream, Loaded loaded, const Decision& decision,
               const AppendResult& appended, const CommandOptions& options,
               const std::function<void(const State&)>& folded = {}) {
    const auto before = loaded.version;
    for (std::size_t i = 0; i < decision.events.size(); ++i) {
      const auto& p = decision.events[i];
      RecordedEvent e;
      e.position = appended.first_position + i;
      e.stream = stream;
      e.version = before + 1 + i;
      e.event_id = p.event_id;
      e.type = p.type;
      e.schema_version = p.schema_version;
      e.recorded_at_us = appended.recorded_at_us;
      e.actor = options.actor;
      e.correlation_id = options.correlation_id;
      e.causation_id = options.causation_id;
      e.payload = p.payload;
      if (!fold(loaded.state, e)) {
        // The decider wrote an event it cannot fold (a bug): the events are durable, but no
        // state is cached, so the next command on the stream folds from the log and fails there
        // with the error, instead of deciding on a state that skipped an event.
        forget(stream);
        return false;
      }
      loaded.version = e.version;
      loaded.position = e.position;
      loaded.bytes += e.payload.size();
      loaded.bytes_since_snapshot += e.payload.size();
    }
    if (folded)
      folded(loaded.state);
    if constexpr (SnapshottingDecider<D>) {
      if (options_.snapshot_every > 0 &&
          loaded.version - loaded.snapshot_version >= options_.snapshot_every &&
          (loaded.snapshot_bytes <= options_.snapshot_small_bytes ||
           loaded.bytes_since_snapshot >= loaded.snapshot_bytes))
        save_snapshot(stream, loaded);
    }
    const auto fresh_through = loaded.position;
    cache_put(stream, std::move(loaded), fresh_through);
    return true;
  }

  // Folds one event into `state`. A decider refuses an event it cannot fold (an unknown type or
  // schema version, a payload that does not parse) by throwing from evolve: the fold stops there,
  // with a kCorruption error that names the event, instead of going on without it.
  static Result<void> fold(State& state, const RecordedEvent& e) {
    try {
      D::evolve(state, e);
      return {};
    } catch (const std::exception& refused) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected an event the stream's decider folds, but " + e.stream +
                                  " version " + std::to_string(e.version) +
                                  " is not: " + refused.what(),
                              std::nullopt, e.position});
    }
  }

  // Saves `loaded` as the stream's snapshot, bound to the chain hash of its last event. A
  // snapshot is a cache of the log: failing to save one loses nothing.
  void save_snapshot(const std::string& stream, Loaded& loaded) {
    auto last = store_.read_event(loaded.position);
    if (!last || last->stream != stream || last->version != loaded.version)
      return;
    auto bytes = SnapshotStore::encode(loaded.state);
    const auto size = bytes.size();
    if (!snapshots_.save(
            stream, SnapshotRecord{loaded.version, static_cast<std::uint32_t>(D::kStateVersion),
                                   loaded.position, last->hash, std::move(bytes)}))
      return;
    loaded.snapshot_version = loaded.version;
    loaded.snapshot_bytes = size;
    loaded.bytes_since_snapshot = 0;
  }

  Result<Loaded> load_from_store(const std::string& stream) const {
    Loaded loaded{D::initial(), 0, 0};
    if constexpr (SnapshottingDecider<D>) {
      // load() returns only a snapshot whose seal matches and whose last event the log holds
      // with that hash; any other is ignored and the state is folded from the log.
      auto snapshot = snapshots_.load(stream);
      if (snapshot && *snapshot &&
          (*snapshot)->state_version == static_cast<std::uint32_t>(D::kStateVersion)) {
        if (auto state = SnapshotStore::decode<State>((*snapshot)->bytes)) {
          loaded.state = std::move(*state);
          loaded.version = (*snapshot)->version;
          loaded.position = (*snapshot)->position;
          loaded.bytes = (*snapshot)->bytes.size();
          loaded.snapshot_version = (*snapshot)->version;
          loaded.snapshot_bytes = (*snapshot)->bytes.size();
        }
      }
    }
    return catch_up(stream, std::move(loaded));
  }

  // Folds the events after loaded.version into loaded.state.
  Result<Loaded> catch_up(const std::string& stream, Loaded loaded) const {
    std::uint64_t from = loaded.version + 1;
    for (;;) {
      auto page = store_.read_stream(stream, from, kPage);
      if (!page)
        return unexpected(page.error());
      for (const auto& e : *page) {
        if (auto folded = fold(loaded.state, e); !folded)
          return unexpected(std::move(folded).error());
        loaded.version = e.version;
        loaded.position = e.position;
        loaded.bytes += e.payload.size();
        loaded.bytes_since_snapshot += e.payload.size();
      }
      if (page->size() < kPage)
        return loaded;
      from = page->back().version + 1;
    }
  }

  std::optional<Cached> cache_get(const std::string& stream) {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(stream);
    if (it == cache_.end())
      return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return Cached{it->second.loaded, it->second.fresh_through};
  }

  // The stream's state for a command: moved out of the cache (which then lacks it until the
  // command puts it back), else loaded from the store; `fresh_through` as the cache knew it.
  Result<Loaded> take(const std::string& stream, std::uint64_t& fresh_through) {
    {
      std::lock_guard lock(cache_mu_);
      if (auto it = cache_.find(stream); it != cache_.end()) {
        fresh_through = it->second.fresh_through;
        Loaded loaded = std::move(it->second.loaded);
        cached_bytes_ -= entry_weight(stream, loaded);
        lru_.erase(it->second.lru);
        cache_.erase(it);
        return loaded;
      }
    }
    fresh_through = store_.last_position();
    return load_from_store(stream);
  }

  // Caches `loaded`, known to hold every event of the stream up to `fresh_through`.
  void cache_put(const std::string& stream, Loaded loaded, std::uint64_t fresh_through) {
    if (options_.cache_entries == 0)
      return;
    fresh_through = std::max(fresh_through, loaded.position);
    const auto weight = entry_weight(stream, loaded);
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(stream); it != cache_.end()) {
      // Keep the newer of the two: a concurrent load may race a concurrent advance.
      auto& entry = it->second;
      if (entry.loaded.version < loaded.version) {
        if (weight > options_.cache_bytes / 4) {
          erase_locked(it);  // grown too large to keep
          return;
        }
        cached_bytes_ = cached_bytes_ - entry_weight(stream, entry.loaded) + weight;
        entry.loaded = std::move(loaded);
        entry.fresh_through = fresh_through;
      } else if (entry.loaded.version == loaded.version) {
        entry.fresh_through = std::max(entry.fresh_through, fresh_through);
      }
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      evict_locked();
      return;
    }
    if (weight > options_.cache_bytes / 4)
      return;
    lru_.push_front(stream);
    cache_.emplace(stream, CacheEntry{std::move(loaded), fresh_through, lru_.begin()});
    cached_bytes_ += weight;
    evict_locked();
  }

 public:
  // What the cache holds now: its entries and their weight in bytes (for tests and metrics).
  std::size_t cached_entries() const {
    std::lock_guard lock(cache_mu_);
    return cache_.size();
  }
  std::size_t cached_bytes() const {
    std::lock_guard lock(cache_mu_);
    return cached_bytes_;
  }

 private:
  // An entry's weight: its state's payload bytes and its key, plus a fixed overhead.
  static std::size_t entry_weight(const std::string& stream, const Loaded& loaded) {
    return loaded.bytes + 2 * stream.size() + sizeof(CacheEntry) + 64;
  }

  void erase_locked(typename std::unordered_map<std::string, CacheEntry>::iterator it) {
    cached_bytes_ -= entry_weight(it->first, it->second.loaded);
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }

  void evict_locked() {
    while (!lru_.empty() &&
           (cache_.size() > options_.cache_entries || cached_bytes_ > options_.cache_bytes))
      erase_locked(cache_.find(lru_.back()));
  }

  EventStore& store_;
  RunnerOptions options_;
  SnapshotStore snapshots_;
  std::array<std::mutex, 1024> stripes_;
  // Streams with a handle_async command in its turn, each with the commands waiting after it.
  std::mutex turns_mu_;
  std::unordered_map<std::string, std::deque<AsyncPtr>> turns_;
  mutable std::mutex cache_mu_;
  std::unordered_map<std::string, CacheEntry> cache_;
  std::list<std::string> lru_;
  std::size_t cached_bytes_ = 0;  // the weight of every entry (entry_weight)
};

}  // namespace docket::engine
