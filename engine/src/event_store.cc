#include "docket/engine/event_store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>

#include "docket/engine/byte_lru.h"
#include "docket/engine/sha256.h"
#include "docket/engine/storage_error.h"
#include "envelope_generated.h"
#include "open_checks.h"
#include "rocksdb_hooks.h"
#include "timer_codec.h"
#include "tip_file.h"

namespace docket::engine {
namespace {

constexpr std::size_t kMaxStreamIdBytes = 512;
constexpr std::size_t kMaxTypeBytes = 256;
constexpr std::size_t kMaxIdempotencyKeyBytes = 512;

Error io_error(const rocksdb::Status& s, std::string_view what) {
  return storage_error(s, std::string(what));
}

// Free bytes (for unprivileged users) of the file system holding `path`; 0 when unknown.
std::uint64_t free_bytes_at(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0)
    return 0;
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

Error invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::nullopt, std::nullopt};
}

// FlatBuffers reads scalars in place and needs them aligned; RocksDB hands out values at any
// address (a record's envelope also starts 32 bytes into its value). Returns `bytes` when it is
// 8-aligned, else an aligned copy in `scratch`.
std::string_view aligned(std::string_view bytes, std::string& scratch) {
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 == 0)
    return bytes;
  scratch.assign(bytes.data(), bytes.size());
  return scratch;
}

fb::Uuid to_fb(const Uuid& id) {
  return fb::Uuid(id.hi, id.lo);
}
Uuid from_fb(const fb::Uuid* id) {
  return id == nullptr ? Uuid{} : Uuid{id->hi(), id->lo()};
}

std::string sv_of(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : std::string(s->string_view());
}

std::string encode_idempotency(const AppendResult& r) {
  std::string v;
  v.reserve(24 + r.rejection.size());
  format::put_u64be(v, r.first_position);
  format::put_u64be(v, r.last_position);
  format::put_u64be(v, r.stream_version);
  v.append(r.rejection);
  return v;
}

std::optional<AppendResult> decode_idempotency(std::string_view v) {
  if (v.size() < 24)
    return std::nullopt;
  AppendResult r;
  r.first_position = format::get_u64be(v.substr(0, 8));
  r.last_position = format::get_u64be(v.substr(8, 8));
  r.stream_version = format::get_u64be(v.substr(16, 8));
  r.rejection = std::string(v.substr(24));
  r.deduplicated = true;
  return r;
}

Result<void> validate_name(std::string_view what, std::string_view name, std::size_t max) {
  if (name.empty())
    return unexpected(invalid("Expected a non-empty " + std::string(what) + ", but it is empty"));
  if (name.size() > max) {
    return unexpected(invalid("Expected " + std::string(what) + " of at most " +
                              std::to_string(max) + " bytes, but it has " +
                              std::to_string(name.size())));
  }
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == static_cast<unsigned char>(format::kSeparator)) {
      return unexpected(
          invalid("Expected " + std::string(what) + " without NUL bytes, but it has one"));
    }
    if (byte < 0x20 || byte == 0x7F) {
      return unexpected(invalid("Expected " + std::string(what) +
                                " without control characters, but it has byte " +
                                std::to_string(byte)));
    }
  }
  return {};
}

// Builds an envelope with every scalar present (ForceDefaults), so the writer can patch
// position, version and time in place without rebuilding it.
std::string build_envelope(const AppendRequest& r, const ProposedEvent& e) {
  flatbuffers::FlatBufferBuilder fbb(256 + e.payload.size());
  fbb.ForceDefaults(true);
  auto stream = fbb.CreateString(r.stream);
  auto type = fbb.CreateString(e.type);
  auto actor_id = fbb.CreateString(r.actor.id);
  auto actor_role = fbb.CreateString(r.actor.role);
  auto payload =
      fbb.CreateVector(reinterpret_cast<const std::uint8_t*>(e.payload.data()), e.payload.size());
  const Uuid event_id = e.event_id.is_nil() ? Uuid::random() : e.event_id;
  const fb::Uuid eid = to_fb(event_id);
  const fb::Uuid cor = to_fb(r.correlation_id);
  const fb::Uuid cau = to_fb(r.causation_id);
  fb::EnvelopeBuilder b(fbb);
  b.add_position(0);
  b.add_stream_id(stream);
  b.add_stream_version(0);
  b.add_event_id(&eid);
  b.add_event_type(type);
  b.add_schema_version(e.schema_version);
  b.add_recorded_at_us(0);
  b.add_actor_id(actor_id);
  b.add_actor_role(actor_role);
  b.add_correlation_id(&cor);
  b.add_causation_id(&cau);
  b.add_payload(payload);
  fbb.Finish(b.Finish(), fb::EnvelopeIdentifier());
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

rocksdb::CompressionType best_compression() {
  auto supported = rocksdb::GetSupportedCompressions();
  for (auto c : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), c) != supported.end())
      return c;
  }
  return rocksdb::kNoCompression;
}

// Column family options, tuned per family (see doc/format.md, "RocksDB options").
rocksdb::ColumnFamilyOptions family_options(std::string_view name,
                                            const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.cache_index_and_filter_blocks = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  t.format_version = 5;
  o.compression = best_compression();
  o.level_compaction_dynamic_level_bytes = true;
  o.write_buffer_size = 32u << 20;
  if (name == format::kCfLog) {
    // Append-only, sequential keys, read by range: large blocks, no bloom filter.
    t.block_size = 16 * 1024;
    o.write_buffer_size = 64u << 20;
  } else if (name == format::kCfBlobs) {
    // Chunks are ordinary values: RocksDB's blob files cannot be read by a secondary instance,
    // which the auditors' tool is (since format 2).
    t.block_size = 64 * 1024;
    o.compression = rocksdb::kNoCompression;  // uploads are mostly compressed images and PDFs
  } else {
    // Point lookups and short prefix scans: a whole-key bloom filter.
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
    t.whole_key_filtering = true;
    // The memtable gets one too: a lookup of a key that is not there (a fresh idempotency key,
    // a stream's first event) is then answered without searching the skip list.
    o.memtable_prefix_bloom_size_ratio = 0.02;
    o.memtable_whole_key_filtering = true;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

const std::vector<std::string_view>& core_families() {
  static const std::vector<std::string_view> kFamilies{
      format::kCfDefault,    format::kCfLog,         format::kCfStreams,    format::kCfHeads,
      format::kCfCategories, format::kCfIdempotency, format::kCfTimers,     format::kCfSnapshots,
      format::kCfBlobs,      format::kCfCheckpoints, format::kCfCredentials};
  return kFamilies;
}

class EventStoreImpl;

class SubscriptionImpl final : public Subscription {
 public:
  SubscriptionImpl(const EventStoreImpl& store, std::uint64_t after, std::string category)
      : store_(store), position_(after), category_(std::move(category)) {}
  Result<std::vector<RecordedEvent>> next(std::size_t max_count,
                                          std::chrono::milliseconds timeout) override;
  std::uint64_t position() const override { return position_; }
  void close() override;

 private:
  const EventStoreImpl& store_;
  std::uint64_t position_;
  std::string category_;
  std::atomic<bool> closed_{false};
};

struct PendingAppend {
  AppendRequest request;
  std::vector<std::string> envelopes;
  std::vector<rocksdb::ColumnFamilyHandle*> side_families;  // of request.side_writes, in order
  EventStore::AppendCallback done;
  std::size_t bytes = 0;
};

class EventStoreImpl final : public EventStore {
 public:
  explicit EventStoreImpl(StoreOptions options) : options_(std::move(options)) {
    if (options_.clock == nullptr) {
      owned_clock_ = std::make_unique<SystemClock>();
      options_.clock = owned_clock_.get();
    }
  }

  ~EventStoreImpl() override {
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable())
      writer_.join();
    {
      std::lock_guard lock(completion_mu_);
      completions_stopping_ = true;
    }
    completion_cv_.notify_all();
    if (completer_.joinable())
      completer_.join();
    {
      std::lock_guard lock(commit_mu_);
      closed_ = true;
    }
    commit_cv_.notify_all();
    close_db();
  }

  void close_db() {
    for (auto& [name, handle] : families_) {
      if (db_ != nullptr)
        db_->DestroyColumnFamilyHandle(handle);
    }
    families_.clear();
    if (db_ != nullptr) {
      db_->Close();
      delete db_;
      db_ = nullptr;
    }
  }

  Result<void> open() {
    cache_ = rocksdb::NewLRUCache(options_.block_cache_bytes);
    rocksdb::DBOptions db_options;
    db_options.create_if_missing = !options_.secondary;
    db_options.create_missing_column_families = !options_.secondary;
    db_options.max_background_jobs = 2;
    db_options.db_write_buffer_size = options_.memtable_bytes;
    db_options.bytes_per_sync = 1u << 20;
    db_options.keep_log_file_num = 4;
    db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    // RocksDB logs through spdlog: no LOG file of its own in the store, which a full disk would
    // make fail.
    logger_ = std::make_shared<SpdlogLogger>(db_options.info_log_level);
    db_options.info_log = logger_;
    if (options_.file_system != nullptr) {
      env_ = rocksdb::NewCompositeEnv(options_.file_system);
      db_options.env = env_.get();
    }
    if (options_.secondary) {
      db_options.max_open_files = -1;
    } else {
      // A torn last record (a crash mid-write, never acknowledged) is dropped; damage anywhere
      // else in the write-ahead log refuses the open instead of silently ending the log there.
      db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
      // ... and so does a gap between the positions it replays.
      wal_filter_ = std::make_unique<LogContinuityFilter>();
      db_options.wal_filter = wal_filter_.get();
      db_options.listeners.push_back(std::make_shared<BackgroundErrorListener>(
          [this](const rocksdb::Status& error) { refuse_writes(describe_failure(error)); }));
    }
    // The acknowledged tip is read before RocksDB recovers anything.
    tip_file_ = std::make_unique<TipFile>(options_.path, options_.sync);
    auto acknowledged = tip_file_->read();
    if (!acknowledged) {
      auto e = acknowledged.error();
      e.message += ". " + damaged_store_advice(options_.path);
      return unexpected(std::move(e));
    }

    std::vector<std::string> existing;
    auto s = rocksdb::DB::ListColumnFamilies(db_options, options_.path, &existing);
    if (!s.ok()) {
      if (options_.secondary)
        return unexpected(io_error(s, "Expected an existing store to follow"));
      existing.clear();
    }
    std::vector<std::string> names;
    for (auto f : core_families())
      names.emplace_back(f);
    for (const auto& e : existing) {
      if (std::find(names.begin(), names.end(), e) == names.end())
        names.push_back(e);
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names)
      descriptors.emplace_back(n, family_options(n, cache_));
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    if (options_.secondary) {
      std::vector<rocksdb::ColumnFamilyDescriptor> present;
      for (auto& d : descriptors) {
        if (std::find(existing.begin(), existing.end(), d.name) != existing.end())
          present.push_back(d);
      }
      s = rocksdb::DB::OpenAsSecondary(db_options, options_.path, options_.secondary_path, present,
                                       &handles, &db_);
    } else {
      s = rocksdb::DB::Open(db_options, options_.path, descriptors, &handles, &db_);
    }
    if (!s.ok())
      return unexpected(open_failure(s, *acknowledged));
    for (auto* h : handles)
      families_.emplace(h->GetName(), h);
    log_ = family(format::kCfLog);
    streams_ = family(format::kCfStreams);
    heads_ = family(format::kCfHeads);
    categories_ = family(format::kCfCategories);
    idempotency_ = family(format::kCfIdempotency);
    timers_ = family(format::kCfTimers);
    credentials_ = family(format::kCfCredentials);
    if (log_ == nullptr || streams_ == nullptr || heads_ == nullptr || categories_ == nullptr ||
        idempotency_ == nullptr || timers_ == nullptr) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected every core column family, but some are missing",
                              {},
                              {}});
    }
    if (auto r = check_format_version(); !r)
      return r;
    if (auto r = load_tip(); !r)
      return r;
    if (auto r = check_recovered_log(*acknowledged); !r)
      return r;
    if (!options_.secondary) {
      completer_ = std::thread([this] { completion_loop(); });
      writer_ = std::thread([this] { writer_loop(); });
    }
    return {};
  }

  void append_async(AppendRequest request, AppendCallback done) override {
    auto pending = prepare(std::move(request), std::move(done));
    if (!pending)
      return;
    {
      std::unique_lock lock(queue_mu_);
      if (stopping_) {
        lock.unlock();
        pending->done(unexpected(
            Error{ErrorCode::kClosed, "Expected an open store, but it is closing", {}, {}}));
        return;
      }
      if (refusing_) {
        auto e = refused_locked();
        lock.unlock();
        pending->done(unexpected(std::move(e)));
        return;
      }
      if (queue_.size() >= options_.max_queued_requests) {
        lock.unlock();
        pending->done(unexpected(Error{
            ErrorCode::kOverloaded, "Expected room in the append queue, but it is full", {}, {}}));
        return;
      }
      queue_.push_back(std::move(*pending));
    }
    queue_cv_.notify_one();
  }

  Result<AppendResult> append(AppendRequest request) override {
    std::promise<Result<AppendResult>> promise;
    auto future = promise.get_future();
    append_async(std::move(request),
                 [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); });
    return future.get();
  }

  StoreStats stats() const override {
    std::lock_guard lock(stats_mu_);
    return stats_;
  }

  StoreHealth health() const override {
    StoreHealth h;
    h.free_bytes = free_bytes();
    std::lock_guard lock(queue_mu_);
    h.writable = !refusing_ && !options_.secondary;
    h.reason = options_.secondary ? "a read-only secondary" : refusal_reason_;
    h.refusals = refusals_;
    return h;
  }

  std::uint64_t last_position() const override {
    return committed_.load(std::memory_order_acquire);
  }

  std::uint64_t wait_for_position(std::uint64_t position,
                                  std::chrono::milliseconds timeout) const override {
    return wait_for(position, timeout, nullptr);
  }

  std::uint64_t wait_for(std::uint64_t position, std::chrono::milliseconds timeout,
                         const std::atomic<bool>* cancelled) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    if (options_.secondary) {
      // A secondary learns of new commits only by catching up with the primary: poll.
      while (last_position() < position && !(cancelled && cancelled->load())) {
        if (auto r = refresh_impl(); !r)
          break;
        if (last_position() >= position || std::chrono::steady_clock::now() >= deadline)
          break;
        std::unique_lock lock(commit_mu_);
        commit_cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
      return last_position();
    }
    std::unique_lock lock(commit_mu_);
    commit_cv_.wait_until(lock, deadline, [&] {
      return closed_ || last_position() >= position || (cancelled != nullptr && cancelled->load());
    });
    return last_position();
  }

  void wake_waiters() const { commit_cv_.notify_all(); }

  Result<std::uint64_t> stream_version(std::string_view stream) const override {
    if (auto r = validate_name("stream id", stream, kMaxStreamIdBytes); !r)
      return unexpected(r.error());
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), heads_, stream, &value);
    if (s.IsNotFound())
      return std::uint64_t{0};
    if (!s.ok())
      return unexpected(io_error(s, "Expected to read a stream head"));
    if (value.size() < 8)
      return unexpected(Error{ErrorCode::kCorruption, "Expected an 8-byte stream head", {}, {}});
    return format::get_u64be(value);
  }

  Result<std::vector<RecordedEvent>> read_stream(std::string_view stream, std::uint64_t from,
                                                 std::size_t max_count,
                                                 Direction direction) const override {
    // The index key is `stream || 0x00 || version`: a NUL inside `stream` would read another
    // stream's rows.
    if (auto r = validate_name("stream id", stream, kMaxStreamIdBytes); !r)
      return unexpected(r.error());
    std::vector<std::uint64_t> positions;
    std::string prefix(stream);
    prefix.push_back(format::kSeparator);
    rocksdb::ReadOptions ro;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, streams_));
    const auto start = format::stream_key(stream, from);
    if (direction == Direction::kForward) {
      for (it->Seek(start); it->Valid() && positions.size() < max_count; it->Next()) {
        if (!it->key().starts_with(prefix))
          break;
        positions.push_back(format::get_u64be(it->value().ToStringView()));
      }
    } else {
      for (it->SeekForPrev(start); it->Valid() && positions.size() < max_count; it->Prev()) {
        if (!it->key().starts_with(prefix))
          break;
        positions.push_back(format::get_u64be(it->value().ToStringView()));
      }
    }
    if (!it->status().ok())
      return unexpected(io_error(it->status(), "Expected to read the stream index"));
    return fetch(positions);
  }

  Result<std::vector<RecordedEvent>> read_all(std::uint64_t from,
                                              std::size_t max_count) const override {
    std::vector<RecordedEvent> out;
    auto r = scan(std::max<std::uint64_t>(from, 1), UINT64_MAX, [&](const RecordView& v) {
      auto e = decode_record(v.key_position,
                             std::string_view(v.hash.data(), v.hash.size() + v.envelope.size()));
      if (!e)
        return false;
      out.push_back(std::move(*e));
      return out.size() < max_count;
    });
    if (!r)
      return unexpected(r.error());
    return out;
  }

  Result<std::vector<RecordedEvent>> read_category(std::string_view category, std::uint64_t from,
                                                   std::size_t max_count) const override {
    if (auto r = validate_name("category", category, kMaxStreamIdBytes); !r)
      return unexpected(r.error());
    std::vector<std::uint64_t> positions;
    std::string prefix(category);
    prefix.push_back(format::kSeparator);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), categories_));
    for (it->Seek(format::category_key(category, from));
         it->Valid() && positions.size() < max_count; it->Next()) {
      if (!it->key().starts_with(prefix))
        break;
      positions.push_back(format::get_u64be(it->key().ToStringView().substr(prefix.size())));
    }
    if (!it->status().ok())
      return unexpected(io_error(it->status(), "Expected to read the category index"));
    return fetch(positions);
  }

  Result<RecordedEvent> read_event(std::uint64_t position) const override {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), log_, format::log_key(position), &value);
    if (s.IsNotFound()) {
      return unexpected(
          Error{ErrorCode::kNotFound,
                "Expected an event at position " + std::to_string(position) + ", but there is none",
                {},
                {}});
    }
    if (!s.ok())
      return unexpected(io_error(s, "Expected to read the log"));
    return decode_record(position, value);
  }

  Result<void> scan(std::uint64_t from, std::uint64_t to,
                    const std::function<bool(const RecordView&)>& visit) const override {
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    const auto upper = format::log_key(to == UINT64_MAX ? to : to + 1);
    rocksdb::Slice upper_slice(upper);
    if (to != UINT64_MAX)
      ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, log_));
    for (it->Seek(format::log_key(from)); it->Valid(); it->Next()) {
      auto key = it->key().ToStringView();
      auto value = it->value().ToStringView();
      if (key.size() != 8 || value.size() < format::kHashSize) {
        return unexpected(
            Error{ErrorCode::kCorruption,
                  "Expected a log record, but found a malformed one",
                  {},
                  key.size() == 8 ? std::optional(format::get_u64be(key)) : std::nullopt});
      }
      RecordView view{format::get_u64be(key), value.substr(0, format::kHashSize),
                      value.substr(format::kHashSize)};
      if (!visit(view))
        break;
    }
    if (!it->status().ok())
      return unexpected(io_error(it->status(), "Expected to scan the log"));
    return {};
  }

  Result<std::optional<AppendResult>> find_idempotent(std::string_view key) const override {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), idempotency_, key, &value);
    if (s.IsNotFound())
      return std::optional<AppendResult>{};
    if (!s.ok())
      return unexpected(io_error(s, "Expected to read an idempotency key"));
    return decode_idempotency(value);
  }

  // Each record's stored hash must equal SHA-256(stored hash of the previous record || its
  // envelope). Because every check needs only the previous *stored* hash, segments of the log
  // verify independently: large logs are checked on several threads, and the first failure
  // (lowest position) is reported.
  VerifyReport verify_chain(std::uint64_t to) const override {
    VerifyReport report;
    auto end = read_end();
    if (!end) {
      report.failure = end.error();
      report.failure->position = 1;
      return report;
    }
    const std::uint64_t last = std::min(to, end->first);
    if (last == 0)
      return report;
    constexpr std::uint64_t kParallelFrom = 65'536;
    const unsigned threads =
        last < kParallelFrom ? 1u : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    std::vector<SegmentCheck> checks(threads);
    std::vector<std::thread> workers;
    for (unsigned k = 0; k < threads; ++k) {
      const std::uint64_t first = 1 + k * last / threads;
      const std::uint64_t stop = (k + 1) * last / threads;
      if (k == 0)
        continue;
      workers.emplace_back(
          [this, &checks, k, first, stop] { checks[k] = verify_segment(first, stop); });
    }
    checks[0] = verify_segment(1, last / threads);
    for (auto& w : workers)
      w.join();
    for (const auto& c : checks) {
      report.checked = c.last_good;
      report.last_position = c.last_good;
      report.tip = c.last_hash;
      if (c.failure) {
        report.failure = c.failure;
        break;
      }
    }
    return report;
  }

  struct SegmentCheck {
    std::uint64_t last_good = 0;
    format::Hash last_hash{};
    std::optional<Error> failure;
  };

  SegmentCheck verify_segment(std::uint64_t first, std::uint64_t stop) const {
    SegmentCheck check;
    check.last_good = first - 1;
    auto fail = [&](std::uint64_t position, std::string message) {
      check.failure = Error{ErrorCode::kCorruption, std::move(message), std::nullopt, position};
      return false;
    };
    format::Hash previous = format::kGenesisHash;
    if (first > 1) {
      std::string value;
      auto s = db_->Get(rocksdb::ReadOptions(), log_, format::log_key(first - 1), &value);
      if (!s.ok() || value.size() < format::kHashSize) {
        fail(first - 1,
             "Expected a record at position " + std::to_string(first - 1) + ", but there is none");
        return check;
      }
      previous = hash_from_bytes(value.substr(0, format::kHashSize));
    }
    check.last_hash = previous;
    std::uint64_t expected = first;
    Sha256 hasher;
    std::string scratch;
    auto r = scan(first, stop, [&](const RecordView& v) {
      if (v.key_position != expected) {
        return fail(expected, "Expected position " + std::to_string(expected) +
                                  " next, but found " + std::to_string(v.key_position));
      }
      const auto envelope = aligned(v.envelope, scratch);
      flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(envelope.data()),
                                     envelope.size());
      if (!fb::VerifyEnvelopeBuffer(verifier)) {
        return fail(expected, "Expected a well-formed envelope at position " +
                                  std::to_string(expected) + ", but it does not parse");
      }
      hasher.update(previous);
      hasher.update(v.envelope);
      auto computed = hasher.finish();
      if (std::memcmp(computed.data(), v.hash.data(), format::kHashSize) != 0) {
        return fail(expected, "Expected the stored hash at position " + std::to_string(expected) +
                                  " to equal SHA-256(previous hash || envelope), but it does not");
      }
      const auto* env = fb::GetEnvelope(envelope.data());
      if (env->position() != v.key_position) {
        return fail(expected, "Expected the envelope at position " + std::to_string(expected) +
                                  " to name that position, but it names " +
                                  std::to_string(env->position()));
      }
      previous = computed;
      check.last_good = expected;
      check.last_hash = computed;
      ++expected;
      return true;
    });
    if (!r && !check.failure) {
      check.failure = r.error();
      if (!check.failure->position)
        check.failure->position = expected;
    }
    if (!check.failure && expected <= stop) {
      fail(expected, "Expected position " + std::to_string(expected) +
                         " next, but the log ends at " + std::to_string(expected - 1));
    }
    return check;
  }

  std::unique_ptr<Subscription> subscribe(std::uint64_t after_position,
                                          std::string category) const override {
    return std::make_unique<SubscriptionImpl>(*this, after_position, std::move(category));
  }

  Result<void> refresh() override { return refresh_impl(); }

  Result<void> refresh_impl() const {
    if (!options_.secondary)
      return {};
    std::lock_guard lock(refresh_mu_);
    auto s = db_->TryCatchUpWithPrimary();
    if (!s.ok())
      return unexpected(io_error(s, "Expected to catch up with the primary"));
    auto end = read_end();
    if (!end)
      return unexpected(end.error());
    publish_committed(end->first);
    return {};
  }

  Clock& clock() const override { return *options_.clock; }
  const StoreOptions& options() const override { return options_; }
  rocksdb::DB* db() const override { return db_; }

  rocksdb::ColumnFamilyHandle* column_family(std::string_view name) override {
    std::lock_guard lock(families_mu_);
    if (auto it = families_.find(std::string(name)); it != families_.end())
      return it->second;
    if (options_.secondary)
      return nullptr;
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    auto s = db_->CreateColumnFamily(family_options(name, cache_), std::string(name), &handle);
    if (!s.ok()) {
      spdlog::error("cannot create column family {}: {}", name, s.ToString());
      return nullptr;
    }
    families_.emplace(std::string(name), handle);
    return handle;
  }

  rocksdb::ColumnFamilyHandle* column_family_if_exists(std::string_view name) const override {
    std::lock_guard lock(families_mu_);
    auto it = families_.find(std::string(name));
    return it == families_.end() ? nullptr : it->second;
  }

  std::vector<std::string> column_family_names() const override {
    std::lock_guard lock(families_mu_);
    std::vector<std::string> out;
    for (const auto& [name, handle] : families_)
      out.push_back(name);
    return out;
  }

  std::uint64_t add_timers_listener(std::function<void()> listener) override {
    std::lock_guard lock(listeners_mu_);
    timer_listeners_.emplace(++listener_ids_, std::move(listener));
    return listener_ids_;
  }

  void remove_timers_listener(std::uint64_t id) override {
    std::lock_guard lock(listeners_mu_);
    timer_listeners_.erase(id);
  }

 private:
  rocksdb::ColumnFamilyHandle* family(std::string_view name) const {
    auto it = families_.find(std::string(name));
    return it == families_.end() ? nullptr : it->second;
  }

  Result<void> check_format_version() {
    std::string value;
    auto* meta = family(format::kCfDefault);
    auto s = db_->Get(rocksdb::ReadOptions(), meta, format::kMetaFormatVersionKey, &value);
    const auto mine = std::to_string(format::kFormatVersion);
    // A new store, or one this release upgrades in place, records this release's version (a
    // reader leaves the store as it is).
    auto record = [&]() -> Result<void> {
      if (options_.secondary)
        return {};
      rocksdb::WriteOptions wo;
      wo.sync = true;
      if (auto put = db_->Put(wo, meta, format::kMetaFormatVersionKey, mine); !put.ok())
        return unexpected(io_error(put, "Expected to record the format version"));
      return {};
    };
    if (s.IsNotFound())
      return record();
    if (!s.ok())
      return unexpected(io_error(s, "Expected to read the format version"));
    if (value == "1" || value == "2") {
      return unexpected(Error{
          ErrorCode::kCorruption,
          "Expected format version " + mine + ", but the store has " + value +
              ": it was written by an earlier release, whose events hold password hashes and "
              "API-key digests in the permanent log. It cannot be opened or upgraded in place; "
              "start with a new, empty data directory (no store of an earlier format is in "
              "production) and register the accounts again",
          {},
          {}});
    }
    if (value == "3") {
      // Format 4 only adds an optional tail to `idempotency` values: a format-3 store reads as
      // one whose commands were never recorded as rejected. Recording "4" makes an earlier
      // release refuse the store from now on.
      return record();
    }
    if (value != mine) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected format version " + mine + ", but the store has " + value,
                              {},
                              {}});
    }
    return {};
  }

  // Reads the last record: the next position and the chain tip follow from it.
  Result<void> load_tip() {
    auto end = read_end();
    if (!end)
      return unexpected(end.error());
    next_position_ = end->first + 1;
    tip_ = end->second;
    if (auto at = recorded_at_of(end->first); at)
      last_recorded_at_ = *at;
    else
      return unexpected(at.error());
    publish_committed(end->first);
    return {};
  }

  // The time record `position` was stamped with (0 for position 0).
  Result<std::int64_t> recorded_at_of(std::uint64_t position) const {
    if (position == 0)
      return std::int64_t{0};
    auto records = read_all(position, 1);
    if (!records)
      return unexpected(records.error());
    if (records->empty()) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected record " + std::to_string(position) + ", but it is missing",
                              {},
                              {}});
    }
    return records->front().recorded_at_us;
  }

  void publish_committed(std::uint64_t position) const {
    {
      std::lock_guard lock(commit_mu_);
      committed_.store(position, std::memory_order_release);
    }
    commit_cv_.notify_all();
  }

  // The last record's position and hash (0 and the genesis hash for an empty log).
  Result<std::pair<std::uint64_t, format::Hash>> read_end() const {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_));
    it->SeekToLast();
    // A reader (secondary) steps over malformed keys, so that verify can open and name them.
    while (options_.secondary && it->Valid() &&
           (it->key().size() != 8 || it->value().size() < format::kHashSize))
      it->Prev();
    if (!it->status().ok())
      return unexpected(io_error(it->status(), "Expected to read the log's end"));
    std::uint64_t last = 0;
    format::Hash tip = format::kGenesisHash;
    if (it->Valid()) {
      auto key = it->key().ToStringView();
      auto value = it->value().ToStringView();
      if (key.size() != 8 || value.size() < format::kHashSize) {
        return unexpected(
            Error{ErrorCode::kCorruption, "Expected a well-formed last log record", {}, {}});
      }
      last = format::get_u64be(key);
      tip = hash_from_bytes(value.substr(0, format::kHashSize));
    }
    return std::make_pair(last, tip);
  }

  std::optional<PendingAppend> prepare(AppendRequest request, AppendCallback done) {
    auto refuse = [&](Error e) {
      done(unexpected(std::move(e)));
      return std::nullopt;
    };
    if (auto r = validate_name("stream id", request.stream, kMaxStreamIdBytes); !r)
      return refuse(r.error());
    if (request.idempotency_key.size() > kMaxIdempotencyKeyBytes) {
      return refuse(invalid("Expected an idempotency key of at most 512 bytes, but it has " +
                            std::to_string(request.idempotency_key.size())));
    }
    PendingAppend p;
    p.envelopes.reserve(request.events.size());
    for (const auto& e : request.events) {
      if (auto r = validate_name("event type", e.type, kMaxTypeBytes); !r)
        return refuse(r.error());
      if (e.payload.size() > options_.max_event_bytes) {
        return refuse(Error{ErrorCode::kTooLarge,
                            "Expected a payload of at most " +
                                std::to_string(options_.max_event_bytes) + " bytes, but it has " +
                                std::to_string(e.payload.size()),
                            {},
                            {}});
      }
      p.envelopes.push_back(build_envelope(request, e));
      p.bytes += p.envelopes.back().size();
    }
    for (const auto& t : request.timers_to_set) {
      if (auto r = validate_name("timer id", t.id, kMaxStreamIdBytes); !r)
        return refuse(r.error());
    }
    p.side_families.reserve(request.side_writes.size());
    for (const auto& w : request.side_writes) {
      const auto& core = core_families();
      if (std::find(core.begin(), core.end(), std::string_view(w.family)) != core.end()) {
        return refuse(invalid("Expected a side write to a family of the caller's own, but \"" +
                              w.family + "\" is one of the store's"));
      }
      auto* family = column_family_if_exists(w.family);
      if (family == nullptr) {
        return refuse(invalid("Expected a side write to an existing family, but \"" + w.family +
                              "\" does not exist"));
      }
      p.side_families.push_back(family);
    }
    p.request = std::move(request);
    p.done = std::move(done);
    return p;
  }

  void writer_loop() {
    std::vector<PendingAppend> batch;
    for (;;) {
      bool resume = false;
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty() || refusing_; });
        if (queue_.empty()) {
          if (stopping_)
            return;  // stopping, and everything queued is committed
          // Refusing writes (nothing is queued meanwhile): try to resume every interval.
          queue_cv_.wait_for(lock, options_.recovery_interval, [&] { return stopping_; });
          if (stopping_)
            return;
          resume = true;
        }
        std::size_t bytes = 0;
        while (!queue_.empty() && batch.size() < options_.max_batch_requests &&
               (batch.empty() || bytes + queue_.front().bytes <= options_.max_batch_bytes)) {
          bytes += queue_.front().bytes;
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (resume) {
        try_resume();
        continue;
      }
      commit(batch);
      batch.clear();
    }
  }

  // A stream's head: as this batch left it, else from the cache, else from the store.
  std::uint64_t head_of(const std::string& stream,
                        const std::unordered_map<std::string, std::uint64_t>& batch_heads,
                        bool& failed) {
    if (auto it = batch_heads.find(stream); it != batch_heads.end())
      return it->second;
    if (const auto* cached = head_cache_.find(stream))
      return *cached;
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), heads_, stream, &value);
    std::uint64_t head = 0;
    if (s.ok() && value.size() >= 8) {
      head = format::get_u64be(value);
    } else if (!s.IsNotFound()) {
      failed = true;
      return 0;
    }
    head_cache_.put(stream, head);
    return head;
  }

  // Where a timer id currently stands: from this batch's changes, else from the store.
  std::optional<std::int64_t> timer_due(
      const std::string& id,
      const std::unordered_map<std::string, std::optional<std::int64_t>>& changed) {
    if (auto it = changed.find(id); it != changed.end())
      return it->second;
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), timers_, format::timer_id_key(id), &value);
    if (!s.ok() || value.size() != 8)
      return std::nullopt;
    return format::decode_time(value);
  }

  void commit(std::vector<PendingAppend>& batch) {
    rocksdb::WriteBatch wb;
    std::vector<std::optional<Result<AppendResult>>> results(batch.size());
    std::vector<bool> written(batch.size(), false);
    std::unordered_map<std::string, AppendResult> batch_keys;
    // The heads this batch moved, kept apart from the cache (which may evict any entry) until
    // the batch is written.
    std::unordered_map<std::string, std::uint64_t> batch_heads;
    std::unordered_map<std::string, std::optional<std::int64_t>> timer_changes;
    std::uint64_t position = next_position_;
    const std::uint64_t next_position_before = next_position_;
    std::uint64_t log_bytes = 0;
    format::Hash tip = tip_;
    const std::int64_t now = options_.clock->now_us();
    std::int64_t last_at = last_recorded_at_;
    bool timers_changed = false;
    std::string value;

    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& p = batch[i];
      auto& r = p.request;
      if (!r.idempotency_key.empty()) {
        if (auto it = batch_keys.find(r.idempotency_key); it != batch_keys.end()) {
          auto dup = it->second;
          dup.deduplicated = true;
          results[i] = dup;
          written[i] = true;  // stands or falls with the write of the first
          continue;
        }
        value.clear();
        auto s = db_->Get(rocksdb::ReadOptions(), idempotency_, r.idempotency_key, &value);
        if (s.ok()) {
          if (auto first = decode_idempotency(value)) {
            results[i] = *first;
            continue;
          }
        } else if (!s.IsNotFound()) {
          results[i] = unexpected(io_error(s, "Expected to read an idempotency key"));
          continue;
        }
      }
      bool failed = false;
      std::uint64_t head = head_of(r.stream, batch_heads, failed);
      if (failed) {
        results[i] = unexpected(Error{ErrorCode::kIo, "Expected to read the stream head", {}, {}});
        continue;
      }
      if (!r.expected.admits(head)) {
        results[i] = unexpected(Error{ErrorCode::kWrongExpectedVersion,
                                      "Expected " + r.stream + " at " + r.expected.describe() +
                                          ", but it is at version " + std::to_string(head),
                                      head, std::nullopt});
        continue;
      }
      // One time per request, never earlier than the record before it.
      const std::int64_t at = std::max(r.decided_at_us != 0 ? r.decided_at_us : now, last_at);
      AppendResult result;
      result.stream_version = head;
      result.recorded_at_us = at;
      result.rejection = r.rejection;
      const auto category = format::category_of(r.stream);
      for (auto& envelope : p.envelopes) {
        ++head;
        auto* env = fb::GetMutableEnvelope(envelope.data());
        env->mutate_position(position);
        env->mutate_stream_version(head);
        env->mutate_recorded_at_us(at);
        tip = chain_hash(tip, envelope);
        value.assign(reinterpret_cast<const char*>(tip.data()), tip.size());
        value.append(envelope);
        wb.Put(log_, format::log_key(position), value);
        log_bytes += value.size();
        value.clear();
        format::put_u64be(value, position);
        wb.Put(streams_, format::stream_key(r.stream, head), value);
        wb.Put(categories_, format::category_key(category, position), rocksdb::Slice());
        last_at = at;
        if (result.first_position == 0)
          result.first_position = position;
        result.last_position = position;
        ++position;
      }
      if (!p.envelopes.empty()) {
        result.stream_version = head;
        value.clear();
        format::put_u64be(value, head);
        format::put_u64be(value, result.last_position);
        wb.Put(heads_, r.stream, value);
        batch_heads[r.stream] = head;
      }
      for (const auto& id : r.timers_to_cancel) {
        if (auto due = timer_due(id, timer_changes)) {
          wb.Delete(timers_, format::timer_due_key(*due, id));
          wb.Delete(timers_, format::timer_id_key(id));
          timer_changes[id] = std::nullopt;
          timers_changed = true;
        }
      }
      for (const auto& fired : r.timers_fired) {
        if (auto due = timer_due(fired.id, timer_changes); due && *due == fired.due_at_us) {
          wb.Delete(timers_, format::timer_due_key(*due, fired.id));
          wb.Delete(timers_, format::timer_id_key(fired.id));
          timer_changes[fired.id] = std::nullopt;
          timers_changed = true;
        }
      }
      for (const auto& t : r.timers_to_set) {
        if (auto due = timer_due(t.id, timer_changes))
          wb.Delete(timers_, format::timer_due_key(*due, t.id));
        wb.Put(timers_, format::timer_due_key(t.due_at_us, t.id), encode_timer(t));
        value.clear();
        format::put_u64be(value, static_cast<std::uint64_t>(t.due_at_us) ^ format::kTimeOffset);
        wb.Put(timers_, format::timer_id_key(t.id), value);
        timer_changes[t.id] = t.due_at_us;
        timers_changed = true;
      }
      for (const auto& [key, credential] : r.credential_writes) {
        if (credential.empty())
          wb.Delete(credentials_, key);
        else
          wb.Put(credentials_, key, credential);
      }
      for (std::size_t w = 0; w < r.side_writes.size(); ++w) {
        if (r.side_writes[w].value.empty())
          wb.Delete(p.side_families[w], r.side_writes[w].key);
        else
          wb.Put(p.side_families[w], r.side_writes[w].key, r.side_writes[w].value);
      }
      if (!r.idempotency_key.empty()) {
        wb.Put(idempotency_, r.idempotency_key, encode_idempotency(result));
        batch_keys.emplace(r.idempotency_key, result);
      }
      results[i] = result;
      written[i] = true;
    }

    if (wb.Count() > 0) {
      rocksdb::WriteOptions wo;
      wo.sync = options_.sync;
      auto s = db_->Write(wo, &wb);
      if (!s.ok()) {
        // Nothing of this batch is acknowledged (its heads never reached the cache). Forget the
        // cached heads anyway, and refuse writes until try_resume() succeeds. Reads go on.
        head_cache_.clear();
        refuse_writes(describe_failure(s));
        const Error refused{ErrorCode::kUnavailable,
                            "Expected a durable write, but it failed: " + s.ToString() +
                                "; nothing of it was written, retry later",
                            {},
                            {}};
        for (std::size_t i = 0; i < batch.size(); ++i) {
          if (written[i])
            results[i] = unexpected(refused);
        }
        complete(batch, results);
        fail_queue();
        return;
      }
      next_position_ = position;
      tip_ = tip;
      last_recorded_at_ = last_at;
      for (auto& [stream, head] : batch_heads)
        head_cache_.put(stream, head);
      publish_committed(position - 1);
    }
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.batches;
      stats_.requests += batch.size();
      stats_.events += position - next_position_before;
      stats_.bytes += log_bytes;
      stats_.head_cache_bytes = head_cache_.bytes();
      stats_.head_cache_entries = head_cache_.size();
      for (auto& r : results) {
        if (!*r) {
          stats_.conflicts += r->error().code == ErrorCode::kWrongExpectedVersion;
        } else {
          stats_.deduplicated += (*r)->deduplicated;
        }
      }
    }
    // Under load the appenders are woken on the completion thread, so this thread starts the
    // next batch meanwhile: with dozens of appenders a batch, waking them costs about as much as
    // the sync. With nothing queued behind this batch and nothing still being completed, they are
    // woken here, which spares a lone appender the hop to another thread.
    Completion done{std::move(batch), std::move(results), timers_changed, std::nullopt};
    if (position != next_position_before)
      done.tip = Tip{position - 1, tip};
    bool idle = false;
    {
      std::lock_guard lock(queue_mu_);
      idle = queue_.empty();
    }
    {
      std::lock_guard lock(completion_mu_);
      idle = idle && completions_pending_ == 0;
      if (!idle) {
        completions_.push_back(std::move(done));
        ++completions_pending_;
      }
    }
    if (idle) {
      record_tip(done.tip, std::span<Completion>(&done, 1));
      finish(done);
    } else
      completion_cv_.notify_one();
  }

  struct Completion {
    std::vector<PendingAppend> batch;
    std::vector<std::optional<Result<AppendResult>>> results;
    bool timers_changed = false;
    std::optional<Tip> tip;  // the last position and hash this batch wrote
  };

  // Records `tip` (the newest of `completions`) in the tip file before their appenders hear of
  // them. When it cannot be recorded, those appends are not acknowledged (their events are in
  // the log; a retry with the same idempotency key returns them) and writes stop.
  template <class Completions>
  void record_tip(const std::optional<Tip>& tip, Completions&& completions) {
    if (!tip)
      return;
    auto recorded = tip_file_->record(*tip);
    if (recorded)
      return;
    refuse_writes("cannot record the acknowledged tip: " + recorded.error().message);
    const Error unacknowledged{
        ErrorCode::kUnavailable,
        "Expected to record the acknowledged tip, but " + recorded.error().message +
            "; the events may be in the log: retry with the same idempotency key",
        {},
        {}};
    for (auto& c : completions) {
      if (!c.tip)
        continue;
      for (auto& r : c.results) {
        if (*r && !(*r)->deduplicated)
          *r = unexpected(unacknowledged);
      }
    }
  }

  void finish(Completion& c) {
    complete(c.batch, c.results);
    if (c.timers_changed) {
      std::lock_guard lock(listeners_mu_);
      for (auto& [id, listener] : timer_listeners_)
        listener();
    }
  }

  // Completes committed batches in commit order (a batch completed inline on the writer comes
  // only when none is pending here, so the order holds across both); returns once the writer has
  // stopped and every batch it handed over is completed.
  void completion_loop() {
    std::deque<Completion> ready;
    for (;;) {
      {
        std::unique_lock lock(completion_mu_);
        completion_cv_.wait(lock, [&] { return completions_stopping_ || !completions_.empty(); });
        if (completions_.empty())
          return;
        ready.swap(completions_);
      }
      std::optional<Tip> newest;
      for (auto& c : ready) {
        if (c.tip)
          newest = c.tip;
      }
      record_tip(newest, ready);
      for (auto& c : ready) {
        finish(c);
        std::lock_guard lock(completion_mu_);
        --completions_pending_;
      }
      ready.clear();
    }
  }

  static void complete(std::vector<PendingAppend>& batch,
                       std::vector<std::optional<Result<AppendResult>>>& results) {
    for (std::size_t i = 0; i < batch.size(); ++i)
      batch[i].done(std::move(*results[i]));
  }

  void fail_queue() {
    std::deque<PendingAppend> rest;
    Error refused;
    {
      std::lock_guard lock(queue_mu_);
      rest.swap(queue_);
      refused = refused_locked();
    }
    for (auto& p : rest)
      p.done(unexpected(refused));
  }

  // Why a write failed, for health() and for the appenders it refuses.
  std::string describe_failure(const rocksdb::Status& s) const {
    if (s.IsNoSpace()) {
      return "no space left on the store's disk (" + s.ToString() +
             "); writes resume by themselves once there is room again";
    }
    return "a write failed (" + s.ToString() + "); the store retries every " +
           std::to_string(options_.recovery_interval.count()) + " ms";
  }

  // Stops writes with `reason` until try_resume() succeeds. Called from the writer, the
  // completion thread and RocksDB's background threads (with RocksDB's mutex held): short.
  void refuse_writes(const std::string& reason) {
    {
      std::lock_guard lock(queue_mu_);
      if (refusing_)
        return;
      refusing_ = true;
      refusal_reason_ = reason;
      ++refusals_;
    }
    spdlog::error("event store: refusing writes, reads go on: {}", reason);
    queue_cv_.notify_all();
  }

  Error refused_locked() const {
    return Error{ErrorCode::kUnavailable,
                 "Expected a writable store, but it refuses writes for now: " + refusal_reason_,
                 {},
                 {}};
  }

  // On the writer thread while writes are refused: once there is room, asks RocksDB to resume
  // (it flushes its memtables and starts a new write-ahead log), then reloads where the log ends
  // and takes writes again.
  //
  // A resume whose flush fails is fatal to RocksDB (it then refuses every later resume), so it is
  // tried only once the disk has room for the memtables it flushes plus resume_free_bytes.
  void try_resume() {
    const auto free = free_bytes();
    std::uint64_t memtables = 0;
    if (!db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &memtables))
      memtables = 0;
    if (free < options_.resume_free_bytes + memtables)
      return;
    auto s = db_->Resume();
    if (!s.ok()) {
      if (s.severity() >= rocksdb::Status::Severity::kFatalError) {
        std::lock_guard lock(queue_mu_);
        if (refusal_reason_.find("restart") == std::string::npos) {
          refusal_reason_ += "; RocksDB cannot resume after " + s.ToString() +
                             ": restart the server once there is room";
        }
      }
      log_resume_failure(s.ToString());
      return;
    }
    auto end = read_end();
    if (!end) {
      log_resume_failure(end.error().message);
      return;
    }
    auto at = recorded_at_of(end->first);
    if (!at) {
      log_resume_failure(at.error().message);
      return;
    }
    head_cache_.clear();
    next_position_ = end->first + 1;
    tip_ = end->second;
    last_recorded_at_ = *at;
    publish_committed(end->first);
    if (auto r = tip_file_->record(Tip{end->first, end->second}); !r) {
      log_resume_failure(r.error().message);
      return;
    }
    {
      std::lock_guard lock(queue_mu_);
      refusing_ = false;
      refusal_reason_.clear();
    }
    last_resume_failure_.clear();
    spdlog::info("event store: writes resumed at position {} ({} MiB free)", end->first + 1,
                 free >> 20);
  }

  // Logs a failed resume when it differs from the last one logged: the writer retries often.
  void log_resume_failure(const std::string& why) {
    if (why == last_resume_failure_)
      return;
    last_resume_failure_ = why;
    spdlog::warn("event store: cannot resume writes yet: {}", why);
  }

  // Free bytes on the store's file system (through the injected file system, when there is one).
  std::uint64_t free_bytes() const {
    if (options_.file_system == nullptr)
      return free_bytes_at(options_.path);
    std::uint64_t free = 0;
    if (!options_.file_system->GetFreeSpace(options_.path, rocksdb::IOOptions(), &free, nullptr)
             .ok())
      return 0;
    return free;
  }

  // Why RocksDB could not open the store, and what the operator can do.
  Error open_failure(const rocksdb::Status& s, const std::optional<Tip>& acknowledged) const {
    if (s.IsCorruption() && !options_.secondary) {
      auto damage = logger_->first_damage();
      if (wal_filter_ != nullptr && !wal_filter_->gap().empty())
        damage += (damage.empty() ? "" : "; ") + wal_filter_->gap();
      return Error{ErrorCode::kCorruption,
                   "Expected an intact write-ahead log in " + options_.path +
                       ", but RocksDB stops its recovery with \"" + s.ToString() + "\"" +
                       (damage.empty() ? std::string() : " (" + damage + ")") +
                       "; the last acknowledged position is " +
                       (acknowledged ? std::to_string(acknowledged->position)
                                     : std::string("not recorded")) +
                       ". " + damaged_store_advice(options_.path),
                   {},
                   {}};
    }
    if (s.IsNoSpace()) {
      return Error{ErrorCode::kUnavailable,
                   "Expected room to open the store at " + options_.path +
                       ", but its disk is full (" + s.ToString() + ", " +
                       std::to_string(free_bytes()) +
                       " bytes free): free space there and start again",
                   {},
                   {}};
    }
    return io_error(s, "Expected to open the store at " + options_.path);
  }

  // After RocksDB's recovery: the log reaches the acknowledged tip, and no checkpoint is beyond
  // the log's end. A secondary may trail a live primary: it catches up before it concludes.
  Result<void> check_recovered_log(const std::optional<Tip>& acknowledged) {
    auto check = [&]() -> Result<void> {
      if (acknowledged) {
        if (auto r =
                check_acknowledged_tip(*db_, log_, last_position(), *acknowledged, options_.path);
            !r)
          return r;
      }
      return check_checkpoints(*db_, family(format::kCfCheckpoints), last_position(),
                               options_.path);
    };
    auto checked = check();
    if (checked && wal_filter_ != nullptr && wal_filter_->first_replayed() > 1) {
      // What the WAL replayed must follow what is already in table files.
      const auto before = wal_filter_->first_replayed() - 1;
      std::string value;
      auto s = db_->Get(rocksdb::ReadOptions(), log_, format::log_key(before), &value);
      if (!s.ok()) {
        checked = unexpected(
            Error{ErrorCode::kCorruption,
                  "Expected the record at position " + std::to_string(before) +
                      " before the first one the write-ahead log holds, but reading it gives " +
                      s.ToString() + ": a write-ahead log file is missing. " +
                      damaged_store_advice(options_.path),
                  {},
                  before});
      }
    }
    for (int attempt = 0; !checked && options_.secondary && attempt < 10; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (auto r = refresh_impl(); !r)
        return r;
      checked = check();
    }
    if (!checked) {
      spdlog::critical("event store: {}", checked.error().message);
      return checked;
    }
    if (options_.secondary)
      return {};
    if (!acknowledged && last_position() > 0) {
      spdlog::warn("event store: {} has no acknowledged tip yet; recording position {}",
                   options_.path, last_position());
    }
    if (auto r = tip_file_->record(Tip{last_position(), tip_}); !r)
      return r;
    return {};
  }

  Result<std::vector<RecordedEvent>> fetch(const std::vector<std::uint64_t>& positions) const {
    std::vector<RecordedEvent> out;
    if (positions.empty())
      return out;
    std::vector<std::string> keys;
    keys.reserve(positions.size());
    for (auto p : positions)
      keys.push_back(format::log_key(p));
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_->MultiGet(rocksdb::ReadOptions(), log_, slices.size(), slices.data(), values.data(),
                  statuses.data());
    out.reserve(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (!statuses[i].ok()) {
        return unexpected(Error{statuses[i].IsNotFound() ? ErrorCode::kCorruption : ErrorCode::kIo,
                                "Expected the indexed event at position " +
                                    std::to_string(positions[i]) + ", but " +
                                    statuses[i].ToString(),
                                {},
                                positions[i]});
      }
      auto e = decode_record(positions[i], values[i].ToStringView());
      if (!e)
        return unexpected(e.error());
      out.push_back(std::move(*e));
    }
    return out;
  }

  friend class SubscriptionImpl;

  StoreOptions options_;
  std::unique_ptr<SystemClock> owned_clock_;
  std::shared_ptr<rocksdb::Cache> cache_;
  std::shared_ptr<SpdlogLogger> logger_;
  std::unique_ptr<rocksdb::Env> env_;  // over options_.file_system, when one is given
  std::unique_ptr<TipFile> tip_file_;
  std::unique_ptr<LogContinuityFilter> wal_filter_;  // primary only; used while RocksDB opens
  rocksdb::DB* db_ = nullptr;
  mutable std::mutex families_mu_;
  // One entry per column family opened (a fixed set: the store's and each read model's).
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* heads_ = nullptr;
  rocksdb::ColumnFamilyHandle* categories_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* timers_ = nullptr;
  rocksdb::ColumnFamilyHandle* credentials_ = nullptr;  // nullptr on a secondary of an old store

  // Append queue.
  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingAppend> queue_;
  bool stopping_ = false;
  bool refusing_ = false;       // writes are refused until try_resume() succeeds
  std::string refusal_reason_;  // why, while refusing_
  std::uint64_t refusals_ = 0;
  std::thread writer_;

  // Committed batches waiting for their appenders to be told (see completion_loop).
  std::mutex completion_mu_;
  std::condition_variable completion_cv_;
  std::deque<Completion> completions_;
  std::size_t completions_pending_ = 0;  // handed over and not yet completed
  bool completions_stopping_ = false;
  std::thread completer_;

  // Owned by the writer thread (and open()).
  std::uint64_t next_position_ = 1;
  std::int64_t last_recorded_at_ = 0;  // the time the last record was stamped with (writer only)
  format::Hash tip_{};
  std::string last_resume_failure_;
  // Stream id -> head version, bounded by options_.head_cache_bytes (least recently used out).
  ByteLru<std::uint64_t> head_cache_{options_.head_cache_bytes};

  // Commit notification.
  mutable std::mutex commit_mu_;
  mutable std::condition_variable commit_cv_;
  mutable std::atomic<std::uint64_t> committed_{0};
  bool closed_ = false;
  mutable std::mutex refresh_mu_;

  mutable std::mutex stats_mu_;
  StoreStats stats_;

  std::mutex listeners_mu_;
  std::map<std::uint64_t, std::function<void()>> timer_listeners_;
  std::uint64_t listener_ids_ = 0;
};

Result<std::vector<RecordedEvent>> SubscriptionImpl::next(std::size_t max_count,
                                                          std::chrono::milliseconds timeout) {
  if (closed_.load())
    return std::vector<RecordedEvent>{};
  auto last = store_.last_position();
  if (last <= position_)
    last = store_.wait_for(position_ + 1, timeout, &closed_);
  if (closed_.load() || last <= position_)
    return std::vector<RecordedEvent>{};
  if (category_.empty()) {
    auto events =
        store_.read_all(position_ + 1, std::min<std::uint64_t>(max_count, last - position_));
    if (events && !events->empty())
      position_ = events->back().position;
    return events;
  }
  auto events = store_.read_category(category_, position_ + 1, max_count);
  if (!events)
    return events;
  // Drop anything beyond the commit point seen above, so positions only move forward in order.
  while (!events->empty() && events->back().position > last)
    events->pop_back();
  position_ = events->empty() || events->size() < max_count ? last : events->back().position;
  return events;
}

void SubscriptionImpl::close() {
  closed_.store(true);
  store_.wake_waiters();
}

}  // namespace

const fb::Envelope* RecordView::decoded() const {
  thread_local std::string scratch;
  return fb::GetEnvelope(aligned(envelope, scratch).data());
}

Result<RecordedEvent> decode_record(std::uint64_t key_position, std::string_view value) {
  if (value.size() < format::kHashSize) {
    return unexpected(
        Error{ErrorCode::kCorruption, "Expected a record of at least 32 bytes", {}, key_position});
  }
  thread_local std::string scratch;
  auto envelope = aligned(value.substr(format::kHashSize), scratch);
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(envelope.data()),
                                 envelope.size());
  if (!fb::VerifyEnvelopeBuffer(verifier)) {
    return unexpected(Error{ErrorCode::kCorruption,
                            "Expected a well-formed envelope at position " +
                                std::to_string(key_position) + ", but it does not parse",
                            {},
                            key_position});
  }
  const auto* env = fb::GetEnvelope(envelope.data());
  RecordedEvent e;
  e.position = env->position();
  e.stream = sv_of(env->stream_id());
  e.version = env->stream_version();
  e.event_id = from_fb(env->event_id());
  e.type = sv_of(env->event_type());
  e.schema_version = env->schema_version();
  e.recorded_at_us = env->recorded_at_us();
  e.actor.id = sv_of(env->actor_id());
  e.actor.role = sv_of(env->actor_role());
  e.correlation_id = from_fb(env->correlation_id());
  e.causation_id = from_fb(env->causation_id());
  if (env->payload() != nullptr) {
    e.payload.assign(reinterpret_cast<const char*>(env->payload()->data()), env->payload()->size());
  }
  e.hash = hash_from_bytes(value.substr(0, format::kHashSize));
  return e;
}

Result<std::unique_ptr<EventStore>> EventStore::open(StoreOptions options) {
  auto store = std::make_unique<EventStoreImpl>(std::move(options));
  if (auto r = store->open(); !r)
    return unexpected(r.error());
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace docket::engine
