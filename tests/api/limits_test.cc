// Limits at the edge: reads never hold a command's thread and never wait for a position the log
// has not reached; free text, names and arrays are bounded (one table, input_limits.h); every time
// field stays where no sum of times can overflow; replies are never cached by a browser; a
// partial roster import and a conditional SMS delivery report answer what happened.
#include <future>
#include <thread>

#include "api_fixture.h"
#include "docket/projections/projector.h"

namespace docket::api::testing {
namespace {

using Clock = std::chrono::steady_clock;

class LimitsTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto o = ApiTest::server_options();
    o.workers = 1;
    o.read_workers = 4;
    o.max_wait = std::chrono::milliseconds(1'500);
    return o;
  }

  static json::object schedule_entry(std::int64_t start_us, std::string text = "另案开庭") {
    return json::object{{"starts_at_us", start_us},
                        {"ends_at_us", start_us + 3'600'000'000LL},
                        {"can_appear_in_court", false},
                        {"text", std::move(text)}};
  }
};

TEST_F(LimitsTest, AnAfterBeyondTheLogIsRefusedAtOnce) {
  auto lawyer = person(std::string(kFiler));
  const auto far = std::to_string(last() + 1'000'000);
  const auto started = Clock::now();
  auto r = lawyer->get("/v1/me/filings?after=" + far);
  EXPECT_EQ(r.status, 400u) << r;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto header = lawyer->get("/v1/me/filings", {{"Docket-After", far}});
  EXPECT_EQ(header.status, 400u) << header;
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1'000)) << "answered at once";
  auto at_end = lawyer->get("/v1/me/filings?after=" + std::to_string(last()));
  EXPECT_EQ(at_end.status, 200u) << at_end;
}

// Reads waiting for the read models run on a pool of their own: a command is not queued behind
// them, even with a single command worker.
TEST_F(LimitsTest, ReadsWaitingForTheReadModelsDoNotHoldTheCommandWorkers) {
  auto lawyer = person(std::string(kFiler));
  const std::string token = lawyer->bearer;
  server().projector().stop();  // the read models stop following the log
  ASSERT_EQ(lawyer->post("/v1/me/schedule", schedule_entry(1'800'000'000'000'000LL)).status, 201u);
  const auto target = "/v1/me/filings?after=" + std::to_string(last());
  std::vector<std::future<unsigned>> reads;
  for (int i = 0; i < 3; ++i) {
    reads.push_back(std::async(std::launch::async, [&, token] {
      Client c(port());
      c.bearer = token;
      return c.get(target).status;
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the reads are waiting
  const auto started = Clock::now();
  auto write = lawyer->post("/v1/me/schedule", schedule_entry(1'800'000'720'000'000LL));
  const auto took = Clock::now() - started;
  EXPECT_EQ(write.status, 201u) << write;
  EXPECT_LT(took, std::chrono::milliseconds(1'000)) << "the command did not wait for the reads";
  for (auto& r : reads)
    EXPECT_EQ(r.get(), 503u) << "the read models never got there";
}

TEST_F(LimitsTest, FreeTextNamesAndArraysAreBounded) {
  auto lawyer = person(std::string(kFiler));
  const auto before = last();
  auto long_text =
      lawyer->post("/v1/me/schedule",
                   schedule_entry(1'800'000'000'000'000LL, std::string((64u << 10) + 1, 'x')));
  EXPECT_EQ(long_text.status, 422u) << long_text;
  EXPECT_EQ(long_text.text("code"), "validation");
  EXPECT_NE(long_text.body.find("\"text\""), std::string::npos) << long_text;
  EXPECT_EQ(last(), before);
  auto at_limit = lawyer->post(
      "/v1/me/schedule", schedule_entry(1'800'000'000'000'000LL, std::string(64u << 10, 'x')));
  EXPECT_EQ(at_limit.status, 201u) << "64 KiB is allowed";

  auto admin = person("admin");
  json::array many;
  for (int i = 0; i < 1001; ++i)
    many.push_back(json::object{{"name", "律师"},
                                {"licence_number", std::to_string(15001201890000000LL + i)},
                                {"id_number", "500103199001011234"},
                                {"phone", "13900000001"},
                                {"email", "a@example.com"}});
  const auto before_roster = last();
  auto too_many =
      admin->post("/v1/roster", json::object{{"firm", "某律师事务所"}, {"lawyers", many}});
  EXPECT_EQ(too_many.status, 422u) << too_many.status;
  auto long_name = admin->post(
      "/v1/roster",
      json::object{{"firm", "某律师事务所"},
                   {"lawyers", json::array{json::object{{"name", std::string(513, 'n')},
                                                        {"licence_number", "15001201890000001"},
                                                        {"id_number", "500103199001011234"},
                                                        {"phone", "13900000001"},
                                                        {"email", "a@example.com"}}}}});
  EXPECT_EQ(long_name.status, 422u) << long_name;
  EXPECT_NE(long_name.body.find("lawyers[0].name"), std::string::npos) << long_name;
  EXPECT_EQ(last(), before_roster);

  auto openapi = anonymous()->get("/v1/openapi.json").json();
  const auto& text = openapi.at("paths")
                         .at("/v1/me/schedule")
                         .at("post")
                         .at("requestBody")
                         .at("content")
                         .at("application/json")
                         .at("schema")
                         .at("properties")
                         .at("text");
  EXPECT_EQ(text.at("maxLength").to_number<std::uint64_t>(), 64u << 10) << "documented";
}

// A time far in the future plus a period or a length would overflow int64: every "…_us" field
// is refused beyond the year 9999, so no sum can.
TEST_F(LimitsTest, TimesBeyondTheYear9999AreRefused) {
  auto lawyer = person(std::string(kFiler));
  const auto before = last();
  json::object entry{{"starts_at_us", std::numeric_limits<std::int64_t>::max() - 1},
                     {"ends_at_us", std::numeric_limits<std::int64_t>::max()},
                     {"can_appear_in_court", false}};
  auto r = lawyer->post("/v1/me/schedule", entry);
  EXPECT_EQ(r.status, 422u) << r;
  EXPECT_NE(r.text("detail").find("starts_at_us"), std::string::npos) << r;
  entry["starts_at_us"] = -1;
  entry["ends_at_us"] = 10;
  EXPECT_EQ(lawyer->post("/v1/me/schedule", entry).status, 422u);
  EXPECT_EQ(last(), before);
}

TEST_F(LimitsTest, TheLoginReplyAndAuthenticatedRepliesAreNeverCached) {
  auto c = anonymous();
  auto login = c->post("/v1/sessions", json::object{{"login", std::string(kFiler)},
                                                    {"password", std::string(kFiler)}});
  ASSERT_EQ(login.status, 201u) << login;
  EXPECT_EQ(login.header("cache-control"), "no-store");
  EXPECT_EQ(login.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(login.header("x-frame-options"), "DENY");
  auto lawyer = person(std::string(kFiler));
  auto home = lawyer->get("/v1/me/filings");
  EXPECT_EQ(home.header("cache-control"), "no-store") << home;
  EXPECT_EQ(home.header("x-content-type-options"), "nosniff");
}

TEST_F(LimitsTest, ARosterImportSaysWhetherEachLawyerWentThrough) {
  auto admin = person("admin");
  auto lawyer = [](const std::string& licence, const std::string& email) {
    return json::object{{"name", "律师"},
                        {"licence_number", licence},
                        {"id_number", "500103199001011234"},
                        {"phone", "13900000001"},
                        {"email", email}};
  };
  const auto before = last();
  auto none = admin->post(
      "/v1/roster", json::object{{"firm", "某律师事务所"},
                                 {"lawyers", json::array{lawyer("15001201890000001", "bad")}}});
  EXPECT_EQ(none.status, 422u) << none;
  EXPECT_EQ(none.header("content-type"), "application/problem+json");
  EXPECT_EQ(last(), before) << "nothing imported, nothing written";
  auto some =
      admin->post("/v1/roster",
                  json::object{{"firm", "某律师事务所"},
                               {"lawyers", json::array{lawyer("15001201890000002", "b@example.com"),
                                                       lawyer("15001201890000003", "bad")}}});
  EXPECT_EQ(some.status, 207u) << some;
  auto some_json = some.json();
  EXPECT_FALSE(some_json.as_object()["ok"].as_bool());
  const auto& results = some_json.as_object()["results"].as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].as_object().at("status").to_number<unsigned>(), 200u);
  EXPECT_EQ(results[1].as_object().at("status").to_number<unsigned>(), 422u);
  auto all = admin->post(
      "/v1/roster",
      json::object{{"firm", "某律师事务所"},
                   {"lawyers", json::array{lawyer("15001201890000004", "d@example.com")}}});
  EXPECT_EQ(all.status, 200u) << all;
  EXPECT_TRUE(all.json().as_object()["ok"].as_bool());
}

class SmsDeliveryTest : public ApiTest {};

TEST_F(SmsDeliveryTest, RecordSmsDeliveryHonoursIfMatch) {
  auto lawyer = person(std::string(kFiler));
  const auto filing = submitted_filing(*lawyer);
  auto clerk = person("clerk01");
  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  const auto number = accepted.text("case_number");
  settle();
  const std::string c = "/v1/cases/" + url_encode(number);
  ASSERT_EQ(court_system()->post(c + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
  auto judge = person("judge01");
  auto served = judge->post(c + "/services", json::object{{"document_type", "summons"},
                                                          {"title", "开庭传票"},
                                                          {"blob_hash", judge->upload(pdf("传票"))},
                                                          {"recipient_licence_number", kFiler}});
  ASSERT_EQ(served.status, 201u) << served;
  const auto service = served.text("created_id");
  const auto version = served.number("stream_version");
  auto admin = person("admin");
  const auto before = last();
  const json::object report{{"service_id", service}, {"serial", 1}};
  auto stale = admin->post("/v1/outbox/sms/deliveries", report,
                           {{"If-Match", "\"" + std::to_string(version + 7) + "\""}});
  EXPECT_EQ(stale.status, 412u) << stale;
  EXPECT_EQ(last(), before) << "a stale If-Match writes nothing";
  auto current = admin->post("/v1/outbox/sms/deliveries", report,
                             {{"If-Match", "\"" + std::to_string(version) + "\""}});
  EXPECT_EQ(current.status, 200u) << current;
}

}  // namespace
}  // namespace docket::api::testing
