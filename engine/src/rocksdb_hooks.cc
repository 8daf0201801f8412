#include "rocksdb_hooks.h"

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>

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

}  // namespace docket::engine
