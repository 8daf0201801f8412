#include "docket/engine/snapshot_store.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

#include "docket/engine/sha256.h"
#include "docket/engine/storage_error.h"

namespace docket::engine {
namespace {

std::atomic<std::uint64_t> g_ignored{0};

// The parsed value of a snapshot key, or why it does not parse.
struct Parsed {
  std::string stream;
  SnapshotRecord record;
  std::string_view seal;
  std::string problem;
};

Parsed parse(std::string_view key, std::string_view value) {
  Parsed p;
  const auto sep = key.size() >= 9 ? key.size() - 9 : std::string_view::npos;
  if (sep == std::string_view::npos || key[sep] != format::kSeparator) {
    p.problem = "Expected a key <stream> 0x00 <u64be version>, but it has " +
                std::to_string(key.size()) + " bytes";
    return p;
  }
  p.stream.assign(key.substr(0, sep));
  p.record.version = format::get_u64be(key.substr(sep + 1));
  if (value.size() < format::kSnapshotHeaderSize || !value.starts_with(format::kSnapshotMagic)) {
    p.problem = "Expected a snapshot bound to the chain, but it has an older layout";
    return p;
  }
  p.record.state_version = format::get_u32be(value.substr(format::kSnapshotStateVersionOffset));
  p.record.position = format::get_u64be(value.substr(format::kSnapshotPositionOffset));
  p.record.event_hash =
      hash_from_bytes(value.substr(format::kSnapshotHashOffset, format::kHashSize));
  p.seal = value.substr(format::kSnapshotSealOffset, format::kHashSize);
  p.record.bytes.assign(value.substr(format::kSnapshotHeaderSize));
  return p;
}

void ignore(std::string_view stream, std::uint64_t version, std::string_view why) {
  g_ignored.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("snapshot of {} at version {} ignored: {}", stream, version, why);
}

}  // namespace

SnapshotStore::SnapshotStore(EventStore& store, std::string seal_key)
    : store_(store),
      family_(store.column_family(format::kCfSnapshots)),
      seal_key_(std::move(seal_key)) {}

std::uint64_t SnapshotStore::ignored_total() {
  return g_ignored.load(std::memory_order_relaxed);
}

format::Hash SnapshotStore::seal(std::string_view key, std::string_view unsealed_value) const {
  std::string message;
  message.reserve(key.size() + unsealed_value.size());
  message.append(key);
  message.append(unsealed_value);
  if (seal_key_.empty())
    return sha256(message);
  format::Hash out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), seal_key_.data(), static_cast<int>(seal_key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len);
  return out;
}

Result<void> SnapshotStore::save(std::string_view stream, const SnapshotRecord& snapshot) {
  if (family_ == nullptr)
    return unexpected(Error{ErrorCode::kClosed, "Expected a writable store", {}, {}});
  if (snapshot.position == 0 || snapshot.version == 0) {
    return unexpected(Error{ErrorCode::kInvalidArgument,
                            "Expected a snapshot naming the position and hash of its last "
                            "event, but it names none",
                            {},
                            {}});
  }
  const auto key = format::snapshot_key(stream, snapshot.version);
  std::string value;
  value.reserve(format::kSnapshotHeaderSize + snapshot.bytes.size());
  value.append(format::kSnapshotMagic);
  format::put_u32be(value, snapshot.state_version);
  format::put_u64be(value, snapshot.position);
  value.append(reinterpret_cast<const char*>(snapshot.event_hash.data()), format::kHashSize);
  const auto sealed = seal(key, value + snapshot.bytes);
  value.append(reinterpret_cast<const char*>(sealed.data()), format::kHashSize);
  value.append(snapshot.bytes);
  rocksdb::WriteBatch wb;
  // Older snapshots of the stream sort before this one: drop them in the same batch.
  wb.DeleteRange(family_, format::snapshot_key(stream, 0), key);
  wb.Put(family_, key, value);
  // Snapshots are a cache of what the log holds: no sync needed.
  auto s = store_.db()->Write(rocksdb::WriteOptions(), &wb);
  if (!s.ok())
    return unexpected(storage_error(s, "Expected to save a snapshot"));
  return {};
}

Result<std::string> SnapshotStore::check_chain(std::string_view stream,
                                               const SnapshotRecord& record) const {
  auto event = store_.read_event(record.position);
  if (!event) {
    if (event.error().code == ErrorCode::kNotFound)
      return "Expected an event at position " + std::to_string(record.position) +
             ", but the log has none";
    if (event.error().code == ErrorCode::kCorruption)
      return event.error().message;
    return unexpected(event.error());
  }
  if (event->stream != stream || event->version != record.version) {
    return "Expected " + std::string(stream) + " version " + std::to_string(record.version) +
           " at position " + std::to_string(record.position) + ", but the log holds " +
           event->stream + " version " + std::to_string(event->version) + " there";
  }
  if (event->hash != record.event_hash) {
    return "Expected the event at position " + std::to_string(record.position) +
           " to have chain hash " + to_hex(record.event_hash) + ", but it has " +
           to_hex(event->hash);
  }
  return std::string();
}

Result<std::optional<SnapshotRecord>> SnapshotStore::load(std::string_view stream) const {
  if (family_ == nullptr)
    return std::optional<SnapshotRecord>{};
  std::string prefix(stream);
  prefix.push_back(format::kSeparator);
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), family_));
  it->SeekForPrev(format::snapshot_key(stream, UINT64_MAX));
  if (!it->status().ok()) {
    return unexpected(
        Error{ErrorCode::kIo, "Expected to read snapshots: " + it->status().ToString(), {}, {}});
  }
  if (!it->Valid() || !it->key().starts_with(prefix))
    return std::optional<SnapshotRecord>{};
  const auto key = it->key().ToStringView();
  const auto value = it->value().ToStringView();
  auto parsed = parse(key, value);
  if (!parsed.problem.empty() || parsed.stream != stream) {
    ignore(stream, parsed.record.version,
           parsed.problem.empty() ? "its key names another stream" : parsed.problem);
    return std::optional<SnapshotRecord>{};
  }
  std::string unsealed(value.substr(0, format::kSnapshotSealOffset));
  unsealed.append(value.substr(format::kSnapshotHeaderSize));
  const auto expected_seal = seal(key, unsealed);
  if (CRYPTO_memcmp(expected_seal.data(), parsed.seal.data(), format::kHashSize) != 0) {
    ignore(stream, parsed.record.version,
           "Expected its seal to match its bytes, but it does not (edited or damaged)");
    return std::optional<SnapshotRecord>{};
  }
  auto chain = check_chain(stream, parsed.record);
  if (!chain)
    return unexpected(chain.error());
  if (!chain->empty()) {
    ignore(stream, parsed.record.version, *chain);
    return std::optional<SnapshotRecord>{};
  }
  return std::optional<SnapshotRecord>(std::move(parsed.record));
}

Result<void> SnapshotStore::scan(const std::function<bool(const StoredSnapshot&)>& visit) const {
  if (family_ == nullptr)
    return {};
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), family_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto parsed = parse(it->key().ToStringView(), it->value().ToStringView());
    StoredSnapshot entry{std::move(parsed.stream), std::move(parsed.record),
                         std::move(parsed.problem)};
    if (!visit(entry))
      return {};
  }
  if (!it->status().ok()) {
    return unexpected(
        Error{ErrorCode::kIo, "Expected to read snapshots: " + it->status().ToString(), {}, {}});
  }
  return {};
}

}  // namespace docket::engine
