#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docket/domain/case_number.h"
#include "fake_facts.h"

namespace docket::domain {
namespace {

// 2026-03-01T00:00:00Z.
constexpr std::int64_t kMarch2026Us = 1'772'323'200'000'000;

// Court 渝0103, whose code lists give civil first instance cases the code 民初 and civil second
// instance cases 民终.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  facts.add_court("渝0103").code_lists.case_categories = {
      {"civil_first_instance", "民事一审", "民初"}, {"civil_second_instance", "民事二审", "民终"}};
  return facts;
}

struct SequenceStream {
  std::string name = "case_number-渝0103-2026";
  CaseNumberSequenceState state = CaseNumberAggregate::initial();
  std::vector<EventData> log;
  testing::FakeFacts facts = world();

  Outcome run(const CaseNumberCommand& command, const Context& ctx) {
    Outcome out = CaseNumberAggregate::decide(state, command, testing::reading(facts, ctx));
    if (out) {
      for (const auto& e : out->events) {
        log.push_back(e);
        const EventData& stored = log.back();
        CaseNumberAggregate::evolve(state, StoredEvent{name, stored.type, stored.schema_version,
                                                       stored.payload, log.size(), 0, 0});
      }
    }
    return out;
  }
};

Context system_at(std::int64_t now_us) {
  Context ctx;
  ctx.now_us = now_us;
  ctx.actor = Principal{"engine", Role::kSystem, ""};
  return ctx;
}

AllocateCaseNumber allocate(std::string filing, std::string category = "civil_first_instance") {
  return AllocateCaseNumber{std::move(filing), "渝0103", 2026, std::move(category)};
}

TEST(CaseNumberTest, FormatsAsYearCourtCategoryCodeAndSerial) {
  EXPECT_EQ(format_case_number(2026, "渝0103", "民初", 1234), "(2026)渝0103民初1234号");
  EXPECT_EQ(case_number_stream_id("渝0103", 2026), "渝0103-2026");
}

TEST(CaseNumberTest, YearIsTheCalendarYearInChinaStandardTime) {
  // 2025-12-31T15:59:59Z is 23:59:59 in Beijing; one second later it is 2026 there.
  constexpr std::int64_t kNewYearCstUs = 1'767'196'800'000'000;  // 2025-12-31T16:00:00Z
  EXPECT_EQ(china_standard_year(kNewYearCstUs - 1'000'000), 2025);
  EXPECT_EQ(china_standard_year(kNewYearCstUs), 2026);
  EXPECT_EQ(china_standard_year(kMarch2026Us), 2026);
  EXPECT_EQ(china_standard_year(0), 1970);
}

TEST(CaseNumberTest, SequenceCountsPerCourtYearAndCategoryCode) {
  SequenceStream seq;
  auto first = seq.run(allocate("f1"), system_at(kMarch2026Us));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_EQ(first->events.size(), 1u);
  EXPECT_EQ(first->events[0].type, "CaseNumberAllocated");
  ASSERT_TRUE(seq.run(allocate("f2"), system_at(kMarch2026Us)));
  ASSERT_TRUE(seq.run(allocate("f3", "civil_second_instance"), system_at(kMarch2026Us)));
  EXPECT_EQ(case_number_of(seq.state, "f1"), "(2026)渝0103民初1号");
  EXPECT_EQ(case_number_of(seq.state, "f2"), "(2026)渝0103民初2号");
  EXPECT_EQ(case_number_of(seq.state, "f3"), "(2026)渝0103民终1号");
  EXPECT_EQ(case_number_of(seq.state, "f4"), "");
}

TEST(CaseNumberTest, AllocationIsIdempotentPerFiling) {
  SequenceStream seq;
  ASSERT_TRUE(seq.run(allocate("f1"), system_at(kMarch2026Us)));
  auto again = seq.run(allocate("f1"), system_at(kMarch2026Us));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(seq.state.number_by_filing.size(), 1u);
  ASSERT_TRUE(seq.run(allocate("f2"), system_at(kMarch2026Us)));
  EXPECT_EQ(case_number_of(seq.state, "f2"), "(2026)渝0103民初2号");
}

TEST(CaseNumberTest, YearMustBeTheCurrentOne) {
  SequenceStream seq;
  AllocateCaseNumber c = allocate("f1");
  c.year = 2025;
  auto out = seq.run(c, system_at(kMarch2026Us));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  ASSERT_EQ(out.error().violations.size(), 1u);
  EXPECT_EQ(out.error().violations[0].field, "year");
}

TEST(CaseNumberTest, AllocationListsEveryMissingField) {
  SequenceStream seq;
  AllocateCaseNumber c{"", "渝0103", 2026, ""};
  auto out = seq.run(c, system_at(kMarch2026Us));
  ASSERT_FALSE(out.has_value());
  ASSERT_EQ(out.error().violations.size(), 2u);
  EXPECT_EQ(out.error().violations[0].field, "filing_id");
  EXPECT_EQ(out.error().violations[1].field, "category");
}

TEST(CaseNumberTest, TheCategorysCodeIsTheOneTheCourtLists) {
  SequenceStream seq;
  auto out = seq.run(allocate("f1"), system_at(kMarch2026Us));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(seq.state.last_serial_by_code.at("民初"), 1u);
  // A court that renames the code numbers the next case under the new one.
  seq.facts.courts.at("渝0103").code_lists.case_categories[0].case_number_code = "民初新";
  ASSERT_TRUE(seq.run(allocate("f2"), system_at(kMarch2026Us)));
  EXPECT_EQ(case_number_of(seq.state, "f2"), "(2026)渝0103民初新1号");
}

TEST(CaseNumberTest, ACategoryTheCourtDoesNotListIsRefused) {
  SequenceStream seq;
  auto unlisted = seq.run(allocate("f1", "maritime"), system_at(kMarch2026Us));
  ASSERT_FALSE(unlisted.has_value());
  EXPECT_EQ(unlisted.error().code, RejectionCode::kInvalidState);
  // Nor does a court that is not registered list any.
  seq.facts.courts.clear();
  auto unregistered = seq.run(allocate("f1"), system_at(kMarch2026Us));
  ASSERT_FALSE(unregistered.has_value());
  EXPECT_EQ(unregistered.error().code, RejectionCode::kInvalidState);
  EXPECT_TRUE(seq.log.empty());
}

TEST(CaseNumberTest, StreamBelongsToOneCourtAndYear) {
  SequenceStream seq;
  ASSERT_TRUE(seq.run(allocate("f1"), system_at(kMarch2026Us)));
  AllocateCaseNumber other = allocate("f2");
  other.court = "渝0104";
  auto out = seq.run(other, system_at(kMarch2026Us));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kConflict);
}

TEST(CaseNumberTest, OnlyTheSystemOrAClerkOfTheCourtAllocates) {
  SequenceStream seq;
  Context clerk = system_at(kMarch2026Us);
  clerk.actor = Principal{"clerk-7", Role::kClerk, "渝0103"};
  EXPECT_TRUE(seq.run(allocate("f1"), clerk));
  Context foreign_clerk = clerk;
  foreign_clerk.actor.court = "渝0104";
  Context lawyer = clerk;
  lawyer.actor = Principal{"11234567890123456", Role::kLawyer, ""};
  for (const Context& ctx : {foreign_clerk, lawyer}) {
    auto out = seq.run(allocate("f2"), ctx);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  }
}

}  // namespace
}  // namespace docket::domain
