// Growth benchmark: whether the cost of an event grows with the size of its entity.
//
//   growth_bench [--entries N] [--block B] [--sync 0|1]
//
// Two stores, each with app::Platform (snapshots on, as docketd runs it) and the standard
// projections:
//   growth    one lawyer who adds N schedule entries (AddScheduleEntry through
//             Platform::execute), so the lawyer's state, snapshot and read model grow;
//   baseline  N lawyers who add one schedule entry each: the same commands on entities that
//             stay small.
// The two run in turn, 100 commands at a time, and are reported per block of B commands
// (default 1,000). After every command the projector catches up on this thread
// (Projector::catch_up: one event per batch, what a live projector that keeps up writes). Per
// block it prints, for growth beside baseline:
//   commands_per_s, us_per_command     the command path alone (load, decide, append, snapshot),
//                                      wall-clock time
//   cpu_us_per_command                 the same in CPU time of the whole process (every thread:
//                                      the store's writer and RocksDB's), which other load on the
//                                      machine disturbs less
//   us_per_event_projected             the projector's catch-up per event
//   wal_bytes_per_event                every byte appended to RocksDB's write-ahead log files
//                                      (counted by a FileSystem wrapper around the default one,
//                                      for files named *.log) during the block, per event
//   projection_wal_bytes_per_event     the part of it written by the projector's batches
//   snapshot_bytes_per_event           the bytes of the snapshots saved during the block
// --sync 1 syncs the log as docketd does (the figures then mostly measure the disk); the
// default leaves syncing to the OS. Prints one JSON object per figure (see bench_util.h). Set
// DOCKET_BENCH_DIR to choose the disk.
#include <rocksdb/file_system.h>
#include <time.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"
#include "docket/engine/snapshot_store.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"

namespace {

using namespace docket;
using bench::figure;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "growth_bench: %s\n", what.c_str());
  std::exit(1);
}

// The default file system, counting the bytes appended to write-ahead log files (*.log).
class WalCountingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  WalCountingFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "WalCountingFileSystem"; }

  std::uint64_t wal_bytes() const { return wal_bytes_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    auto s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok() && name.ends_with(".log"))
      *result = std::make_unique<File>(std::move(*result), wal_bytes_);
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    auto s = target()->ReopenWritableFile(name, options, result, dbg);
    if (s.ok() && name.ends_with(".log"))
      *result = std::make_unique<File>(std::move(*result), wal_bytes_);
    return s;
  }

  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    auto s = target()->ReuseWritableFile(name, old_name, options, result, dbg);
    if (s.ok() && name.ends_with(".log"))
      *result = std::make_unique<File>(std::move(*result), wal_bytes_);
    return s;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, std::atomic<std::uint64_t>& bytes)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), bytes_(bytes) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      bytes_ += data.size();
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      bytes_ += data.size();
      return target()->Append(data, options, info, dbg);
    }

   private:
    std::atomic<std::uint64_t>& bytes_;
  };

  std::atomic<std::uint64_t> wal_bytes_{0};
};

std::string licence(std::size_t i) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "15001201810%06zu", i);
  return buffer;
}

app::Request as_lawyer(const std::string& id) {
  app::Request r;
  r.actor = domain::Principal{id, domain::Role::kLawyer, ""};
  return r;
}

app::Request as_admin() {
  app::Request r;
  r.actor = domain::Principal{"admin", domain::Role::kAdmin, ""};
  return r;
}

// CPU time of the whole process.
double cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// What one block cost one side.
struct Block {
  double command_seconds = 0;
  double command_cpu_seconds = 0;
  double projection_seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t wal_bytes = 0;
  std::uint64_t projection_wal_bytes = 0;
  std::uint64_t snapshot_bytes = 0;
};

// One store with its platform and projector.
class Side {
 public:
  Side(const std::string& name, bool sync)
      : dir_(name),
        file_system_(std::make_shared<WalCountingFileSystem>()),
        secrets_(std::string(32, 's'), app::PasswordHashing::minimal()) {
    engine::StoreOptions options;
    options.path = dir_.path();
    options.sync = sync;
    options.file_system = file_system_;
    auto store = engine::EventStore::open(options);
    if (!store)
      die("open: " + store.error().message);
    store_ = std::move(*store);
    platform_ = std::make_unique<app::Platform>(*store_, secrets_);
    projector_ =
        std::make_unique<projections::Projector>(*store_, projections::standard_projections());
    snapshots_ = std::make_unique<engine::SnapshotStore>(*store_);
  }

  // Registers lawyer i and changes their first password.
  void register_lawyer(std::size_t i) {
    const auto id = licence(i);
    auto registered = platform_->execute<domain::LawyerAggregate>(
        "lawyer-" + id,
        domain::RegisterFromRoster{"重庆山城律师事务所", "律师" + std::to_string(i), id,
                                   "500103198001010010", "13800010000", "l@example.com"},
        as_admin());
    if (!registered)
      die("register: " + std::string(app::failure_message(registered.error())));
    auto changed = platform_->change_password(id, "bench-password-1", as_lawyer(id));
    if (!changed)
      die("password: " + std::string(app::failure_message(changed.error())));
  }

  void catch_up() {
    if (auto caught = projector_->catch_up(); !caught)
      die("projector: " + caught.error().message);
  }

  // Lawyer `lawyer` adds entry number k; the projector catches up after it.
  void add_entry(std::size_t lawyer, std::size_t k, Block& block) {
    const auto id = licence(lawyer);
    const std::string stream = "lawyer-" + id;
    const std::int64_t start =
        1'900'000'000'000'000LL + static_cast<std::int64_t>(k) * 3'600'000'000LL;
    const auto wal_before = file_system_->wal_bytes();
    const double cpu0 = cpu_seconds();
    const auto t0 = SteadyClock::now();
    auto added = platform_->execute<domain::LawyerAggregate>(
        stream,
        domain::AddScheduleEntry{start, start + 1'800'000'000LL, k % 3 != 0,
                                 "日程 " + std::to_string(k) + " 开庭准备"},
        as_lawyer(id));
    const double took = bench::seconds_since(t0);
    block.command_cpu_seconds += cpu_seconds() - cpu0;
    if (!added)
      die("add: " + std::string(app::failure_message(added.error())));
    block.command_seconds += took;
    block.events += added->event_count;
    const auto wal_between = file_system_->wal_bytes();
    const auto t1 = SteadyClock::now();
    catch_up();
    block.projection_seconds += bench::seconds_since(t1);
    const auto wal_after = file_system_->wal_bytes();
    block.wal_bytes += wal_after - wal_before;
    block.projection_wal_bytes += wal_after - wal_between;
    // The snapshot the command may have saved (outside the timed part).
    auto snapshot = snapshots_->load(stream);
    if (!snapshot)
      die("snapshot: " + snapshot.error().message);
    if (*snapshot) {
      auto& last = last_snapshot_[stream];
      if ((*snapshot)->version != last) {
        last = (*snapshot)->version;
        block.snapshot_bytes += (*snapshot)->bytes.size();
      }
    }
  }

  projections::ReadModels read_models() const { return projections::ReadModels(*store_); }

 private:
  bench::ScratchDir dir_;
  std::shared_ptr<WalCountingFileSystem> file_system_;
  app::SodiumSecrets secrets_;
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<projections::Projector> projector_;
  std::unique_ptr<engine::SnapshotStore> snapshots_;
  std::map<std::string, std::uint64_t> last_snapshot_;
};

double per(double total, std::uint64_t count) {
  return count == 0 ? 0 : total / static_cast<double>(count);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t entries = 10'000;
  std::size_t block_size = 1'000;
  bool sync = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--entries") {
      entries = std::stoul(argv[i + 1]);
    } else if (flag == "--block") {
      block_size = std::stoul(argv[i + 1]);
    } else if (flag == "--sync") {
      sync = std::stoi(argv[i + 1]) != 0;
    } else {
      std::fprintf(stderr, "usage: growth_bench [--entries N] [--block B] [--sync 0|1]\n");
      return 2;
    }
  }
  if (block_size == 0 || entries == 0)
    die("--entries and --block must be positive");

  Side growth("growth", sync);
  Side baseline("baseline", sync);
  const auto setup = SteadyClock::now();
  growth.register_lawyer(0);
  for (std::size_t i = 0; i < entries; ++i)
    baseline.register_lawyer(i);
  growth.catch_up();
  baseline.catch_up();
  std::fprintf(stderr, "setup: %zu lawyers in %.1f s\n", entries + 1, bench::seconds_since(setup));

  for (std::size_t from = 0; from < entries; from += block_size) {
    const std::size_t to = std::min(entries, from + block_size);
    Block g;
    Block b;
    for (std::size_t chunk = from; chunk < to; chunk += 100) {
      const std::size_t end = std::min(to, chunk + 100);
      for (std::size_t k = chunk; k < end; ++k)
        growth.add_entry(0, k, g);
      for (std::size_t k = chunk; k < end; ++k)
        baseline.add_entry(k, k, b);
    }
    const std::string at = "entries_" + std::to_string(to) + "_";
    const auto commands = static_cast<std::uint64_t>(to - from);
    figure(at + "commands_per_s", per(static_cast<double>(commands), 1) / g.command_seconds,
           "commands/s", static_cast<double>(commands) / b.command_seconds);
    figure(at + "us_per_command", 1e6 * per(g.command_seconds, commands), "us",
           1e6 * per(b.command_seconds, commands));
    figure(at + "cpu_us_per_command", 1e6 * per(g.command_cpu_seconds, commands), "us",
           1e6 * per(b.command_cpu_seconds, commands));
    figure(at + "us_per_event_projected", 1e6 * per(g.projection_seconds, g.events), "us",
           1e6 * per(b.projection_seconds, b.events));
    figure(at + "wal_bytes_per_event", per(static_cast<double>(g.wal_bytes), g.events), "bytes",
           per(static_cast<double>(b.wal_bytes), b.events));
    figure(at + "projection_wal_bytes_per_event",
           per(static_cast<double>(g.projection_wal_bytes), g.events), "bytes",
           per(static_cast<double>(b.projection_wal_bytes), b.events));
    figure(at + "snapshot_bytes_per_event", per(static_cast<double>(g.snapshot_bytes), g.events),
           "bytes", per(static_cast<double>(b.snapshot_bytes), b.events));
  }

  // The read model answers with every entry.
  auto home = growth.read_models().lawyer_home(licence(0), 0);
  if (!home)
    die("lawyer_home: " + home.error().message);
  const auto shown = home->as_object().at("schedule").as_array().size();
  if (shown != entries)
    die("lawyer_home shows " + std::to_string(shown) + " entries, not " + std::to_string(entries));
  return 0;
}
