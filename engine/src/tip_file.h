// TipFile: the acknowledged tip of the log, kept in a small file of its own beside RocksDB's
// files (doc/format.md, "The acknowledged tip"). The writer records the last position of every
// group commit, with its chain hash, before it acknowledges the commit; at open, a log that ends
// before the recorded tip has lost acknowledged events, whatever RocksDB recovered.
//
// Two checksummed slots are written in turn, so a torn write leaves the other one readable.
// Thread-safety: record() and read() may be called from any thread; they serialise.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "docket/engine/format.h"
#include "docket/engine/types.h"

namespace docket::engine {

struct Tip {
  std::uint64_t position = 0;
  format::Hash hash{};
};

class TipFile {
 public:
  // The file `kTipFileName` in `directory`; nothing is opened until read() or record().
  explicit TipFile(std::string directory, bool sync);
  ~TipFile();
  TipFile(const TipFile&) = delete;
  TipFile& operator=(const TipFile&) = delete;

  const std::string& path() const { return path_; }

  // The highest tip of a valid slot; nullopt when the file does not exist. kCorruption when it
  // exists but no slot is valid; kIo when it cannot be read.
  Result<std::optional<Tip>> read();

  // Records `tip` durably (written, then synced when `sync`), creating the file when missing.
  // A tip at or below the last one recorded by this object is skipped. kIo on failure.
  Result<void> record(const Tip& tip);

 private:
  Result<void> open_locked();

  std::string directory_;
  std::string path_;
  bool sync_;
  std::mutex mu_;
  int fd_ = -1;
  unsigned next_slot_ = 0;
  std::optional<std::uint64_t> recorded_;
};

}  // namespace docket::engine
