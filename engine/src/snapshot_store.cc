#include "docket/engine/snapshot_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "docket/engine/storage_error.h"

namespace docket::engine {

SnapshotStore::SnapshotStore(EventStore& store)
    : store_(store), family_(store.column_family(format::kCfSnapshots)) {}

Result<void> SnapshotStore::save(std::string_view stream, const SnapshotRecord& snapshot) {
  if (family_ == nullptr)
    return unexpected(Error{ErrorCode::kClosed, "Expected a writable store", {}, {}});
  rocksdb::WriteBatch wb;
  // Older snapshots of the stream sort before this one: drop them in the same batch.
  wb.DeleteRange(family_, format::snapshot_key(stream, 0),
                 format::snapshot_key(stream, snapshot.version));
  std::string value;
  format::put_u32be(value, snapshot.state_version);
  value.append(snapshot.bytes);
  wb.Put(family_, format::snapshot_key(stream, snapshot.version), value);
  // Snapshots are a cache of what the log holds: no sync needed.
  auto s = store_.db()->Write(rocksdb::WriteOptions(), &wb);
  if (!s.ok())
    return unexpected(storage_error(s, "Expected to save a snapshot"));
  return {};
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
  auto key = it->key().ToStringView();
  auto value = it->value().ToStringView();
  if (value.size() < 4 || key.size() != prefix.size() + 8)
    return std::optional<SnapshotRecord>{};
  SnapshotRecord r;
  r.version = format::get_u64be(key.substr(prefix.size()));
  r.state_version = format::get_u32be(value);
  r.bytes.assign(value.substr(4));
  return std::optional<SnapshotRecord>(std::move(r));
}

}  // namespace docket::engine
