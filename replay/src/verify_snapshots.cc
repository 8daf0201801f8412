#include "docket/replay/verify_snapshots.h"

#include <optional>
#include <string>
#include <utility>

#include "docket/app/engine_decider.h"
#include "docket/app/platform.h"
#include "docket/engine/snapshot_store.h"

namespace docket::replay {
namespace {

constexpr std::size_t kPage = 1000;

class SnapshotVerifier {
 public:
  SnapshotVerifier(engine::EventStore& store, VerifyReport& report)
      : store_(store), snapshots_(store), report_(report) {}

  engine::Result<void> run() {
    auto scanned = snapshots_.scan([&](const engine::StoredSnapshot& s) {
      check(s);
      return !failure_ && found_ < kMaxSnapshotFindings;
    });
    if (!scanned)
      return scanned;
    if (failure_)
      return unexpected(std::move(*failure_));
    return {};
  }

 private:
  void add(const engine::StoredSnapshot& s, std::string message) {
    ++found_;
    report_.findings.push_back(VerifyFinding{
        "snapshots",
        s.record.position == 0 ? std::nullopt : std::optional<std::uint64_t>(s.record.position),
        s.stream,
        {},
        "snapshot of " + s.stream + " at version " + std::to_string(s.record.version) + ": " +
            std::move(message)});
  }

  void check(const engine::StoredSnapshot& s) {
    if (!s.problem.empty())
      return;  // the first layout: loading ignores it
    auto chain = snapshots_.check_chain(s.stream, s.record);
    if (!chain) {
      failure_ = chain.error();
      return;
    }
    if (!chain->empty()) {
      ++report_.snapshots;
      add(s, *chain);
      return;
    }
    const bool known = app::with_aggregate(engine::format::category_of(s.stream),
                                           [&]<class A>() { compare<A>(s); });
    if (!known) {
      ++report_.snapshots;
      add(s, "Expected a stream of a known aggregate, but its category has none");
    }
  }

  // Folds the stream up to the snapshot's version with the aggregate's own evolve and compares
  // the encoded states.
  template <class A>
  void compare(const engine::StoredSnapshot& s) {
    using Decider = app::EngineDecider<A>;
    if (s.record.state_version != Decider::kStateVersion)
      return;  // another state layout: loading ignores it
    ++report_.snapshots;
    auto state = Decider::initial();
    std::uint64_t version = 0;
    for (std::uint64_t from = 1; version < s.record.version;) {
      auto page = store_.read_stream(s.stream, from,
                                     std::min<std::uint64_t>(kPage, s.record.version - version));
      if (!page) {
        failure_ = page.error();
        return;
      }
      for (const auto& e : *page) {
        if (auto folded = domain::fold_event<A>(state, app::to_stored(e)); !folded) {
          add(s, std::move(folded).error());
          return;
        }
        version = e.version;
      }
      if (page->empty())
        break;
      from = version + 1;
    }
    if (version != s.record.version) {
      add(s, "Expected the stream to reach version " + std::to_string(s.record.version) +
                 ", but it ends at version " + std::to_string(version));
      return;
    }
    if (engine::SnapshotStore::encode(state) != s.record.bytes) {
      add(s, "Expected the snapshot to equal the fold of the stream's events 1 … " +
                 std::to_string(s.record.version) + ", but its state differs");
    }
  }

  engine::EventStore& store_;
  engine::SnapshotStore snapshots_;
  VerifyReport& report_;
  std::size_t found_ = 0;
  std::optional<engine::Error> failure_;
};

}  // namespace

engine::Result<void> verify_snapshots(engine::EventStore& store, VerifyReport& report) {
  return SnapshotVerifier(store, report).run();
}

}  // namespace docket::replay
