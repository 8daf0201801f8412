// A case under test for the case aggregate's rule tests: principals, a decision context on a
// fixed clock, and a case stream that decides with its own facts and folds its own events
// through evolve.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "docket/domain/case.h"
#include "fake_facts.h"
#include "fake_secrets.h"

namespace docket::domain::case_testing {

inline const testing::FakeSecrets kSecrets;
inline constexpr std::int64_t kDay = 86'400'000'000LL;
inline constexpr std::int64_t kMinute = 60'000'000LL;
inline constexpr std::int64_t kNow = 1'775'000'000'000'000LL;  // 2026-03-31
inline const std::string kCourt = "渝0103";
inline const std::string kHash(64, 'a');

inline Context as(Principal actor, std::int64_t now = kNow) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = std::move(actor);
  ctx.entropy = std::string(16, 'e');
  ctx.secrets = &kSecrets;
  return ctx;
}
inline Principal lawyer(std::string licence) {
  return {std::move(licence), Role::kLawyer, ""};
}
inline Principal judge(std::string id = "J001") {
  return {std::move(id), Role::kJudge, kCourt};
}
inline Principal court_system() {
  return {"cms", Role::kCourtSystem, kCourt};
}
inline Principal system_actor() {
  return {"docket", Role::kSystem, ""};
}

// A case stream under test: decides with `facts` (the lawyers' accounts, and the credential store
// its decisions write to), and folds the emitted events through CaseAggregate::evolve.
struct CaseUnderTest {
  CaseState state = CaseAggregate::initial();
  std::vector<EventData> events;
  testing::FakeFacts facts;

  Outcome run(const CaseCommand& command, const Context& ctx) {
    Outcome outcome = CaseAggregate::decide(state, command, testing::reading(facts, ctx));
    if (outcome) {
      facts.keep_credentials(*outcome);
      for (const auto& event : outcome->events)
        apply(event);
    }
    return outcome;
  }
  void apply(const EventData& event) {
    events.push_back(event);
    const EventData& kept = events.back();
    CaseAggregate::evolve(state, StoredEvent{"case-test", kept.type, kept.schema_version,
                                             kept.payload, events.size(), events.size(), kNow});
  }
};

// Case N1 with plaintiff p1 (agent L1) and defendant p2 (agent L2), judge J001; both agents have
// accounts.
inline CaseUnderTest registered_case() {
  RegisterCase r;
  r.case_number = "N1";
  r.court = kCourt;
  r.category = "民初";
  r.judge = "J001";
  r.accepted_on_us = kNow - kDay;
  r.parties = {CaseParty{"p1", "张三", CasePartyKind::kNaturalPerson, CasePartyRole::kPlaintiff,
                         "500101199001011234", std::nullopt},
               CaseParty{"p2", "李四", CasePartyKind::kNaturalPerson, CasePartyRole::kDefendant,
                         "500101199001015678", std::nullopt}};
  r.agents = {CaseAgent{"L1", "ID-L1", "李律师", "甲律所", {"p1"}},
              CaseAgent{"L2", "ID-L2", "王律师", "乙律所", {"p2"}}};
  CaseUnderTest c;
  c.facts.add_lawyer("L1", "李律师", "甲律所", "ID-L1", "13800000001");
  c.facts.add_lawyer("L2", "王律师", "乙律所", "ID-L2", "13800000002");
  EXPECT_TRUE(c.run(r, as(system_actor())));
  return c;
}

inline std::vector<std::string> types(const Outcome& outcome) {
  std::vector<std::string> out;
  for (const auto& event : outcome->events)
    out.push_back(event.type);
  return out;
}

inline std::vector<std::string> fields(const Rejection& rejection) {
  std::vector<std::string> out;
  for (const auto& violation : rejection.violations)
    out.push_back(violation.field);
  return out;
}

}  // namespace docket::domain::case_testing
