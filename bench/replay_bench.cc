// Replay benchmark: how fast the auditors' tool goes through a log of real domain events.
//
//   replay   every record's hash checked against the chain, its envelope decoded and its event
//            folded with its aggregate's evolve (replay::replay_log), events/s
//   rebuild  every standard projection rebuilt from position 0 (Projector::rebuild_all), events/s
//   verify   docket verify without blobs (chain, stream index, heads), events/s
// each beside a raw RocksDB iterator over the same `log` family in the same run (the baseline:
// reading the bytes and nothing else); verify also beside raw iterators over every family it
// reads (`log`, `streams`, `heads`, `categories`, one after another), with its peak RSS. The log
// holds lawyers' schedules and cases with messages and replies, made by the domain's own deciders.
//
//   replay_bench [--events N] [--rounds R] [--workers W] [--only raw|replay|verify|rebuild]
//   (defaults: 200000 events, 3 rounds each, take the best; --only narrows a run for profiling)
//
// Prints one JSON object per figure (see bench_util.h). DOCKET_BENCH_DIR chooses the disk.
#include <rocksdb/db.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "docket/domain/case.h"
#include "docket/domain/facts.h"
#include "docket/domain/lawyer.h"
#include "docket/engine/event_store.h"
#include "docket/engine/format.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"
#include "docket/replay/replay.h"
#include "docket/replay/verify.h"

namespace {

using namespace docket;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kHourUs = 3'600'000'000;

// Cheap, deterministic secrets: the benchmark measures replay, not password hashing.
class BenchSecrets final : public domain::Secrets {
 public:
  std::string hash_password(std::string_view password) const override {
    return "bench$" + std::string(password);
  }
  bool verify_password(std::string_view stored, std::string_view password) const override {
    return stored == hash_password(password);
  }
  std::string sms_key(std::string_view, std::uint32_t serial) const override {
    return std::to_string(100000 + serial);
  }
  std::string keyed_digest(std::string_view, std::string_view text) const override {
    std::string out(64, '0');
    std::memcpy(out.data(), text.data(), std::min<std::size_t>(text.size(), 64));
    return out;
  }
};

const BenchSecrets kSecrets;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "replay_bench: %s\n", what.c_str());
  std::exit(1);
}

// The facts of the streams written here: no other stream, and the credentials the decisions set
// (a password set at registration is checked when it is changed).
class BenchFacts final : public domain::Facts {
 public:
  const domain::CourtState& court(std::string_view) const override { return court_; }
  const domain::LawyerState& lawyer(std::string_view) const override { return lawyer_; }
  const domain::FilingState& filing(std::string_view) const override { return filing_; }
  const domain::CaseState& case_state(std::string_view) const override { return case_; }
  std::string credential(std::string_view stream, domain::CredentialKind kind) const override {
    auto it = credentials_.find(domain::credential_key(stream, kind));
    return it == credentials_.end() ? std::string() : it->second;
  }
  const domain::StaffState& staff(std::string_view) const override { return staff_; }
  const domain::HotlineRequestState& hotline_request(std::string_view) const override {
    return hotline_;
  }
  void set(const domain::CredentialWrite& write) { credentials_[write.key] = write.value; }

 private:
  domain::CourtState court_;
  domain::LawyerState lawyer_;
  domain::FilingState filing_;
  domain::CaseState case_;
  domain::StaffState staff_;
  domain::HotlineRequestState hotline_;
  std::map<std::string, std::string> credentials_;
};

// Decides commands on one stream locally (folding each decision with evolve) and appends the
// events in batches, as a fast way to a realistic log.
template <class A>
class StreamWriter {
 public:
  StreamWriter(engine::EventStore& store, std::string stream)
      : store_(store), stream_(std::move(stream)), state_(A::initial()) {}

  void run(const typename A::Command& command, const domain::Principal& actor,
           std::int64_t now_us) {
    domain::Context ctx;
    ctx.now_us = now_us;
    ctx.actor = actor;
    ctx.entropy = std::string(32, 'e');
    ctx.secrets = &kSecrets;
    ctx.facts = &facts_;
    auto decided = A::decide(state_, command, ctx);
    if (!decided)
      die(stream_ + ": " + decided.error().message);
    for (const auto& write : decided->credentials)
      facts_.set(write);
    for (auto& e : decided->events) {
      domain::StoredEvent stored;
      stored.stream = stream_;
      stored.type = e.type;
      stored.schema_version = e.schema_version;
      stored.payload = e.payload;
      stored.version = ++version_;
      stored.recorded_at_us = now_us;
      A::evolve(state_, stored);
      pending_.push_back({std::move(e.type), e.schema_version, std::move(e.payload), {}});
    }
    if (pending_.size() >= 128)
      flush();
  }

  void flush() {
    if (pending_.empty())
      return;
    engine::AppendRequest r;
    r.stream = stream_;
    r.actor = {"bench", "system"};
    r.events = std::move(pending_);
    pending_.clear();
    if (auto done = store_.append(std::move(r)); !done)
      die(done.error().message);
  }

 private:
  engine::EventStore& store_;
  std::string stream_;
  typename A::State state_;
  std::uint64_t version_ = 0;
  std::vector<engine::ProposedEvent> pending_;
  BenchFacts facts_;
};

void fill(engine::EventStore& store, std::uint64_t target) {
  const domain::Principal admin{"admin", domain::Role::kAdmin, ""};
  const domain::Principal system{"system", domain::Role::kSystem, ""};
  const domain::Principal judge{"judge01", domain::Role::kJudge, "渝0103"};
  std::int64_t now = kStartUs;
  std::uint64_t lawyer = 0, kase = 0;
  // Half lawyers' schedules (100 entries each), half cases (50 messages and replies each).
  while (store.last_position() < target / 2) {
    const std::string licence = "1500120181" + std::to_string(1000000 + lawyer++);
    const domain::Principal self{licence, domain::Role::kLawyer, ""};
    StreamWriter<domain::LawyerAggregate> w(store, "lawyer-" + licence);
    w.run(domain::RegisterFromRoster{"重庆某某律师事务所", "张明", licence, "500103198001010011",
                                     "13800000001", "lawyer@example.com"},
          admin, now);
    w.run(domain::ChangePassword{licence, "a-better-password"}, self, now);
    for (int i = 0; i < 100; ++i) {
      domain::AddScheduleEntry entry;
      entry.start_us = now + (i + 1) * 2 * kHourUs;
      entry.end_us = entry.start_us + kHourUs;
      entry.can_appear_in_court = i % 3 != 0;
      entry.text = "会见当事人，准备庭审材料（第" + std::to_string(i) + "次）";
      w.run(entry, self, now);
    }
    w.flush();
  }
  while (store.last_position() < target) {
    const std::string number = "(2026)渝0103民初" + std::to_string(++kase) + "号";
    const domain::Principal agent{"15001201810010001", domain::Role::kLawyer, ""};
    StreamWriter<domain::CaseAggregate> w(store, domain::case_stream(number));
    domain::RegisterCase reg;
    reg.case_number = number;
    reg.court = "渝0103";
    reg.category = "civil_first_instance";
    reg.judge = judge.id;
    reg.filing_id = "f" + std::to_string(kase);
    reg.accepted_on_us = now;
    reg.parties = {{"p1", "李四", domain::CasePartyKind::kNaturalPerson,
                    domain::CasePartyRole::kPlaintiff, "500103199001011234", std::nullopt, true},
                   {"p2", "重庆某某有限公司", domain::CasePartyKind::kLegalPerson,
                    domain::CasePartyRole::kDefendant, "91500103MA5U000000", std::nullopt, false}};
    reg.agents = {{agent.id, "500103198001010011", "张明", "重庆某某律师事务所", {"p1"}}};
    w.run(reg, system, now);
    for (int i = 0; i < 50; ++i) {
      const std::string id = "m" + std::to_string(i);
      w.run(domain::SendMessageToJudge{id,
                                       "关于开庭时间的询问",
                                       "法官您好，请问本案开庭时间能否调整？当事人届时在外地出差，"
                                       "恳请予以考虑。",
                                       {}},
            agent, now);
      w.run(domain::ReplyToMessage{id, "已收到，将综合考虑后另行通知。", {}}, judge, now);
    }
    w.flush();
  }
}

// Reads every record of the log family with a raw RocksDB iterator; records/s. It reads with the
// options every whole-log reader of the engine uses (EventStore::scan: 2 MiB readahead, no block
// cache fill, so a long scan does not evict the server's hot blocks), so the two sides differ
// only in what they do with the bytes.
double raw_iterator(engine::EventStore& store, std::uint64_t& records) {
  auto* log = store.column_family_if_exists(engine::format::kCfLog);
  const auto start = Clock::now();
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2u << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, log));
  std::uint64_t n = 0, bytes = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++n;
    bytes += it->key().size() + it->value().size();
  }
  const double seconds = bench::seconds_since(start);
  if (!it->status().ok() || bytes == 0)
    die("raw iterator failed");
  records = n;
  return static_cast<double>(n) / seconds;
}

// Reads every entry of the families verify reads, one family after another, with raw RocksDB
// iterators; log records/s (the log's records over the time for all four families).
double raw_families(engine::EventStore& store, std::uint64_t records) {
  const auto start = Clock::now();
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2u << 20;
  ro.fill_cache = false;
  std::uint64_t bytes = 0;
  for (auto name : {engine::format::kCfLog, engine::format::kCfStreams, engine::format::kCfHeads,
                    engine::format::kCfCategories}) {
    std::unique_ptr<rocksdb::Iterator> it(
        store.db()->NewIterator(ro, store.column_family_if_exists(name)));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      bytes += it->key().size() + it->value().size();
    if (!it->status().ok())
      die("raw iterator failed");
  }
  const double seconds = bench::seconds_since(start);
  if (bytes == 0)
    die("raw iterator read nothing");
  return static_cast<double>(records) / seconds;
}

// A field of /proc/self/status in MiB: "VmRSS:" (resident now) or "VmHWM:" (the peak since
// the start or the last reset_peak_rss()).
double status_mib(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr)
    return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, std::strlen(field)) == 0)
      kib = std::strtod(line + std::strlen(field), nullptr);
  }
  std::fclose(f);
  return kib / 1024;
}
void reset_peak_rss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

template <class F>
double best_of(int rounds, F&& f) {
  double best = 0;
  for (int i = 0; i < rounds; ++i)
    best = std::max(best, f());
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events = 200'000;
  int rounds = 3;
  unsigned workers = 0;  // replay's folding threads; 0: one per core
  std::string only;
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--events")
      events = std::stoull(argv[++i]);
    else if (flag == "--rounds")
      rounds = std::max(1, std::stoi(argv[++i]));
    else if (flag == "--workers")
      workers = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (flag == "--only")
      only = argv[++i];
  }
  auto wanted = [&](std::string_view what) { return only.empty() || only == what; };
  bench::ScratchDir dir("replay");
  engine::StoreOptions options;
  options.path = dir.path();
  options.sync = false;  // filling the log is not what is measured
  auto opened = engine::EventStore::open(options);
  if (!opened)
    die(opened.error().message);
  auto& store = **opened;
  const auto fill_start = Clock::now();
  fill(store, events);
  const std::uint64_t last = store.last_position();
  std::fprintf(stderr, "replay_bench: %llu events written in %.1f s\n",
               static_cast<unsigned long long>(last), bench::seconds_since(fill_start));

  std::uint64_t records = 0;
  raw_iterator(store, records);  // warm the block cache for everyone alike
  const double raw = best_of(rounds, [&] { return raw_iterator(store, records); });
  if (records != last)
    die("the raw iterator saw a different log");
  bench::figure("raw_rocksdb_iterator_records_per_s", raw, "records/s");

  if (wanted("replay")) {
    const double replay = best_of(rounds, [&] {
      const auto start = Clock::now();
      auto stats = replay::replay_log(store, UINT64_MAX, nullptr, workers);
      const double seconds = bench::seconds_since(start);
      if (!stats || stats->failure || stats->events != last || stats->folded != last)
        die("replay failed");
      return static_cast<double>(stats->events) / seconds;
    });
    bench::figure("replay_decode_evolve_verify_events_per_s", replay, "events/s", raw);
  }

  if (wanted("verify")) {
    const double verify = best_of(rounds, [&] {
      const auto start = Clock::now();
      replay::VerifyOptions verify_options;
      verify_options.blobs = false;
      auto report = replay::verify_store(store, verify_options);
      const double seconds = bench::seconds_since(start);
      if (!report || !report->ok())
        die("verify failed");
      return static_cast<double>(report->records) / seconds;
    });
    bench::figure("verify_chain_index_heads_events_per_s", verify, "events/s", raw);
    const double families = best_of(rounds, [&] { return raw_families(store, last); });
    bench::figure("raw_rocksdb_iterators_verified_families_events_per_s", families, "events/s");
    bench::figure("verify_vs_raw_iterators_over_its_families_events_per_s", verify, "events/s",
                  families);
    bench::figure("rss_before_verify_mib", status_mib("VmRSS:"), "MiB");
    reset_peak_rss();
    replay::VerifyOptions verify_options;
    verify_options.blobs = false;
    if (auto report = replay::verify_store(store, verify_options); !report || !report->ok())
      die("verify failed");
    bench::figure("verify_peak_rss_mib", status_mib("VmHWM:"), "MiB");
  }

  if (wanted("rebuild")) {
    projections::Projector projector(store, projections::standard_projections());
    if (auto r = projector.catch_up(); !r)
      die(r.error().message);
    const double rebuild = best_of(rounds, [&] {
      const auto start = Clock::now();
      if (auto r = projector.rebuild_all(); !r)
        die(r.error().message);
      return static_cast<double>(last) / bench::seconds_since(start);
    });
    bench::figure("projection_rebuild_all_events_per_s", rebuild, "events/s", raw);
  }
  return 0;
}
