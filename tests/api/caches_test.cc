// The in-memory caches that grow with the data stay within their byte bounds, as /metrics
// reports them: the session cache and the store writer's cache of stream heads. What falls out
// of a cache is read back from the store, so nothing a client holds stops working.
#include <string>
#include <vector>

#include "api_fixture.h"

namespace docket::api::testing {
namespace {

constexpr std::size_t kSessionCacheBytes = 4096;
constexpr std::size_t kHeadCacheBytes = 4096;

class CachesTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto o = ApiTest::server_options();
    o.session_cache_bytes = kSessionCacheBytes;
    return o;
  }
  void adjust_store_options(engine::StoreOptions& options) override {
    options.head_cache_bytes = kHeadCacheBytes;
  }

  // The value of an unlabelled sample in /metrics; -1 when it is missing.
  double metric(const std::string& name) {
    const auto body = anonymous()->get("/metrics").body;
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos)
      return -1;
    return std::stod(body.substr(at + name.size() + 2));
  }
};

TEST_F(CachesTest, TheSessionCacheStaysWithinItsByteBound) {
  auto first = person("clerk01");  // changes the first password
  std::vector<std::string> tokens;
  for (int i = 0; i < 60; ++i) {
    auto c = anonymous();
    auto r = c->post("/v1/sessions",
                     json::object{{"login", "clerk01"}, {"password", "changed-clerk01"}});
    ASSERT_EQ(r.status, 201u) << r;
    tokens.push_back(r.text("token"));
    EXPECT_LE(metric("docket_session_cache_bytes"), static_cast<double>(kSessionCacheBytes));
  }
  EXPECT_GT(metric("docket_session_cache_entries"), 0);
  EXPECT_LT(metric("docket_session_cache_entries"), 60) << "the byte bound evicted some";
  for (const auto& token : tokens) {
    Client c(port());
    c.bearer = token;
    EXPECT_EQ(c.get("/v1/me").status, 200u) << "an evicted session is read from the store";
  }
  EXPECT_LE(metric("docket_session_cache_bytes"), static_cast<double>(kSessionCacheBytes));
  // Ending a principal's sessions ends the cached ones too.
  auto admin = person("admin");
  ASSERT_EQ(admin->post("/v1/staff/clerk01/deactivate").status, 200u);
  for (const auto& token : tokens) {
    Client c(port());
    c.bearer = token;
    EXPECT_EQ(c.get("/v1/me").status, 401u);
  }
}

TEST_F(CachesTest, TheHeadCacheStaysWithinItsByteBound) {
  auto lawyer = person(std::string(kFiler));
  for (int i = 0; i < 40; ++i) {
    auto r = lawyer->post("/v1/filings", json::object{},
                          {{"Idempotency-Key", "cache-filing-" + std::to_string(i)}});
    ASSERT_EQ(r.status, 201u) << r;
    EXPECT_LE(metric("docket_store_head_cache_bytes"), static_cast<double>(kHeadCacheBytes));
  }
  EXPECT_GT(metric("docket_store_head_cache_entries"), 0);
  EXPECT_LT(metric("docket_store_head_cache_entries"), 40);
}

}  // namespace
}  // namespace docket::api::testing
