// Projection benchmark: rebuilding the standard read models from position 0, in events/s, beside
// the engine's durable append rate measured in the same run on the same events.
//
//   projection_bench [--journeys N] [--threads T] [--seconds S] [--writers W] [--data DIR]
//
// 1. Builds a log through app::Platform (unsynced, it is only the input): a roster of lawyers,
//    then N journeys, each a filing through every wizard step, submitted, accepted, registered
//    and billed by the reactions, a judge assigned, two hearings, a message, an avoidance
//    request, an evidence batch, a served document with its SMS, the fee paid with a receipt,
//    and a schedule entry — about 40 events of every aggregate.
// 2. Baseline: W writers append the same events (type and payload bytes, cycling through the
//    log) with sync=true to a fresh store for S seconds: the durable append rate.
// 3. Rebuilds every standard projection from position 0 (Projector::rebuild_all) and reports
//    events/s, and the ratio to the baseline (target: at least 3).
//
// --data DIR keeps the input log in DIR and reuses it when DIR already holds one (to profile the
// rebuild alone); --seconds 0 skips the baseline. Prints one JSON object per figure (see
// bench_util.h). Set DOCKET_BENCH_DIR to choose the disk.
#include <time.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "docket/app/demo.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"

namespace {

using namespace docket;
using namespace docket::domain;
using bench::figure;
using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kDay = engine::kMicrosPerDay;
constexpr std::string_view kCourt = app::kDemoCourt;
constexpr int kLawyers = 100;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "projection_bench: %s\n", what.c_str());
  std::exit(1);
}

std::unique_ptr<engine::EventStore> open_store(const std::string& path, bool sync,
                                               engine::Clock* clock) {
  engine::StoreOptions options;
  options.path = path;
  options.sync = sync;
  options.clock = clock;
  auto store = engine::EventStore::open(options);
  if (!store)
    die("open " + path + ": " + store.error().message);
  return std::move(*store);
}

std::string licence(int i) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "1500120181002%04d", i);
  return buffer;
}

std::string blob(std::size_t n) {
  std::string hash(64, 'b');
  const std::string tag = std::to_string(n);
  hash.replace(hash.size() - tag.size(), tag.size(), tag);
  return hash;
}

app::Request as(domain::Principal actor) {
  app::Request r;
  r.actor = std::move(actor);
  return r;
}

Principal lawyer(const std::string& id) {
  return {id, Role::kLawyer, ""};
}
const Principal kJudge{"judge01", Role::kJudge, std::string(kCourt)};
const Principal kClerk{"clerk01", Role::kClerk, std::string(kCourt)};
const Principal kCourtSystem{"cms0103", Role::kCourtSystem, std::string(kCourt)};
const Principal kAdmin{"admin", Role::kAdmin, ""};

template <class A>
void must(app::Platform& platform, const std::string& stream, typename A::Command command,
          const app::Request& request) {
  auto r = platform.execute<A>(stream, std::move(command), request);
  if (!r)
    die(stream + ": " + std::string(app::failure_message(r.error())));
}

void register_lawyers(app::Platform& platform) {
  for (int i = 0; i < kLawyers; ++i) {
    const auto id = licence(i);
    char id_number[32];
    std::snprintf(id_number, sizeof id_number, "5001031980010100%02d", 10 + i % 90);
    char phone[32];
    std::snprintf(phone, sizeof phone, "138000%05d", 10000 + i);
    char email[32];
    std::snprintf(email, sizeof email, "l%d@example.com", i);
    char name[32];
    std::snprintf(name, sizeof name, "律师%d", i);
    must<LawyerAggregate>(
        platform, "lawyer-" + id,
        RegisterFromRoster{"重庆山城律师事务所", name, id, id_number, phone, email}, as(kAdmin));
    auto changed = platform.change_password(id, "bench-password-1", as(lawyer(id)));
    if (!changed)
      die("password: " + std::string(app::failure_message(changed.error())));
  }
}

// The filing part of journey k: every wizard step, submitted and accepted. Returns the number.
std::string file_and_accept(app::Platform& platform, std::size_t k) {
  const std::string id = "b" + std::to_string(k);
  const std::string stream = "filing-" + id;
  const auto a = licence(static_cast<int>(k % kLawyers));
  const auto b = licence(static_cast<int>((k + 1) % kLawyers));
  const auto r = as(lawyer(a));
  must<FilingAggregate>(platform, stream, AcceptFilingNotice{}, r);
  must<FilingAggregate>(platform, stream, ChooseCaseCategory{"civil_first_instance", "complaint"},
                        r);
  must<FilingAggregate>(
      platform, stream,
      SaveCaseInformation{
          {"判令被告偿还借款"}, "事实与理由", static_cast<std::int64_t>(1'000'000 + k)},
      r);
  FilingParty p1;
  p1.party_id = "p1";
  p1.name = "原告" + std::to_string(k);
  p1.id_number = "500103199001011234";
  p1.phone = "13900000001";
  p1.address = "重庆市渝中区解放碑1号";
  FilingParty p2;
  p2.party_id = "p2";
  p2.position = FilingPartyPosition::kDefendant;
  p2.kind = FilingPartyKind::kLegalPerson;
  p2.name = "被告公司" + std::to_string(k);
  p2.id_number = "91500103MA5U000000";
  p2.address = "重庆市渝中区某路2号";
  p2.legal_representative = "王五";
  must<FilingAggregate>(platform, stream, SaveParties{{p1, p2}}, r);
  FilingAgent agent_a;
  agent_a.licence_number = a;
  agent_a.represents = {"p1"};
  FilingAgent agent_b;
  agent_b.licence_number = b;
  agent_b.represents = {"p1"};
  must<FilingAggregate>(platform, stream, SaveAgents{{agent_a, agent_b}}, r);
  must<FilingAggregate>(platform, stream, AcceptServiceAddressNotice{}, r);
  must<FilingAggregate>(
      platform, stream,
      SaveServiceAddresses{{{"p1", "重庆市渝中区解放碑1号", "13900000001", "p@example.com", true}}},
      r);
  must<FilingAggregate>(platform, stream, ChooseCourt{std::string(kCourt)}, r);
  must<FilingAggregate>(platform, stream,
                        SaveMaterials{{{"m1", "complaint", "起诉状", {blob(k), blob(k + 1)}}}}, r);
  must<FilingAggregate>(platform, stream,
                        SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob(k + 2)},
                                            {"p1", IdentityPaperKind::kIdCardBack, blob(k + 3)}}},
                        r);
  must<FilingAggregate>(platform, stream, ChooseMediation{k % 2 == 0}, r);
  must<FilingAggregate>(platform, stream, SubmitFiling{}, r);
  auto accepted = platform.accept_filing(id, as(kClerk));
  if (!accepted)
    die("accept: " + std::string(app::failure_message(accepted.error())));
  return accepted->case_number;
}

// The rest of journey k, once the reactions registered the case and billed the fee.
void run_case(app::Platform& platform, std::size_t k, const std::string& number, std::int64_t t0) {
  const auto a = licence(static_cast<int>(k % kLawyers));
  const std::string c = case_stream(number);
  must<CaseAggregate>(platform, c, AssignJudge{"judge01"}, as(kCourtSystem));
  const std::int64_t at = t0 + 5 * kDay + static_cast<std::int64_t>(k % 500) * 3'600'000'000LL;
  must<CaseAggregate>(platform, c, ScheduleHearing{"h1", at, 60, "第一法庭"}, as(kJudge));
  must<CaseAggregate>(platform, c, ScheduleHearing{"h2", at + 7 * kDay, 60, "第二法庭"},
                      as(kJudge));
  must<CaseAggregate>(platform, c, RequestHearingAvoidance{"h1", "r1", "另有开庭"}, as(lawyer(a)));
  must<CaseAggregate>(platform, c, SendMessageToJudge{"m1", "关于证据", "请问举证期限", {}},
                      as(lawyer(a)));
  must<CaseAggregate>(platform, c, AddEvidenceItem{"e1", "i1", "借条", blob(k + 4), "证明借款事实"},
                      as(lawyer(a)));
  must<CaseAggregate>(platform, c, SubmitEvidenceBatch{"e1"}, as(lawyer(a)));
  ServeDocument serve;
  serve.case_number = number;
  serve.document_type = "summons";
  serve.title = "传票";
  serve.blob_hash = blob(k + 5);
  serve.recipient_licence = a;
  if (auto served = platform.serve_document(std::move(serve), as(kJudge)); !served)
    die("serve: " + std::string(app::failure_message(served.error())));
  const std::string payment = "payment-b" + std::to_string(k);
  auto notice = platform.load<PaymentAggregate>(payment);
  if (!notice || !notice->state.exists)
    die("no payment notice for " + payment);
  must<PaymentAggregate>(platform, payment,
                         StartPayment{notice->state.code, PaymentChannel::kAlipay}, as(lawyer(a)));
  must<PaymentAggregate>(platform, payment,
                         ConfirmPayment{1, "tx-" + std::to_string(k), notice->state.amount_fen},
                         app::Request::system());
  must<PaymentAggregate>(platform, payment, RecordReceipt{"R-" + std::to_string(k)},
                         app::Request::system());
  must<LawyerAggregate>(platform, "lawyer-" + a,
                        AddScheduleEntry{at - kDay, at - kDay + 7'200'000'000LL, k % 3 != 0,
                                         "日程" + std::to_string(k)},
                        as(lawyer(a)));
}

template <class Work>
void in_parallel(std::size_t count, int threads, Work work) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t k = next++; k < count; k = next++)
        work(k);
    });
  }
  for (auto& t : pool)
    t.join();
}

// Builds the input log; returns its last position.
std::uint64_t build_log(engine::EventStore& store, std::size_t journeys, int threads) {
  app::SodiumSecrets secrets(std::string(32, 's'), app::PasswordHashing::minimal());
  app::Platform platform(store, secrets);
  if (auto demo = app::bootstrap_demo(platform); !demo)
    die("demo: " + std::string(app::failure_message(demo.error())));
  register_lawyers(platform);
  const std::int64_t t0 = store.clock().now_us();
  std::vector<std::string> numbers(journeys);
  in_parallel(journeys, threads, [&](std::size_t k) { numbers[k] = file_and_accept(platform, k); });
  if (auto settled = platform.settle(); !settled)
    die("settle: " + settled.error().message);
  in_parallel(journeys, threads, [&](std::size_t k) { run_case(platform, k, numbers[k], t0); });
  return store.last_position();
}

// Durable appends of the log's own events by `writers` threads for `seconds`.
double durable_append_rate(const std::vector<engine::ProposedEvent>& events, int writers,
                           double seconds) {
  bench::ScratchDir dir("projection-append");
  auto store = open_store(dir.path(), /*sync=*/true, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> appended{0};
  std::vector<std::thread> threads;
  const auto start = SteadyClock::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      const std::string stream = "bench-" + std::to_string(w);
      for (std::size_t i = static_cast<std::size_t>(w); !stop.load(std::memory_order_relaxed);
           i += static_cast<std::size_t>(writers)) {
        engine::AppendRequest r;
        r.stream = stream;
        r.actor = {"bench", "system"};
        const auto& e = events[i % events.size()];
        r.events.push_back({e.type, e.schema_version, e.payload, {}});
        if (auto result = store->append(std::move(r)); !result)
          die("append: " + result.error().message);
        appended.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads)
    t.join();
  return static_cast<double>(appended.load()) / bench::seconds_since(start);
}

// CPU time of the whole process (every thread: the projector's two and RocksDB's background
// flushes).
double cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t journeys = 3000;
  int threads = 4;
  double seconds = 3;
  int writers = 64;
  std::string data;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--journeys") {
      journeys = std::stoul(argv[i + 1]);
    } else if (flag == "--threads") {
      threads = std::stoi(argv[i + 1]);
    } else if (flag == "--seconds") {
      seconds = std::stod(argv[i + 1]);
    } else if (flag == "--writers") {
      writers = std::stoi(argv[i + 1]);
    } else if (flag == "--data") {
      data = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: projection_bench [--journeys N] [--threads T] [--seconds S] "
                   "[--writers W] [--data DIR]\n");
      return 2;
    }
  }

  bench::ScratchDir scratch("projection-log");
  const std::string path = data.empty() ? scratch.path() : data;
  engine::ManualClock clock;
  std::uint64_t last = 0;
  std::vector<engine::ProposedEvent> events;
  {
    auto store = open_store(path, /*sync=*/false, &clock);
    last = store->last_position();
    if (last == 0) {
      const auto start = SteadyClock::now();
      last = build_log(*store, journeys, threads);
      std::fprintf(stderr, "log: %llu events from %zu journeys in %.1f s\n",
                   static_cast<unsigned long long>(last), journeys, bench::seconds_since(start));
    }
    auto read = store->read_all(1, seconds > 0 ? 200'000 : 0);
    if (!read)
      die("read: " + read.error().message);
    for (auto& e : *read)
      events.push_back({std::move(e.type), e.schema_version, std::move(e.payload), {}});
  }

  double append_rate = -1;
  if (seconds > 0) {
    append_rate = durable_append_rate(events, writers, seconds);
    figure("durable_append_" + std::to_string(writers) + "_writers_domain_events", append_rate,
           "events/s");
  }

  auto store = open_store(path, /*sync=*/false, &clock);
  projections::ProjectorOptions projector_options;
  projections::Projector projector(*store, projections::standard_projections(), projector_options);
  const auto start = SteadyClock::now();
  const double cpu_start = cpu_seconds();
  auto rebuilt = projector.rebuild_all();
  const double took = bench::seconds_since(start);
  const double cpu = cpu_seconds() - cpu_start;
  if (!rebuilt)
    die("rebuild: " + rebuilt.error().message);
  if (projector.position() != last)
    die("rebuild stopped short");
  figure("projection_rebuild_all", static_cast<double>(last) / took, "events/s", append_rate);
  // The same per second of CPU time the process used: what the rebuild costs, less sensitive to
  // other load on the machine than the wall-clock rate.
  figure("projection_rebuild_all_per_cpu_second", static_cast<double>(last) / cpu, "events/s");

  // Each projection alone.
  for (const auto& name : projector.names()) {
    const auto one_start = SteadyClock::now();
    if (auto one = projector.rebuild(name); !one)
      die("rebuild " + name + ": " + one.error().message);
    figure("projection_rebuild_" + name,
           static_cast<double>(last) / bench::seconds_since(one_start), "events/s", append_rate);
  }
  return 0;
}
