#include "docket/replay/time_format.h"

#include <gtest/gtest.h>

#include <vector>

namespace docket::replay {
namespace {

constexpr std::int64_t k2026 = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000'000;

TEST(TimeFormatTest, FormatsUtcWithMicrosecondsOnlyWhenPresent) {
  EXPECT_EQ(format_time(k2026), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_time(k2026 + 1'500'000), "2026-01-01T00:00:01.500000Z");
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_time(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(TimeFormatTest, ParsesRfc3339WithAZone) {
  EXPECT_EQ(*parse_time("2026-01-01T00:00:00Z"), k2026);
  EXPECT_EQ(*parse_time("2026-01-01T08:00:00+08:00"), k2026);
  EXPECT_EQ(*parse_time("2025-12-31T19:00:00-05:00"), k2026);
  EXPECT_EQ(*parse_time("2026-01-01T00:00:00.25Z"), k2026 + 250'000);
}

TEST(TimeFormatTest, ATimeWithoutAZoneIsCourtTime) {
  EXPECT_EQ(*parse_time("2026-01-01T08:00"), k2026);
  EXPECT_EQ(*parse_time("2026-01-01 10:30:00"), k2026 + 2 * kHour + 30 * 60'000'000LL);
}

TEST(TimeFormatTest, ABareDateMeansTheEndOfThatDayInCourtTime) {
  // 2026-01-01 in UTC+8 ends at 2026-01-01T16:00:00Z.
  EXPECT_EQ(*parse_time("2026-01-01"), k2026 + 16 * kHour - 1);
}

TEST(TimeFormatTest, AcceptsRawMicroseconds) {
  EXPECT_EQ(*parse_time("@1767225600000000"), k2026);
  EXPECT_EQ(*parse_time("@-5"), -5);
}

TEST(TimeFormatTest, RefusesWhatIsNotATimeSayingWhatIsExpected) {
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2026-01-01T25:00Z",
        "2026-01-01T10:00:00+0800", "2026-01-01T10:00:00.1234567Z", "@", "@12x", "2026-01-01X"}) {
    auto parsed = parse_time(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().rfind("Expected a time", 0), 0u) << parsed.error();
  }
}

TEST(TimeFormatTest, FormattedTimesParseBack) {
  for (std::int64_t t :
       std::vector<std::int64_t>{k2026, k2026 + 123'456, k2026 + 400 * 86'400'000'000 - 7}) {
    EXPECT_EQ(*parse_time(format_time(t)), t);
  }
}

}  // namespace
}  // namespace docket::replay
