// LoginThrottle on its own: what it counts, for how long, and the bound on its memory.
#include "docket/api/login_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace docket::api {
namespace {

constexpr std::int64_t kMinute = 60'000'000LL;

class LoginThrottleTest : public ::testing::Test {
 protected:
  engine::ManualClock clock_;
};

TEST_F(LoginThrottleTest, APairIsRefusedAfterItsLimitAndOnlyThatPair) {
  LoginThrottle t(clock_, {});
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(t.attempt("10.0.0.1", "L1"));
  auto refused = t.attempt("10.0.0.1", "L1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().scope, LoginThrottle::Refusal::Scope::kAccount);
  EXPECT_EQ(refused.error().wait_s, 15 * 60);
  EXPECT_TRUE(t.attempt("10.0.0.2", "L1")) << "another source, the same account";
  EXPECT_TRUE(t.attempt("10.0.0.1", "L2")) << "the same source, another account";
  clock_.advance(15 * kMinute);
  EXPECT_TRUE(t.attempt("10.0.0.1", "L1")) << "the window passed";
}

TEST_F(LoginThrottleTest, ASourceIsRefusedForEveryAccountAfterItsLimit) {
  LoginThrottle t(clock_, {});
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(t.attempt("10.0.0.1", "L" + std::to_string(i)));
  auto refused = t.attempt("10.0.0.1", "someone-new");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().scope, LoginThrottle::Refusal::Scope::kSource);
  EXPECT_EQ(refused.error().limit, 20u);
  EXPECT_TRUE(t.attempt("10.0.0.2", "someone-new"));
}

TEST_F(LoginThrottleTest, ASuccessForgetsThePairButNotTheSource) {
  LoginThrottle t(clock_, {});
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(t.attempt("10.0.0.1", "L1"));
  auto ok = t.attempt("10.0.0.1", "L1");
  ASSERT_TRUE(ok);
  t.succeeded("10.0.0.1", "L1", {}, *ok);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(t.attempt("10.0.0.1", "L1")) << i;
  // 4 + 5 failures from the source; the success took back only its own attempt.
  for (int i = 0; i < 11; ++i)
    ASSERT_TRUE(t.attempt("10.0.0.1", "X" + std::to_string(i))) << i;
  EXPECT_FALSE(t.attempt("10.0.0.1", "Y"));
}

TEST_F(LoginThrottleTest, AForgivenAttemptCountsNowhere) {
  LoginThrottle t(clock_, {});
  for (int i = 0; i < 50; ++i) {
    auto a = t.attempt("10.0.0.1", "L1", "session-1");
    ASSERT_TRUE(a) << i;
    t.forgive("10.0.0.1", "L1", "session-1", *a);
  }
  EXPECT_EQ(t.entries(), 0u);
  EXPECT_EQ(t.bytes(), 0u);
}

TEST_F(LoginThrottleTest, AHolderIsRefusedFromEverySource) {
  LoginThrottle t(clock_, {});
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(t.attempt("10.0.0." + std::to_string(i), "L1", "session-1"));
  auto refused = t.attempt("10.0.0.9", "L1", "session-1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().scope, LoginThrottle::Refusal::Scope::kHolder);
  EXPECT_TRUE(t.attempt("10.0.0.9", "L1", "session-2"));
}

TEST_F(LoginThrottleTest, SourcesAreNormalised) {
  EXPECT_EQ(LoginThrottle::source_of("127.0.0.2"), "127.0.0.2");
  EXPECT_EQ(LoginThrottle::source_of("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(LoginThrottle::source_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::source_of("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::source_of(""), "");
}

TEST_F(LoginThrottleTest, MemoryIsBoundedAndTheLeastRecentlyFailedGoFirst) {
  LoginThrottleOptions options;
  options.max_bytes = 64 * 1024;
  LoginThrottle t(clock_, options);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(t.attempt("10.9.9.9", "first"));  // the least recently failed
  ASSERT_FALSE(t.attempt("10.9.9.9", "first"));
  for (int source = 0; source < 2'000; ++source) {
    const auto address =
        "10.1." + std::to_string(source / 256) + "." + std::to_string(source % 256);
    ASSERT_TRUE(t.attempt(address, std::string(128, 'a')));
    ASSERT_LE(t.bytes(), options.max_bytes) << source;
  }
  EXPECT_LT(t.entries(), 4'000u);
  EXPECT_GT(t.entries(), 100u);
  EXPECT_TRUE(t.attempt("10.9.9.9", "first")) << "dropped to make room, so counted afresh";
  // The most recent counters are kept.
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(t.attempt("10.1.7.207", std::string(128, 'a')));
  EXPECT_FALSE(t.attempt("10.1.7.207", std::string(128, 'a')));
}

}  // namespace
}  // namespace docket::api
