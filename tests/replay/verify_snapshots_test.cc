// docket verify checks every snapshot against the fold of its stream.
#include "docket/replay/verify_snapshots.h"

#include <gtest/gtest.h>

#include <functional>

#include "court_fixture.h"
#include "docket/engine/snapshot_store.h"
#include "docket/replay/data_dir.h"
#include "docket/replay/verify.h"

namespace docket::replay {
namespace {

class VerifySnapshotsTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    for (std::uint64_t p = 1; p <= store().last_position() && filing_.empty(); ++p) {
      auto e = store().read_event(p);
      ASSERT_TRUE(e);
      if (e->stream.starts_with("filing-"))
        filing_ = e->stream;
    }
    lawyer_ = "lawyer-" + testing::kFiler.id;
    ASSERT_FALSE(filing_.empty());
  }

  // Saves a snapshot of `stream` as the runner does: the folded state, bound to its last event.
  // `edit` may change the state first, as someone rewriting the snapshot with Docket's own
  // encoder and seal would.
  template <class A>
  engine::SnapshotRecord snapshot(const std::string& stream,
                                  const std::function<void(typename A::State&)>& edit = {}) {
    auto loaded = platform().load<A>(stream);
    EXPECT_TRUE(loaded && loaded->version > 0);
    auto last = store().read_event(loaded->position);
    EXPECT_TRUE(last);
    auto state = loaded->state;
    if (edit)
      edit(state);
    engine::SnapshotRecord record{loaded->version, A::kStateVersion, loaded->position, last->hash,
                                  engine::SnapshotStore::encode(state)};
    EXPECT_TRUE(engine::SnapshotStore(store()).save(stream, record));
    return record;
  }

  std::string filing_;
  std::string lawyer_;
};

TEST_F(VerifySnapshotsTest, SnapshotsThatEqualTheFoldOfTheirStreamVerify) {
  snapshot<domain::FilingAggregate>(filing_);
  snapshot<domain::LawyerAggregate>(lawyer_);
  auto report = verify();
  for (const auto& f : report.findings)
    ADD_FAILURE() << f.check << ": " << f.message;
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.snapshots, 2u);
}

TEST_F(VerifySnapshotsTest, AnEditedSnapshotIsNamedByItsStreamAndVersion) {
  snapshot<domain::FilingAggregate>(filing_);
  const auto edited = snapshot<domain::LawyerAggregate>(
      lawyer_, [](domain::LawyerState& s) { s.email = "another-account@example.com"; });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  ASSERT_EQ(report.findings.size(), 1u);
  const auto& f = report.findings.front();
  EXPECT_EQ(f.check, "snapshots");
  EXPECT_EQ(f.stream, lawyer_);
  EXPECT_EQ(f.position, edited.position);
  EXPECT_NE(f.message.find("at version " + std::to_string(edited.version)), std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("differs"), std::string::npos) << f.message;
}

TEST_F(VerifySnapshotsTest, ASnapshotNamingAnotherChainHashIsAFinding) {
  auto loaded = platform().load<domain::FilingAggregate>(filing_);
  ASSERT_TRUE(loaded);
  engine::format::Hash wrong{};
  wrong[5] = 0x42;
  ASSERT_TRUE(engine::SnapshotStore(store()).save(
      filing_, {loaded->version, domain::FilingAggregate::kStateVersion, loaded->position, wrong,
                engine::SnapshotStore::encode(loaded->state)}));
  auto report = verify();
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings.front().check, "snapshots");
  EXPECT_EQ(report.findings.front().stream, filing_);
  EXPECT_NE(report.findings.front().message.find("chain hash"), std::string::npos);
}

}  // namespace
}  // namespace docket::replay
