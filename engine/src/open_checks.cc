#include "open_checks.h"

#include <memory>

#include "docket/engine/sha256.h"

namespace docket::engine {
namespace {

Error refusal(std::string message, std::optional<std::uint64_t> position = std::nullopt) {
  return Error{ErrorCode::kCorruption, std::move(message), std::nullopt, position};
}

}  // namespace

std::string damaged_store_advice(const std::string& path) {
  return "The store refuses to open rather than forget acknowledged events or hand their "
         "positions to new ones. Keep " +
         path +
         " as it is for investigation (move it aside), and restore the latest backup with "
         "`docket restore`.";
}

Result<void> check_acknowledged_tip(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log,
                                    std::uint64_t last, const Tip& tip, const std::string& path) {
  if (last < tip.position) {
    return unexpected(refusal("Expected the log to hold every acknowledged event up to position " +
                                  std::to_string(tip.position) + " (recorded in " + path + "/" +
                                  std::string(format::kTipFileName) +
                                  "), but it ends at position " + std::to_string(last) +
                                  ": the write-ahead log was cut or damaged and " +
                                  std::to_string(tip.position - last) +
                                  " acknowledged events are missing. " + damaged_store_advice(path),
                              last + 1));
  }
  if (tip.position == 0)
    return {};
  std::string value;
  auto s = db.Get(rocksdb::ReadOptions(), log, format::log_key(tip.position), &value);
  if (!s.ok() || value.size() < format::kHashSize) {
    return unexpected(refusal("Expected the acknowledged record at position " +
                                  std::to_string(tip.position) + ", but reading it gives " +
                                  s.ToString() + ". " + damaged_store_advice(path),
                              tip.position));
  }
  const auto stored = hash_from_bytes(std::string_view(value).substr(0, format::kHashSize));
  if (stored != tip.hash) {
    return unexpected(refusal(
        "Expected the chain hash " + to_hex(tip.hash) + " acknowledged at position " +
            std::to_string(tip.position) + ", but the log holds " + to_hex(stored) +
            " there: it was rewritten or belongs to another store. " + damaged_store_advice(path),
        tip.position));
  }
  return {};
}

Result<void> check_checkpoints(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* checkpoints,
                               std::uint64_t last, const std::string& path) {
  if (checkpoints == nullptr)
    return {};
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), checkpoints));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto key = it->key().ToStringView();
    const auto value = it->value().ToStringView();
    const bool consumer = key.starts_with(format::kReactorCheckpointPrefix) ||
                          key.starts_with(format::kProjectionCheckpointPrefix);
    if (!consumer || key.ends_with(format::kCheckpointVersionSuffix) || value.size() != 8)
      continue;
    const auto position = format::get_u64be(value);
    if (position > last) {
      return unexpected(refusal("Expected the checkpoint " + std::string(key) +
                                    " to be at most the log's last position " +
                                    std::to_string(last) + ", but it is at " +
                                    std::to_string(position) +
                                    ": the log lost events that consumer had already handled. " +
                                    damaged_store_advice(path),
                                last + 1));
    }
  }
  if (!it->status().ok()) {
    return unexpected(Error{ErrorCode::kIo,
                            "Expected to read the checkpoints, but " + it->status().ToString(),
                            {},
                            {}});
  }
  return {};
}

}  // namespace docket::engine
