// A full disk over HTTP: a write answers 503 problem+json with Retry-After, reads go on,
// /healthz and /metrics say why, and writes come back by themselves once there is room.
#include <gtest/gtest.h>

#include <thread>

#include "../engine/full_disk_file_system.h"
#include "api_fixture.h"

namespace docket::api::testing {
namespace {

class FullDiskApiTest : public ApiTest {
 protected:
  void adjust_store_options(engine::StoreOptions& options) override {
    options.file_system = disk_;
    options.recovery_interval = std::chrono::milliseconds(20);
    options.resume_free_bytes = 0;
  }

  std::shared_ptr<docket::testing::FullDiskFileSystem> disk_ =
      std::make_shared<docket::testing::FullDiskFileSystem>();
};

TEST_F(FullDiskApiTest, AWriteOnAFullDiskGets503ReadsGoOnAndHealthSaysWhy) {
  auto filer = person(std::string(kFiler));
  ASSERT_TRUE(filer);
  auto before = filer->post("/v1/filings", json::object{}, {{"Idempotency-Key", "full-0"}});
  ASSERT_EQ(before.status, 201u) << before;

  disk_->full = true;
  auto refused = filer->post("/v1/filings", json::object{}, {{"Idempotency-Key", "full-1"}});
  EXPECT_EQ(refused.status, 503u) << refused;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  EXPECT_EQ(refused.text("code"), "unavailable");
  EXPECT_FALSE(refused.header("retry-after").empty());

  auto read = filer->get("/v1/me/filings");
  EXPECT_EQ(read.status, 200u) << read;

  auto anon = anonymous();
  auto health = anon->get("/healthz");
  EXPECT_EQ(health.status, 503u) << health;
  EXPECT_EQ(health.text("status"), "read_only");
  const auto store = health.json().as_object().at("store").as_object();
  EXPECT_FALSE(store.at("writable").as_bool());
  EXPECT_NE(std::string(store.at("reason").as_string()).find("no space"), std::string::npos)
      << health;
  auto metrics = anon->get("/metrics");
  EXPECT_NE(metrics.body.find("\ndocket_store_writable 0\n"), std::string::npos);

  disk_->full = false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (anon->get("/healthz").status != 200u && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto after = filer->post("/v1/filings", json::object{}, {{"Idempotency-Key", "full-1"}});
  EXPECT_EQ(after.status, 201u) << after;
  EXPECT_NE(anon->get("/metrics").body.find("\ndocket_store_writable 1\n"), std::string::npos);
}

}  // namespace
}  // namespace docket::api::testing
