// Copies of one keyed command racing through the platform (the HTTP edge parks such copies, but
// reactions, tools and other callers reach the platform directly): every copy gets the first's
// result, whatever the state the first left would decide for the copy.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using CopiesTest = PlatformTest;

TEST_F(CopiesTest, CopiesOfOneAcceptFilingRacingAllGetTheFirstResult) {
  constexpr int kCopies = 4;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = "f-race-" + std::to_string(round);
    submitted(id);
    const auto before = platform().load<domain::FilingAggregate>("filing-" + id)->version;
    std::vector<std::optional<Outcome<Accepted>>> results(kCopies);
    std::mutex mu;
    std::condition_variable cv;
    int ready = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < kCopies; ++i) {
      threads.emplace_back([&, i] {
        {
          std::unique_lock lock(mu);
          ++ready;
          cv.notify_all();
          cv.wait(lock, [&] { return ready == kCopies; });
        }
        results[i] = platform().accept_filing(id, as(kClerk, "accept-" + id));
      });
    }
    for (auto& t : threads)
      t.join();
    ASSERT_TRUE(results[0] && *results[0]) << describe(results[0]->error());
    const Accepted& first = **results[0];
    for (int i = 1; i < kCopies; ++i) {
      ASSERT_TRUE(results[i] && *results[i])
          << "copy " << i << " of round " << round << ": " << describe(results[i]->error());
      const Accepted& copy = **results[i];
      EXPECT_EQ(copy.position, first.position);
      EXPECT_EQ(copy.stream_version, first.stream_version);
      EXPECT_EQ(copy.case_number, first.case_number);
      EXPECT_EQ(copy.stream, first.stream);
    }
    const auto after = platform().load<domain::FilingAggregate>("filing-" + id)->version;
    EXPECT_EQ(after, before + 1) << "accepted once";
  }
}

}  // namespace
}  // namespace docket::app::testing
