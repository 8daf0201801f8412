// Copies of one keyed request sent at once: every copy gets the first's reply (status, headers
// that name the result, body with the created id and position), and the log holds one write.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api_fixture.h"
#include "docket/domain/staff.h"
#include "docket/engine/sha256.h"

namespace docket::api::testing {
namespace {

constexpr int kCopies = 6;
constexpr int kRounds = 3;

// Holds the first copy of a round's request in its handler until the other copies have arrived
// and been parked behind it (bounded), so the copies race the first for certain.
class CopiesTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto o = ApiTest::server_options();
    o.on_dispatch = [this](const Request& request, bool parked) {
      if (auto it = request.find("Idempotency-Key"); it == request.end() || !raced(it->value()))
        return;
      std::unique_lock lock(mu_);
      if (parked) {
        ++parked_;
        cv_.notify_all();
        return;
      }
      if (held_)
        return;  // only the first to run is held
      held_ = true;
      cv_.wait_for(lock, std::chrono::seconds(5), [this] { return parked_ == kCopies - 1; });
    };
    return o;
  }

  static bool raced(std::string_view key) { return key.starts_with("race-"); }

  void new_round() {
    std::lock_guard lock(mu_);
    parked_ = 0;
    held_ = false;
  }

  // Sends `send` on kCopies connections at once (released together) and returns the replies.
  std::vector<Reply> race(const std::function<Reply(Client&)>& send,
                          const std::function<std::unique_ptr<Client>()>& make) {
    new_round();
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kCopies; ++i) {
      clients.push_back(make());
      EXPECT_EQ(clients.back()->get("/healthz").status, 200u);  // connected beforehand
    }
    std::vector<Reply> replies(kCopies);
    std::mutex start_mu;
    std::condition_variable start_cv;
    int ready = 0;
    bool go = false;
    std::vector<std::thread> threads;
    for (int i = 0; i < kCopies; ++i) {
      threads.emplace_back([&, i] {
        {
          std::unique_lock lock(start_mu);
          ++ready;
          start_cv.notify_all();
          start_cv.wait(lock, [&] { return go; });
        }
        replies[i] = send(*clients[i]);
      });
    }
    {
      std::unique_lock lock(start_mu);
      start_cv.wait(lock, [&] { return ready == kCopies; });
      go = true;
      start_cv.notify_all();
    }
    for (auto& t : threads)
      t.join();
    return replies;
  }

  static void expect_all_equal(const std::vector<Reply>& replies) {
    ASSERT_FALSE(replies.empty());
    const auto& first = replies.front();
    for (std::size_t i = 1; i < replies.size(); ++i) {
      EXPECT_EQ(replies[i].status, first.status) << replies[i] << "\nfirst: " << first;
      EXPECT_EQ(replies[i].body, first.body);
      EXPECT_EQ(replies[i].header("docket-position"), first.header("docket-position"));
      EXPECT_EQ(replies[i].header("etag"), first.header("etag"));
      EXPECT_EQ(replies[i].header("location"), first.header("location"));
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  int parked_ = 0;
  bool held_ = false;
};

TEST_F(CopiesTest, CopiesOfOneStartFilingSentAtOnceAllGetTheFirstReplyAndOneFiling) {
  auto filer = person(std::string(kFiler));
  const std::string token = filer->bearer;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "race-filing-" + std::to_string(round);
    const auto before = last();
    auto replies = race(
        [&](Client& c) {
          return c.post("/v1/filings", json::object{}, {{"Idempotency-Key", key}});
        },
        [&] {
          auto c = std::make_unique<Client>(port());
          c->bearer = token;
          return c;
        });
    expect_all_equal(replies);
    EXPECT_EQ(replies.front().status, 201u) << replies.front();
    const auto id = replies.front().text("created_id");
    ASSERT_FALSE(id.empty());
    auto version = store_->stream_version("filing-" + id);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 1u) << "one write for all the copies";
    EXPECT_EQ(last(), before + 1);
  }
}

TEST_F(CopiesTest, CopiesOfOneRegisterStaffSentAtOnceAllGetTheFirstReplyWithItsApiKey) {
  auto admin = person("admin");
  const std::string token = admin->bearer;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "race-staff-" + std::to_string(round);
    const std::string staff_id = "cms-race-" + std::to_string(round);
    const auto before = last();
    auto replies = race(
        [&](Client& c) {
          return c.post("/v1/staff",
                        json::object{{"staff_id", staff_id},
                                     {"name", "案件管理系统"},
                                     {"role", "court_system"},
                                     {"court", kCourt}},
                        {{"Idempotency-Key", key}});
        },
        [&] {
          auto c = std::make_unique<Client>(port());
          c->bearer = token;
          return c;
        });
    expect_all_equal(replies);
    EXPECT_EQ(replies.front().status, 201u) << replies.front();
    EXPECT_FALSE(replies.front().text("api_key").empty()) << "every copy gets the one key issued";
    auto version = store_->stream_version(domain::staff_stream(staff_id));
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 1u) << "one write for all the copies";
    EXPECT_EQ(last(), before + 1);
  }
}

// A repeat sent after the first was answered is answered from the stored key: the same result,
// marked as a repeat.
TEST_F(CopiesTest, ARepeatAfterTheFirstWasAnsweredNamesTheSameResult) {
  auto admin = person("admin");
  const json::object body{{"staff_id", "clerk-repeat"},
                          {"name", "书记员"},
                          {"role", "clerk"},
                          {"court", kCourt},
                          {"initial_password", "a-first-password"}};
  auto first = admin->post("/v1/staff", body, {{"Idempotency-Key", "repeat-1"}});
  ASSERT_EQ(first.status, 201u) << first;
  auto again = admin->post("/v1/staff", body, {{"Idempotency-Key", "repeat-1"}});
  EXPECT_EQ(again.status, 201u) << again;
  EXPECT_EQ(again.number("position"), first.number("position"));
  EXPECT_EQ(again.text("stream"), first.text("stream"));
  EXPECT_EQ(again.number("stream_version"), first.number("stream_version"));
  EXPECT_TRUE(again.json().as_object()["deduplicated"].as_bool());
}

class RepeatTest : public ApiTest {};

// The created id of a repeat is the first's, even when the stream moved on in between.
TEST_F(RepeatTest, ARepeatedAddScheduleEntryNamesTheEntryItsFirstAdded) {
  auto lawyer = person(std::string(kFiler));
  const json::object entry{{"starts_at_us", 1'800'000'000'000'000LL},
                           {"ends_at_us", 1'800'000'360'000'000LL},
                           {"can_appear_in_court", false},
                           {"text", "另案开庭"}};
  auto first = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-1"}});
  ASSERT_EQ(first.status, 201u) << first;
  ASSERT_FALSE(first.text("created_id").empty()) << first;
  auto other = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-2"}});
  ASSERT_EQ(other.status, 201u) << other;
  EXPECT_NE(other.text("created_id"), first.text("created_id"));
  auto again = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-1"}});
  ASSERT_EQ(again.status, 201u) << again;
  EXPECT_EQ(again.text("created_id"), first.text("created_id")) << again;
  EXPECT_EQ(again.number("position"), first.number("position"));
}

TEST_F(RepeatTest, ARepeatedStartPaymentNamesTheAttemptItsFirstStarted) {
  auto lawyer = person(std::string(kFiler));
  const auto filing = submitted_filing(*lawyer);
  auto clerk = person("clerk01");
  ASSERT_EQ(clerk->post("/v1/filings/" + filing + "/accept").status, 200u);
  settle();  // the payment notice is issued by a reaction
  auto notice = lawyer->get("/v1/payments/" + filing + "?after=" + std::to_string(last()));
  ASSERT_EQ(notice.status, 200u) << notice;
  const auto code = notice.text("code");
  ASSERT_FALSE(code.empty()) << notice;
  const auto start = "/v1/payment-notices/" + code + "/payments";
  auto first =
      lawyer->post(start, json::object{{"channel", "wechat"}}, {{"Idempotency-Key", "p1"}});
  ASSERT_EQ(first.status, 201u) << first;
  auto second =
      lawyer->post(start, json::object{{"channel", "alipay"}}, {{"Idempotency-Key", "p2"}});
  ASSERT_EQ(second.status, 201u) << second;
  EXPECT_NE(second.number("attempt"), first.number("attempt"));
  auto again =
      lawyer->post(start, json::object{{"channel", "wechat"}}, {{"Idempotency-Key", "p1"}});
  ASSERT_EQ(again.status, 201u) << again;
  EXPECT_EQ(again.number("attempt"), first.number("attempt")) << again;
  EXPECT_EQ(again.number("position"), first.number("position"));
}

// One key sent again with another body: refused with 422 naming the mismatch, nothing written,
// and the first request's result is still what the key names.
TEST_F(RepeatTest, AKeySentAgainWithAnotherBodyIsRefusedAndWritesNothing) {
  auto lawyer = person(std::string(kFiler));
  const json::object entry{{"starts_at_us", 1'800'000'000'000'000LL},
                           {"ends_at_us", 1'800'000'360'000'000LL},
                           {"can_appear_in_court", false},
                           {"text", "另案开庭"}};
  auto first = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-1"}});
  ASSERT_EQ(first.status, 201u) << first;
  auto changed = entry;
  changed["text"] = "另一个案件";
  const auto before = last();
  auto reused = lawyer->post("/v1/me/schedule", changed, {{"Idempotency-Key", "entry-1"}});
  EXPECT_EQ(reused.status, 422u) << reused;
  EXPECT_EQ(reused.header("content-type"), "application/problem+json");
  EXPECT_EQ(reused.text("code"), "idempotency_key_reused") << reused;
  EXPECT_EQ(reused.text("detail").rfind("Expected ", 0), 0u) << reused;
  EXPECT_EQ(last(), before) << "nothing written";
  // The same request again, even spaced differently, is still a repeat of the first.
  auto spaced =
      lawyer->send(beast::http::verb::post, "/v1/me/schedule",
                   "{ \"starts_at_us\": 1800000000000000, \"ends_at_us\": 1800000360000000,\n"
                   "  \"can_appear_in_court\": false, \"text\": \"另案开庭\" }",
                   {{"Idempotency-Key", "entry-1"}});
  EXPECT_EQ(spaced.status, 201u) << spaced;
  EXPECT_EQ(spaced.text("created_id"), first.text("created_id"));
  EXPECT_EQ(last(), before);
  // Another path (a method other than the first's route) with the key is another request.
  auto elsewhere =
      lawyer->del("/v1/me/schedule/" + first.text("created_id"), {{"Idempotency-Key", "entry-1"}});
  EXPECT_EQ(elsewhere.status / 100, 2u) << elsewhere;
}

// A key whose first request was refused is not spent: the corrected request runs under it.
TEST_F(RepeatTest, AKeyWhoseFirstRequestWasRefusedMayCarryTheCorrectedOne) {
  auto lawyer = person(std::string(kFiler));
  json::object entry{{"starts_at_us", 1'800'000'360'000'000LL},
                     {"ends_at_us", 1'800'000'000'000'000LL},
                     {"can_appear_in_court", false}};
  auto refused = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-fix"}});
  ASSERT_EQ(refused.status / 100, 4u) << refused;
  entry["ends_at_us"] = 1'800'000'720'000'000LL;
  auto fixed = lawyer->post("/v1/me/schedule", entry, {{"Idempotency-Key", "entry-fix"}});
  EXPECT_EQ(fixed.status, 201u) << fixed;
}

// A copy with another body that arrives while the first is still being handled is refused at
// once, not parked to get the first's reply.
TEST_F(CopiesTest, ACopyWithAnotherBodyInFlightIsRefused) {
  auto admin = person("admin");
  const std::string token = admin->bearer;
  new_round();
  auto first_client = std::make_unique<Client>(port());
  first_client->bearer = token;
  const auto before = last();
  std::thread first([&] {
    auto r = first_client->post("/v1/staff",
                                json::object{{"staff_id", "clerk-inflight"},
                                             {"name", "书记员"},
                                             {"role", "clerk"},
                                             {"court", kCourt},
                                             {"initial_password", "a-first-password"}},
                                {{"Idempotency-Key", "race-inflight"}});
    EXPECT_EQ(r.status, 201u) << r;
  });
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return held_; });
  }
  auto other = std::make_unique<Client>(port());
  other->bearer = token;
  auto r = other->post("/v1/staff",
                       json::object{{"staff_id", "clerk-other"},
                                    {"name", "书记员"},
                                    {"role", "clerk"},
                                    {"court", kCourt},
                                    {"initial_password", "a-first-password"}},
                       {{"Idempotency-Key", "race-inflight"}});
  EXPECT_EQ(r.status, 422u) << r;
  EXPECT_EQ(r.text("code"), "idempotency_key_reused");
  {
    std::lock_guard lock(mu_);
    parked_ = kCopies - 1;  // release the first
    cv_.notify_all();
  }
  first.join();
  EXPECT_EQ(last(), before + 1) << "only the first wrote";
}

}  // namespace
}  // namespace docket::api::testing
