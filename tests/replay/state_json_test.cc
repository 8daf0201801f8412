// State as of a moment: folding with the server's evolve gives what the server held then.
#include "docket/replay/state_json.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "court_fixture.h"
#include "docket/replay/data_dir.h"
#include "docket/replay/time_format.h"

namespace docket::replay {
namespace {

namespace json = boost::json;

TEST(StateJsonTest, EveryFieldEveryStateSerializesIsRendered) {
  EXPECT_TRUE(state_render_gaps().empty())
      << "a state's fields changed; update replay/src/describe_domain.h: "
      << state_render_gaps().front();
}

TEST(StateJsonTest, FieldsRenderByNameAndEnumsAsWords) {
  domain::FilingState state;
  state.exists = true;
  state.filing_id = "f1";
  state.status = domain::FilingStatus::kCorrectionRequested;
  state.mediation = false;
  state.correction_notice =
      domain::CorrectionNotice{{{"parties[0].name", "写全名"}}, 42, "clerk01"};
  const auto j = to_json(state).as_object();
  EXPECT_EQ(j.at("filing_id"), "f1");
  EXPECT_EQ(j.at("status"), "correction_requested");
  EXPECT_EQ(j.at("mediation"), false);
  EXPECT_TRUE(j.at("review_overdue").is_bool());
  EXPECT_EQ(j.at("correction_notice").at("items").at(0).at("message"), "写全名");
  EXPECT_EQ(j.at("correction_notice").at("deadline_at_us").as_int64(), 42);
  EXPECT_TRUE(j.at("claims").is_array());

  domain::CaseState c;
  c.hearings["h1"].place = "第三法庭";
  const auto cj = to_json(c).as_object();
  EXPECT_EQ(cj.at("hearings").at("h1").at("place"), "第三法庭") << "maps keyed by text are objects";
  EXPECT_EQ(cj.at("hearings").at("h1").at("status"), "scheduled");
  EXPECT_TRUE(cj.at("legacy_binding").is_null());
}

class StateAtTest : public testing::CourtHistoryTest {};

TEST_F(StateAtTest, StateAtEveryMomentEqualsTheStateTheServerHeldThen) {
  build_history();
  ASSERT_FALSE(held_case_.empty());
  close();  // the server has stopped; only the data directory remains
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro) << ro.error().message;
  auto& store = (*ro)->store();

  auto check = [&](const auto& held, const std::string& stream, auto aggregate) {
    using A = decltype(aggregate);
    for (const auto& h : held) {
      SCOPED_TRACE(stream + " at " + format_time(h.at_us));
      auto by_time = fold_at<A>(store, stream, Moment::at_time(h.at_us));
      ASSERT_TRUE(by_time) << by_time.error().message;
      EXPECT_EQ(by_time->version, h.version);
      EXPECT_TRUE(by_time->state == h.state);
      auto by_position = fold_at<A>(store, stream, Moment::at_position(h.position));
      ASSERT_TRUE(by_position);
      EXPECT_TRUE(by_position->state == h.state);
      if (h.version == 0)
        continue;
      auto rendered = state_at(store, stream, Moment::at_time(h.at_us));
      ASSERT_TRUE(rendered) << rendered.error().message;
      EXPECT_EQ(rendered->version, h.version);
      EXPECT_EQ(json::serialize(rendered->state), json::serialize(to_json(h.state)));
    }
  };
  check(held_filing_, filing_stream(), domain::FilingAggregate{});
  check(held_payment_, payment_stream(), domain::PaymentAggregate{});
  check(held_case_, case_stream(), domain::CaseAggregate{});

  // The held states differ from day to day, so the checks above are not all about one state.
  EXPECT_EQ(held_filing_[1].state.status, domain::FilingStatus::kCorrectionRequested);
  EXPECT_EQ(held_filing_[2].state.status, domain::FilingStatus::kSubmitted);
  EXPECT_EQ(held_filing_.back().state.status, domain::FilingStatus::kAccepted);
}

TEST_F(StateAtTest, AMomentBetweenEventsShowsTheEarlierState) {
  build_history();
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro) << ro.error().message;
  auto unpaid = state_at((*ro)->store(), payment_stream(), Moment::at_time(paid_day_ - 1));
  ASSERT_TRUE(unpaid) << unpaid.error().message;
  EXPECT_EQ(unpaid->state.at("status"), "unpaid");
  auto paid = state_at((*ro)->store(), payment_stream(), Moment::at_time(paid_day_));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->state.at("status"), "paid");
  EXPECT_EQ(paid->state.at("receipt_number"), "R-2026-0001");
  EXPECT_EQ(format_time(paid->recorded_at_us), format_time(paid_day_));
}

TEST_F(StateAtTest, AStreamWithoutEventsByThenIsNotFound) {
  build_history();
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro);
  auto before = state_at((*ro)->store(), case_stream(), Moment::at_time(accepted_day_ - 1));
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, engine::ErrorCode::kNotFound);
  auto unknown = state_at((*ro)->store(), "filing-never", Moment::latest());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, engine::ErrorCode::kNotFound);
}

TEST_F(StateAtTest, AStreamOfNoAggregateIsRefused) {
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro);
  auto refused = state_at((*ro)->store(), "widget-1", Moment::latest());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, engine::ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("widget"), std::string::npos);
}

TEST_F(StateAtTest, EveryAggregateCategoryIsKnown) {
  auto known = known_categories();
  for (const char* c : {"court", "case_number", "lawyer", "filing", "payment", "case", "service",
                        "staff", "hotline"}) {
    EXPECT_NE(std::find(known.begin(), known.end(), c), known.end()) << c;
  }
  // The demo's staff and court streams fold too.
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro);
  auto judge = state_at((*ro)->store(), "staff-judge01", Moment::latest());
  ASSERT_TRUE(judge) << judge.error().message;
  EXPECT_EQ(judge->state.at("role"), "judge");
  auto court = state_at((*ro)->store(), "court-渝0103", Moment::latest());
  ASSERT_TRUE(court) << court.error().message;
  EXPECT_EQ(court->state.at("code"), "渝0103");
}

}  // namespace
}  // namespace docket::replay
