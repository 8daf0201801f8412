// A drain under load: every command the log shows committed was answered before its connection
// closed; every request the drain refused was answered 503 and left nothing in the log.
#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "api_fixture.h"

namespace docket::api::testing {
namespace {

constexpr int kConnections = 64;
constexpr int kRequestsPerConnection = 4;
constexpr int kRounds = 3;

// What one request got: a reply, or nothing before its connection closed.
struct Outcome {
  std::string key;
  bool answered = false;
  unsigned status = 0;
  std::string body;
  std::string content_type;
  bool keep_alive = true;
};

// Sends keyed POSTs to `target` (StartFiling unless told) one after another on one keep-alive
// connection, never retrying: a connection closed without a reply is recorded as such, and ends
// the loop. `body(i)` is the i-th request's body.
void send_commands(std::uint16_t port, const std::string& token, const std::string& prefix,
                   std::vector<Outcome>& outcomes, std::atomic<int>& answered,
                   const std::string& target = "/v1/filings",
                   const std::function<std::string(int)>& body = {}) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  beast::error_code ec;
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec)
    return;
  beast::flat_buffer buffer;
  for (int i = 0; i < kRequestsPerConnection; ++i) {
    Outcome o;
    o.key = prefix + "-" + std::to_string(i);
    beast::http::request<beast::http::string_body> req{beast::http::verb::post, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    req.set(beast::http::field::authorization, "Bearer " + token);
    req.set(beast::http::field::content_type, "application/json");
    req.set("Idempotency-Key", o.key);
    req.body() = body ? body(i) : "{}";
    req.prepare_payload();
    beast::http::write(stream, req, ec);
    if (!ec) {
      beast::http::response<beast::http::string_body> res;
      beast::http::read(stream, buffer, res, ec);
      if (!ec) {
        o.answered = true;
        o.status = res.result_int();
        o.body = res.body();
        o.content_type = std::string(res[beast::http::field::content_type]);
        o.keep_alive = res.keep_alive();
        answered.fetch_add(1);
      }
    }
    outcomes.push_back(o);
    if (ec || !o.keep_alive)
      return;
  }
}

class DrainTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto o = ApiTest::server_options();
    o.http.max_connections = 2 * kConnections;
    return o;
  }

  // The filings created from position `after` on (one per committed StartFiling).
  std::set<std::string> filings_created_after(std::uint64_t after) {
    std::set<std::string> out;
    auto events = store_->read_category("filing", after + 1, 1'000'000);
    EXPECT_TRUE(events) << events.error().message;
    if (events) {
      for (const auto& e : *events) {
        if (e.type == "FilingNoticeAccepted" && e.version == 1)
          out.insert(e.stream.substr(std::string_view("filing-").size()));
      }
    }
    return out;
  }
};

TEST_F(DrainTest, EveryCommandCommittedDuringADrainUnderLoadIsAnswered) {
  auto filer = person(std::string(kFiler));
  const std::string token = filer->bearer;
  filer->close();
  int committed_total = 0;
  int refused_total = 0;
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {  // a new server over the same store, as after a restart
      server_ = std::make_unique<DocketServer>(*store_, *platform_, server_options());
      ASSERT_TRUE(server_->start());
    }
    const auto start = last();
    std::vector<std::vector<Outcome>> outcomes(kConnections);
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < kConnections; ++c) {
      threads.emplace_back([&, c] {
        send_commands(port(), token, "drain-" + std::to_string(round) + "-" + std::to_string(c),
                      outcomes[c], answered);
      });
    }
    // Mid-load: a quarter of the commands answered, the rest in flight or still to come.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (answered.load() < kConnections * kRequestsPerConnection / 4 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_->stop();
    for (auto& t : threads)
      t.join();

    // Server-made filing ids are random: a committed command is known by its filing, and its
    // reply names that filing.
    const auto committed = filings_created_after(start);
    std::set<std::string> answered_ids;
    for (const auto& per_connection : outcomes) {
      for (const auto& o : per_connection) {
        if (!o.answered)
          continue;
        if (o.status == 201u) {
          json::error_code ec;
          auto body = json::parse(o.body, ec);
          const auto* id = ec ? nullptr : body.as_object().if_contains("created_id");
          ASSERT_TRUE(id != nullptr && id->is_string()) << o.key << ": " << o.body;
          answered_ids.insert(std::string(id->as_string()));
          EXPECT_TRUE(committed.contains(std::string(id->as_string())))
              << o.key << " answered 201, yet wrote nothing";
        } else {
          ++refused_total;
          EXPECT_EQ(o.status, 503u) << o.key << " wrote nothing, yet: " << o.body;
          EXPECT_EQ(o.content_type, "application/problem+json") << o.key;
          EXPECT_FALSE(o.keep_alive) << o.key;
        }
      }
    }
    for (const auto& id : committed)
      EXPECT_TRUE(answered_ids.contains(id)) << id << " committed, but its reply never came";
    committed_total += static_cast<int>(committed.size());
  }
  EXPECT_GT(committed_total, 0);
  std::cout << "committed " << committed_total << ", refused 503 " << refused_total << " over "
            << kRounds << " drains\n";
}

// The same for a command handed to the engine from the io thread (AddScheduleEntry): no worker
// waits for its commit, and its answer still comes before its connection closes.
TEST_F(DrainTest, EveryAsynchronousCommandCommittedDuringADrainIsAnswered) {
  auto filer = person(std::string(kFiler));
  const std::string token = filer->bearer;
  filer->close();
  const std::string stream = "lawyer-" + std::string(kFiler);
  int committed_total = 0;
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {
      server_ = std::make_unique<DocketServer>(*store_, *platform_, server_options());
      ASSERT_TRUE(server_->start());
    }
    const auto start = last();
    std::vector<std::vector<Outcome>> outcomes(kConnections);
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < kConnections; ++c) {
      threads.emplace_back([&, c, round] {
        send_commands(port(), token, "entry-" + std::to_string(round) + "-" + std::to_string(c),
                      outcomes[c], answered, "/v1/me/schedule", [round, c](int i) {
                        const std::int64_t at =
                            1'900'000'000'000'000LL +
                            ((round * kConnections + c) * kRequestsPerConnection + i) *
                                3'600'000'000LL;
                        return json::serialize(json::object{{"starts_at_us", at},
                                                            {"ends_at_us", at + 1'800'000'000LL},
                                                            {"can_appear_in_court", true},
                                                            {"text", "drain"}});
                      });
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (answered.load() < kConnections * kRequestsPerConnection / 4 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_->stop();
    for (auto& t : threads)
      t.join();

    // A committed entry is known by its event's position, which its reply names.
    std::set<std::uint64_t> committed;
    auto events = store_->read_stream(stream, 1, 1'000'000);
    ASSERT_TRUE(events) << events.error().message;
    for (const auto& e : *events) {
      if (e.position > start && e.type == "ScheduleEntryAdded")
        committed.insert(e.position);
    }
    std::set<std::uint64_t> answered_positions;
    for (const auto& per_connection : outcomes) {
      for (const auto& o : per_connection) {
        if (!o.answered)
          continue;
        if (o.status == 201u) {
          auto body = json::parse(o.body).as_object();
          const auto position = body.at("position").to_number<std::uint64_t>();
          EXPECT_TRUE(body.contains("created_id")) << o.key << ": " << o.body;
          answered_positions.insert(position);
          EXPECT_TRUE(committed.contains(position)) << o.key << " answered 201, yet wrote nothing";
        } else {
          EXPECT_EQ(o.status, 503u) << o.key << " wrote nothing, yet: " << o.body;
        }
      }
    }
    for (auto position : committed)
      EXPECT_TRUE(answered_positions.contains(position))
          << "position " << position << " committed, but its reply never came";
    committed_total += static_cast<int>(committed.size());
  }
  EXPECT_GT(committed_total, 0);
}

}  // namespace
}  // namespace docket::api::testing
