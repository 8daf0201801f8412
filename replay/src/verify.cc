#include "docket/replay/verify.h"

#include <flatbuffers/flatbuffers.h>
#include <rocksdb/db.h>

#include <memory>

#include "aligned.h"
#include "docket/engine/blob_store.h"
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
  return engine::fb::GetEnvelope(bytes.data());
}

// A `streams` key split into stream and version; false when malformed.
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

class Verifier {
 public:
  Verifier(engine::EventStore& store, const VerifyOptions& options, VerifyReport& report)
      : store_(store), db_(*store.db()), options_(options), report_(report) {}

  engine::Result<void> run() {
    report_.last_position = store_.last_position();
    if (options_.progress != nullptr)
      options_.progress->restart("verify: hash chain", 0);
    check_chain();
    if (auto r = check_index(); !r)
      return r;
    if (auto r = check_heads(); !r)
      return r;
    if (options_.blobs) {
      if (auto r = check_blobs(); !r)
        return r;
    }
    if (options_.progress != nullptr)
      options_.progress->finish();
    return {};
  }

 private:
  rocksdb::ColumnFamilyHandle* family(std::string_view name) {
    return store_.column_family_if_exists(name);
  }

  void add(std::string check, std::optional<std::uint64_t> position, std::string stream,
           std::string message, std::string blob = {}) {
    report_.findings.push_back(VerifyFinding{std::move(check), position, std::move(stream),
                                             std::move(blob), std::move(message)});
  }

  void check_chain() {
    auto chain = store_.verify_chain();
    report_.records = chain.checked;
    report_.tip = engine::to_hex(chain.tip);
    if (chain.failure) {
      add("chain", chain.failure->position, {}, chain.failure->message);
    }
  }

  // Every record has its streams and categories entries.
  engine::Result<void> check_index() {
    auto* streams = family(format::kCfStreams);
    auto* categories = family(format::kCfCategories);
    const auto last = report_.last_position;
    if (options_.progress != nullptr)
      options_.progress->restart("verify: stream index", last);
    bool found = false;
    std::optional<engine::Error> failure;
    std::uint64_t records = 0;
    std::string value;
    auto scanned = store_.scan(1, last, [&](const engine::RecordView& v) {
      ++records;
      if (options_.progress != nullptr && (records & 1023) == 0)
        options_.progress->set(records);
      const auto* env = envelope_of(v.envelope, aligned_);
      if (env == nullptr || env->stream_id() == nullptr)
        return true;  // the chain check names records that do not parse
      const auto stream = env->stream_id()->string_view();
      const auto version = env->stream_version();
      const auto p = v.key_position;
      auto s =
          db_.Get(rocksdb::ReadOptions(), streams, format::stream_key(stream, version), &value);
      if (s.IsNotFound()) {
        add("index", p, std::string(stream),
            "Expected a stream-index entry for " + std::string(stream) + " version " +
                std::to_string(version) + " (position " + pos_text(p) + "), but there is none");
        found = true;
        return false;
      }
      if (!s.ok()) {
        failure = io(s, "Expected to read the stream index");
        return false;
      }
      if (value.size() != 8 || format::get_u64be(value) != p) {
        add("index", p, std::string(stream),
            "Expected the stream-index entry of " + std::string(stream) + " version " +
                std::to_string(version) + " to point at position " + pos_text(p) +
                ", but it points at " +
                (value.size() == 8 ? pos_text(format::get_u64be(value))
                                   : std::string("a malformed value")));
        found = true;
        return false;
      }
      const auto category = format::category_of(stream);
      s = db_.Get(rocksdb::ReadOptions(), categories, format::category_key(category, p), &value);
      if (s.IsNotFound()) {
        add("index", p, std::string(stream),
            "Expected a category entry " + std::string(category) + " at position " + pos_text(p) +
                ", but there is none");
        found = true;
        return false;
      }
      if (!s.ok()) {
        failure = io(s, "Expected to read the category index");
        return false;
      }
      return true;
    });
    if (failure)
      return unexpected(std::move(*failure));
    if (!scanned)
      return unexpected(scanned.error());
    if (found)
      return {};
    // Every record has its entries; now no entry may be left over.
    if (auto r = check_no_extra(streams, "stream-index"); !r || found_extra_)
      return r;
    return check_no_extra(categories, "category");
  }

  // Counts a family's entries; when there are more than records, names the first that is not
  // a record's.
  engine::Result<void> check_no_extra(rocksdb::ColumnFamilyHandle* family, std::string_view what) {
    const bool is_streams = family == store_.column_family_if_exists(format::kCfStreams);
    std::uint64_t count = 0;
    {
      std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family));
      for (it->SeekToFirst(); it->Valid(); it->Next())
        ++count;
      if (!it->status().ok())
        return unexpected(
            io(it->status(), "Expected to read the " + std::string(what) + " entries"));
    }
    if (count == report_.last_position)
      return {};
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family));
    std::string record;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view name;
      std::uint64_t number = 0;
      const auto key = it->key().ToStringView();
      const bool well_formed = split_indexed_key(key, name, number);
      std::uint64_t position = 0;
      if (well_formed)
        position =
            is_streams
                ? (it->value().size() == 8 ? format::get_u64be(it->value().ToStringView()) : 0)
                : number;
      bool matches = false;
      if (well_formed && position >= 1 && position <= report_.last_position) {
        auto s = db_.Get(rocksdb::ReadOptions(), family_log(), format::log_key(position), &record);
        if (!s.ok() && !s.IsNotFound())
          return unexpected(io(s, "Expected to read the log"));
        if (s.ok() && record.size() > format::kHashSize) {
          const auto* env =
              envelope_of(std::string_view(record).substr(format::kHashSize), aligned_);
          if (env != nullptr && env->stream_id() != nullptr) {
            const auto stream = env->stream_id()->string_view();
            matches = is_streams ? (stream == name && env->stream_version() == number)
                                 : format::category_of(stream) == name;
          }
        }
      }
      if (!matches) {
        found_extra_ = true;
        add("index", well_formed ? std::optional<std::uint64_t>(position) : std::nullopt,
            std::string(well_formed ? name : key),
            "Expected every " + std::string(what) + " entry to belong to a log record, but " +
                (well_formed ? std::string(name) + " " + std::to_string(number)
                             : std::string("a malformed key")) +
                " does not");
        return {};
      }
    }
    found_extra_ = true;
    add("index", std::nullopt, {},
        "Expected " + std::to_string(report_.last_position) + " " + std::string(what) +
            " entries, one per record, but there are " + std::to_string(count));
    return {};
  }

  rocksdb::ColumnFamilyHandle* family_log() { return family(format::kCfLog); }

  // Each stream's versions are 1 … n and its head is (n, position of n).
  engine::Result<void> check_heads() {
    auto* streams = family(format::kCfStreams);
    auto* heads = family(format::kCfHeads);
    if (options_.progress != nullptr)
      options_.progress->restart("verify: stream heads", report_.last_position);
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), streams));
    std::unique_ptr<rocksdb::Iterator> head(db_.NewIterator(rocksdb::ReadOptions(), heads));
    head->SeekToFirst();
    std::string current;
    std::uint64_t next_version = 1;
    std::uint64_t last_pos = 0;
    bool have_stream = false;
    std::uint64_t entries = 0;

    // Heads that sort before `stream` have no stream entries; then `stream`'s head must match.
    auto finish = [&](const std::string& stream) -> bool {
      while (head->Valid() && head->key().ToStringView() < std::string_view(stream)) {
        add("heads", std::nullopt, head->key().ToString(),
            "Expected a head only for a stream with events, but " + head->key().ToString() +
                " has a head and no events");
        return false;
      }
      if (!head->Valid() || head->key().ToStringView() != std::string_view(stream)) {
        add("heads", last_pos, stream,
            "Expected a head entry for " + stream + ", but there is none");
        return false;
      }
      const auto value = head->value().ToStringView();
      const std::uint64_t version = next_version - 1;
      if (value.size() != 16 || format::get_u64be(value) != version ||
          format::get_u64be(value.substr(8)) != last_pos) {
        std::string found = value.size() == 16
                                ? "version " + std::to_string(format::get_u64be(value)) +
                                      " at position " + pos_text(format::get_u64be(value.substr(8)))
                                : std::string("a malformed value");
        add("heads", last_pos, stream,
            "Expected the head of " + stream + " to be version " + std::to_string(version) +
                " at position " + pos_text(last_pos) + ", but it is " + found);
        return false;
      }
      head->Next();
      ++report_.streams;
      return true;
    };

    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (options_.progress != nullptr && (++entries & 1023) == 0)
        options_.progress->set(entries);
      std::string_view name;
      std::uint64_t version = 0;
      const auto key = it->key().ToStringView();
      if (!split_indexed_key(key, name, version)) {
        add("heads", std::nullopt, std::string(key),
            "Expected stream-index keys of the form stream 0x00 u64be version, but one is "
            "malformed");
        return {};
      }
      if (!have_stream || name != current) {
        if (have_stream && !finish(current))
          return {};
        current.assign(name);
        have_stream = true;
        next_version = 1;
      }
      const auto value = it->value().ToStringView();
      const std::uint64_t position = value.size() == 8 ? format::get_u64be(value) : 0;
      if (version != next_version) {
        add("heads", position, current,
            "Expected version " + std::to_string(next_version) + " of " + current +
                " next in the stream index, but found version " + std::to_string(version));
        return {};
      }
      if (position == 0 || position > report_.last_position) {
        add("heads", position, current,
            "Expected version " + std::to_string(version) + " of " + current +
                " to point into the log (1 … " + pos_text(report_.last_position) +
                "), but it points at " + pos_text(position));
        return {};
      }
      ++next_version;
      last_pos = position;
    }
    if (!it->status().ok())
      return unexpected(io(it->status(), "Expected to read the stream index"));
    if (have_stream && !finish(current))
      return {};
    if (head->Valid()) {
      add("heads", std::nullopt, head->key().ToString(),
          "Expected a head only for a stream with events, but " + head->key().ToString() +
              " has a head and no events");
    }
    if (!head->status().ok())
      return unexpected(io(head->status(), "Expected to read the stream heads"));
    return {};
  }

  engine::Result<void> check_blobs() {
    auto* blobs = family(format::kCfBlobs);
    if (blobs == nullptr)
      return {};
    std::vector<std::string> hashes;
    {
      std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), blobs));
      const std::string prefix(1, format::kBlobMetaPrefix);
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
        hashes.push_back(engine::to_hex(it->key().ToStringView().substr(1)));
      if (!it->status().ok())
        return unexpected(io(it->status(), "Expected to list the blobs"));
    }
    if (options_.progress != nullptr)
      options_.progress->restart("verify: blobs", hashes.size());
    engine::BlobStore store(store_);
    for (const auto& hash : hashes) {
      if (options_.progress != nullptr)
        options_.progress->advance();
      ++report_.blobs;
      if (auto r = store.verify(hash); !r) {
        if (r.error().code == engine::ErrorCode::kIo)
          return unexpected(r.error());
        add("blobs", std::nullopt, {}, r.error().message, hash);
        return {};
      }
    }
    return {};
  }

  engine::EventStore& store_;
  rocksdb::DB& db_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  bool found_extra_ = false;
  detail::AlignedBytes aligned_;
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
