#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

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
  std::string value;
  auto s = batch_.GetFromBatchAndDB(store_.db(), rocksdb::ReadOptions(), family_,
                                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound())
    return std::optional<std::string>{};
  if (!s.ok())
    return unexpected(read_error(s));
  return std::optional<std::string>(std::move(value));
}

void Writer::put(std::string_view key, std::string_view value) {
  batch_.Put(family_, rocksdb::Slice(key.data(), key.size()),
             rocksdb::Slice(value.data(), value.size()));
}

void Writer::erase(std::string_view key) {
  batch_.Delete(family_, rocksdb::Slice(key.data(), key.size()));
}

engine::Result<void> Writer::scan(
    std::string_view prefix,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  rocksdb::ReadOptions options;
  std::unique_ptr<rocksdb::Iterator> base(store_.db()->NewIterator(options, family_));
  std::unique_ptr<rocksdb::Iterator> it(batch_.NewIteratorWithBase(family_, base.release()));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    auto key = it->key().ToStringView();
    if (!key.starts_with(prefix))
      break;
    if (!visit(key, it->value().ToStringView()))
      break;
  }
  if (!it->status().ok())
    return unexpected(read_error(it->status()));
  return {};
}

}  // namespace docket::projections
