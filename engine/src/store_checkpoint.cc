#include "docket/engine/store_checkpoint.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <memory>

#include "docket/engine/sha256.h"

namespace docket::engine {

Result<CheckpointInfo> write_checkpoint(EventStore& store, const std::string& dir) {
  auto refuse = [](std::string message) {
    return unexpected(Error{ErrorCode::kInvalidArgument, std::move(message), {}, {}});
  };
  if (store.options().secondary)
    return refuse("Expected the server's own store for a checkpoint, but this one only reads it");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec))
    return refuse("Expected a checkpoint directory that does not exist yet, but " + dir +
                  " exists");
  CheckpointInfo info;
  info.position = store.last_position();
  info.tip = to_hex(format::kGenesisHash);
  if (info.position > 0) {
    auto last = store.read_event(info.position);
    if (!last)
      return unexpected(last.error());
    info.tip = to_hex(last->hash);
  }
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(store.db(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (s.ok())
    s = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  if (!s.ok()) {
    std::filesystem::remove_all(dir, ec);
    return unexpected(
        Error{ErrorCode::kIo,
              "Expected a checkpoint of the store in " + dir + ", but " + s.ToString(),
              {},
              {}});
  }
  return info;
}

}  // namespace docket::engine
