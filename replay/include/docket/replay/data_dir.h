// Opening a Docket data directory for the auditors' tool.
//
// Read commands open the directory as a RocksDB secondary instance (StoreOptions::secondary):
// it never writes to the primary's files, takes no lock, and sees the store as of its last
// catch-up, so it works beside a running docketd without stopping, blocking or changing it.
// The secondary keeps its own small files in a fresh temporary directory,
// `docket-secondary-<pid>-XXXXXX`, removed on close (and by remove_live_secondary_dirs() when
// the tool is stopped by a signal); opening sweeps away those of processes that no longer run.
// RocksDB cannot read blob files through a secondary, so a store that still has any (format 1,
// before docketd upgraded it) is refused with kCorruption, before it is opened.
// Rebuilding projections writes, so it opens the directory as the primary, which RocksDB
// refuses while docketd holds it.
//
// The data directory is docketd's --data DIR, which holds the store in DIR/store (beside the
// server secret); a path to the store itself (it holds RocksDB's CURRENT file) works too.
//
// Thread-safety: a ReadOnlyStore is used like the EventStore it wraps.
#pragma once

#include <memory>
#include <string>

#include "docket/engine/event_store.h"

namespace docket::replay {

// Where secondary directories go: the temporary directory and `docket-secondary-`.
std::string secondary_dir_prefix();

// The RocksDB store inside a data directory; kNotFound when there is none.
engine::Result<std::string> store_path(const std::string& data_dir);

class ReadOnlyStore {
 public:
  // Opens `data_dir` as a secondary and catches up with the primary once. kNotFound when there is
  // no store; kCorruption when it has blob files or another format version; kIo when it cannot
  // be opened.
  static engine::Result<std::unique_ptr<ReadOnlyStore>> open(const std::string& data_dir);
  ~ReadOnlyStore();
  ReadOnlyStore(const ReadOnlyStore&) = delete;
  ReadOnlyStore& operator=(const ReadOnlyStore&) = delete;

  engine::EventStore& store() { return *store_; }
  // Catches up with the primary again (new commits become visible).
  engine::Result<void> refresh() { return store_->refresh(); }

 private:
  ReadOnlyStore() = default;
  std::string secondary_dir_;
  std::unique_ptr<engine::EventStore> store_;
};

// Removes the secondary directories of every ReadOnlyStore still open; for a signal handler
// thread that then ends the process. Thread-safe.
void remove_live_secondary_dirs();

// Opens `data_dir` as the primary, for commands that write (rebuild). kNotFound when there is
// no store; kIo, naming the running server as the likely cause, when it is in use.
engine::Result<std::unique_ptr<engine::EventStore>> open_stopped(const std::string& data_dir);

}  // namespace docket::replay
