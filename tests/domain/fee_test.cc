#include "docket/domain/fee.h"

#include <gtest/gtest.h>

namespace docket::domain {
namespace {

constexpr std::int64_t yuan(std::int64_t amount) {
  return amount * 100;
}

FeeSchedule national_schedule() {
  FeeSchedule schedule;
  schedule.rules_by_category["civil_first_instance"] = national_property_fee_rule();
  schedule.rules_by_category["divorce"] = FeeRule{yuan(300), 0, {}};
  return schedule;
}

std::int64_t fee(std::int64_t amount_fen) {
  auto out = fee_for(national_schedule(), "civil_first_instance", amount_fen);
  EXPECT_TRUE(out.has_value());
  return out ? *out : -1;
}

// Hand-computed against the national schedule, cumulative by band:
//   up to 10k: 50; 10k-100k 2.5%; 100k-200k 2%; 200k-500k 1.5%; 500k-1M 1%; 1M-2M 0.9%;
//   2M-5M 0.8%; 5M-10M 0.7%; 10M-20M 0.6%; above 20M 0.5%.
TEST(FeeTest, NationalPropertyScheduleMatchesHandComputedExamples) {
  EXPECT_EQ(fee(0), yuan(50));
  EXPECT_EQ(fee(yuan(5'000)), yuan(50));
  EXPECT_EQ(fee(yuan(10'000)), yuan(50));
  // 50 + 40,000 x 2.5% = 1,050
  EXPECT_EQ(fee(yuan(50'000)), yuan(1'050));
  // 50 + 90,000 x 2.5% = 2,300
  EXPECT_EQ(fee(yuan(100'000)), yuan(2'300));
  // 2,300 + 50,000 x 2% = 3,300
  EXPECT_EQ(fee(yuan(150'000)), yuan(3'300));
  // 2,300 + 2,000 + 300,000 x 1.5% = 8,800
  EXPECT_EQ(fee(yuan(500'000)), yuan(8'800));
  // 8,800 + 500,000 x 1% = 13,800
  EXPECT_EQ(fee(yuan(1'000'000)), yuan(13'800));
  // 13,800 + 1,000,000 x 0.9% = 22,800
  EXPECT_EQ(fee(yuan(2'000'000)), yuan(22'800));
  // 22,800 + 3,000,000 x 0.8% = 46,800
  EXPECT_EQ(fee(yuan(5'000'000)), yuan(46'800));
  // 46,800 + 5,000,000 x 0.7% = 81,800
  EXPECT_EQ(fee(yuan(10'000'000)), yuan(81'800));
  // 81,800 + 10,000,000 x 0.6% = 141,800
  EXPECT_EQ(fee(yuan(20'000'000)), yuan(141'800));
  // 141,800 + 10,000,000 x 0.5% = 191,800
  EXPECT_EQ(fee(yuan(30'000'000)), yuan(191'800));
}

TEST(FeeTest, BandedPartsRoundHalfUpToTheFen) {
  // 12,345.67 yuan: 50 yuan + 2,345.67 yuan x 2.5% = 5,000 + 5,864.175 fen -> 10,864 fen.
  EXPECT_EQ(fee(1'234'567), 10'864);
  // 10,000.02 yuan: 0.02 yuan x 2.5% = 0.05 fen -> rounds to 0.
  EXPECT_EQ(fee(yuan(10'000) + 2), yuan(50));
  // 10,000.20 yuan: 20 fen x 2.5% = 0.5 fen -> rounds half up to 1.
  EXPECT_EQ(fee(yuan(10'000) + 20), yuan(50) + 1);
}

TEST(FeeTest, FixedFeeCategoryIgnoresTheAmount) {
  EXPECT_EQ(*fee_for(national_schedule(), "divorce", 0), yuan(300));
  EXPECT_EQ(*fee_for(national_schedule(), "divorce", yuan(1'000'000)), yuan(300));
}

TEST(FeeTest, UnknownCategoryIsNotFound) {
  auto out = fee_for(national_schedule(), "administrative", yuan(1));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kNotFound);
  EXPECT_NE(out.error().message.find("Expected a fee rule"), std::string::npos);
}

TEST(FeeTest, NegativeOrHugeAmountIsInvalid) {
  auto negative = fee_for(national_schedule(), "civil_first_instance", -1);
  ASSERT_FALSE(negative.has_value());
  EXPECT_EQ(negative.error().code, RejectionCode::kValidation);
  auto huge = fee_for(national_schedule(), "civil_first_instance", kMaxFeeAmountFen + 1);
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, RejectionCode::kValidation);
  EXPECT_TRUE(fee_for(national_schedule(), "civil_first_instance", kMaxFeeAmountFen));
}

TEST(FeeTest, NationalRuleIsWellFormed) {
  EXPECT_TRUE(fee_schedule_violations(national_schedule(), "fee_schedule").empty());
}

TEST(FeeTest, MalformedScheduleListsEveryViolation) {
  FeeSchedule schedule;
  schedule.rules_by_category["bad"] =
      FeeRule{-1, yuan(100), {{yuan(50), 100}, {0, 20'000}, {yuan(200), 100}}};
  const auto violations = fee_schedule_violations(schedule, "fee_schedule");
  // negative fee; band 0 not above the base; band 1 rate too high and unbounded before the end.
  ASSERT_EQ(violations.size(), 4u);
  EXPECT_EQ(violations[0].field, "fee_schedule[bad].fixed_fee_fen");
  EXPECT_EQ(violations[1].field, "fee_schedule[bad].bands[0].up_to_fen");
  EXPECT_EQ(violations[2].field, "fee_schedule[bad].bands[1].rate_basis_points");
  EXPECT_EQ(violations[3].field, "fee_schedule[bad].bands[1].up_to_fen");
}

}  // namespace
}  // namespace docket::domain
