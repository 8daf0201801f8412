// The standard projections rebuilt from position 0 hold exactly the rows, and give exactly the
// answers, that following the log live produced — whatever the batch boundaries were.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "docket/engine/reactor.h"
#include "platform_fixture.h"

namespace docket::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class RebuildTest : public PlatformTest {
 protected:
  json::object dumps() {
    json::object out;
    for (const auto& name : projector_->names())
      out[name] = ok(read_models_->dump(name));
    return out;
  }

  // Every query's answer for the journey's people, cases and codes.
  json::object answers(const Journey& j) {
    const auto t = now();
    json::object out;
    for (auto licence : {kLawyerA, kLawyerB, kLawyerC}) {
      const std::string l(licence);
      out["home/" + l] = answer(read_models_->lawyer_home(licence, t));
      out["filings/" + l] = answer(read_models_->lawyer_filings(licence, t));
      out["payments/" + l] = answer(read_models_->lawyer_payments(licence, t));
      out["cases/" + l] = answer(read_models_->lawyer_cases(licence, {}));
      out["hearings/" + l] = answer(read_models_->lawyer_hearings(licence, t));
      out["documents/" + l] = answer(read_models_->lawyer_documents(licence));
    }
    out["judge/schedules"] = answer(read_models_->judge_lawyer_schedules(kJudge, t));
    out["judge/inbox"] = answer(read_models_->judge_inbox(kJudge));
    out["judge/cases"] = answer(read_models_->judge_cases(kJudge));
    out["court/cases"] = answer(read_models_->court_cases(kCourt));
    out["queue"] = answer(read_models_->review_queue(kCourt, t));
    out["case1"] = answer(read_models_->case_detail(j.case1, t));
    out["case2"] = answer(read_models_->case_detail(j.case2, t));
    out["code1"] = answer(read_models_->payment_by_code(j.code1, t));
    out["outbox"] = answer(read_models_->sms_outbox(0, 100));
    out["court"] = answer(read_models_->court(kCourt));
    out["filing/f1"] = answer(read_models_->filing("f1", t));
    using projections::HotlineFilter;
    out["hotline/hr1"] = answer(read_models_->hotline_request("hr1", t));
    out["hotline/court"] =
        answer(read_models_->court_hotline_requests(kCourt, HotlineFilter::kAll, t));
    out["hotline/judge"] =
        answer(read_models_->judge_hotline_requests(kJudge, HotlineFilter::kOpen, t));
    out["hotline/lawyer"] =
        answer(read_models_->lawyer_hotline_requests(kLawyerA, HotlineFilter::kAll, t));
    return out;
  }

  static json::value answer(engine::Result<json::value> r) {
    if (!r)
      return json::string("error: " + r.error().message);
    return std::move(*r);
  }
};

TEST_F(RebuildTest, RebuildingFromScratchGivesTheSameRowsAndAnswersAsFollowingLive) {
  // Follow live, one event per batch (every entity written after every event), while the
  // journey runs.
  projections::ProjectorOptions live_options;
  live_options.batch_events = 1;
  live_options.idle_wait = 10ms;
  projector_ = std::make_unique<projections::Projector>(
      *store_, projections::standard_projections(), live_options);
  projector_->start();
  auto j = journey();
  ASSERT_TRUE(projector_->wait_for(store_->last_position(), 60s));
  projector_->stop();
  const auto live_rows = dumps();
  const auto live_answers = answers(j);
  ASSERT_FALSE(live_rows.at("cases").as_object().empty());
  ASSERT_TRUE(live_answers.at("case1").is_object()) << json::serialize(live_answers.at("case1"));

  // Rebuild in large batches with a fresh projector, projections on two threads.
  projections::ProjectorOptions rebuild_options;
  rebuild_options.parallel_from_events = 1;
  projector_ = std::make_unique<projections::Projector>(
      *store_, projections::standard_projections(), rebuild_options);
  auto rebuilt = projector_->rebuild_all();
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(projector_->position(), store_->last_position());
  EXPECT_EQ(dumps(), live_rows);
  EXPECT_EQ(answers(j), live_answers);
}

TEST_F(RebuildTest, EveryStandardProjectionCheckpointsAtTheLastPositionAndCatchUpIsIdempotent) {
  auto j = journey();
  project();
  for (const auto& name : projector_->names()) {
    EXPECT_EQ(projector_->checkpoint(name), store_->last_position()) << name;
    auto stored = engine::read_checkpoint(*store_, projections::Projector::checkpoint_key(name));
    ASSERT_TRUE(stored);
    EXPECT_EQ(*stored, store_->last_position()) << name;
  }
  const auto rows = dumps();
  auto again = projector_->catch_up();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(dumps(), rows);
  (void)j;
}

TEST_F(RebuildTest, RebuildingOneProjectionLeavesTheOthersAlone) {
  auto j = journey();
  project();
  const auto rows = dumps();
  auto rebuilt = projector_->rebuild(projections::kCasesProjection);
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(dumps(), rows);
  EXPECT_EQ(projector_->checkpoint(projections::kCasesProjection), store_->last_position());
  EXPECT_EQ(ok(read_models_->case_detail(j.case1, now())).as_object().at("judge").as_string(),
            kJudge);
}

TEST_F(RebuildTest, AnEventACaseProjectionDoesNotKnowStopsItAloneAndLoudly) {
  auto j = journey();
  project();
  const auto before = store_->last_position();
  engine::AppendRequest request;
  request.stream = case_stream(j.case1);
  request.expected = engine::ExpectedVersion::any();
  engine::ProposedEvent unknown;
  unknown.type = "CaseTeleported";
  unknown.payload = "{}";
  request.events.push_back(unknown);
  ASSERT_TRUE(store_->append(std::move(request)));
  // The case's own decider refuses to fold past it: closing the case fails loudly, naming it.
  auto closed = platform_->execute<CaseAggregate>(case_stream(j.case1),
                                                  CaseCommand{CloseCase{"调解结案"}}, as(judge()));
  ASSERT_FALSE(closed);
  EXPECT_EQ(app::failure_code(closed.error()), "corruption");
  EXPECT_NE(app::failure_message(closed.error()).find("CaseTeleported"), std::string::npos)
      << app::failure_message(closed.error());
  EXPECT_EQ(store_->last_position(), before + 1) << "nothing was decided past it";
  auto caught = projector_->catch_up();
  ASSERT_TRUE(caught) << caught.error().message;
  const auto stopped = projector_->stopped();
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].projection, projections::kCasesProjection);
  EXPECT_EQ(stopped[0].position, before + 1);
  EXPECT_EQ(stopped[0].type, "CaseTeleported");
  EXPECT_EQ(stopped[0].schema_version, 1u);
  EXPECT_EQ(projector_->checkpoint(projections::kCasesProjection), before);
  EXPECT_EQ(projector_->checkpoint(projections::kLawyersProjection), store_->last_position());
  ASSERT_TRUE(projector_->last_error());
  EXPECT_NE(projector_->last_error()->message.find("CaseTeleported"), std::string::npos);
  // The case shows what it was before the unknown event.
  EXPECT_EQ(ok(read_models_->case_detail(j.case1, now())).as_object().at("status"), "open");
}

TEST_F(RebuildTest, ProjectionsKeepUpAcrossAStoreReopen) {
  auto j = journey();
  project();
  const auto before = answers(j);
  open_store();  // a restart: new store handle, platform and projector
  EXPECT_EQ(projector_->position(), store_->last_position());
  auto caught = projector_->catch_up();
  ASSERT_TRUE(caught);
  EXPECT_EQ(*caught, 0u);
  EXPECT_EQ(answers(j), before);
  // And new commands after the restart still arrive.
  run<CaseAggregate>(case_stream(j.case1), CloseCase{"调解结案"}, as(judge()));
  project();
  EXPECT_EQ(ok(read_models_->case_detail(j.case1, now())).as_object().at("status"), "closed");
}

}  // namespace
}  // namespace docket::testing
