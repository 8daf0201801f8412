#include "docket/replay/data_dir.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <string_view>
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

namespace {

// The RocksDB blob files of a store directory (format 1 wrote them; a secondary cannot read them).
std::size_t blob_files_in(const fs::path& store) {
  std::error_code ec;
  std::size_t n = 0;
  for (fs::directory_iterator it(store, ec), end; !ec && it != end; it.increment(ec))
    n += it->path().extension() == ".blob";
  return n;
}

constexpr std::string_view kSecondaryPrefix = "docket-secondary-";

// Removes the secondary directories of tools that died without cleaning up: those named after a
// process that no longer runs, and unnamed ones (left by earlier versions) untouched for an hour.
void sweep_stale_secondaries(const fs::path& temp) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(temp, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.rfind(kSecondaryPrefix, 0) != 0 || !it->is_directory(ec))
      continue;
    const auto rest = std::string_view(name).substr(kSecondaryPrefix.size());
    const auto dash = rest.find('-');
    bool stale = false;
    if (dash != std::string_view::npos && dash > 0) {
      const long pid = std::strtol(std::string(rest.substr(0, dash)).c_str(), nullptr, 10);
      stale = pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    } else {
      std::error_code time_ec;
      const auto changed = fs::last_write_time(it->path(), time_ec);
      stale = !time_ec && now - changed > std::chrono::hours(1);
    }
    if (stale) {
      std::error_code remove_ec;
      fs::remove_all(it->path(), remove_ec);
    }
  }
}

}  // namespace

namespace {

std::mutex& live_mu() {
  static std::mutex mu;
  return mu;
}
std::set<std::string>& live_dirs() {
  static std::set<std::string> dirs;
  return dirs;
}

}  // namespace

void remove_live_secondary_dirs() {
  std::lock_guard lock(live_mu());
  for (const auto& dir : live_dirs()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  live_dirs().clear();
}

std::string secondary_dir_prefix() {
  return (fs::temp_directory_path() / kSecondaryPrefix).string();
}

engine::Result<std::unique_ptr<ReadOnlyStore>> ReadOnlyStore::open(const std::string& data_dir) {
  auto path = store_path(data_dir);
  if (!path)
    return unexpected(path.error());
  if (const auto blob_files = blob_files_in(*path); blob_files > 0) {
    return unexpected(error(
        engine::ErrorCode::kCorruption,
        "Expected a store without RocksDB blob files (format " +
            std::to_string(engine::format::kFormatVersion) + "), but " + *path + " has " +
            std::to_string(blob_files) +
            ", which a reader beside docketd cannot open safely: it was written by an earlier "
            "release (format 1), whose events hold credentials in the log, and this release "
            "refuses it; start with a new, empty data directory"));
  }
  sweep_stale_secondaries(fs::temp_directory_path());
  std::unique_ptr<ReadOnlyStore> out(new ReadOnlyStore());
  auto pattern = secondary_dir_prefix() + std::to_string(::getpid()) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return unexpected(error(engine::ErrorCode::kIo,
                            "Expected to create a temporary directory, but mkdtemp failed"));
  }
  out->secondary_dir_ = pattern;
  {
    std::lock_guard lock(live_mu());
    live_dirs().insert(pattern);
  }
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
    std::lock_guard lock(live_mu());
    live_dirs().erase(secondary_dir_);
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
