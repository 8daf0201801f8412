// Engine benchmark: durable appends with 1, 16, 64 and 256 concurrent writers of ~300-byte
// events, each beside raw RocksDB WriteBatch writes with sync=true of the same value sizes and
// the same batch sizes the engine's group commit formed; append latency p50/p99; and replay
// (decode + chain verify) beside a raw RocksDB iterator over the same log.
//
//   engine_bench [--seconds S] [--rounds R] [--replay-events N] [--writers 1,16,64,256]
//                [--scale-events N]   (also: latency and RSS as the log grows to N events)
//
// Prints one JSON object per figure (see bench_util.h). Set DOCKET_BENCH_DIR to put the
// scratch stores on a particular disk.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <semaphore>
#include <sstream>
#include <thread>

#include "bench_util.h"
#include "docket/engine/event_store.h"
#include "docket/engine/format.h"

namespace {

using namespace docket;
using namespace docket::engine;
using bench::figure;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPayloadBytes = 300;

std::unique_ptr<EventStore> open_store(const std::string& path, bool sync) {
  StoreOptions options;
  options.path = path;
  options.sync = sync;
  auto store = EventStore::open(options);
  if (!store) {
    std::fprintf(stderr, "open %s: %s\n", path.c_str(), store.error().message.c_str());
    std::exit(1);
  }
  return std::move(*store);
}

std::string payload(std::size_t i) {
  std::string p(kPayloadBytes, 'x');
  auto tag = std::to_string(i);
  std::memcpy(p.data(), tag.data(), tag.size());
  return p;
}

struct AppendRun {
  double events_per_second = 0;
  double average_batch = 0;
  double average_record_bytes = 0;
  double p50_us = 0;
  double p99_us = 0;
};

AppendRun run_engine(int writers, double seconds) {
  bench::ScratchDir dir("engine");
  auto store = open_store(dir.path(), true);
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(writers));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      auto& mine = latencies[static_cast<std::size_t>(w)];
      const std::string stream = "bench-" + std::to_string(w);
      for (std::size_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        AppendRequest r;
        r.stream = stream;
        r.actor = {"bench", "system"};
        r.events.push_back({"BenchmarkEventRecorded", 1, payload(i), {}});
        const auto t0 = Clock::now();
        auto result = store->append(std::move(r));
        mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!result) {
          std::fprintf(stderr, "append: %s\n", result.error().message.c_str());
          std::exit(1);
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& t : threads)
    t.join();
  const double elapsed = bench::seconds_since(start);
  const auto stats = store->stats();
  std::vector<double> all;
  for (auto& l : latencies)
    all.insert(all.end(), l.begin(), l.end());
  AppendRun run;
  run.events_per_second = static_cast<double>(stats.events) / elapsed;
  run.average_batch = static_cast<double>(stats.events) /
                      static_cast<double>(std::max<std::uint64_t>(1, stats.batches));
  run.average_record_bytes = static_cast<double>(stats.bytes) /
                             static_cast<double>(std::max<std::uint64_t>(1, stats.events));
  run.p50_us = bench::percentile(all, 0.50);
  run.p99_us = bench::percentile(all, 0.99);
  return run;
}

// `writers` appends kept in flight by two client threads through append_async — the shape of
// docketd, whose few I/O threads hold many connections' commands at once.
AppendRun run_engine_async(int writers, double seconds) {
  bench::ScratchDir dir("engine-async");
  auto store = open_store(dir.path(), true);
  std::atomic<bool> stop{false};
  std::counting_semaphore<1 << 20> slots(writers);
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<std::uint64_t> in_flight{0};
  std::vector<std::thread> clients;
  const auto start = Clock::now();
  for (int c = 0; c < 2; ++c) {
    clients.emplace_back([&, c] {
      for (std::size_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        if (!slots.try_acquire_for(std::chrono::milliseconds(50)))
          continue;
        AppendRequest r;
        r.stream = "bench-" + std::to_string(c) + "-" +
                   std::to_string(i % static_cast<std::size_t>(writers));
        r.actor = {"bench", "system"};
        r.events.push_back({"BenchmarkEventRecorded", 1, payload(i), {}});
        const auto t0 = Clock::now();
        ++in_flight;
        store->append_async(std::move(r), [&, t0](Result<AppendResult> result) {
          if (!result)
            std::exit(1);
          const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
          {
            std::lock_guard lock(mu);
            latencies.push_back(us);
          }
          --in_flight;
          slots.release();
        });
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& t : clients)
    t.join();
  while (in_flight.load() > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double elapsed = bench::seconds_since(start);
  const auto stats = store->stats();
  AppendRun run;
  run.events_per_second = static_cast<double>(stats.events) / elapsed;
  run.average_batch = static_cast<double>(stats.events) /
                      static_cast<double>(std::max<std::uint64_t>(1, stats.batches));
  run.average_record_bytes = static_cast<double>(stats.bytes) /
                             static_cast<double>(std::max<std::uint64_t>(1, stats.events));
  std::lock_guard lock(mu);
  run.p50_us = bench::percentile(latencies, 0.50);
  run.p99_us = bench::percentile(latencies, 0.99);
  return run;
}

// Raw RocksDB: batches of `batch` puts of `value_bytes`-byte values under sequential 8-byte keys,
// each batch written with sync=true, for `seconds`.
double run_raw(std::size_t batch, std::size_t value_bytes, double seconds) {
  bench::ScratchDir dir("raw");
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir.path(), &raw).ok())
    std::exit(1);
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  std::string value(value_bytes, 'v');
  std::uint64_t key = 0;
  std::uint64_t events = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    rocksdb::WriteBatch wb;
    for (std::size_t i = 0; i < batch; ++i) {
      auto k = format::log_key(++key);
      std::memcpy(value.data(), k.data(), k.size());
      wb.Put(k, value);
    }
    if (!db->Write(wo, &wb).ok())
      std::exit(1);
    events += batch;
  }
  const double elapsed = bench::seconds_since(start);
  (void)db->Close();
  return static_cast<double>(events) / elapsed;
}

double median(std::vector<double> v) {
  return bench::percentile(std::move(v), 0.5);
}

// Disk sync latency drifts on shared machines, so engine and raw runs alternate, `rounds`
// times each, and the medians are compared.
void append_benchmarks(const std::vector<int>& writers, double seconds, int rounds, bool async) {
  for (int w : writers) {
    std::vector<double> engine_rates, raw_rates, batches, p50s, p99s;
    for (int round = 0; round < rounds; ++round) {
      auto engine = async ? run_engine_async(w, seconds) : run_engine(w, seconds);
      const auto batch = static_cast<std::size_t>(std::max(1.0, engine.average_batch + 0.5));
      raw_rates.push_back(
          run_raw(batch, static_cast<std::size_t>(engine.average_record_bytes), seconds));
      engine_rates.push_back(engine.events_per_second);
      batches.push_back(engine.average_batch);
      p50s.push_back(engine.p50_us);
      p99s.push_back(engine.p99_us);
    }
    const auto suffix = (async ? "_async_w" : "_w") + std::to_string(w);
    figure("append_durable" + suffix, median(engine_rates), "events/s", median(raw_rates));
    figure("append_batch_size" + suffix, median(batches), "events/batch");
    figure("append_latency_p50" + suffix, median(p50s), "us");
    figure("append_latency_p99" + suffix, median(p99s), "us");
  }
}

void replay_benchmark(std::size_t events) {
  bench::ScratchDir dir("replay");
  {
    auto store = open_store(dir.path(), false);
    std::vector<std::thread> threads;
    const std::size_t per_thread = events / 8;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = 0; i < per_thread; i += 50) {
          AppendRequest r;
          r.stream = "replay-" + std::to_string(t) + "-" + std::to_string(i / 1000);
          for (std::size_t k = 0; k < 50; ++k)
            r.events.push_back({"BenchmarkEventRecorded", 1, payload(i + k), {}});
          if (!store->append(std::move(r)))
            std::exit(1);
        }
      });
    }
    for (auto& t : threads)
      t.join();
  }
  auto store = open_store(dir.path(), true);
  const auto total = store->last_position();
  // Warm the block cache equally for both sides.
  (void)store->verify_chain();

  double best_engine = 0;
  double best_raw = 0;
  for (int round = 0; round < 3; ++round) {
    auto start = Clock::now();
    auto report = store->verify_chain();
    double engine = static_cast<double>(report.checked) / bench::seconds_since(start);
    if (!report.ok() || report.checked != total) {
      std::fprintf(stderr, "replay: chain did not verify\n");
      std::exit(1);
    }
    best_engine = std::max(best_engine, engine);

    start = Clock::now();
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(
        store->db()->NewIterator(ro, store->column_family(format::kCfLog)));
    std::uint64_t n = 0;
    std::uint64_t bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
      ++n;
    }
    double raw = static_cast<double>(n) / bench::seconds_since(start);
    if (n != total || bytes == 0)
      std::exit(1);
    best_raw = std::max(best_raw, raw);
  }
  figure("replay_verify", best_engine, "events/s", best_raw);
}

// Resident set size of this process, in MiB.
double rss_mib() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr)
    return 0;
  long pages = 0;
  long resident = 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
    resident = 0;
  std::fclose(f);
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

// Appends from 64 writers until the log holds `total` events, reporting append latency and RSS
// each time the log passes 10k, 100k, 1M, 10M events: both should stay flat. Each writer keeps a
// uniform sample of at most kSamples latencies (reservoir sampling), so the benchmark's own memory
// does not grow with the log and the RSS figure is the store's.
void scale_benchmark(std::uint64_t total) {
  bench::ScratchDir dir("scale");
  auto store = open_store(dir.path(), true);
  constexpr int kWriters = 64;
  constexpr std::size_t kSamples = 20'000;
  std::uint64_t milestone = 10'000;
  while (milestone <= total) {
    std::vector<std::vector<double>> latencies(kWriters);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        const std::string stream = "scale-" + std::to_string(w);
        auto& sample = latencies[static_cast<std::size_t>(w)];
        sample.reserve(kSamples);
        std::minstd_rand rng(static_cast<unsigned>(w) + 1);
        for (std::size_t i = 0; store->last_position() < milestone; ++i) {
          AppendRequest r;
          r.stream = stream + "-" + std::to_string(i / 100);
          r.events.push_back({"BenchmarkEventRecorded", 1, payload(i), {}});
          const auto t0 = Clock::now();
          if (!store->append(std::move(r)))
            std::exit(1);
          const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
          if (sample.size() < kSamples) {
            sample.push_back(us);
          } else if (const auto slot = rng() % (i + 1); slot < kSamples) {
            sample[slot] = us;
          }
        }
      });
    }
    for (auto& t : threads)
      t.join();
    std::vector<double> all;
    for (auto& l : latencies)
      all.insert(all.end(), l.begin(), l.end());
    const auto suffix = "_at_" + std::to_string(milestone);
    figure("scale_append_latency_p50" + suffix, bench::percentile(all, 0.5), "us");
    figure("scale_append_latency_p99" + suffix, bench::percentile(all, 0.99), "us");
    figure("scale_rss" + suffix, rss_mib(), "MiB");
    milestone *= 10;
  }
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(std::stoi(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  int rounds = 3;
  std::uint64_t scale_events = 0;
  std::size_t replay_events = 400'000;
  std::vector<int> writers{1, 16, 64, 256};
  bool scale_only = false;  // --scale-only 1: just the scale run
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds") {
      seconds = std::stod(argv[i + 1]);
    } else if (flag == "--scale-events") {
      scale_events = std::stoull(argv[i + 1]);
    } else if (flag == "--rounds") {
      rounds = std::stoi(argv[i + 1]);
    } else if (flag == "--replay-events") {
      replay_events = std::stoul(argv[i + 1]);
    } else if (flag == "--writers") {
      writers = parse_list(argv[i + 1]);
    } else if (flag == "--scale-only") {
      scale_only = std::string(argv[i + 1]) == "1";
    } else {
      std::fprintf(stderr,
                   "usage: engine_bench [--seconds S] [--rounds R] [--replay-events N] [--writers "
                   "1,16,64,256] [--scale-events N [--scale-only 1]]\n");
      return 2;
    }
  }
  if (!scale_only) {
    append_benchmarks(writers, seconds, rounds, false);
    append_benchmarks({64, 256}, seconds, rounds, true);
    replay_benchmark(replay_events);
  }
  if (scale_events > 0)
    scale_benchmark(scale_events);
  return 0;
}
