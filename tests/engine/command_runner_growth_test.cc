// What a command costs a stream whose state keeps growing: the runner neither copies the cached
// state per command nor writes snapshots whose bytes outgrow the events they follow.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "docket/engine/command_runner.h"
#include "docket/engine/snapshot_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

// A list that only grows: every Add appends its text. Counts copies of its state.
struct ListState {
  std::vector<std::string> items;
  static inline int copies = 0;

  ListState() = default;
  ListState(const ListState& other) : items(other.items) { ++copies; }
  ListState(ListState&&) noexcept = default;
  ListState& operator=(const ListState& other) {
    items = other.items;
    ++copies;
    return *this;
  }
  ListState& operator=(ListState&&) noexcept = default;
  ~ListState() = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(items);
  }
};

struct Add {
  std::string text;
};
struct Refuse {};

struct ListDecider {
  using State = ListState;
  using Command = std::variant<Add, Refuse>;
  struct Context {};
  struct Rejection {
    std::string message;
  };
  static constexpr std::uint32_t kStateVersion = 1;

  static State initial() { return {}; }
  static void evolve(State& s, const RecordedEvent& e) { s.items.push_back(e.payload); }
  static Expected<Decision, Rejection> decide(const State&, const Command& c, const Context&) {
    if (std::holds_alternative<Refuse>(c))
      return unexpected(Rejection{"Expected nothing, but was asked to refuse"});
    Decision d;
    d.events.push_back({"Added", 1, std::get<Add>(c).text, {}});
    return d;
  }
};

class CommandRunnerGrowthTest : public testing::StoreTest {};

TEST_F(CommandRunnerGrowthTest, ACommandOnACachedStreamDoesNotCopyItsState) {
  CommandRunner<ListDecider> runner(store(), RunnerOptions{10, 8, 0});
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(runner.handle("list-1", Add{"item " + std::to_string(i)}, {}));
  ListState::copies = 0;
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(runner.handle("list-1", Add{"more " + std::to_string(i)}, {}));
  // A rejection leaves the state cached as well.
  ASSERT_FALSE(runner.handle("list-1", Refuse{}, {}));
  ASSERT_TRUE(runner.handle("list-1", Add{"last"}, {}));
  EXPECT_EQ(ListState::copies, 0) << "each command copied the whole cached state";
  EXPECT_EQ(runner.cached_entries(), 1u);
  auto loaded = runner.load("list-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.items.size(), 71u);
  EXPECT_EQ(loaded->state.items.back(), "last");
}

TEST_F(CommandRunnerGrowthTest, SnapshotBytesStayWithinThePayloadBytesOfTheEventsTheyFollow) {
  CommandRunner<ListDecider> runner(store(), RunnerOptions{10, 8, 100});
  SnapshotStore snapshots(store());
  const std::string payload(40, 'x');
  std::uint64_t payload_bytes = 0;
  std::uint64_t snapshot_bytes = 0;
  std::uint64_t saved = 0;
  std::uint64_t last_version = 0;
  for (int i = 0; i < 1200; ++i) {
    ASSERT_TRUE(runner.handle("list-1", Add{payload}, {}));
    payload_bytes += payload.size();
    auto snapshot = snapshots.load("list-1");
    ASSERT_TRUE(snapshot);
    if (*snapshot && (*snapshot)->version != last_version) {
      last_version = (*snapshot)->version;
      snapshot_bytes += (*snapshot)->bytes.size();
      ++saved;
    }
  }
  // Every 100 events regardless of size, 12 snapshots would write about 370 kB for 48 kB of
  // events; saved only once the events since the last one weigh as much as it does, their bytes
  // stay within those of the events, and a load still starts from a recent one.
  EXPECT_LE(snapshot_bytes, 2 * payload_bytes + 1000);
  EXPECT_GE(saved, 3u);
  EXPECT_GE(last_version, 400u);
  CommandRunner<ListDecider> fresh(store(), RunnerOptions{10, 8, 100});
  auto loaded = fresh.load("list-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->version, 1200u);
  EXPECT_EQ(loaded->state.items.size(), 1200u);
}

TEST_F(CommandRunnerGrowthTest, TheFirstSnapshotOfAStreamComesAtSnapshotEvery) {
  CommandRunner<ListDecider> runner(store(), RunnerOptions{10, 8, 5});
  SnapshotStore snapshots(store());
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(runner.handle("list-1", Add{"a"}, {}));
  auto none = snapshots.load("list-1");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(runner.handle("list-1", Add{"a"}, {}));
  auto first = snapshots.load("list-1");
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->version, 5u);
}

}  // namespace
}  // namespace docket::engine
