// Property tests for the court, case-number, lawyer, filing and payment aggregates: for many
// seeded random command sequences (random actors, random times, plausible and implausible data),
//   - folding the emitted events from scratch gives the state the decider saw;
//   - a snapshot (the state's serialize() written and read back) plus the newer events gives it
//     too, so serialize() lists every field;
//   - decide is deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "fake_facts.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

constexpr int kSequences = 150;
constexpr int kSteps = 60;
constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kT0 = 1'780'000'000'000'000;  // 2026-05-28
const testing::FakeSecrets kSecrets;

// --- a snapshot archive: the same serialize() the engine's cereal archives call --------------

template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
struct IsMap : std::false_type {};
template <class K, class V, class C, class A>
struct IsMap<std::map<K, V, C, A>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

class SnapshotWriter {
 public:
  template <class... T>
  void operator()(T&... values) {
    (put(values), ...);
  }
  std::string bytes;

 private:
  template <class T>
  void put(T& v) {
    if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      bytes.append(reinterpret_cast<const char*>(&v), sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
      put_size(v.size());
      bytes += v;
    } else if constexpr (IsVector<T>::value) {
      put_size(v.size());
      for (auto& item : v)
        put(item);
    } else if constexpr (IsMap<T>::value) {
      put_size(v.size());
      for (auto& [key, value] : v) {
        auto k = key;
        put(k);
        put(value);
      }
    } else if constexpr (IsOptional<T>::value) {
      bool present = v.has_value();
      put(present);
      if (present)
        put(*v);
    } else {
      v.serialize(*this);
    }
  }
  void put_size(std::size_t n) {
    std::uint64_t size = n;
    put(size);
  }
};

class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view bytes) : bytes_(bytes) {}
  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  bool consumed_all() const { return at_ == bytes_.size(); }

 private:
  template <class T>
  void get(T& v) {
    if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      std::memcpy(&v, bytes_.data() + at_, sizeof(T));
      at_ += sizeof(T);
    } else if constexpr (std::is_same_v<T, std::string>) {
      const std::size_t n = get_size();
      v.assign(bytes_.substr(at_, n));
      at_ += n;
    } else if constexpr (IsVector<T>::value) {
      v.resize(get_size());
      for (auto& item : v)
        get(item);
    } else if constexpr (IsMap<T>::value) {
      v.clear();
      for (std::size_t n = get_size(); n > 0; --n) {
        typename T::key_type key{};
        typename T::mapped_type value{};
        get(key);
        get(value);
        v.emplace(std::move(key), std::move(value));
      }
    } else if constexpr (IsOptional<T>::value) {
      bool present = false;
      get(present);
      if (present) {
        typename T::value_type value{};
        get(value);
        v = std::move(value);
      } else {
        v.reset();
      }
    } else {
      v.serialize(*this);
    }
  }
  std::size_t get_size() {
    std::uint64_t n = 0;
    get(n);
    return static_cast<std::size_t>(n);
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

template <class Aggregate>
typename Aggregate::State snapshot_round_trip(typename Aggregate::State state) {
  SnapshotWriter writer;
  state.serialize(writer);
  typename Aggregate::State restored = Aggregate::initial();
  SnapshotReader reader(writer.bytes);
  restored.serialize(reader);
  EXPECT_TRUE(reader.consumed_all());
  return restored;
}

// --- the property ----------------------------------------------------------------------------

bool same_decision(const Outcome& a, const Outcome& b) {
  if (a.has_value() != b.has_value())
    return false;
  if (!a)
    return a.error().code == b.error().code && a.error().message == b.error().message;
  if (a->events.size() != b->events.size() || a->timers_to_cancel != b->timers_to_cancel ||
      a->timers_to_set.size() != b->timers_to_set.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a->events.size(); ++i) {
    if (a->events[i].type != b->events[i].type || a->events[i].payload != b->events[i].payload ||
        a->events[i].schema_version != b->events[i].schema_version) {
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

struct Step {
  std::int64_t now = kT0;
  std::mt19937_64 rng;
  testing::FakeFacts facts;  // what the commands read; a generator may change it
  std::uint64_t pick(std::uint64_t n) { return rng() % n; }
  bool chance(int percent) { return pick(100) < static_cast<std::uint64_t>(percent); }
  template <class T>
  const T& one_of(const std::vector<T>& items) {
    return items[pick(items.size())];
  }
  Context as(Role role, std::string id, std::string court = "") {
    Context ctx;
    ctx.now_us = now;
    ctx.actor = Principal{std::move(id), role, std::move(court)};
    ctx.secrets = &kSecrets;
    ctx.facts = &facts;
    for (int i = 0; i < 20; ++i)
      ctx.entropy.push_back(static_cast<char>(rng() & 0xFF));
    return ctx;
  }
};

struct Stats {
  int accepted_commands = 0;
  int events = 0;
  std::map<std::string, int> events_by_type;

  // Whether every one of `types` was emitted at least once.
  bool reached(const std::vector<std::string>& types) const {
    for (const auto& type : types) {
      if (!events_by_type.contains(type)) {
        std::string emitted;
        for (const auto& [t, n] : events_by_type)
          emitted += " " + t + "=" + std::to_string(n);
        ADD_FAILURE() << "never emitted " << type << "; emitted:" << emitted;
        return false;
      }
    }
    return true;
  }
};

// Each sequence starts from the facts `world`.
template <class Aggregate, class Generate>
Stats check_replay(std::string stream, std::uint64_t seed, const testing::FakeFacts& world,
                   Generate generate) {
  Stats stats;
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    Step step{kT0, std::mt19937_64(seed * 1'000'003 + sequence), world};
    typename Aggregate::State state = Aggregate::initial();
    std::vector<EventData> log;
    std::vector<std::int64_t> recorded_at;  // each event stamped with its decision's time
    std::optional<std::size_t> snapshot_at;
    typename Aggregate::State snapshot = Aggregate::initial();
    for (int i = 0; i < kSteps; ++i) {
      step.now += static_cast<std::int64_t>(step.pick(3 * kDay));
      auto [command, ctx] = generate(step, state);
      const Outcome out = Aggregate::decide(state, command, ctx);
      EXPECT_TRUE(same_decision(out, Aggregate::decide(state, command, ctx)));
      if (!out)
        continue;
      ++stats.accepted_commands;
      for (const auto& e : out->events) {
        log.push_back(e);
        recorded_at.push_back(ctx.now_us);
        const EventData& stored = log.back();
        Aggregate::evolve(state, StoredEvent{stream, stored.type, stored.schema_version,
                                             stored.payload, log.size(), 0, ctx.now_us});
        ++stats.events;
        ++stats.events_by_type[stored.type];
      }
      if (!snapshot_at && step.chance(10)) {
        snapshot_at = log.size();
        snapshot = snapshot_round_trip<Aggregate>(state);
        EXPECT_EQ(snapshot, state);
      }
    }
    typename Aggregate::State folded = Aggregate::initial();
    for (std::size_t i = 0; i < log.size(); ++i) {
      Aggregate::evolve(folded, StoredEvent{stream, log[i].type, log[i].schema_version,
                                            log[i].payload, i + 1, 0, recorded_at[i]});
    }
    EXPECT_EQ(folded, state) << "sequence " << sequence;
    EXPECT_EQ(snapshot_round_trip<Aggregate>(state), state) << "sequence " << sequence;
    if (snapshot_at) {
      for (std::size_t i = *snapshot_at; i < log.size(); ++i) {
        Aggregate::evolve(snapshot, StoredEvent{stream, log[i].type, log[i].schema_version,
                                                log[i].payload, i + 1, 0, recorded_at[i]});
      }
      EXPECT_EQ(snapshot, state) << "sequence " << sequence;
    }
  }
  return stats;
}

// --- generators ------------------------------------------------------------------------------

const std::string kFiler = "15001201810012345";
const std::string kColleague = "15001201810099999";
const std::string kCourt = "渝0103";

std::string blob(int n) {
  std::string hash(64, 'a');
  hash.back() = "0123456789abcdef"[n % 16];
  return hash;
}

FilingParty party(std::string id, FilingPartyPosition position, FilingPartyKind kind, bool minor) {
  FilingParty p;
  p.party_id = std::move(id);
  p.position = position;
  p.kind = kind;
  p.name = "name of " + p.party_id;
  p.id_number = "id of " + p.party_id;
  p.minor = minor;
  p.address = "address of " + p.party_id;
  p.legal_representative = kind == FilingPartyKind::kNaturalPerson ? "" : "rep";
  return p;
}

Context filing_actor(Step& s, int filer_percent) {
  if (s.chance(filer_percent))
    return s.as(Role::kLawyer, kFiler);
  switch (s.pick(4)) {
    case 0:
      return s.as(Role::kLawyer, kColleague);
    case 1:
      return s.as(Role::kClerk, "clerk-7", kCourt);
    case 2:
      return s.as(Role::kClerk, "clerk-9", "渝0104");
    default:
      return s.as(Role::kSystem, "engine");
  }
}

// What a filing reads: courts kCourt and 渝0104 with the same lists (渝9999 is not registered),
// and the accounts of the filer and a colleague.
testing::FakeFacts filing_world() {
  testing::FakeFacts facts;
  for (const std::string& code : {kCourt, std::string("渝0104")}) {
    CourtState& court = facts.add_court(code, "court");
    court.code_lists.case_categories = {{"civil_first_instance", "民事一审", "民初"}};
    court.code_lists.application_types = {{"complaint", "起诉"}};
    court.code_lists.material_types = {{"complaint", "起诉状"}, {"evidence", "证据"}};
    court.policy.review_period_us = 7 * kDay;
    court.policy.correction_period_us = 15 * kDay;
    court.policy.identity_verification_required = code == kCourt;
  }
  facts.add_lawyer(kFiler, "张三", "firm", "id", "phone");
  facts.add_lawyer(kColleague, "李四", "firm", "id2", "phone2");
  return facts;
}

bool has_position(const FilingState& state, FilingPartyPosition position) {
  return std::any_of(state.parties.begin(), state.parties.end(),
                     [&](const FilingParty& p) { return p.position == position; });
}

// The wizard step the filing lacks first, filled in correctly; SubmitFiling when none is missing.
FilingCommand next_missing_step(const FilingState& state) {
  if (!state.exists)
    return AcceptFilingNotice{};
  if (state.category != "civil_first_instance" || state.application_type != "complaint") {
    return ChooseCaseCategory{"civil_first_instance", "complaint"};
  }
  if (!state.case_information_saved || state.claims.empty() || state.facts_and_reasons.empty()) {
    return SaveCaseInformation{{"claim"}, "facts", 1'000'000};
  }
  if (!has_position(state, FilingPartyPosition::kPlaintiff) ||
      !has_position(state, FilingPartyPosition::kDefendant)) {
    return SaveParties{
        {party("p1", FilingPartyPosition::kPlaintiff, FilingPartyKind::kNaturalPerson, false),
         party("p2", FilingPartyPosition::kDefendant, FilingPartyKind::kLegalPerson, false)}};
  }
  const bool filer_is_agent =
      std::any_of(state.agents.begin(), state.agents.end(),
                  [](const FilingAgent& a) { return a.licence_number == kFiler; });
  if (!filer_is_agent)
    return SaveAgents{{{kFiler, "张三", "firm", "id", "phone", {"p1"}}}};
  if (!state.service_address_notice_accepted)
    return AcceptServiceAddressNotice{};
  std::vector<ServiceAddress> addresses;
  for (const auto& agent : state.agents) {
    for (const auto& party_id : agent.represents) {
      addresses.push_back({party_id, "addr of " + party_id, "phone", "mail", true});
    }
  }
  if (state.service_addresses != addresses)
    return SaveServiceAddresses{addresses};
  if (state.court.empty())
    return ChooseCourt{kCourt};
  const bool has_complaint =
      std::any_of(state.materials.begin(), state.materials.end(),
                  [](const FilingMaterial& m) { return m.material_type == "complaint"; });
  if (!has_complaint)
    return SaveMaterials{{{"m1", "complaint", "起诉状", {blob(1)}}}};
  std::vector<IdentityPaper> papers;
  for (const auto& p : state.parties) {
    if (p.position != FilingPartyPosition::kPlaintiff)
      continue;
    if (p.kind == FilingPartyKind::kNaturalPerson) {
      papers.push_back({p.party_id, IdentityPaperKind::kIdCardFront, blob(2)});
      papers.push_back({p.party_id, IdentityPaperKind::kIdCardBack, blob(3)});
      if (p.minor)
        papers.push_back({p.party_id, IdentityPaperKind::kHouseholdRegister, blob(4)});
    } else {
      papers.push_back({p.party_id, IdentityPaperKind::kLegalRepresentativeCertificate, blob(5)});
      papers.push_back({p.party_id, IdentityPaperKind::kLegalRepresentativeIdCard, blob(6)});
    }
  }
  if (state.identity_papers != papers)
    return SaveIdentityPapers{papers};
  if (!state.mediation)
    return ChooseMediation{true};
  return SubmitFiling{};
}

// Mostly the clerk of the filing's court, sometimes anyone.
Context reviewer(Step& s) {
  return s.chance(70) ? s.as(Role::kClerk, "clerk-7", kCourt) : filing_actor(s, 30);
}

std::pair<FilingCommand, Context> generate_filing(Step& s, const FilingState& state) {
  // Guided often while a draft, rarely while a correction is requested (so that some
  // corrections run out and the filing is returned).
  const bool drafting = !state.exists || state.status == FilingStatus::kDraft;
  const bool correcting = state.status == FilingStatus::kCorrectionRequested;
  if ((drafting && s.chance(40)) || (correcting && s.chance(8))) {
    return {next_missing_step(state), filing_actor(s, 95)};
  }
  // Guided through a mediation often enough to reach its judicial confirmation.
  if (state.status == FilingStatus::kInMediation && s.chance(30)) {
    return {RecordMediationOutcome{MediationOutcome::kAgreement, blob(9), ""},
            s.as(Role::kCourtSystem, "cms0103", kCourt)};
  }
  if (state.status == FilingStatus::kMediated && s.chance(50)) {
    if (state.mediation_referral &&
        state.mediation_referral->judicial_confirmation == JudicialConfirmation::kApplied)
      return {DecideJudicialConfirmation{s.chance(50), "reason"},
              s.as(Role::kJudge, "judge-3", kCourt)};
    return {ApplyForJudicialConfirmation{}, filing_actor(s, 95)};
  }
  const auto plaintiff =
      party("p1", FilingPartyPosition::kPlaintiff, FilingPartyKind::kNaturalPerson, s.chance(20));
  const auto defendant =
      party("p2", FilingPartyPosition::kDefendant, FilingPartyKind::kLegalPerson, false);
  const auto company =
      party("p3", FilingPartyPosition::kPlaintiff, FilingPartyKind::kOtherOrganisation, false);
  const FilingAgent filer_agent{kFiler, "张三", "firm", "id", "phone", {"p1"}};
  FilingAgent colleague{kColleague, "李四", "firm", "id2", "phone2", {"p1", "p3"}};

  switch (s.pick(27)) {
    case 0:
      return {AcceptFilingNotice{}, filing_actor(s, 90)};
    case 1:
      return {ChooseCaseCategory{s.one_of<std::string>({"civil_first_instance", "", "maritime"}),
                                 s.one_of<std::string>({"complaint", ""})},
              filing_actor(s, 85)};
    case 2: {
      std::vector<std::string> claims;
      for (std::uint64_t i = s.pick(3); i > 0; --i)
        claims.push_back("claim " + std::to_string(i));
      return {SaveCaseInformation{claims, s.chance(80) ? "facts" : "",
                                  static_cast<std::int64_t>(s.pick(100'000'000)) - 1},
              filing_actor(s, 85)};
    }
    case 3: {
      std::vector<FilingParty> parties;
      if (s.chance(85))
        parties.push_back(plaintiff);
      if (s.chance(85))
        parties.push_back(defendant);
      if (s.chance(30))
        parties.push_back(company);
      if (s.chance(5))
        parties.push_back(plaintiff);  // duplicate id
      return {SaveParties{parties}, filing_actor(s, 85)};
    }
    case 4: {
      std::vector<FilingAgent> agents;
      if (s.chance(90))
        agents.push_back(filer_agent);
      if (s.chance(30))
        agents.push_back(colleague);
      s.facts.lawyers.at(kColleague).active = !s.chance(10);  // sometimes off the roster
      return {SaveAgents{agents}, filing_actor(s, 85)};
    }
    case 5:
      return {AcceptServiceAddressNotice{}, filing_actor(s, 85)};
    case 6: {
      std::vector<ServiceAddress> addresses = {{"p1", "addr 1", "phone", "mail", s.chance(50)}};
      if (s.chance(40))
        addresses.push_back({"p3", s.chance(80) ? "addr 3" : "", "", "", false});
      return {SaveServiceAddresses{addresses}, filing_actor(s, 85)};
    }
    case 7:
      return {ChooseCourt{s.chance(85) ? kCourt : s.one_of<std::string>({"渝0104", "渝9999"})},
              filing_actor(s, 85)};
    case 8: {
      std::vector<FilingMaterial> materials;
      if (s.chance(85))
        materials.push_back({"m1", "complaint", "起诉状", {blob(1), blob(2)}});
      if (s.chance(40))
        materials.push_back({"m2", "evidence", "证据", {blob(3)}});
      if (s.chance(5))
        materials.push_back({"m3", "video", "录像", {"bad"}});
      return {SaveMaterials{materials}, filing_actor(s, 85)};
    }
    case 9: {
      std::vector<IdentityPaper> papers;
      if (s.chance(90))
        papers.push_back({"p1", IdentityPaperKind::kIdCardFront, blob(4)});
      if (s.chance(90))
        papers.push_back({"p1", IdentityPaperKind::kIdCardBack, blob(5)});
      if (s.chance(60))
        papers.push_back({"p1", IdentityPaperKind::kHouseholdRegister, blob(6)});
      if (s.chance(50)) {
        papers.push_back({"p3", IdentityPaperKind::kLegalRepresentativeCertificate, blob(7)});
        papers.push_back({"p3", IdentityPaperKind::kLegalRepresentativeIdCard, blob(8)});
      }
      return {SaveIdentityPapers{papers}, filing_actor(s, 85)};
    }
    case 10:
      return {ChooseMediation{s.chance(50)}, filing_actor(s, 85)};
    case 11:
    case 12:
      return {SubmitFiling{}, filing_actor(s, 85)};
    case 13:
      return {s.chance(20) ? FilingCommand{DeleteDraft{}} : FilingCommand{ChooseMediation{true}},
              filing_actor(s, 85)};
    case 14:
      return {s.chance(20) ? FilingCommand{CancelFiling{"reason"}}
                           : FilingCommand{ChooseMediation{false}},
              filing_actor(s, 85)};
    case 15:
      return {
          AcceptFiling{s.chance(90) ? "(2026)渝0103民初" + std::to_string(s.pick(99)) + "号" : "",
                       s.chance(40) ? "核验无误" : ""},
          reviewer(s)};
    case 16:
    case 17:
      return {RequestCorrection{s.chance(90) ? std::vector<CorrectionItem>{{"parties", "fix"}}
                                             : std::vector<CorrectionItem>{}},
              reviewer(s)};
    case 18:
      return {RejectFiling{s.chance(90) ? "no jurisdiction" : ""}, reviewer(s)};
    case 22:
      return {RecordIdentityCheck{
                  s.one_of<std::string>({"p1", "p2", "p9"}),
                  s.chance(50) ? IdentityCheckMethod::kDocumentComparison
                               : IdentityCheckMethod::kRealNamePhone,
                  s.chance(70) ? IdentityCheckResult::kVerified : IdentityCheckResult::kFailed, ""},
              s.chance(85) ? s.as(Role::kCourtSystem, "cms0103", kCourt) : reviewer(s)};
    case 23:
      return {ReferToMediation{s.chance(80) ? "陈调解员" : "", s.chance(50) ? "调解委员会" : "",
                               s.now + static_cast<std::int64_t>(s.pick(40 * kDay)) - kDay},
              reviewer(s)};
    case 24: {
      const auto outcome = s.one_of<MediationOutcome>(
          {MediationOutcome::kAgreement, MediationOutcome::kFailure, MediationOutcome::kPending});
      return {RecordMediationOutcome{
                  outcome,
                  outcome == MediationOutcome::kAgreement && s.chance(90) ? blob(9) : std::string(),
                  "note"},
              s.chance(70) ? s.as(Role::kCourtSystem, "cms0103", kCourt) : reviewer(s)};
    }
    case 25:
      if (s.chance(50))
        return {ApplyForJudicialConfirmation{}, filing_actor(s, 85)};
      return {DecideJudicialConfirmation{s.chance(50), s.chance(80) ? "reason" : ""},
              s.chance(80) ? s.as(Role::kJudge, "judge-3", kCourt) : reviewer(s)};
    case 26: {
      const std::int64_t deadline = state.mediation_referral && s.chance(85)
                                        ? state.mediation_referral->deadline_at_us
                                        : s.now;
      s.now = std::max(s.now, deadline);
      return {MediationDeadlineReached{deadline},
              s.chance(90) ? s.as(Role::kSystem, "engine") : filing_actor(s, 50)};
    }
    case 19: {
      s.now = std::max(s.now, state.review_due_at_us);
      const bool auto_register = s.chance(50);
      return {ReviewDeadlineReached{
                  s.chance(85) ? state.submissions : static_cast<std::uint32_t>(s.pick(3)),
                  auto_register, auto_register ? "(2026)渝0103民初900号" : ""},
              s.chance(90) ? s.as(Role::kSystem, "engine") : filing_actor(s, 50)};
    }
    default: {
      const std::int64_t deadline =
          state.correction_notice && s.chance(85) ? state.correction_notice->deadline_at_us : s.now;
      s.now = std::max(s.now, deadline);
      return {CorrectionDeadlineReached{deadline},
              s.chance(90) ? s.as(Role::kSystem, "engine") : filing_actor(s, 50)};
    }
  }
}

std::pair<LawyerCommand, Context> generate_lawyer(Step& s, const LawyerState& state) {
  const std::vector<std::string> passwords = {kFiler, "password-1", "password-2", "short"};
  const Context self = s.chance(85) ? s.as(Role::kLawyer, kFiler) : s.as(Role::kLawyer, kColleague);
  switch (s.pick(8)) {
    case 0:
    case 1: {
      RegisterFromRoster c{s.one_of<std::string>({"firm A", "firm B"}),
                           "张三",
                           s.chance(95) ? kFiler : kColleague,
                           s.one_of<std::string>({"id-1", "id-2"}),
                           "13800000000",
                           s.chance(95) ? "z@example.com" : "bad"};
      return {c, s.chance(90) ? s.as(Role::kAdmin, "admin") : self};
    }
    case 2:
      return {Deactivate{}, s.chance(90) ? s.as(Role::kAdmin, "admin") : self};
    case 3: {
      // The credential store holds the current hash: mostly the old password's.
      const std::string old_password = s.one_of(passwords);
      const std::string current = s.chance(60) ? old_password : s.one_of(passwords);
      s.facts.credentials[credential_key(lawyer_stream(state.licence_number),
                                         CredentialKind::kPassword)] =
          kSecrets.hash_password(current);
      return {ChangePassword{old_password, s.one_of(passwords)}, self};
    }
    case 4:
      return {UpdateProfile{s.one_of<std::string>({"139", "138", ""}), "m@example.com"}, self};
    case 5:
    case 6: {
      const std::int64_t start = s.now + static_cast<std::int64_t>(s.pick(10 * kDay));
      const std::int64_t end = start + static_cast<std::int64_t>(s.pick(2 * kDay)) - kDay / 4;
      return {AddScheduleEntry{start, end, s.chance(50), "entry"}, self};
    }
    default:
      return {RemoveScheduleEntry{"e" + std::to_string(s.pick(6))}, self};
  }
}

CourtCodeLists code_lists(Step& s) {
  CourtCodeLists lists;
  lists.case_categories = {{"civil_first_instance", "民事一审", "民初"}};
  if (s.chance(50))
    lists.case_categories.push_back({"civil_second_instance", "民事二审", "民终"});
  if (s.chance(5))
    lists.case_categories.push_back({"bad", "bad", ""});
  lists.application_types = {{"complaint", "起诉"}};
  lists.material_types = {{"complaint", "起诉状"}};
  if (s.chance(50))
    lists.material_types.push_back({"evidence", "证据"});
  lists.document_types = {{"judgment", "判决书"}};
  return lists;
}

CourtPolicy policy(Step& s) {
  CourtPolicy p;
  p.review_period_us = static_cast<std::int64_t>(s.pick(10)) * kDay;
  p.auto_register_when_review_overdue = s.chance(50);
  p.identity_verification_required = s.chance(30);
  if (s.chance(50))
    p.no_electronic_service_document_types = {"judgment"};
  if (s.chance(70))
    p.fee_schedule.rules_by_category["civil_first_instance"] = national_property_fee_rule();
  if (s.chance(20))
    p.fee_schedule.rules_by_category["civil_second_instance"] = FeeRule{5000, 0, {}};
  if (s.chance(50))
    p.law_links = {{"法律法规", s.chance(90) ? "https://flk.npc.gov.cn" : "x"}};
  return p;
}

std::pair<CourtCommand, Context> generate_court(Step& s, const CourtState&) {
  const Context ctx = s.chance(90) ? s.as(Role::kAdmin, "admin") : s.as(Role::kClerk, "clerk-7");
  switch (s.pick(3)) {
    case 0:
      return {RegisterCourt{kCourt, "重庆市渝中区人民法院", code_lists(s), policy(s)}, ctx};
    case 1:
      return {ChangeCourtPolicy{policy(s)}, ctx};
    default:
      return {ChangeCodeLists{code_lists(s)}, ctx};
  }
}

// Courts kCourt and 渝0104, which list three categories.
testing::FakeFacts case_number_world() {
  testing::FakeFacts facts;
  for (const std::string& code : {kCourt, std::string("渝0104")}) {
    facts.add_court(code).code_lists.case_categories = {
        {"civil_first_instance", "民事一审", "民初"},
        {"civil_second_instance", "民事二审", "民终"},
        {"enforcement", "执行", "执"}};
  }
  return facts;
}

std::pair<CaseNumberCommand, Context> generate_case_number(Step& s,
                                                           const CaseNumberSequenceState&) {
  s.now = kT0 + static_cast<std::int64_t>(s.pick(100)) * kDay;  // stays in 2026
  AllocateCaseNumber c{"f" + std::to_string(s.pick(25)), s.chance(95) ? kCourt : "渝0104",
                       s.chance(95) ? 2026 : 2025,
                       s.chance(5)
                           ? "maritime"
                           : s.one_of<std::string>(
                                 {"civil_first_instance", "civil_second_instance", "enforcement"})};
  const Context ctx = s.chance(80)   ? s.as(Role::kSystem, "engine")
                      : s.chance(50) ? s.as(Role::kClerk, "clerk-7", kCourt)
                                     : s.as(Role::kLawyer, kFiler);
  return {c, ctx};
}

// Filing f42, accepted in court kCourt with the filer as agent: a civil first instance case of
// 100,000 yuan, whose fee is 230,000 fen; the court also prices a fee-free category.
testing::FakeFacts payment_world() {
  testing::FakeFacts facts;
  CourtState& court = facts.add_court(kCourt);
  court.policy.fee_due_period_us = 7 * kDay;
  court.policy.fee_schedule.rules_by_category["civil_first_instance"] =
      national_property_fee_rule();
  court.policy.fee_schedule.rules_by_category["fee_free"] = FeeRule{0, 0, {}};
  FilingState& filing = facts.filings["f42"];
  filing.exists = true;
  filing.filing_id = "f42";
  filing.filer = kFiler;
  filing.status = FilingStatus::kAccepted;
  filing.category = "civil_first_instance";
  filing.amount_in_dispute_fen = 10'000'000;
  filing.agents = {FilingAgent{kFiler, "张三", "firm", "id", "phone", {"p1"}}};
  filing.court = kCourt;
  filing.case_number = "(2026)渝0103民初1号";
  return facts;
}

std::pair<PaymentCommand, Context> generate_payment(Step& s, const PaymentNoticeState& state) {
  constexpr std::int64_t kFee = 230'000;
  const Context payer =
      s.chance(90) ? s.as(Role::kLawyer, kFiler) : s.as(Role::kLawyer, kColleague);
  const Context staff = s.chance(90)
                            ? s.as(s.chance(50) ? Role::kClerk : Role::kJudge, "staff", kCourt)
                            : s.as(Role::kClerk, "clerk-9", "渝0104");
  const Context provider =
      s.chance(90) ? s.as(Role::kSystem, "engine") : s.as(Role::kLawyer, kFiler);
  switch (s.pick(11)) {
    case 0:
      s.facts.filings.at("f42").category = s.chance(90) ? "civil_first_instance" : "fee_free";
      return {IssuePaymentNotice{"f42"}, s.chance(90) ? s.as(Role::kSystem, "engine") : payer};
    case 1:
    case 2:
      return {
          StartPayment{s.chance(90) ? state.code : "wrong", static_cast<PaymentChannel>(s.pick(3))},
          payer};
    case 3:
      return {
          ConfirmPayment{static_cast<std::uint32_t>(s.pick(3)), s.one_of<std::string>({"A", "B"}),
                         s.chance(80) ? state.amount_fen : kFee + 1},
          provider};
    case 4:
      return {
          RecordReceipt{s.one_of<std::string>({"R-1", "R-2", ""}),
                        s.one_of<std::string>({"", std::string(64, 'a'), std::string(64, 'b')})},
          provider};
    case 5:
      return {ApplyForRelief{static_cast<PaymentReliefKind>(s.pick(3)), s.chance(90) ? "why" : ""},
              payer};
    case 6:
    case 7:
      return {GrantRelief{s.chance(70) ? state.due_at_us +
                                             static_cast<std::int64_t>(s.pick(20 * kDay)) - 2 * kDay
                                       : 0,
                          static_cast<std::int64_t>(s.pick(kFee + 10'000))},
              staff};
    case 8:
      return {RefuseRelief{s.chance(90) ? "no" : ""}, staff};
    default: {
      s.now = std::max(s.now, state.due_at_us);
      return {PaymentDueDateReached{s.chance(85) ? state.due_at_us : s.now},
              s.chance(90) ? s.as(Role::kSystem, "engine") : staff};
    }
  }
}

// Each property also checks that the generator reaches enough of the aggregate to mean
// something (a sequence of rejections proves nothing).

TEST(FilingPropertyTest, FoldingEmittedEventsGivesTheDecidersState) {
  const Stats stats =
      check_replay<FilingAggregate>("filing-f42", 1, filing_world(), generate_filing);
  EXPECT_GT(stats.events, kSequences * 10);
  EXPECT_TRUE(stats.reached({"FilingNoticeAccepted",
                             "CaseCategoryChosen",
                             "CaseInformationSaved",
                             "PartiesSaved",
                             "AgentsSaved",
                             "ServiceAddressNoticeAccepted",
                             "ServiceAddressesSaved",
                             "CourtChosen",
                             "MaterialsSaved",
                             "IdentityPapersSaved",
                             "MediationChosen",
                             "FilingSubmitted",
                             "FilingDeleted",
                             "FilingCancelled",
                             "FilingAccepted",
                             "CorrectionRequested",
                             "FilingRejected",
                             "FilingReviewOverdue",
                             "FilingReturned",
                             "IdentityCheckRecorded",
                             "FilingReferredToMediation",
                             "MediationConcluded",
                             "JudicialConfirmationApplied",
                             "JudicialConfirmationDecided"}));
}

TEST(CourtPropertyTest, FoldingEmittedEventsGivesTheDecidersState) {
  const Stats stats = check_replay<CourtAggregate>("court-渝0103", 2, {}, generate_court);
  EXPECT_GT(stats.events, kSequences * 5);
  EXPECT_TRUE(stats.reached({"CourtRegistered", "CourtPolicyChanged", "CourtCodeListsChanged"}));
}

TEST(CourtCaseNumberPropertyTest, FoldingEmittedEventsGivesTheDecidersState) {
  const Stats stats = check_replay<CaseNumberAggregate>("case_number-渝0103-2026", 3,
                                                        case_number_world(), generate_case_number);
  EXPECT_GT(stats.events, kSequences * 10);
}

TEST(LawyerPropertyTest, FoldingEmittedEventsGivesTheDecidersState) {
  const Stats stats = check_replay<LawyerAggregate>("lawyer-" + kFiler, 4, {}, generate_lawyer);
  EXPECT_GT(stats.events, kSequences * 5);
  EXPECT_TRUE(stats.reached({"LawyerRegistered", "LawyerRosterDataUpdated", "LawyerReactivated",
                             "LawyerDeactivated", "PasswordChanged", "ProfileUpdated",
                             "ScheduleEntryAdded", "ScheduleEntryRemoved"}));
}

TEST(PaymentPropertyTest, FoldingEmittedEventsGivesTheDecidersState) {
  const Stats stats =
      check_replay<PaymentAggregate>("payment-f42", 5, payment_world(), generate_payment);
  EXPECT_GT(stats.events, kSequences * 3);
  EXPECT_TRUE(stats.reached({"PaymentNoticeIssued", "PaymentStarted", "PaymentConfirmed",
                             "PaymentReceiptRecorded", "PaymentReceiptDocumentRecorded",
                             "PaymentReliefApplied", "PaymentReliefGranted", "PaymentReliefRefused",
                             "PaymentNoticeLapsed"}));
}

}  // namespace
}  // namespace docket::domain
