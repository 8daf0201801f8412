#include "docket/engine/reactor.h"

#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace docket::engine {
namespace {

void put_field(std::string& out, std::string_view field) {
  format::put_u32be(out, static_cast<std::uint32_t>(field.size()));
  out.append(field);
}

bool get_field(std::string_view& in, std::string& field) {
  if (in.size() < 4)
    return false;
  const auto size = format::get_u32be(in);
  in.remove_prefix(4);
  if (in.size() < size)
    return false;
  field.assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

// A failure record: u64be failed-at µs || u32be attempts || code, message, stream, event type
// (each u32be length || bytes).
std::string encode_failure(const FailedReaction& f) {
  std::string out;
  format::put_u64be(out, static_cast<std::uint64_t>(f.failed_at_us));
  format::put_u32be(out, f.attempts);
  put_field(out, f.code);
  put_field(out, f.message);
  put_field(out, f.stream);
  put_field(out, f.event_type);
  return out;
}

std::optional<FailedReaction> decode_failure(std::uint64_t position, std::string_view in) {
  FailedReaction f;
  f.position = position;
  if (in.size() < 12)
    return std::nullopt;
  f.failed_at_us = static_cast<std::int64_t>(format::get_u64be(in));
  f.attempts = format::get_u32be(in.substr(8));
  in.remove_prefix(12);
  if (!get_field(in, f.code) || !get_field(in, f.message) || !get_field(in, f.stream) ||
      !get_field(in, f.event_type)) {
    return std::nullopt;
  }
  return f;
}

Error io(const rocksdb::Status& s, std::string_view what) {
  return Error{
      ErrorCode::kIo, "Expected to " + std::string(what) + ", but " + s.ToString(), {}, {}};
}

}  // namespace

bool may_pass(ErrorCode code) {
  switch (code) {
    case ErrorCode::kWrongExpectedVersion:
    case ErrorCode::kOverloaded:
    case ErrorCode::kIo:
    case ErrorCode::kClosed:
    case ErrorCode::kUnavailable:  // writes refused (a full disk): they resume once there is room
      return true;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kCorruption:
    case ErrorCode::kTooLarge:
      break;
  }
  return false;
}

ReactionError reaction_error(const Error& error) {
  return ReactionError{!may_pass(error.code), std::string(to_string(error.code)), error.message};
}

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

Reactor::Reactor(EventStore& store, std::string name, Handler handler, std::string category,
                 ReactorOptions options)
    : store_(store),
      name_(std::move(name)),
      handler_(std::move(handler)),
      category_(std::move(category)),
      options_(options) {
  auto cp = read_checkpoint(store_, checkpoint_key(name_));
  if (cp) {
    checkpoint_.store(*cp);
  } else {
    spdlog::error("reactor {}: {}", name_, cp.error().message);
  }
  if (auto listed = failed(0, SIZE_MAX)) {
    failed_.store(listed->size());
  } else {
    spdlog::error("reactor {}: {}", name_, listed.error().message);
  }
}

Reactor::~Reactor() {
  stop();
}

ReactorStats Reactor::stats() const {
  return ReactorStats{failed_.load(), failures_total_.load(), retries_total_.load(),
                      retrying_position_.load(), retrying_attempts_.load()};
}

Result<void> Reactor::save_checkpoint(std::uint64_t position) {
  std::string value;
  format::put_u64be(value, position);
  // Not synced: after a crash the reactor may see some events again, and the idempotency keys of
  // its commands make that harmless.
  auto s = store_.db()->Put(rocksdb::WriteOptions(), store_.column_family(format::kCfCheckpoints),
                            checkpoint_key(name_), value);
  if (!s.ok())
    return unexpected(io(s, "save a checkpoint"));
  checkpoint_.store(position);
  mark_passed(position);
  return {};
}

void Reactor::mark_passed(std::uint64_t position) {
  {
    std::lock_guard lock(passed_mu_);
    if (position <= passed_.load())
      return;
    passed_.store(position);
  }
  passed_cv_.notify_all();
}

bool Reactor::wait_for(std::uint64_t position, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(passed_mu_);
  passed_cv_.wait_for(lock, timeout,
                      [&] { return passed_.load() >= position || !running_.load(); });
  return passed_.load() >= position;
}

Result<void> Reactor::record_failure(const RecordedEvent& event, const ReactionError& error,
                                     std::uint32_t attempts) {
  auto* family = store_.column_family(format::kCfFailedReactions);
  if (family == nullptr) {
    return unexpected(Error{ErrorCode::kIo, "Expected the failed_reactions family", {}, {}});
  }
  FailedReaction f{event.position, event.stream,           event.type, error.code, error.message,
                   attempts,       store_.clock().now_us()};
  const auto key = format::failed_reaction_key(name_, event.position);
  std::lock_guard lock(records_mu_);
  std::string existing;
  auto found = store_.db()->Get(rocksdb::ReadOptions(), family, key, &existing);
  if (!found.ok() && !found.IsNotFound())
    return unexpected(io(found, "read a failed reaction"));
  rocksdb::WriteOptions wo;
  wo.sync = store_.options().sync;  // the record replaces the event's place in the checkpoint
  auto s = store_.db()->Put(wo, family, key, encode_failure(f));
  if (!s.ok())
    return unexpected(io(s, "record a failed reaction"));
  if (found.IsNotFound())
    failed_.fetch_add(1);
  return {};
}

std::chrono::milliseconds Reactor::backoff(std::uint32_t attempts) const {
  auto wait = options_.first_backoff;
  for (std::uint32_t i = 1; i < attempts && wait < options_.max_backoff; ++i)
    wait *= 2;
  return std::min(wait, options_.max_backoff);
}

bool Reactor::pause(std::chrono::milliseconds how_long) {
  std::unique_lock lock(wake_mu_);
  return !wake_.wait_for(lock, how_long, [this] { return stopping_.load(); });
}

// Runs the handler once. nullopt: the event is done with (its reaction succeeded, or failed for
// good and is recorded); else the failure, which may pass and must be tried again.
std::optional<ReactionError> Reactor::handle(const RecordedEvent& event, std::uint32_t* attempts) {
  auto r = handler_(event);
  if (r) {
    retrying_position_.store(0);
    retrying_attempts_.store(0);
    return std::nullopt;
  }
  ReactionError error = std::move(r).error();
  ++*attempts;
  if (!error.permanent && *attempts < options_.max_attempts) {
    retries_total_.fetch_add(1);
    retrying_position_.store(event.position);
    retrying_attempts_.store(*attempts);
    spdlog::warn("reactor {}: reaction to {} at position {} failed (attempt {}, tried again): {}",
                 name_, event.type, event.position, *attempts, error.message);
    return error;
  }
  if (!error.permanent) {
    error.message = "Expected the reaction to pass within " + std::to_string(*attempts) +
                    " attempts, but each failed; the last: " + error.message;
  }
  if (auto s = record_failure(event, error, *attempts); !s) {
    spdlog::error("reactor {}: {}", name_, s.error().message);
    retrying_position_.store(event.position);
    retrying_attempts_.store(*attempts);
    return reaction_error(s.error());
  }
  failures_total_.fetch_add(1);
  retrying_position_.store(0);
  retrying_attempts_.store(0);
  spdlog::error("reactor {}: reaction to {} at position {} failed for good ({}), listed: {}", name_,
                event.type, event.position, error.code, error.message);
  return std::nullopt;
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
      // Attempts at the event a previous call stopped at go on counting.
      std::uint32_t attempts =
          retrying_position_.load() == e.position ? retrying_attempts_.load() : 0;
      if (auto failure = handle(e, &attempts)) {
        if (auto s = save_checkpoint(e.position - 1); !s)
          return unexpected(s.error());
        return unexpected(Error{ErrorCode::kOverloaded,
                                "Expected the reaction to the event at position " +
                                    std::to_string(e.position) + " to go through, but it failed (" +
                                    failure->code + ") and is tried again: " + failure->message,
                                {},
                                e.position});
      }
      ++handled;
    }
    if (auto s = save_checkpoint(subscription->position()); !s)
      return unexpected(s.error());
  }
  return handled;
}

Result<std::vector<FailedReaction>> Reactor::failed(std::uint64_t from, std::size_t limit) const {
  std::vector<FailedReaction> out;
  auto* family = store_.column_family_if_exists(format::kCfFailedReactions);
  if (family == nullptr)
    return out;
  std::string prefix = name_;
  prefix.push_back(format::kSeparator);
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(format::failed_reaction_key(name_, from));
       it->Valid() && it->key().starts_with(prefix) && out.size() < limit; it->Next()) {
    const auto key = it->key().ToStringView();
    if (key.size() != prefix.size() + 8)
      continue;
    const auto position = format::get_u64be(key.substr(prefix.size()));
    auto f = decode_failure(position, it->value().ToStringView());
    if (!f) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected a failed-reaction record at position " +
                                  std::to_string(position) + ", but it does not parse",
                              {},
                              position});
    }
    out.push_back(std::move(*f));
  }
  if (!it->status().ok())
    return unexpected(io(it->status(), "read failed reactions"));
  return out;
}

Expected<void, ReactionError> Reactor::retry(std::uint64_t position) {
  auto* family = store_.column_family_if_exists(format::kCfFailedReactions);
  const auto key = format::failed_reaction_key(name_, position);
  std::string value;
  auto s = family == nullptr ? rocksdb::Status::NotFound()
                             : store_.db()->Get(rocksdb::ReadOptions(), family, key, &value);
  if (s.IsNotFound()) {
    return unexpected(ReactionError{true, std::string(kNotListed),
                                    "Expected a failed reaction to the event at position " +
                                        std::to_string(position) + ", but none is listed"});
  }
  if (!s.ok())
    return unexpected(reaction_error(io(s, "read a failed reaction")));
  auto listed = decode_failure(position, value);
  auto event = store_.read_event(position);
  if (!event)
    return unexpected(reaction_error(event.error()));
  auto r = handler_(*event);
  std::lock_guard lock(records_mu_);
  if (r) {
    std::string still;
    auto found = store_.db()->Get(rocksdb::ReadOptions(), family, key, &still);
    if (found.ok()) {
      if (auto d = store_.db()->Delete(rocksdb::WriteOptions(), family, key); !d.ok())
        return unexpected(reaction_error(io(d, "remove a failed reaction")));
      failed_.fetch_sub(1);
    }
    spdlog::info("reactor {}: reaction to the event at position {} retried and done", name_,
                 position);
    return {};
  }
  FailedReaction f{position,
                   event->stream,
                   event->type,
                   r.error().code,
                   r.error().message,
                   (listed ? listed->attempts : 0) + 1,
                   store_.clock().now_us()};
  if (auto w = store_.db()->Put(rocksdb::WriteOptions(), family, key, encode_failure(f)); !w.ok())
    return unexpected(reaction_error(io(w, "record a failed reaction")));
  return unexpected(std::move(r).error());
}

void Reactor::start() {
  if (thread_.joinable())
    return;
  stopping_.store(false);
  live_ = store_.subscribe(checkpoint_.load(), category_);
  {
    std::lock_guard lock(passed_mu_);
    passed_.store(std::max(passed_.load(), checkpoint_.load()));
    running_.store(true);
  }
  thread_ = std::thread([this] { run(); });
}

void Reactor::stop() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_.store(true);
  }
  wake_.notify_all();
  {
    std::lock_guard lock(passed_mu_);
    running_.store(false);
  }
  passed_cv_.notify_all();
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
      pause(std::chrono::seconds(1));
      continue;
    }
    bool stopped = false;
    for (const auto& e : *batch) {
      std::uint32_t attempts = 0;
      bool done = false;
      while (!done) {
        if (!handle(e, &attempts)) {
          done = true;
        } else if (!pause(backoff(attempts))) {
          break;
        }
      }
      if (!done) {
        // Stopping while the event may still pass: resume at it.
        stopped = true;
        (void)save_checkpoint(e.position - 1);
        break;
      }
      mark_passed(e.position);
    }
    if (!stopped && !batch->empty())
      (void)save_checkpoint(live_->position());
  }
}

}  // namespace docket::engine
