// docket rebuild: read models rebuilt from the log on a stopped data directory.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <boost/json/serialize.hpp>

#include <memory>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"

namespace docket::replay {
namespace {

namespace json = boost::json;

class RebuildTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    projections::Projector projector(store(), projections::standard_projections());
    auto caught = projector.catch_up();
    ASSERT_TRUE(caught) << caught.error().message;
    live_detail_ = case_detail();
    ASSERT_EQ(live_detail_.rfind("error", 0), std::string::npos) << live_detail_;
    last_ = store().last_position();
  }

  // The case's detail read model as JSON text, or the error's message.
  std::string case_detail() {
    projections::ReadModels models(store());
    auto detail = models.case_detail(case_number_, clock_.now_us());
    return detail ? json::serialize(*detail) : "error: " + detail.error().message;
  }

  // Drops every row of a projection's family, leaving its checkpoint: a damaged read model.
  void damage(std::string_view projection) {
    auto* family = store().column_family_if_exists(projections::Projector::family_name(projection));
    ASSERT_NE(family, nullptr);
    std::unique_ptr<rocksdb::Iterator> it(store().db()->NewIterator({}, family));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      ASSERT_TRUE(store().db()->Delete({}, family, it->key()).ok());
  }

  std::uint64_t checkpoint(std::string_view projection) {
    auto* checkpoints = store().column_family_if_exists("checkpoints");
    std::string value;
    auto s = store().db()->Get({}, checkpoints, projections::Projector::checkpoint_key(projection),
                               &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value.size() == 8 ? engine::format::get_u64be(value) : 0;
  }

  std::string live_detail_;
  std::uint64_t last_ = 0;
};

TEST_F(RebuildTest, RebuildingOneProjectionRestoresItsRowsFromTheLog) {
  damage(projections::kCasesProjection);
  EXPECT_NE(case_detail(), live_detail_) << "the damage shows";
  close();
  auto r = testing::run({"rebuild", "cases", "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"rebuilt\":[\"cases\"]"), std::string::npos) << r.out;
  open();
  EXPECT_EQ(case_detail(), live_detail_);
  EXPECT_EQ(checkpoint(projections::kCasesProjection), last_);
}

TEST_F(RebuildTest, RebuildingAllGivesTheSameAnswersAsTheLiveProjections) {
  damage(projections::kCasesProjection);
  close();
  auto r = testing::run({"rebuild", "--all", "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  open();
  EXPECT_EQ(case_detail(), live_detail_);
  for (auto name : {projections::kLawyersProjection, projections::kFilingsProjection,
                    projections::kPaymentsProjection, projections::kCasesProjection,
                    projections::kServicesProjection, projections::kCourtsProjection}) {
    EXPECT_EQ(checkpoint(name), last_) << name;
  }
}

TEST_F(RebuildTest, AnUnknownProjectionOrNoneIsRefused) {
  close();
  auto r = testing::run({"rebuild", "widgets", "--data", data_dir()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Expected a projection"), std::string::npos) << r.err;
  EXPECT_EQ(testing::run({"rebuild", "--data", data_dir()}).code, 2);
  EXPECT_EQ(testing::run({"rebuild", "cases", "--all", "--data", data_dir()}).code, 2);
}

}  // namespace
}  // namespace docket::replay
