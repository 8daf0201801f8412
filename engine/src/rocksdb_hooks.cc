#include "rocksdb_hooks.h"

#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>

#include "docket/engine/format.h"

namespace docket::engine {
namespace {

spdlog::level::level_enum to_spdlog(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::DEBUG_LEVEL:
      return spdlog::level::debug;
    case rocksdb::InfoLogLevel::INFO_LEVEL:
    case rocksdb::InfoLogLevel::HEADER_LEVEL:
      return spdlog::level::info;
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return spdlog::level::warn;
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
      return spdlog::level::err;
    default:
      return spdlog::level::critical;
  }
}

// Collects the log-family keys (u64be positions) of a write batch, in order.
class LogKeys final : public rocksdb::WriteBatch::Handler {
 public:
  explicit LogKeys(std::uint32_t family) : family_(family) {}
  rocksdb::Status PutCF(std::uint32_t family, const rocksdb::Slice& key,
                        const rocksdb::Slice&) override {
    if (family == family_ && key.size() == 8) {
      std::uint64_t position = 0;
      for (std::size_t i = 0; i < 8; ++i)
        position = (position << 8) | static_cast<std::uint8_t>(key[i]);
      positions.push_back(position);
    }
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(std::uint32_t, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(std::uint32_t, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(std::uint32_t, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status MergeCF(std::uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status PutBlobIndexCF(std::uint32_t, const rocksdb::Slice&,
                                 const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  std::vector<std::uint64_t> positions;

 private:
  std::uint32_t family_;
};

}  // namespace

void SpdlogLogger::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) {
  if (level < GetInfoLogLevel())
    return;
  char buffer[1024];
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, copy);
  va_end(copy);
  if (n < 0)
    return;
  std::string_view text(buffer,
                        std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buffer - 1));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  spdlog::log(to_spdlog(level), "rocksdb: {}", text);
  if (level >= rocksdb::InfoLogLevel::WARN_LEVEL && text.find(": dropping ") != text.npos) {
    std::lock_guard lock(mu_);
    if (first_damage_.empty())
      first_damage_.assign(text.substr(text.find("] ") == text.npos ? 0 : text.find("] ") + 2));
  }
}

void SpdlogLogger::Logv(const char* format, va_list ap) {
  Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
}

std::string SpdlogLogger::first_damage() const {
  std::lock_guard lock(mu_);
  return first_damage_;
}

void BackgroundErrorListener::OnBackgroundError(rocksdb::BackgroundErrorReason,
                                                rocksdb::Status* error) {
  if (error != nullptr && !error->ok())
    on_error_(*error);
}

void BackgroundErrorListener::OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason,
                                                   rocksdb::Status error, bool* auto_recovery) {
  error.PermitUncheckedError();
  if (auto_recovery != nullptr)
    *auto_recovery = false;
}

void LogContinuityFilter::ColumnFamilyLogNumberMap(
    const std::map<std::uint32_t, std::uint64_t>&,
    const std::map<std::string, std::uint32_t>& ids) {
  if (auto it = ids.find(std::string(format::kCfLog)); it != ids.end())
    log_family_ = it->second;
}

rocksdb::WalFilter::WalProcessingOption LogContinuityFilter::LogRecordFound(
    unsigned long long, const std::string& file, const rocksdb::WriteBatch& batch,
    rocksdb::WriteBatch*, bool*) {
  if (!log_family_ || !gap_.empty())
    return WalProcessingOption::kContinueProcessing;
  LogKeys keys(*log_family_);
  if (!batch.Iterate(&keys).ok() || keys.positions.empty())
    return WalProcessingOption::kContinueProcessing;
  for (auto position : keys.positions) {
    if (first_ != 0 && position != last_ + 1) {
      gap_ =
          file + " goes from position " + std::to_string(last_) + " to " + std::to_string(position);
      spdlog::error("rocksdb: {}: the write-ahead log skips records: {}", Name(), gap_);
      return WalProcessingOption::kCorruptedRecord;
    }
    if (first_ == 0)
      first_ = position;
    last_ = position;
  }
  return WalProcessingOption::kContinueProcessing;
}

}  // namespace docket::engine
