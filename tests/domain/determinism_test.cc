// Determinism of the case and service aggregates: for many seeded random command sequences,
// deciding is reproducible and folding the emitted events from scratch gives exactly the state
// the decider saw; events written with an older schema version still replay.
#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "case_generated.h"
#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"
#include "fake_facts.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

const testing::FakeSecrets kSecrets;
constexpr std::int64_t kMinute = 60'000'000LL;
constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kNow = 1'775'000'000'000'000LL;  // 2026-03-31
const std::string kCourt = "渝0103";
const std::string kHash(64, 'c');

constexpr int kSequences = 150;
constexpr int kStepsPerSequence = 200;

Context as(Principal actor, std::int64_t now) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = std::move(actor);
  ctx.entropy = std::string(16, 'e');
  ctx.secrets = &kSecrets;
  return ctx;
}

// What the commands read: the accounts of L1, L2 (agents of case N1) and L9 (who may bind it);
// case N1 of court kCourt with judge J001, where L1 represents p1, who consents to electronic
// service, and L2 represents p2, who does not; the court, whose policy forbids serving judgments
// electronically and gives SMS keys 30 minutes. The credential store starts empty.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  facts.add_lawyer("L1", "律师一", "所一", "a1", "138");
  facts.add_lawyer("L2", "律师二", "所二", "a2", "139");
  facts.add_lawyer("L9", "名", "所", "id9", "137");
  CourtState& court = facts.add_court(kCourt);
  court.policy.no_electronic_service_document_types = {"judgment"};
  court.policy.sms_key_validity_us = 30 * kMinute;
  CaseState& kase = facts.cases["N1"];
  kase.exists = true;
  kase.case_number = "N1";
  kase.court = kCourt;
  kase.judge = "J001";
  kase.parties = {CaseParty{"p1", "甲", CasePartyKind::kNaturalPerson, CasePartyRole::kPlaintiff,
                            "id1", std::nullopt},
                  CaseParty{"p2", "乙", CasePartyKind::kLegalPerson, CasePartyRole::kDefendant,
                            "id2", std::nullopt}};
  kase.parties[0].electronic_service_consent = true;
  kase.agents = {CaseAgent{"L1", "a1", "律师一", "所一", {"p1"}},
                 CaseAgent{"L2", "a2", "律师二", "所二", {"p2"}}};
  return facts;
}

// A small random toolbox over a seeded engine, so every run draws the same sequences.
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  bool coin() { return below(2) == 0; }
  template <class T>
  const T& pick(const std::vector<T>& options) {
    return options[below(options.size())];
  }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(high - low + 1));
  }

 private:
  std::mt19937_64 rng_;
};

Principal random_actor(Draw& d) {
  static const std::vector<Principal> kActors = {
      {"L1", Role::kLawyer, ""},      {"L2", Role::kLawyer, ""},
      {"L9", Role::kLawyer, ""},      {"J001", Role::kJudge, kCourt},
      {"J002", Role::kJudge, kCourt}, {"cms", Role::kCourtSystem, kCourt},
      {"docket", Role::kSystem, ""},  {"cms5", Role::kCourtSystem, "渝0105"},
  };
  return d.pick(kActors);
}

enum class Side { kJudge, kLawyer, kBinder, kSystem };

// Mostly an actor of the side that may give the command, so sequences get far; sometimes anyone.
Principal fitting_actor(Draw& d, Side side) {
  if (d.below(5) == 0)
    return random_actor(d);
  switch (side) {
    case Side::kJudge:
      return d.coin() ? Principal{"J001", Role::kJudge, kCourt}
                      : Principal{"cms", Role::kCourtSystem, kCourt};
    case Side::kLawyer:
      return Principal{d.coin() ? "L1" : "L2", Role::kLawyer, ""};
    case Side::kBinder:
      return Principal{"L9", Role::kLawyer, ""};
    case Side::kSystem:
      break;
  }
  return Principal{"docket", Role::kSystem, ""};
}

Side side_of(const CaseCommand& command) {
  return std::visit(
      [](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, RegisterCase> ||
                      std::is_same_v<C, EvidenceExchangeDeadlineReached> ||
                      std::is_same_v<C, WithdrawCase>) {
          return Side::kSystem;
        } else if constexpr (std::is_same_v<C, BindLegacyCase>) {
          return Side::kBinder;
        } else if constexpr (std::is_same_v<C, RecordOnlineHearingConsent> ||
                             std::is_same_v<C, RequestHearingAvoidance> ||
                             std::is_same_v<C, AddEvidenceItem> ||
                             std::is_same_v<C, RemoveEvidenceItems> ||
                             std::is_same_v<C, SubmitEvidenceBatch> ||
                             std::is_same_v<C, OpenEvidenceExchange> ||
                             std::is_same_v<C, AnswerEvidenceExchange> ||
                             std::is_same_v<C, ApplyForFileReview> ||
                             std::is_same_v<C, RecordFileReviewAccess> ||
                             std::is_same_v<C, SendMessageToJudge>) {
          return Side::kLawyer;
        } else {
          return Side::kJudge;
        }
      },
      command);
}

Side side_of(const ServiceCommand& command) {
  if (std::holds_alternative<ServeDocument>(command))
    return Side::kJudge;
  if (std::holds_alternative<RecordSmsDelivery>(command))
    return Side::kSystem;
  return Side::kLawyer;
}

const std::vector<std::string> kIds = {"1", "2"};
const std::vector<std::string> kParties = {"p1", "p2", "p9"};
const std::vector<std::string> kLicences = {"L1", "L2", "L9"};
const std::vector<std::string> kTexts = {"", "reason", "另一个理由", "r"};

std::string hash_or_bad(Draw& d) {
  return d.below(5) == 0 ? "bad" : kHash;
}

RegisterCase random_registration(Draw& d) {
  RegisterCase r;
  r.case_number = "N1";
  r.court = kCourt;
  r.category = "民初";
  r.judge = "J001";
  r.accepted_on_us = d.coin() ? kNow - kDay : CaseAggregate::kLegacyCutoffUs - kDay;
  r.parties = {CaseParty{"p1", "甲", CasePartyKind::kNaturalPerson, CasePartyRole::kPlaintiff,
                         "id1", std::nullopt},
               CaseParty{"p2", "乙", CasePartyKind::kLegalPerson, CasePartyRole::kDefendant, "id2",
                         std::nullopt}};
  r.agents = {CaseAgent{"L1", "a1", "律师一", "所一", {"p1"}},
              CaseAgent{"L2", "a2", "律师二", "所二", {"p2"}}};
  r.query_code = "code";
  r.password = "secret";
  return r;
}

CaseCommand random_case_command(Draw& d, std::int64_t now) {
  const std::string id = d.pick(kIds);
  const std::string text = d.pick(kTexts);
  const auto when = [&] { return now + d.between(-kDay, 6 * kDay); };
  const auto minutes = [&] { return static_cast<std::uint32_t>(d.below(3) * 45); };
  switch (d.below(29)) {
    case 0:
      return random_registration(d);
    case 1:
      return AssignJudge{d.coin() ? "J001" : "J002"};
    case 2:
      return BindLegacyCase{d.coin() ? "code" : "nope", d.coin() ? "secret" : "nope"};
    case 3:
      return RecordOnlineHearingConsent{d.pick(kParties), d.coin()};
    case 4:
      return ScheduleHearing{"H" + id, when(), minutes(), text, d.below(4) == 0, "room"};
    case 5:
      return RescheduleHearing{"H" + id, when(), minutes(), text, d.below(4) == 0, "", text};
    case 6:
      return HoldHearing{"H" + id};
    case 7:
      return CancelHearing{"H" + id, text};
    case 8:
      return RecordHearingAbsence{"H" + id, d.pick(kParties),
                                  static_cast<HearingAbsenceKind>(d.below(2)),
                                  static_cast<HearingAbsenceCause>(d.below(6)), text};
    case 9:
      return RequestHearingAvoidance{"H" + id, "R" + d.pick(kIds), text};
    case 10:
      return GrantHearingAvoidance{"H" + id, "R" + d.pick(kIds), when(), minutes(), text};
    case 11:
      return RefuseHearingAvoidance{"H" + id, "R" + d.pick(kIds), text};
    case 12:
    case 13:
      return AddEvidenceItem{"B" + id, "E" + d.pick(kIds), text, hash_or_bad(d), text};
    case 14:
      return RemoveEvidenceItems{"B" + id, {"E" + d.pick(kIds), "E" + d.pick(kIds)}};
    case 15:
      return SubmitEvidenceBatch{"B" + id};
    case 16:
      return MarkEvidenceItem{"B" + id, "E" + d.pick(kIds),
                              static_cast<EvidenceItemMark>(d.below(3)), text};
    case 17:
      return SendEvidenceForExchange{"X" + id,
                                     d.pick(kLicences),
                                     {EvidenceExchangeItemToSend{"I1", "t", hash_or_bad(d)},
                                      EvidenceExchangeItemToSend{"I2", "t", kHash}},
                                     when()};
    case 18:
      return OpenEvidenceExchange{"X" + id};
    case 19:
      return AnswerEvidenceExchange{
          "X" + id,
          {{"I1", static_cast<EvidenceExchangeResult>(d.below(3)), text},
           {d.coin() ? "I2" : "I3", static_cast<EvidenceExchangeResult>(d.below(3)), text}}};
    case 20:
      return EvidenceExchangeDeadlineReached{"X" + id};
    case 21:
      return AddCaseFileMaterial{"D" + id, d.coin() ? "title" : "", hash_or_bad(d)};
    case 22:
      return ApplyForFileReview{"A" + id, text};
    case 23:
      return ApproveFileReview{"A" + id, {"D" + d.pick(kIds)}, now - kDay, when()};
    case 24:
      return RefuseFileReview{"A" + id, text};
    case 25:
      return RecordFileReviewAccess{"A" + id, "D" + d.pick(kIds)};
    case 26:
      return SendMessageToJudge{"M" + id, text, text, {CaseAttachment{"f", hash_or_bad(d)}}};
    case 27:
      return d.coin() ? CaseCommand{MarkMessageRead{"M" + id}}
                      : CaseCommand{ReplyToMessage{"M" + id, text, {}}};
    default:  // rare, since an ended case takes little more
      if (d.below(8) != 0)
        return HoldHearing{"H" + id};
      return d.coin() ? CaseCommand{WithdrawCase{text, "payment-1"}} : CaseCommand{CloseCase{text}};
  }
}

ServiceCommand random_service_command(Draw& d, std::int64_t now) {
  (void)now;
  switch (d.below(8)) {
    case 0: {
      ServeDocument s;
      s.service_id = "S1";
      s.case_number = d.below(8) != 0 ? "N1" : "N2";  // N2 is not registered
      s.document_type = d.coin() ? "notice" : "judgment";
      s.title = "title";
      s.blob_hash = kHash;
      // Mostly L1, who consented; sometimes L2, who did not, or L9, no agent of the case.
      s.recipient_licence = d.pick<std::string>({"L1", "L1", "L2", "L9"});
      return s;
    }
    case 1:
      return RecordSmsDelivery{static_cast<std::uint32_t>(d.below(3))};
    case 2:
      return OpenServiceNotice{};
    case 3:
      return ResendSmsKey{};
    case 4:
    case 5: {
      const auto serial = static_cast<std::uint32_t>(1 + d.below(3));
      return SignForReceipt{d.coin() ? kSecrets.sms_key("service-S1", serial) : "000000"};
    }
    default:
      return DownloadDocument{};
  }
}

// A cereal-shaped archive that renders a state through its serialize() members, the way the
// engine snapshots it. Used to check that serialize() lists every field: whenever a state changes
// (by its defaulted operator==), its rendering must change too.
class Render {
 public:
  template <class... Ts>
  void operator()(Ts&... values) {
    (put(values), ...);
  }
  const std::string& text() const { return text_; }

 private:
  template <class T>
  struct IsOptional : std::false_type {};
  template <class T>
  struct IsOptional<std::optional<T>> : std::true_type {};
  template <class T>
  struct IsVector : std::false_type {};
  template <class T>
  struct IsVector<std::vector<T>> : std::true_type {};
  template <class T>
  struct IsMap : std::false_type {};
  template <class K, class V>
  struct IsMap<std::map<K, V>> : std::true_type {};

  template <class T>
  void put(T& value) {
    if constexpr (requires { value.serialize(*this); }) {
      text_ += "{";
      value.serialize(*this);
      text_ += "}";
    } else if constexpr (std::is_same_v<T, std::string>) {
      text_ += std::to_string(value.size()) + ":" + value + ";";
    } else if constexpr (std::is_enum_v<T>) {
      text_ += std::to_string(static_cast<long long>(value)) + ";";
    } else if constexpr (std::is_arithmetic_v<T>) {
      text_ += std::to_string(value) + ";";
    } else if constexpr (IsOptional<T>::value) {
      text_ += value ? "?" : "-";
      if (value) {
        put(*value);
      }
    } else if constexpr (IsVector<T>::value) {
      text_ += "[" + std::to_string(value.size()) + "]";
      for (auto& item : value) {
        put(item);
      }
    } else if constexpr (IsMap<T>::value) {
      text_ += "<" + std::to_string(value.size()) + ">";
      for (auto& [key, item] : value) {
        std::string k = key;
        put(k);
        put(item);
      }
    } else {
      static_assert(sizeof(T) == 0, "a state field of an unsupported type");
    }
  }

  std::string text_;
};

template <class State>
std::string render(State state) {
  Render archive;
  state.serialize(archive);
  return archive.text();
}

// Folds `events` from scratch. Each payload is copied to an odd address first, as a log may hand
// it over, so appliers must not depend on where the bytes sit.
template <class Aggregate>
typename Aggregate::State fold(const std::vector<EventData>& events, std::string_view stream) {
  typename Aggregate::State state = Aggregate::initial();
  std::uint64_t version = 0;
  for (const auto& event : events) {
    std::string shifted = "#" + event.payload;
    StoredEvent stored{stream,
                       event.type,
                       event.schema_version,
                       std::string_view(shifted).substr(1),
                       ++version,
                       1000 + version,
                       kNow};
    Aggregate::evolve(state, stored);
  }
  return state;
}

bool same_decision(const Outcome& a, const Outcome& b) {
  if (a.has_value() != b.has_value())
    return false;
  if (!a) {
    return a.error().code == b.error().code && a.error().message == b.error().message &&
           a.error().violations == b.error().violations;
  }
  if (a->events.size() != b->events.size() || a->timers_to_cancel != b->timers_to_cancel ||
      a->timers_to_set.size() != b->timers_to_set.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a->events.size(); ++i) {
    const auto& x = a->events[i];
    const auto& y = b->events[i];
    if (x.type != y.type || x.schema_version != y.schema_version || x.payload != y.payload) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a->timers_to_set.size(); ++i) {
    const auto& x = a->timers_to_set[i];
    const auto& y = b->timers_to_set[i];
    if (x.id != y.id || x.due_at_us != y.due_at_us || x.stream != y.stream ||
        x.command_type != y.command_type || x.payload != y.payload) {
      return false;
    }
  }
  return true;
}

// Runs random sequences against Aggregate; returns the event types emitted, so the caller can
// check the sequences reached far into the aggregate's life.
template <class Aggregate, class Generate>
std::set<std::string> check_random_sequences(std::string_view stream, std::uint64_t seed_base,
                                             std::int64_t max_step_us, Generate generate) {
  std::set<std::string> emitted;
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    Draw d(seed_base + static_cast<std::uint64_t>(sequence));
    testing::FakeFacts facts = world();
    typename Aggregate::State seen = Aggregate::initial();
    std::string seen_rendered = render(seen);
    std::vector<EventData> log;
    std::int64_t now = kNow;
    for (int step = 0; step < kStepsPerSequence; ++step) {
      now += d.between(0, max_step_us);
      const typename Aggregate::Command command =
          step == 0 ? generate(d, now, true) : generate(d, now, false);
      Context ctx = as(
          step == 0 ? Principal{"docket", Role::kSystem, ""} : fitting_actor(d, side_of(command)),
          now);
      ctx.facts = &facts;
      const Outcome outcome = Aggregate::decide(seen, command, ctx);
      if (!same_decision(outcome, Aggregate::decide(seen, command, ctx))) {
        ADD_FAILURE() << "decision not reproducible: seed " << seed_base + sequence << " step "
                      << step;
        return emitted;
      }
      if (!outcome) {
        continue;
      }
      facts.keep_credentials(*outcome);
      const typename Aggregate::State before = seen;
      for (const auto& event : outcome->events) {
        log.push_back(event);
        const EventData& kept = log.back();
        Aggregate::evolve(seen, StoredEvent{stream, kept.type, kept.schema_version, kept.payload,
                                            log.size(), log.size(), now});
      }
      for (const auto& event : outcome->events) {
        emitted.insert(event.type);
      }
      const typename Aggregate::State folded = fold<Aggregate>(log, stream);
      if (!(folded == seen) || render(folded) != render(seen)) {
        ADD_FAILURE() << "fold differs from the decided state: seed " << seed_base + sequence
                      << " step " << step;
        return emitted;
      }
      if (!(seen == before) && render(seen) == seen_rendered) {
        ADD_FAILURE() << "state changed but its serialize() rendering did not (a field missing "
                         "from serialize?): seed "
                      << seed_base + sequence << " step " << step;
        return emitted;
      }
      seen_rendered = render(seen);
    }
  }
  return emitted;
}

TEST(DeterminismTest, CaseEventsFoldedFromScratchGiveTheStateTheDeciderSaw) {
  const std::set<std::string> emitted = check_random_sequences<CaseAggregate>(
      "case-N1", 20260401, kDay / 2, [](Draw& d, std::int64_t now, bool first) -> CaseCommand {
        if (first)
          return random_registration(d);
        return random_case_command(d, now);
      });
  EXPECT_GE(emitted.size(), 30u) << ::testing::PrintToString(emitted);
}

TEST(DeterminismTest, ServiceEventsFoldedFromScratchGiveTheStateTheDeciderSaw) {
  const std::set<std::string> emitted = check_random_sequences<ServiceAggregate>(
      "service-S1", 20260402, 2 * kMinute, [](Draw& d, std::int64_t now, bool) -> ServiceCommand {
        return random_service_command(d, now);
      });
  EXPECT_EQ(emitted.size(), 10u) << ::testing::PrintToString(emitted);
}

// ----- schema versions --------------------------------------------------------------------------

template <class NativeT>
std::string payload_of(const NativeT& value) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

CaseState registered() {
  RegisterCase r;
  r.case_number = "N1";
  r.court = kCourt;
  r.category = "民初";
  r.judge = "J001";
  r.accepted_on_us = kNow - kDay;
  r.parties = {CaseParty{"p1", "甲", CasePartyKind::kNaturalPerson, CasePartyRole::kPlaintiff,
                         "id1", std::nullopt},
               CaseParty{"p2", "乙", CasePartyKind::kNaturalPerson, CasePartyRole::kDefendant,
                         "id2", std::nullopt}};
  auto outcome = CaseAggregate::decide(CaseAggregate::initial(), r,
                                       as(Principal{"docket", Role::kSystem, ""}, kNow));
  EXPECT_TRUE(outcome);
  return fold<CaseAggregate>(outcome->events, "case-N1");
}

TEST(DeterminismTest, HearingScheduledVersion1StillReplays) {
  fb::HearingScheduledV1T v1;
  v1.hearing_id = "H1";
  v1.starts_at_us = kNow + 5 * kDay;
  v1.length_minutes = 90;
  v1.place = "第二法庭";
  v1.online = false;
  const std::string payload = payload_of(v1);
  CaseState state = registered();
  CaseAggregate::evolve(state, StoredEvent{"case-N1", "HearingScheduled", 1, payload, 2, 2, kNow});
  ASSERT_EQ(state.hearings.count("H1"), 1u);
  const Hearing& hearing = state.hearings.at("H1");
  EXPECT_EQ(hearing.starts_at_us, kNow + 5 * kDay);
  EXPECT_EQ(hearing.ends_at_us, kNow + 5 * kDay + 90 * kMinute);
  EXPECT_EQ(hearing.place, "第二法庭");
  EXPECT_EQ(hearing.video_room, "");
  EXPECT_EQ(hearing.status, HearingStatus::kScheduled);
  // A version-1 hearing is an ordinary hearing afterwards: it can be held.
  auto held = CaseAggregate::decide(state, HoldHearing{"H1"},
                                    as(Principal{"J001", Role::kJudge, kCourt}, kNow + 5 * kDay));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->events.at(0).type, "HearingHeld");
}

TEST(DeterminismTest, HearingScheduledVersion2ReplaysWithEndTimeAndVideoRoom) {
  fb::HearingScheduledT v2;
  v2.hearing_id = "H1";
  v2.starts_at_us = kNow + 5 * kDay;
  v2.ends_at_us = kNow + 5 * kDay + 30 * kMinute;
  v2.place = "第二法庭";
  v2.online = true;
  v2.video_room = "room-3";
  const std::string payload = payload_of(v2);
  CaseState state = registered();
  CaseAggregate::evolve(state, StoredEvent{"case-N1", "HearingScheduled", 2, payload, 2, 2, kNow});
  const Hearing& hearing = state.hearings.at("H1");
  EXPECT_EQ(hearing.ends_at_us, kNow + 5 * kDay + 30 * kMinute);
  EXPECT_TRUE(hearing.online);
  EXPECT_EQ(hearing.video_room, "room-3");
}

TEST(DeterminismTest, UnknownEventVersionsTypesAndDamagedPayloadsFailLoudly) {
  fb::HearingScheduledT v2;
  v2.hearing_id = "H1";
  const std::string payload = payload_of(v2);
  const CaseState before = registered();
  CaseState state = before;
  // A version no applier knows, a type no applier knows and a payload that does not parse are
  // each refused with the event's place named; the state is left as it was.
  EXPECT_THROW(CaseAggregate::evolve(
                   state, StoredEvent{"case-N1", "HearingScheduled", 3, payload, 2, 2, kNow}),
               EventFoldError);
  EXPECT_THROW(
      CaseAggregate::evolve(state, StoredEvent{"case-N1", "SomethingElse", 1, payload, 3, 3, kNow}),
      EventFoldError);
  try {
    CaseAggregate::evolve(state,
                          StoredEvent{"case-N1", "HearingScheduled", 2, "garbage", 4, 17, kNow});
    ADD_FAILURE() << "Expected a damaged payload to be refused, but it was folded";
  } catch (const EventFoldError& e) {
    EXPECT_NE(std::string(e.what()).find("case-N1 version 4 (position 17), HearingScheduled v2"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(state == before);
}

// Every aggregate refuses an event it has no applier for, and every event type of the
// vocabulary has an applier in some aggregate: a type that reaches the log is always folded.
TEST(DeterminismTest, EveryAggregateRefusesAnUnknownEventAndEveryEventTypeHasAnApplier) {
  std::set<std::string_view> known;
  auto check = [&]<class A>(std::type_identity<A>) {
    typename A::State state = A::initial();
    EXPECT_THROW(A::evolve(state, StoredEvent{"x-1", "NoSuchEvent", 1, "", 1, 1, kNow}),
                 EventFoldError);
    for (const auto& [type, version] : A::appliers().keys()) {
      EXPECT_TRUE(A::appliers().knows(type, version));
      known.insert(type);
    }
  };
  check(std::type_identity<CourtAggregate>{});
  check(std::type_identity<CaseNumberAggregate>{});
  check(std::type_identity<LawyerAggregate>{});
  check(std::type_identity<StaffAggregate>{});
  check(std::type_identity<FilingAggregate>{});
  check(std::type_identity<PaymentAggregate>{});
  check(std::type_identity<CaseAggregate>{});
  check(std::type_identity<ServiceAggregate>{});
  check(std::type_identity<HotlineAggregate>{});
  for (std::string_view type : event_type::kAll)
    EXPECT_TRUE(known.count(type)) << "Expected an applier of " << type << ", but none has one";
}

}  // namespace
}  // namespace docket::domain
