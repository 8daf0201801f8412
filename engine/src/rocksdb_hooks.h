// What RocksDB tells the event store: its info log goes to spdlog (no LOG file in the store, so
// a full disk cannot make logging fail), and its background errors reach the store, which
// degrades to read-only and runs the recovery itself.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/listener.h>

#include <functional>
#include <mutex>
#include <string>

namespace docket::engine {

// A RocksDB Logger writing to spdlog with the prefix "rocksdb: ". Remembers the first warning
// that reports dropped bytes: it names the file RocksDB found damaged. Thread-safe.
class SpdlogLogger final : public rocksdb::Logger {
 public:
  explicit SpdlogLogger(rocksdb::InfoLogLevel level) : rocksdb::Logger(level) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override;
  void Logv(const char* format, va_list ap) override;
  std::string first_damage() const;

 private:
  mutable std::mutex mu_;
  std::string first_damage_;
};

// Hands each background error to `on_error` (called with RocksDB's mutex held: keep it short)
// and turns RocksDB's own automatic recovery off: the store resumes when it sees free space.
class BackgroundErrorListener final : public rocksdb::EventListener {
 public:
  explicit BackgroundErrorListener(std::function<void(const rocksdb::Status&)> on_error)
      : on_error_(std::move(on_error)) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override;
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status error,
                            bool* auto_recovery) override;

 private:
  std::function<void(const rocksdb::Status&)> on_error_;
};

}  // namespace docket::engine
