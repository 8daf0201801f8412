#include "docket/replay/verify.h"

#include <flatbuffers/flatbuffers.h>
#include <rocksdb/db.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>

#include "aligned.h"
#include "blob_types.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "docket/replay/verify_snapshots.h"
#include "envelope_generated.h"

namespace docket::replay {

namespace json = boost::json;
namespace format = engine::format;

namespace {

engine::Error io(const rocksdb::Status& s, std::string what) {
  return engine::Error{engine::ErrorCode::kIo, std::move(what) + ", but " + s.ToString(),
                       std::nullopt, std::nullopt};
}

// The envelope of a record, or nullptr when it does not parse. Valid until `aligned` is used again.
const engine::fb::Envelope* envelope_of(std::string_view stored, detail::AlignedBytes& aligned) {
  const auto bytes = aligned(stored);
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!engine::fb::VerifyEnvelopeBuffer(verifier))
    return nullptr;
  const auto* env = engine::fb::GetEnvelope(bytes.data());
  return env->stream_id() == nullptr ? nullptr : env;
}

// A `streams` or `categories` key split into name and number; false when malformed.
bool split_indexed_key(std::string_view key, std::string_view& name, std::uint64_t& number) {
  if (key.size() < 9 || key[key.size() - 9] != format::kSeparator)
    return false;
  name = key.substr(0, key.size() - 9);
  number = format::get_u64be(key.substr(key.size() - 8));
  return true;
}

std::string pos_text(std::uint64_t p) {
  return std::to_string(p);
}

std::string printable(std::string_view bytes) {
  for (unsigned char c : bytes) {
    if (c < 0x20 || c == 0x7f)
      return "0x" + engine::to_hex(bytes);
  }
  return std::string(bytes);
}

// An order-independent digest of a set of entries: the sum, modulo 2^128, of a keyed 128-bit
// hash (SipHash-2-4, 128-bit output) of each entry. Two families hold the same entries when
// their digests and counts agree; the key is drawn at random for each run, so nobody who edits
// the store can aim at a collision. Summing commutes, so segments read on several threads merge.
class SetDigest {
 public:
  using Key = std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES>;

  void add(const Key& key, std::string_view entry) {
    unsigned char h[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(h, reinterpret_cast<const unsigned char*>(entry.data()),
                                entry.size(), key.data());
    std::uint64_t lo = 0, hi = 0;
    std::memcpy(&lo, h, 8);
    std::memcpy(&hi, h + 8, 8);
    add_sum(lo, hi);
    ++count_;
  }
  void merge(const SetDigest& other) {
    add_sum(other.lo_, other.hi_);
    count_ += other.count_;
  }
  bool operator==(const SetDigest& other) const {
    return lo_ == other.lo_ && hi_ == other.hi_ && count_ == other.count_;
  }
  std::uint64_t count() const { return count_; }

 private:
  void add_sum(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t before = lo_;
    lo_ += lo;
    hi_ += hi + (lo_ < before ? 1 : 0);
  }
  std::uint64_t lo_ = 0;
  std::uint64_t hi_ = 0;
  std::uint64_t count_ = 0;
};

// What one thread found in a range of the log.
struct LogSegment {
  std::uint64_t first = 1;            // the first position of the range
  std::uint64_t stop = UINT64_MAX;    // the last position (UINT64_MAX: to the family's end)
  bool from_start = false;            // also read keys that sort before `first`
  std::uint64_t last_good = 0;        // the last position of the unbroken chain in the range
  format::Hash last_hash{};           // its stored hash
  std::optional<VerifyFinding> fail;  // the first break of the chain in the range
  bool unparsed = false;              // some record does not parse (the index is not comparable)
  SetDigest streams;                  // stream key || u64be position, one per record
  SetDigest categories;               // category key, one per record
};

// What the scan of `streams` merged with `heads` found.
struct StreamScan {
  SetDigest digest;
  std::uint64_t streams = 0;
  std::optional<VerifyFinding> heads;  // the first head or version-gap problem
  std::optional<VerifyFinding> order;  // the first stream whose versions do not rise along the log
  std::optional<engine::Error> error;
};

struct CategoryScan {
  SetDigest digest;
  std::optional<VerifyFinding> value;  // the first entry with a value
  std::optional<engine::Error> error;
};

class Verifier {
 public:
  Verifier(engine::EventStore& store, const VerifyOptions& options, VerifyReport& report)
      : store_(store), db_(*store.db()), options_(options), report_(report) {
    if (sodium_init() < 0)
      std::abort();  // libsodium cannot run at all on this machine
    randombytes_buf(key_.data(), key_.size());
  }

  engine::Result<void> run() {
    report_.last_position = store_.last_position();
    log_ = family(format::kCfLog);
    streams_ = family(format::kCfStreams);
    heads_ = family(format::kCfHeads);
    categories_ = family(format::kCfCategories);
    check_format_version();
    if (auto r = scan_families(); !r)
      return r;
    if (options_.blobs) {
      if (auto r = check_blobs(); !r)
        return r;
    }
    if (auto r = check_credentials(); !r)
      return r;
    // The store's caches (snapshots) are checked next, by verify_store, against the log read
    // here.
    if (options_.progress != nullptr)
      options_.progress->finish();
    order_findings();
    return {};
  }

 private:
  rocksdb::ColumnFamilyHandle* family(std::string_view name) {
    return store_.column_family_if_exists(name);
  }

  static VerifyFinding finding(std::string check, std::optional<std::uint64_t> position,
                               std::string stream, std::string message, std::string blob = {}) {
    return VerifyFinding{std::move(check), position, std::move(stream), std::move(blob),
                         std::move(message)};
  }
  void add(VerifyFinding f) { report_.findings.push_back(std::move(f)); }

  // Findings in the order of what they depend on: the chain, the format, the indexes, then what
  // is derived from them.
  void order_findings() {
    static const std::vector<std::string> kOrder{"chain", "format", "index",      "order",
                                                 "heads", "blobs",  "credentials"};
    auto rank = [](const std::string& check) {
      auto it = std::find(kOrder.begin(), kOrder.end(), check);
      return it - kOrder.begin();
    };
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [&](const VerifyFinding& a, const VerifyFinding& b) {
                       return rank(a.check) < rank(b.check);
                     });
  }

  void check_format_version() {
    std::string value;
    auto s = db_.Get(rocksdb::ReadOptions(), family(format::kCfDefault),
                     format::kMetaFormatVersionKey, &value);
    const auto mine = std::to_string(format::kFormatVersion);
    if (s.IsNotFound()) {
      add(finding("format", std::nullopt, {},
                  "Expected format_version " + mine + " in the default family, but there is none"));
    } else if (!s.ok() || (value != mine && value != "3")) {  // 3 reads as 4 (doc/format.md)
      add(finding("format", std::nullopt, {},
                  "Expected format_version " + mine + ", but the store has " +
                      (s.ok() ? printable(value) : s.ToString())));
    }
  }

  // One pass over each of `log`, `streams` (merged with `heads`) and `categories`, on as many
  // threads as there are cores: the log in segments, the indexes whole. Every record adds its
  // expected index entries to a digest, every index entry adds itself to another; equal digests
  // mean the indexes hold exactly the records' entries. Only when they differ are the entries
  // looked up one by one, to name the first that is wrong.
  engine::Result<void> scan_families() {
    const std::uint64_t last = report_.last_position;
    constexpr std::uint64_t kParallelFrom = 65'536;
    const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    const unsigned segments = last < kParallelFrom ? 1u : cores;
    std::vector<LogSegment> logs(segments);
    for (unsigned k = 0; k < segments; ++k) {
      logs[k].first = 1 + k * last / segments;
      logs[k].stop = k + 1 == segments ? UINT64_MAX : (k + 1) * last / segments;
      logs[k].from_start = k == 0;
    }
    StreamScan streams;
    CategoryScan categories;
    std::vector<std::function<void()>> tasks;
    for (auto& segment : logs)
      tasks.emplace_back([this, &segment] { scan_log(segment); });
    tasks.emplace_back([this, &streams] { scan_streams(streams); });
    tasks.emplace_back([this, &categories] { scan_categories(categories); });
    run_tasks(tasks, std::min<std::size_t>(cores, tasks.size()), 3 * last);
    if (streams.error)
      return unexpected(*streams.error);
    if (categories.error)
      return unexpected(*categories.error);

    // The chain: the first break of the lowest segment that has one.
    SetDigest log_streams;
    SetDigest log_categories;
    bool unparsed = false;
    bool chain_broken = false;
    for (const auto& segment : logs) {
      log_streams.merge(segment.streams);
      log_categories.merge(segment.categories);
      unparsed = unparsed || segment.unparsed;
      if (chain_broken)
        continue;
      report_.records = segment.last_good;
      report_.tip = engine::to_hex(segment.last_hash);
      if (segment.fail) {
        add(*segment.fail);
        chain_broken = true;
      }
    }
    if (last == 0)
      report_.tip = engine::to_hex(format::kGenesisHash);
    report_.streams = streams.streams;

    // The indexes, unless a record does not parse (the chain names it, and its entries cannot
    // be known).
    bool index_ok = true;
    if (!unparsed) {
      if (!(log_streams == streams.digest)) {
        index_ok = false;
        if (auto r = locate_stream_index_error(); !r)
          return r;
      }
      if (!(log_categories == categories.digest)) {
        index_ok = false;
        if (auto r = locate_category_index_error(); !r)
          return r;
      }
    }
    if (categories.value)
      add(*categories.value);
    // The order of versions along the log is read from the index, so it is meaningful only when
    // the index holds exactly the records' entries.
    if (streams.order && index_ok && !unparsed)
      add(*streams.order);
    if (streams.heads)
      add(*streams.heads);
    return {};
  }

  // Runs `tasks` on `threads` threads, drawing progress over `total` units meanwhile.
  void run_tasks(std::vector<std::function<void()>>& tasks, std::size_t threads,
                 std::uint64_t total) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    auto work = [&] {
      for (std::size_t i = next++; i < tasks.size(); i = next++) {
        tasks[i]();
        ++finished;
      }
    };
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < threads; ++i)
      workers.emplace_back(work);
    if (options_.progress == nullptr) {
      work();
    } else {
      // This thread draws; the workers do the rest.
      workers.emplace_back(work);
      options_.progress->restart("verify: log and indexes", total);
      while (finished.load() < tasks.size()) {
        options_.progress->set(std::min(scanned_.load(), total));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    for (auto& w : workers)
      w.join();
  }

  void scan_log(LogSegment& segment) {
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    const auto upper = format::log_key(segment.stop == UINT64_MAX ? 0 : segment.stop + 1);
    rocksdb::Slice upper_slice(upper);
    if (segment.stop != UINT64_MAX)
      ro.iterate_upper_bound = &upper_slice;
    auto fail = [&](std::uint64_t position, std::string message) {
      if (!segment.fail)
        segment.fail = finding("chain", position, {}, std::move(message));
    };
    format::Hash previous = format::kGenesisHash;
    segment.last_good = segment.first - 1;
    if (segment.first > 1) {
      std::string value;
      auto s = db_.Get(rocksdb::ReadOptions(), log_, format::log_key(segment.first - 1), &value);
      if (!s.ok() || value.size() < format::kHashSize) {
        fail(segment.first - 1, "Expected a record at position " + pos_text(segment.first - 1) +
                                    ", but there is none");
      } else {
        previous = engine::hash_from_bytes(std::string_view(value).substr(0, format::kHashSize));
      }
    }
    segment.last_hash = previous;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, log_));
    detail::AlignedBytes aligned;
    engine::Sha256 hasher;
    std::string entry;
    std::uint64_t expected = segment.first;
    std::uint64_t local = 0;
    if (segment.from_start)
      it->SeekToFirst();
    else
      it->Seek(format::log_key(segment.first));
    for (; it->Valid(); it->Next()) {
      if ((++local & 4095) == 0)
        scanned_ += 4096;
      const auto key = it->key().ToStringView();
      const auto value = it->value().ToStringView();
      if (key.size() != 8) {
        fail(expected, "Expected log keys of 8 bytes (u64be position), but after position " +
                           pos_text(expected - 1) + " there is a key of " +
                           std::to_string(key.size()) + " bytes: " + printable(key));
        continue;
      }
      const std::uint64_t position = format::get_u64be(key);
      if (position != expected) {
        fail(expected,
             "Expected position " + pos_text(expected) + " next, but found " + pos_text(position));
      }
      expected = position + 1;
      if (value.size() < format::kHashSize) {
        fail(position, "Expected a record of at least 32 bytes at position " + pos_text(position) +
                           ", but it has " + std::to_string(value.size()));
        segment.unparsed = true;
        continue;
      }
      const auto stored = value.substr(0, format::kHashSize);
      const auto envelope = value.substr(format::kHashSize);
      const auto* env = envelope_of(envelope, aligned);
      if (env == nullptr) {
        fail(position, "Expected a well-formed envelope at position " + pos_text(position) +
                           ", but it does not parse");
        segment.unparsed = true;
        continue;
      }
      if (!segment.fail) {
        hasher.update(previous);
        hasher.update(envelope);
        const auto computed = hasher.finish();
        if (std::memcmp(computed.data(), stored.data(), format::kHashSize) != 0) {
          fail(position, "Expected the stored hash at position " + pos_text(position) +
                             " to equal SHA-256(previous hash || envelope), but it does not");
        } else if (env->position() != position) {
          fail(position, "Expected the envelope at position " + pos_text(position) +
                             " to name that position, but it names " + pos_text(env->position()));
        } else {
          segment.last_good = position;
          segment.last_hash = computed;
        }
      }
      previous = engine::hash_from_bytes(stored);
      const auto stream = env->stream_id()->string_view();
      entry.assign(stream);
      entry.push_back(format::kSeparator);
      format::put_u64be(entry, env->stream_version());
      format::put_u64be(entry, position);
      segment.streams.add(key_, entry);
      entry.assign(format::category_of(stream));
      entry.push_back(format::kSeparator);
      format::put_u64be(entry, position);
      segment.categories.add(key_, entry);
    }
    scanned_ += local & 4095;
    if (!it->status().ok()) {
      fail(expected, "Expected to read the log, but " + it->status().ToString());
      return;
    }
    if (segment.stop != UINT64_MAX && expected <= segment.stop) {
      fail(expected, "Expected position " + pos_text(expected) + " next, but the log ends at " +
                         pos_text(expected - 1));
    }
  }

  // Each stream's versions are 1 … n, rising along the log, and its head is (n, position of n);
  // no head without a stream. Adds every entry to the digest.
  void scan_streams(StreamScan& out) {
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, streams_));
    std::unique_ptr<rocksdb::Iterator> head(db_.NewIterator(ro, heads_));
    head->SeekToFirst();
    const auto last = report_.last_position;
    std::string current;
    std::uint64_t next_version = 1;
    std::uint64_t last_pos = 0;
    bool have_stream = false;
    std::uint64_t local = 0;
    auto heads_finding = [&](std::optional<std::uint64_t> position, std::string stream,
                             std::string message) {
      if (!out.heads)
        out.heads = finding("heads", position, std::move(stream), std::move(message));
    };
    auto no_events = [&] {
      heads_finding(std::nullopt, head->key().ToString(),
                    "Expected a head only for a stream with events, but " +
                        printable(head->key().ToStringView()) + " has a head and no events");
    };

    // Heads that sort before `stream` have no stream entries; then `stream`'s head must match.
    auto finish = [&](const std::string& stream) {
      ++out.streams;
      while (head->Valid() && head->key().ToStringView() < std::string_view(stream)) {
        no_events();
        head->Next();
      }
      if (!head->Valid() || head->key().ToStringView() != std::string_view(stream)) {
        heads_finding(last_pos, stream,
                      "Expected a head entry for " + stream + ", but there is none");
        return;
      }
      const auto value = head->value().ToStringView();
      const std::uint64_t version = next_version - 1;
      if (value.size() != 16 || format::get_u64be(value) != version ||
          format::get_u64be(value.substr(8)) != last_pos) {
        std::string found = value.size() == 16
                                ? "version " + std::to_string(format::get_u64be(value)) +
                                      " at position " + pos_text(format::get_u64be(value.substr(8)))
                                : std::string("a malformed value");
        heads_finding(last_pos, stream,
                      "Expected the head of " + stream + " to be version " +
                          std::to_string(version) + " at position " + pos_text(last_pos) +
                          ", but it is " + found);
      }
      head->Next();
    };

    std::string entry;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if ((++local & 4095) == 0)
        scanned_ += 4096;
      const auto key = it->key().ToStringView();
      const auto value = it->value().ToStringView();
      entry.assign(key);
      entry.append(value);
      out.digest.add(key_, entry);
      std::string_view name;
      std::uint64_t version = 0;
      if (!split_indexed_key(key, name, version))
        continue;  // the digests differ, and the index check names it
      if (!have_stream || name != current) {
        if (have_stream)
          finish(current);
        current.assign(name);
        have_stream = true;
        next_version = 1;
        last_pos = 0;
      }
      const std::uint64_t position = value.size() == 8 ? format::get_u64be(value) : 0;
      if (version != next_version) {
        heads_finding(position, current,
                      "Expected version " + std::to_string(next_version) + " of " + current +
                          " next in the stream index, but found version " +
                          std::to_string(version));
      } else if (position == 0 || position > last) {
        heads_finding(
            position, current,
            "Expected version " + std::to_string(version) + " of " + current +
                " to point into the log (1 … " + pos_text(last) + "), but it points at " +
                (value.size() == 8 ? pos_text(position) : std::string("a malformed value")));
      } else if (position <= last_pos && !out.order) {
        out.order = finding("order", position, current,
                            "Expected the versions of " + current +
                                " to rise along the log, but version " + std::to_string(version) +
                                " is at position " + pos_text(position) + " and version " +
                                std::to_string(version - 1) + " at " + pos_text(last_pos));
      }
      next_version = version + 1;
      last_pos = position;
    }
    scanned_ += local & 4095;
    if (!it->status().ok()) {
      out.error = io(it->status(), "Expected to read the stream index");
      return;
    }
    if (have_stream)
      finish(current);
    for (; head->Valid(); head->Next())
      no_events();
    if (!head->status().ok())
      out.error = io(head->status(), "Expected to read the stream heads");
  }

  // Adds every key to the digest; every value is empty.
  void scan_categories(CategoryScan& out) {
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, categories_));
    std::uint64_t local = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if ((++local & 4095) == 0)
        scanned_ += 4096;
      const auto key = it->key().ToStringView();
      out.digest.add(key_, key);
      if (!it->value().empty() && !out.value) {
        std::string_view name;
        std::uint64_t position = 0;
        const bool well_formed = split_indexed_key(key, name, position);
        out.value = finding(
            "index", well_formed ? std::optional<std::uint64_t>(position) : std::nullopt, {},
            "Expected every category entry to have an empty value, but " +
                (well_formed ? printable(name) + " at position " + pos_text(position)
                             : printable(key)) +
                " has " + std::to_string(it->value().size()) + " bytes");
      }
    }
    scanned_ += local & 4095;
    if (!it->status().ok())
      out.error = io(it->status(), "Expected to read the category index");
  }

  // The digests of the log and of `streams` differ: names the first record whose entry is
  // missing or wrong, else the first entry that belongs to no record. Point lookups; runs only
  // on a broken store.
  engine::Result<void> locate_stream_index_error() {
    return locate(streams_, "stream-index",
                  [](std::string_view stream, std::uint64_t version, std::uint64_t) {
                    return format::stream_key(stream, version);
                  });
  }

  engine::Result<void> locate_category_index_error() {
    return locate(categories_, "category",
                  [](std::string_view stream, std::uint64_t, std::uint64_t position) {
                    return format::category_key(format::category_of(stream), position);
                  });
  }

  engine::Result<void> locate(
      rocksdb::ColumnFamilyHandle* index, const std::string& what,
      const std::function<std::string(std::string_view, std::uint64_t, std::uint64_t)>& key_of) {
    const bool is_streams = index == streams_;
    detail::AlignedBytes aligned;
    std::string value;
    {
      rocksdb::ReadOptions ro;
      ro.fill_cache = false;
      std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, log_));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const auto key = it->key().ToStringView();
        const auto record = it->value().ToStringView();
        if (key.size() != 8 || record.size() < format::kHashSize)
          continue;  // the chain check names it
        const auto* env = envelope_of(record.substr(format::kHashSize), aligned);
        if (env == nullptr)
          continue;
        const auto p = format::get_u64be(key);
        const std::string stream(env->stream_id()->string_view());
        const auto version = env->stream_version();
        auto s = db_.Get(rocksdb::ReadOptions(), index, key_of(stream, version, p), &value);
        if (!s.ok() && !s.IsNotFound())
          return unexpected(io(s, "Expected to read the " + what + " entries"));
        const std::string entry =
            is_streams ? what + " entry for " + stream + " version " + std::to_string(version)
                       : what + " entry " + std::string(format::category_of(stream)) +
                             " at position " + pos_text(p);
        if (s.IsNotFound()) {
          add(finding(
              "index", p, stream,
              "Expected a " + entry + " (position " + pos_text(p) + "), but there is none"));
          return {};
        }
        if (is_streams && (value.size() != 8 || format::get_u64be(value) != p)) {
          add(finding("index", p, stream,
                      "Expected the " + entry + " to point at position " + pos_text(p) +
                          ", but it points at " +
                          (value.size() == 8 ? pos_text(format::get_u64be(value))
                                             : std::string("a malformed value"))));
          return {};
        }
      }
      if (!it->status().ok())
        return unexpected(io(it->status(), "Expected to read the log"));
    }
    // Every record has its entry: some entry belongs to none.
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, index));
    std::string record;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view name;
      std::uint64_t number = 0;
      const auto key = it->key().ToStringView();
      if (!split_indexed_key(key, name, number)) {
        add(finding("index", std::nullopt, printable(key),
                    "Expected " + what + " keys of the form name 0x00 u64be number, but " +
                        printable(key) + " is malformed"));
        return {};
      }
      const auto v = it->value().ToStringView();
      const std::uint64_t position =
          is_streams ? (v.size() == 8 ? format::get_u64be(v) : 0) : number;
      bool matches = false;
      if (position >= 1) {
        auto s = db_.Get(rocksdb::ReadOptions(), log_, format::log_key(position), &record);
        if (!s.ok() && !s.IsNotFound())
          return unexpected(io(s, "Expected to read the log"));
        if (s.ok() && record.size() > format::kHashSize) {
          const auto* env =
              envelope_of(std::string_view(record).substr(format::kHashSize), aligned);
          if (env != nullptr) {
            const auto stream = env->stream_id()->string_view();
            matches = is_streams ? (stream == name && env->stream_version() == number)
                                 : format::category_of(stream) == name;
          }
        }
      }
      if (!matches) {
        add(finding("index", position == 0 ? std::nullopt : std::optional(position),
                    std::string(name),
                    "Expected every " + what + " entry to belong to a log record, but " +
                        printable(name) + " " + std::to_string(number) + " does not"));
        return {};
      }
    }
    if (!it->status().ok())
      return unexpected(io(it->status(), "Expected to read the " + what + " entries"));
    add(finding("index", std::nullopt, {},
                "Expected the " + what +
                    " entries to be exactly one per log record, but some are repeated"));
    return {};
  }

  // The credential store (outside the chain, so nothing here is chained or indexed): every key
  // is a stream of the log, 0x00 and a known kind, and every value has its kind's shape — an
  // Argon2id hash string for a password, 64 lower-hex digits for a keyed digest. A finding names
  // the stream and kind, never the value.
  engine::Result<void> check_credentials() {
    auto* credentials = family(format::kCfCredentials);
    if (credentials == nullptr)
      return {};
    if (options_.progress != nullptr)
      options_.progress->restart("verify: credentials", 0);
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(ro, credentials));
    auto lower_hex = [](std::string_view v) {
      return v.size() == 64 && std::all_of(v.begin(), v.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
    };
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.credentials;
      const auto key = it->key().ToStringView();
      const auto value = it->value().ToStringView();
      const auto nul = key.find('\0');
      if (nul == std::string_view::npos || nul == 0) {
        add(finding(
            "credentials", std::nullopt, {},
            "Expected credential keys of a stream, 0x00 and a kind, but one is " + printable(key)));
        return {};
      }
      const std::string stream(key.substr(0, nul));
      const auto kind = key.substr(nul + 1);
      bool shaped = false;
      if (kind == "password") {
        shaped = value.starts_with("$argon2id$");
      } else if (kind == "api_key" || kind == "legacy_binding") {
        shaped = lower_hex(value);
      } else {
        add(finding("credentials", std::nullopt, stream,
                    "Expected a credential kind of password, api_key or legacy_binding, but " +
                        stream + " has " + printable(kind)));
        return {};
      }
      if (!shaped) {
        add(finding("credentials", std::nullopt, stream,
                    "Expected the " + std::string(kind) + " credential of " + stream +
                        (kind == "password" ? " to be an Argon2id hash string"
                                            : " to be a keyed digest of 64 lower-hex digits") +
                        ", but it is not (" + std::to_string(value.size()) + " bytes)"));
        return {};
      }
      std::string head;
      auto s = db_.Get(rocksdb::ReadOptions(), heads_, stream, &head);
      if (s.IsNotFound()) {
        add(finding("credentials", std::nullopt, stream,
                    "Expected the " + std::string(kind) +
                        " credential to belong to a stream of "
                        "the log, but there is no stream " +
                        stream));
        return {};
      }
      if (!s.ok())
        return unexpected(engine::Error{engine::ErrorCode::kIo, s.ToString(), {}, {}});
    }
    if (!it->status().ok())
      return unexpected(engine::Error{engine::ErrorCode::kIo, it->status().ToString(), {}, {}});
    return {};
  }

  // Every `m` entry: a well-formed value whose chunks (numbered from 0 under its upload id) add
  // up to its size and count and hash to its name, with a content type that is a media type and
  // agrees with the bytes' signature. One seek per blob; the bytes stream through the hash.
  engine::Result<void> check_blobs() {
    auto* blobs = family(format::kCfBlobs);
    if (blobs == nullptr)
      return {};
    if (options_.progress != nullptr)
      options_.progress->restart("verify: blobs", 0);
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    ro.readahead_size = 2u << 20;
    std::unique_ptr<rocksdb::Iterator> meta(db_.NewIterator(ro, blobs));
    std::unique_ptr<rocksdb::Iterator> chunk(db_.NewIterator(ro, blobs));
    const std::string prefix(1, format::kBlobMetaPrefix);
    engine::Sha256 hasher;
    for (meta->Seek(prefix); meta->Valid() && meta->key().starts_with(prefix); meta->Next()) {
      if (options_.progress != nullptr)
        options_.progress->advance();
      ++report_.blobs;
      const auto key = meta->key().ToStringView();
      const auto value = meta->value().ToStringView();
      if (key.size() != 1 + format::kHashSize) {
        add(finding(
            "blobs", std::nullopt, {},
            "Expected blob keys of 'm' and 32 bytes, but one has " + std::to_string(key.size() - 1),
            engine::to_hex(key.substr(1))));
        return {};
      }
      const std::string hash = engine::to_hex(key.substr(1));
      auto bad = [&](std::string message) {
        add(finding("blobs", std::nullopt, {}, std::move(message), hash));
      };
      if (value.size() < 28) {
        bad("Expected the record of blob " + hash + " to hold size, chunk count and upload id, " +
            "but it has " + std::to_string(value.size()) + " bytes");
        return {};
      }
      const std::uint64_t size = format::get_u64be(value);
      const std::uint32_t chunks = format::get_u32be(value.substr(8));
      const std::string upload(value.substr(12, 16));
      const std::string content_type(value.substr(28));
      std::string chunk_prefix(1, format::kBlobChunkPrefix);
      chunk_prefix.append(upload);
      std::uint32_t count = 0;
      std::uint64_t bytes = 0;
      std::string head;  // the first bytes, for the signature
      for (chunk->Seek(chunk_prefix); chunk->Valid() && chunk->key().starts_with(chunk_prefix);
           chunk->Next()) {
        const auto ck = chunk->key().ToStringView();
        if (ck.size() != chunk_prefix.size() + 4 ||
            format::get_u32be(ck.substr(chunk_prefix.size())) != count) {
          bad("Expected the chunks of blob " + hash + " to be numbered 0, 1, 2 … , but after " +
              std::to_string(count) + " chunks the next key is " + printable(ck));
          return {};
        }
        const auto data = chunk->value().ToStringView();
        if (head.size() < 16)
          head.append(data.substr(0, 16 - head.size()));
        hasher.update(data);
        bytes += data.size();
        ++count;
      }
      if (!chunk->status().ok())
        return unexpected(io(chunk->status(), "Expected to read the chunks of blob " + hash));
      const auto computed = engine::to_hex(hasher.finish());
      if (count != chunks) {
        bad("Expected blob " + hash + " to have the " + std::to_string(chunks) +
            " chunks its record names, but it has " + std::to_string(count));
        return {};
      }
      if (bytes != size) {
        bad("Expected blob " + hash + " to be " + std::to_string(size) +
            " bytes as its record says, but its chunks hold " + std::to_string(bytes));
        return {};
      }
      if (computed != hash) {
        bad("Expected blob " + hash + " to hash to its name, but it does not");
        return {};
      }
      if (auto wrong = detail::content_type_problem(content_type, head)) {
        bad("Expected blob " + hash + " to have " + *wrong);
        return {};
      }
    }
    if (!meta->status().ok())
      return unexpected(io(meta->status(), "Expected to list the blobs"));
    return {};
  }

  engine::EventStore& store_;
  rocksdb::DB& db_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  SetDigest::Key key_{};
  std::atomic<std::uint64_t> scanned_{0};
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* heads_ = nullptr;
  rocksdb::ColumnFamilyHandle* categories_ = nullptr;
};

}  // namespace

json::object VerifyReport::to_json() const {
  json::object out;
  out.emplace("ok", ok());
  out.emplace("records", records);
  out.emplace("last_position", last_position);
  out.emplace("tip", tip);
  out.emplace("streams", streams);
  out.emplace("blobs", blobs);
  out.emplace("snapshots", snapshots);
  out.emplace("credentials", credentials);
  json::array list;
  for (const auto& f : findings) {
    json::object o;
    o.emplace("check", f.check);
    if (f.position)
      o.emplace("position", *f.position);
    if (!f.stream.empty())
      o.emplace("stream", f.stream);
    if (!f.blob.empty())
      o.emplace("blob", f.blob);
    o.emplace("message", f.message);
    list.push_back(std::move(o));
  }
  out.emplace("findings", std::move(list));
  return out;
}

engine::Result<VerifyReport> verify_store(engine::EventStore& store, const VerifyOptions& options) {
  VerifyReport report;
  Verifier verifier(store, options, report);
  if (auto r = verifier.run(); !r)
    return unexpected(r.error());
  if (auto r = verify_snapshots(store, report); !r)
    return unexpected(r.error());
  return report;
}

}  // namespace docket::replay
