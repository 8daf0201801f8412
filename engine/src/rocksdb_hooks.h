// What RocksDB tells the event store: its info log goes to spdlog (no LOG file in the store, so
// a full disk cannot make logging fail), and its background errors reach the store, which
// degrades to read-only and runs the recovery itself.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/listener.h>
#include <rocksdb/wal_filter.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
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

// Watches the log positions RocksDB replays from its write-ahead log at open. The writer gives
// every group commit the positions right after the previous one, so the replayed records must
// follow each other with no gap; a gap (a record lost inside the WAL without a checksum error,
// e.g. a header overwritten with zeros) stops the recovery as corrupt. Used only at open, on one
// thread.
class LogContinuityFilter final : public rocksdb::WalFilter {
 public:
  void ColumnFamilyLogNumberMap(const std::map<std::uint32_t, std::uint64_t>& log_numbers,
                                const std::map<std::string, std::uint32_t>& ids) override;
  WalProcessingOption LogRecordFound(unsigned long long log_number, const std::string& file,
                                     const rocksdb::WriteBatch& batch,
                                     rocksdb::WriteBatch* new_batch, bool* changed) override;
  const char* Name() const override { return "docket.LogContinuity"; }

  // The first log position replayed from the WAL (0: none).
  std::uint64_t first_replayed() const { return first_; }
  // The gap found, described ("" when none).
  const std::string& gap() const { return gap_; }

 private:
  std::optional<std::uint32_t> log_family_;
  std::uint64_t first_ = 0;
  std::uint64_t last_ = 0;
  std::string gap_;
};

}  // namespace docket::engine
