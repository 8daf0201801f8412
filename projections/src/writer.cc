#include <rocksdb/db.h>

#include <memory>

#include "docket/projections/projection.h"

namespace docket::projections {

namespace {

engine::Error read_error(const rocksdb::Status& s) {
  return engine::Error{
      engine::ErrorCode::kIo, "Expected to read a projection row, but " + s.ToString(), {}, {}};
}

}  // namespace

engine::Result<std::optional<std::string>> Writer::get(std::string_view key) const {
  if (auto it = overlay_.find(key); it != overlay_.end())
    return it->second;
  std::string value;
  auto s = store_.db()->Get(rocksdb::ReadOptions(), family_, rocksdb::Slice(key.data(), key.size()),
                            &value);
  if (s.IsNotFound())
    return std::optional<std::string>{};
  if (!s.ok())
    return unexpected(read_error(s));
  return std::optional<std::string>(std::move(value));
}

void Writer::put(std::string_view key, std::string_view value) {
  auto it = overlay_.find(key);
  if (it == overlay_.end())
    overlay_.emplace(std::string(key), std::optional<std::string>(value));
  else
    it->second.emplace(value);
}

void Writer::erase(std::string_view key) {
  auto it = overlay_.find(key);
  if (it == overlay_.end())
    overlay_.emplace(std::string(key), std::nullopt);
  else
    it->second.reset();
}

engine::Result<void> Writer::scan(
    std::string_view prefix,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), family_));
  it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  auto stored_valid = [&] { return it->Valid() && it->key().ToStringView().starts_with(prefix); };
  // Merge the stored rows with the batch's writes, the batch winning on equal keys.
  auto pending = overlay_.lower_bound(prefix);
  auto pending_valid = [&] {
    return pending != overlay_.end() && std::string_view(pending->first).starts_with(prefix);
  };
  for (;;) {
    const bool has_stored = stored_valid();
    const bool has_pending = pending_valid();
    if (!has_stored && !has_pending)
      break;
    if (has_pending &&
        (!has_stored || std::string_view(pending->first) <= it->key().ToStringView())) {
      if (has_stored && std::string_view(pending->first) == it->key().ToStringView())
        it->Next();  // overwritten or erased in the batch
      const auto& entry = *pending;
      ++pending;
      if (entry.second && !visit(entry.first, *entry.second))
        break;
      continue;
    }
    if (!visit(it->key().ToStringView(), it->value().ToStringView()))
      break;
    it->Next();
  }
  if (!it->status().ok())
    return unexpected(read_error(it->status()));
  return {};
}

}  // namespace docket::projections
