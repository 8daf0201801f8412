#include "docket/replay/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace docket::replay {

namespace fs = std::filesystem;

namespace {

engine::Error error(engine::ErrorCode code, std::string message) {
  return engine::Error{code, std::move(message), std::nullopt, std::nullopt};
}

}  // namespace

engine::Result<std::string> store_path(const std::string& data_dir) {
  std::error_code ec;
  for (const char* sub : {"store", ""}) {
    fs::path candidate = *sub == '\0' ? fs::path(data_dir) : fs::path(data_dir) / sub;
    if (fs::is_regular_file(candidate / "CURRENT", ec))
      return candidate.string();
  }
  return unexpected(
      error(engine::ErrorCode::kNotFound, "Expected a Docket data directory at " + data_dir +
                                              " (a store with a CURRENT file), but there is none"));
}

engine::Result<std::unique_ptr<ReadOnlyStore>> ReadOnlyStore::open(const std::string& data_dir) {
  auto path = store_path(data_dir);
  if (!path)
    return unexpected(path.error());
  std::unique_ptr<ReadOnlyStore> out(new ReadOnlyStore());
  auto pattern = (fs::temp_directory_path() / "docket-secondary-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return unexpected(error(engine::ErrorCode::kIo,
                            "Expected to create a temporary directory, but mkdtemp failed"));
  }
  out->secondary_dir_ = pattern;
  engine::StoreOptions options;
  options.path = *path;
  options.secondary = true;
  options.secondary_path = out->secondary_dir_;
  options.block_cache_bytes = 64u << 20;
  auto store = engine::EventStore::open(options);
  if (!store)
    return unexpected(store.error());
  out->store_ = std::move(*store);
  if (auto r = out->store_->refresh(); !r)
    return unexpected(r.error());
  return out;
}

ReadOnlyStore::~ReadOnlyStore() {
  store_.reset();
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(secondary_dir_, ec);
  }
}

engine::Result<std::unique_ptr<engine::EventStore>> open_stopped(const std::string& data_dir) {
  auto path = store_path(data_dir);
  if (!path)
    return unexpected(path.error());
  engine::StoreOptions options;
  options.path = *path;
  auto store = engine::EventStore::open(options);
  if (!store) {
    auto e = store.error();
    e.message = "Expected a stopped data directory at " + data_dir +
                " (stop docketd first), but it could not be opened: " + e.message;
    return unexpected(std::move(e));
  }
  return std::move(*store);
}

}  // namespace docket::replay
