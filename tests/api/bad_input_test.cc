// Bad input gets a clear 4xx as application/problem+json and changes nothing: malformed JSON,
// wrong types, missing fields, oversized bodies and headers, unknown routes, a stale If-Match,
// a repeated Idempotency-Key, a bad callback signature, too many failed logins.
#include "api_fixture.h"
#include "docket/app/secrets.h"

namespace docket::api::testing {
namespace {

class BadInputTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto options = ApiTest::server_options();
    options.http.body_limit = 64u << 10;
    options.http.header_limit = 8u << 10;
    return options;
  }

  void SetUp() override {
    ApiTest::SetUp();
    lawyer_ = person(std::string(kFiler));
  }

  // Sends and checks a problem reply of `status` that wrote nothing.
  Reply refused(Client& client, beast::http::verb method, const std::string& target,
                const std::string& body, unsigned status, Headers headers = {}) {
    const auto before = last();
    bool keyed = false;
    for (const auto& [k, v] : headers)
      keyed = keyed || k == "Idempotency-Key";
    if (!keyed && method == beast::http::verb::post)
      headers.emplace_back("Idempotency-Key", "bad-" + std::to_string(++n_));
    auto reply = client.send(method, target, body, headers);
    EXPECT_EQ(reply.status, status) << target << ": " << reply;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << reply;
    auto v = reply.json();
    EXPECT_TRUE(v.is_object()) << reply;
    if (v.is_object()) {
      for (const auto* key : {"type", "title", "status", "detail", "code", "violations"})
        EXPECT_TRUE(v.as_object().contains(key)) << key << " missing in " << reply;
      EXPECT_EQ(v.as_object()["status"].to_number<unsigned>(), status);
      EXPECT_EQ(reply.text("detail").rfind("Expected ", 0), 0u) << reply;
    }
    EXPECT_EQ(last(), before) << target << " wrote something";
    return reply;
  }

  std::unique_ptr<Client> lawyer_;
  int n_ = 0;
};

TEST_F(BadInputTest, MalformedJsonIsA400) {
  auto r =
      refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", "{\"starts_at_us\": ", 400);
  EXPECT_EQ(r.text("code"), "bad_request");
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", "[1, 2, 3]", 400);
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", "\"text\"", 400);
}

// A member named twice would be read as its last value here and maybe its first elsewhere.
TEST_F(BadInputTest, AMemberNamedTwiceIsA400) {
  const std::string entry =
      "\"ends_at_us\": 1800000360000000, \"can_appear_in_court\": false, \"text\": \"x\"";
  auto r = refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule",
                   "{\"starts_at_us\": 1800000000000000, \"starts_at_us\": 1, " + entry + "}", 400);
  EXPECT_NE(r.text("detail").find("starts_at_us"), std::string::npos) << r;
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule",
          "{\"starts_at_us\": 1800000000000000, \"\\u0073tarts_at_us\": 1, " + entry + "}", 400);
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule",
          "{\"starts_at_us\": 1800000000000000, " + entry + ", \"x\": [{\"a\": 1, \"a\": 2}]}",
          400);
  // The same name in sibling objects is fine.
  auto ok =
      lawyer_->post("/v1/me/schedule", json::parse("{\"starts_at_us\": 1800000000000000, " + entry +
                                                   ", \"x\": [{\"a\": 1}, {\"a\": 2}]}"));
  EXPECT_EQ(ok.status, 201u) << ok;
}

TEST_F(BadInputTest, WrongTypesAreA400ListingEveryField) {
  auto r =
      refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule",
              R"({"starts_at_us": "soon", "ends_at_us": true, "can_appear_in_court": 1})", 400);
  const auto body = r.json();
  const auto& violations = body.as_object().at("violations").as_array();
  ASSERT_EQ(violations.size(), 3u) << r;
  EXPECT_EQ(violations[0].as_object().at("field").as_string(), "starts_at_us");
  const auto filing = lawyer_->post("/v1/filings").text("created_id");
  refused(*lawyer_, beast::http::verb::post, "/v1/filings/" + filing + "/parties",
          R"({"parties": [{"party_id": "p1", "standing": "judge", "kind": "natural_person",
               "name": "x"}]})",
          400);
}

TEST_F(BadInputTest, MissingFieldsAreA422ListingEveryField) {
  auto r = refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", "{}", 422);
  EXPECT_EQ(r.text("code"), "validation");
  EXPECT_EQ(r.json().as_object()["violations"].as_array().size(), 3u) << r;
}

TEST_F(BadInputTest, ADecidersValidationIsA422WithEveryViolation) {
  auto started = lawyer_->post("/v1/filings");
  ASSERT_EQ(started.status, 201u);
  auto r = refused(*lawyer_, beast::http::verb::post,
                   "/v1/filings/" + started.text("created_id") + "/submit", "{}", 422);
  EXPECT_EQ(r.text("code"), "validation");
  EXPECT_GT(r.json().as_object()["violations"].as_array().size(), 3u) << r;
}

TEST_F(BadInputTest, AnOversizedBodyIsA413AndAnOversizedHeaderA431) {
  const std::string big(100u << 10, 'x');
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", big, 413);
  refused(*lawyer_, beast::http::verb::get, "/v1/me/home", "", 431,
          {{"X-Padding", std::string(16u << 10, 'y')}});
  EXPECT_EQ(lawyer_->get("/v1/me/home").status, 200u) << "a new connection works";
}

TEST_F(BadInputTest, AnUnknownRouteIsA404AndAWrongMethodA405) {
  refused(*lawyer_, beast::http::verb::get, "/v1/nothing-here", "", 404);
  refused(*lawyer_, beast::http::verb::get, "/v1/filings/f1/submit", "", 405);
  auto r = lawyer_->send(beast::http::verb::put, "/v1/me/schedule", "{}");
  EXPECT_EQ(r.status, 405u);
  EXPECT_NE(r.header("allow").find("POST"), std::string::npos) << r.header("allow");
  refused(*lawyer_, beast::http::verb::get, "/v1/cases/%zz", "", 404);
}

TEST_F(BadInputTest, AStaleIfMatchIsA412AndWritesNothing) {
  auto first =
      lawyer_->post("/v1/me/schedule", json::object{{"starts_at_us", 1'900'000'000'000'000},
                                                    {"ends_at_us", 1'900'000'360'000'000},
                                                    {"can_appear_in_court", true}});
  ASSERT_EQ(first.status, 201u) << first;
  const auto version = first.number("stream_version");
  const std::string body =
      R"({"starts_at_us": 1900000000000000, "ends_at_us": 1900000360000000, "can_appear_in_court": true})";
  auto r = refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", body, 412,
                   {{"If-Match", "\"" + std::to_string(version - 1) + "\""}});
  EXPECT_EQ(r.text("code"), "precondition_failed");
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule", body, 400,
          {{"If-Match", "not-a-version"}});
  auto current = lawyer_->post("/v1/me/schedule", json::parse(body),
                               {{"If-Match", "\"" + std::to_string(version) + "\""}});
  EXPECT_EQ(current.status, 201u) << current;
}

TEST_F(BadInputTest, ARepeatedIdempotencyKeyReturnsTheFirstResultAndWritesNothing) {
  const json::value body = json::object{{"starts_at_us", 1'900'000'000'000'000},
                                        {"ends_at_us", 1'900'000'360'000'000},
                                        {"can_appear_in_court", false}};
  auto first = lawyer_->post("/v1/me/schedule", body, {{"Idempotency-Key", "same"}});
  ASSERT_EQ(first.status, 201u) << first;
  const auto before = last();
  auto again = lawyer_->post("/v1/me/schedule", body, {{"Idempotency-Key", "same"}});
  EXPECT_EQ(again.status, 201u) << again;
  EXPECT_EQ(again.number("position"), first.number("position"));
  EXPECT_EQ(again.number("stream_version"), first.number("stream_version"));
  EXPECT_TRUE(again.json().as_object()["deduplicated"].as_bool());
  EXPECT_EQ(last(), before);
  // The key is the caller's own: another lawyer's same key is a new request.
  auto other = person(std::string(kCoAgent));
  auto theirs = other->post("/v1/me/schedule", body, {{"Idempotency-Key", "same"}});
  EXPECT_FALSE(theirs.json().as_object()["deduplicated"].as_bool()) << theirs;
}

TEST_F(BadInputTest, APostThatWritesNeedsAnIdempotencyKey) {
  refused(*lawyer_, beast::http::verb::post, "/v1/me/schedule",
          R"({"starts_at_us": 1, "ends_at_us": 2, "can_appear_in_court": true})", 400,
          {{"Idempotency-Key", ""}});
}

TEST_F(BadInputTest, ABadCallbackSignatureIsA401AndChangesNothing) {
  const std::string body =
      R"({"filing_id": "f1", "attempt": 1, "transaction_id": "t1", "amount_fen": 100})";
  auto provider = anonymous();
  refused(*provider, beast::http::verb::post, "/v1/payments/callback", body, 401,
          {{"X-Payment-Signature", std::string(64, '0')}});
  refused(*provider, beast::http::verb::post, "/v1/payments/callback", body, 401, {});
  // A signature of another body does not sign this one.
  refused(*provider, beast::http::verb::post, "/v1/payments/callback", body, 401,
          {{"X-Payment-Signature",
            app::SodiumSecrets::hmac_sha256_hex(std::string(kPaymentSecret), body + " ")}});
  // A well-signed callback about no notice is refused by the domain, still writing nothing.
  auto r = refused(*provider, beast::http::verb::post, "/v1/payments/callback", body, 404,
                   {{"X-Payment-Signature",
                     app::SodiumSecrets::hmac_sha256_hex(std::string(kPaymentSecret), body)}});
  EXPECT_EQ(r.text("code"), "not_found");
}

TEST_F(BadInputTest, FiveFailedLoginsLockTheAccountForFifteenMinutes) {
  auto c = anonymous();
  const std::string login(kCoAgent);
  for (int i = 0; i < 5; ++i) {
    auto r = c->post("/v1/sessions", json::object{{"login", login}, {"password", "wrong"}});
    EXPECT_EQ(r.status, 401u) << r;
  }
  auto locked = c->post("/v1/sessions", json::object{{"login", login}, {"password", login}});
  EXPECT_EQ(locked.status, 429u) << "even the right password, while locked";
  EXPECT_FALSE(locked.header("retry-after").empty());
  clock_.advance(15LL * 60 * 1'000'000 + 1);
  auto open = c->post("/v1/sessions", json::object{{"login", login}, {"password", login}});
  EXPECT_EQ(open.status, 201u) << open;
}

TEST_F(BadInputTest, UploadsAreLimitedByTypeAndSizeAndAttachOnlyTheCallersOwnFiles) {
  refused(*lawyer_, beast::http::verb::post, "/v1/blobs", "MZ\x90", 415,
          {{"Content-Type", "application/x-msdownload"}});
  refused(*lawyer_, beast::http::verb::post, "/v1/blobs", "", 422,
          {{"Content-Type", "application/pdf"}});
  auto other = person(std::string(kCoAgent));
  const auto theirs = other->upload(pdf("their file"));
  auto started = lawyer_->post("/v1/filings");
  ASSERT_EQ(started.status, 201u);
  auto r = refused(
      *lawyer_, beast::http::verb::post, "/v1/filings/" + started.text("created_id") + "/materials",
      json::serialize(json::object{
          {"materials", json::array{json::object{{"material_id", "m1"},
                                                 {"material_type", "complaint"},
                                                 {"blob_hashes", json::array{theirs}}}}}}),
      422);
  EXPECT_EQ(r.json().as_object()["violations"].as_array().size(), 1u) << r;
}

}  // namespace
}  // namespace docket::api::testing
