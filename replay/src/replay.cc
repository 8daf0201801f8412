#include "docket/replay/replay.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "envelope_generated.h"

namespace docket::replay {

namespace format = engine::format;

namespace {

constexpr std::size_t kBatchRecords = 512;
constexpr std::size_t kQueuedBatches = 8;  // per worker
constexpr std::uint64_t kNoFailure = UINT64_MAX;

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class A>
struct States {
  using Aggregate = A;
  std::unordered_map<std::string, typename A::State, NameHash, std::equal_to<>> by_stream;
};

using AllStates = std::tuple<States<domain::CourtAggregate>, States<domain::CaseNumberAggregate>,
                             States<domain::LawyerAggregate>, States<domain::FilingAggregate>,
                             States<domain::PaymentAggregate>, States<domain::CaseAggregate>,
                             States<domain::ServiceAggregate>, States<domain::StaffAggregate>,
                             States<domain::HotlineAggregate>>;

std::string_view view(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : s->string_view();
}

// Records read from the log, each with the stored hash before it, its own stored hash and its
// envelope (copied at an 8-aligned offset), and the worker that folds its stream. Batches are
// recycled through a BatchPool, so their buffers are allocated once.
struct Batch {
  static constexpr std::size_t kArenaWords = (1u << 20) / 8;  // 1 MiB of envelopes

  struct Record {
    std::size_t offset = 0;  // of the envelope in the arena, in bytes
    std::size_t size = 0;
    format::Hash previous{};  // the stored hash of the record before
    format::Hash hash{};      // its own stored hash
    std::uint32_t worker = 0;
  };
  std::uint64_t first_position = 0;
  std::vector<Record> records;

  Batch() { records.reserve(kBatchRecords); }

  void reset(std::uint64_t first) {
    first_position = first;
    records.clear();
    used_ = 0;
  }
  bool full() const { return records.size() >= kBatchRecords; }
  // Whether an envelope of `size` bytes still fits (an empty batch takes any size).
  bool fits(std::size_t size) const {
    return records.empty() || used_ + (size + 7) / 8 <= capacity_;
  }
  Record& add(std::string_view envelope, const format::Hash& previous, std::string_view hash) {
    const std::size_t words = (envelope.size() + 7) / 8;
    if (used_ + words > capacity_) {  // only for the first record of a batch: grow to fit
      capacity_ = std::max(kArenaWords, words);
      arena_ = std::make_unique_for_overwrite<std::uint64_t[]>(capacity_);
    }
    Record r;
    r.offset = used_ * 8;
    r.size = envelope.size();
    r.previous = previous;
    std::memcpy(r.hash.data(), hash.data(), format::kHashSize);
    std::memcpy(reinterpret_cast<char*>(arena_.get()) + r.offset, envelope.data(), envelope.size());
    used_ += words;
    records.push_back(r);
    return records.back();
  }
  std::string_view envelope(const Record& r) const {
    return {reinterpret_cast<const char*>(arena_.get()) + r.offset, r.size};
  }

 private:
  std::unique_ptr<std::uint64_t[]> arena_;
  std::size_t capacity_ = 0;  // in words
  std::size_t used_ = 0;
};

// Hands out batches and takes them back when every worker is done with one. Thread-safe; must
// outlive every batch it handed out.
class BatchPool {
 public:
  std::shared_ptr<Batch> get(std::uint64_t first_position) {
    std::unique_ptr<Batch> b;
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        b = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (b == nullptr)
      b = std::make_unique<Batch>();
    b->reset(first_position);
    return std::shared_ptr<Batch>(b.release(), [this](Batch* done) {
      std::lock_guard lock(mu_);
      free_.emplace_back(done);
    });
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Batch>> free_;
};

// The first bad position any stage found; stages stop once it is before what they handle.
class FirstFailure {
 public:
  void report(engine::Error error) {
    std::lock_guard lock(mu_);
    const auto p = *error.position;
    if (p < position_.load()) {
      position_ = p;
      error_ = std::move(error);
    }
  }
  std::uint64_t position() const { return position_.load(std::memory_order_relaxed); }
  std::optional<engine::Error> error() const {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  mutable std::mutex mu_;
  std::atomic<std::uint64_t> position_{kNoFailure};
  std::optional<engine::Error> error_;
};

engine::Error corruption(std::uint64_t position, std::string message) {
  return engine::Error{engine::ErrorCode::kCorruption, std::move(message), std::nullopt, position};
}

// One folding worker: checks the hashes of its share of the records (every n-th) and folds the
// events of its share of the streams, in log order, into their aggregates' states.
class Worker {
 public:
  Worker(std::uint32_t index, std::uint32_t count, FirstFailure& failure)
      : index_(index), count_(count), failure_(failure), thread_([this] { run(); }) {}
  ~Worker() { finish(); }

  // Blocks while this worker's queue is full. A null batch ends the work.
  void push(std::shared_ptr<const Batch> batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < kQueuedBatches || done_; });
    if (done_)
      return;
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }

  void finish() {
    if (thread_.joinable()) {
      push(nullptr);
      thread_.join();
    }
  }

  std::uint64_t folded() const { return folded_; }
  std::uint64_t streams() const {
    std::uint64_t n = 0;
    std::apply([&](const auto&... s) { ((n += s.by_stream.size()), ...); }, states_);
    return n;
  }

 private:
  void run() {
    engine::Sha256 hasher;
    for (;;) {
      std::shared_ptr<const Batch> batch;
      {
        std::unique_lock lock(mu_);
        not_empty_.wait(lock, [&] { return !queue_.empty(); });
        batch = std::move(queue_.front());
        queue_.pop_front();
        not_full_.notify_one();
      }
      if (batch == nullptr || !handle(*batch, hasher)) {
        std::lock_guard lock(mu_);
        done_ = true;  // later pushes return at once
        not_full_.notify_all();
        return;
      }
    }
  }

  bool handle(const Batch& batch, engine::Sha256& hasher) {
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
      const auto position = batch.first_position + i;
      if (position >= failure_.position())
        return false;  // nothing at or after the first bad record counts
      const auto& r = batch.records[i];
      const auto bytes = batch.envelope(r);
      if (position % count_ == index_) {
        hasher.update(r.previous);
        hasher.update(bytes);
        if (hasher.finish() != r.hash) {
          failure_.report(corruption(
              position, "Expected the stored hash at position " + std::to_string(position) +
                            " to equal SHA-256(previous hash || envelope), but it does not"));
          return false;
        }
      }
      if (r.worker == index_ && !fold(*engine::fb::GetEnvelope(bytes.data())))
        return false;
    }
    return true;
  }

  // False when an aggregate refused the event (reported as the failure at its position).
  bool fold(const engine::fb::Envelope& env) {
    domain::StoredEvent event;
    event.stream = view(env.stream_id());
    event.type = view(env.event_type());
    event.schema_version = env.schema_version();
    if (env.payload() != nullptr) {
      event.payload = std::string_view(reinterpret_cast<const char*>(env.payload()->data()),
                                       env.payload()->size());
    }
    event.version = env.stream_version();
    event.position = env.position();
    event.recorded_at_us = env.recorded_at_us();
    const auto category = format::category_of(event.stream);
    return std::apply([&](auto&... s) { return (fold_into(s, category, event) && ...); }, states_);
  }

  template <class S>
  bool fold_into(S& states, std::string_view category, const domain::StoredEvent& event) {
    using A = typename S::Aggregate;
    if (A::kCategory != category)
      return true;
    auto it = states.by_stream.find(event.stream);
    if (it == states.by_stream.end())
      it = states.by_stream.emplace(std::string(event.stream), A::initial()).first;
    if (auto folded = domain::fold_event<A>(it->second, event); !folded) {
      failure_.report(corruption(event.position, std::move(folded).error()));
      return false;
    }
    ++folded_;
    return true;
  }

  const std::uint32_t index_;
  const std::uint32_t count_;
  FirstFailure& failure_;
  AllStates states_;
  std::uint64_t folded_ = 0;

  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::shared_ptr<const Batch>> queue_;
  bool done_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace

engine::Result<ReplayStats> replay_log(engine::EventStore& store, std::uint64_t to,
                                       Progress* progress, unsigned workers) {
  if (workers == 0)
    workers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  ReplayStats stats;
  const std::uint64_t last = std::min(to, store.last_position());
  if (progress != nullptr)
    progress->restart("replay", last);

  BatchPool batches;  // outlives the workers, which hold batches until they finish
  FirstFailure failure;
  std::vector<std::unique_ptr<Worker>> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.push_back(std::make_unique<Worker>(w, workers, failure));

  // This thread reads the log, checks positions and envelopes, and hands the records out in
  // batches; the workers check the hashes and fold.
  format::Hash previous = format::kGenesisHash;
  std::uint64_t expected = 1;
  auto batch = batches.get(1);
  auto hand_out = [&] {
    std::shared_ptr<const Batch> shared = std::move(batch);
    for (auto& w : pool)
      w->push(shared);
    shared.reset();
    batch = batches.get(expected);
  };
  auto r = store.scan(1, last, [&](const engine::RecordView& v) {
    if (expected >= failure.position())
      return false;
    if (v.key_position != expected) {
      failure.report(corruption(expected, "Expected position " + std::to_string(expected) +
                                              " next, but found " +
                                              std::to_string(v.key_position)));
      return false;
    }
    if (!batch->fits(v.envelope.size()))
      hand_out();
    // Copy first, so the envelope is read from aligned bytes.
    auto& record = batch->add(v.envelope, previous, v.hash);
    const auto bytes = batch->envelope(record);
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    if (!engine::fb::VerifyEnvelopeBuffer(verifier)) {
      batch->records.pop_back();
      failure.report(corruption(expected, "Expected a well-formed envelope at position " +
                                              std::to_string(expected) +
                                              ", but it does not parse"));
      return false;
    }
    const auto* env = engine::fb::GetEnvelope(bytes.data());
    if (env->position() != expected) {
      batch->records.pop_back();
      failure.report(corruption(
          expected, "Expected the envelope at position " + std::to_string(expected) +
                        " to name that position, but it names " + std::to_string(env->position())));
      return false;
    }
    record.worker = static_cast<std::uint32_t>(NameHash{}(view(env->stream_id())) % workers);
    previous = record.hash;
    ++expected;
    if (batch->full()) {
      hand_out();
      if (progress != nullptr)
        progress->set(expected - 1);
    }
    return true;
  });
  if (!batch->records.empty())
    hand_out();
  for (auto& w : pool)
    w->finish();
  if (progress != nullptr)
    progress->finish();
  if (!r)
    return unexpected(r.error());
  if (failure.position() == kNoFailure && expected <= last) {
    failure.report(corruption(expected, "Expected position " + std::to_string(expected) +
                                            " next, but the log ends at " +
                                            std::to_string(expected - 1)));
  }

  stats.failure = failure.error();
  const std::uint64_t good = stats.failure ? *stats.failure->position - 1 : expected - 1;
  stats.events = good;
  for (const auto& w : pool) {
    stats.folded += w->folded();
    stats.streams += w->streams();
  }
  stats.tip = engine::to_hex(format::kGenesisHash);
  if (good > 0) {
    if (good == expected - 1) {
      stats.tip = engine::to_hex(previous);
    } else {
      auto e = store.read_event(good);
      if (!e)
        return unexpected(e.error());
      stats.tip = engine::to_hex(e->hash);
    }
  }
  return stats;
}

}  // namespace docket::replay
