// Opens an EventStore in a temporary directory on a manual clock, for engine tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "docket/engine/event_store.h"
#include "temp_dir.h"

namespace docket::testing {

inline engine::ProposedEvent event(std::string type, std::string payload = "{}") {
  engine::ProposedEvent e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

inline engine::AppendRequest request(std::string stream, engine::ExpectedVersion expected,
                                     std::vector<engine::ProposedEvent> events) {
  engine::AppendRequest r;
  r.stream = std::move(stream);
  r.expected = expected;
  r.events = std::move(events);
  r.actor = {"tester", "system"};
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen(engine::StoreOptions options = {}) {
    store_.reset();
    options.path = dir_.sub("store");
    options.clock = &clock_;
    auto opened = engine::EventStore::open(options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  engine::EventStore& store() { return *store_; }

  TempDir dir_;
  engine::ManualClock clock_;
  std::unique_ptr<engine::EventStore> store_;
};

}  // namespace docket::testing
