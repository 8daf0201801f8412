// The case aggregate: registration, the judge, binding an old case, withdrawal and closing, plus
// the guards every feature shares (case_detail.h) and the aggregate's entry points. The features
// live beside it: hearings.cc, evidence.cc, exchanges.cc, file_reviews.cc, messages.cc.
#include "docket/domain/case.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// ----- conversions between state values and payload tables ------------------------------------

std::unique_ptr<fb::CasePartyT> to_fb(const CaseParty& party) {
  auto out = std::make_unique<fb::CasePartyT>();
  out->party_id = party.party_id;
  out->name = party.name;
  out->kind = static_cast<fb::CasePartyKind>(party.kind);
  out->role = static_cast<fb::CasePartyRole>(party.role);
  out->id_number = party.id_number;
  out->electronic_service_consent = party.electronic_service_consent;
  return out;
}

CaseParty from_fb(const fb::CasePartyT& party) {
  CaseParty out;
  out.party_id = party.party_id;
  out.name = party.name;
  out.kind = static_cast<CasePartyKind>(party.kind);
  out.role = static_cast<CasePartyRole>(party.role);
  out.id_number = party.id_number;
  out.electronic_service_consent = party.electronic_service_consent;
  return out;
}

std::unique_ptr<fb::CaseAgentT> to_fb(const CaseAgent& agent) {
  auto out = std::make_unique<fb::CaseAgentT>();
  out->licence = agent.licence;
  out->identity_number = agent.identity_number;
  out->name = agent.name;
  out->firm = agent.firm;
  out->represents = agent.represents;
  return out;
}

CaseAgent from_fb(const fb::CaseAgentT& agent) {
  return CaseAgent{agent.licence, agent.identity_number, agent.name, agent.firm, agent.represents};
}

std::vector<std::unique_ptr<fb::CaseAttachmentT>> to_fb(
    const std::vector<CaseAttachment>& attachments) {
  std::vector<std::unique_ptr<fb::CaseAttachmentT>> out;
  for (const auto& attachment : attachments) {
    auto item = std::make_unique<fb::CaseAttachmentT>();
    item->name = attachment.name;
    item->blob_hash = attachment.blob_hash;
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<CaseAttachment> from_fb(
    const std::vector<std::unique_ptr<fb::CaseAttachmentT>>& attachments) {
  std::vector<CaseAttachment> out;
  for (const auto& attachment : attachments) {
    if (attachment)
      out.push_back(CaseAttachment{attachment->name, attachment->blob_hash});
  }
  return out;
}

// ----- lookups and guards ---------------------------------------------------------------------

const CaseParty* find_party(const CaseState& state, std::string_view party_id) {
  for (const auto& party : state.parties) {
    if (party.party_id == party_id)
      return &party;
  }
  return nullptr;
}

CaseParty* find_party(CaseState& state, std::string_view party_id) {
  for (auto& party : state.parties) {
    if (party.party_id == party_id)
      return &party;
  }
  return nullptr;
}

// The case must exist.
std::optional<Rejection> check_exists(const CaseState& state) {
  if (!state.exists) {
    return reject(RejectionCode::kNotFound, "Expected a registered case, but there is none");
  }
  return std::nullopt;
}

std::string_view status_name(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOpen:
      return "open";
    case CaseStatus::kWithdrawn:
      return "withdrawn";
    case CaseStatus::kClosed:
      return "closed";
  }
  return "unknown";
}

// The case must exist and be open.
std::optional<Rejection> check_open(const CaseState& state) {
  if (auto missing = check_exists(state))
    return missing;
  if (state.status != CaseStatus::kOpen) {
    return reject(RejectionCode::kInvalidState,
                  "Expected an open case, but it is " + std::string(status_name(state.status)));
  }
  return std::nullopt;
}

std::optional<Rejection> check_agent(const CaseState& state, const Context& ctx) {
  const auto& actor = ctx.actor;
  if (!is_case_agent(state, actor, facts_of(ctx))) {
    return reject(RejectionCode::kForbidden, "Expected a lawyer who is an agent in case " +
                                                 state.case_number + ", but " + actor.id + " (" +
                                                 std::string(enum_name(actor.role)) + ") is not");
  }
  return std::nullopt;
}

std::optional<Rejection> check_judge_side(const CaseState& state, const Principal& actor) {
  if (!is_judge_side(state, actor)) {
    return reject(RejectionCode::kForbidden,
                  "Expected the judge in charge or the court system of " + state.court + ", but " +
                      actor.id + " (" + std::string(enum_name(actor.role)) + ") is neither");
  }
  return std::nullopt;
}

void check_attachments(Violations& violations, const std::vector<CaseAttachment>& attachments,
                       std::string_view field) {
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    violations.require(!attachments[i].name.empty(), at + ".name",
                       "Expected an attachment name, but it is empty");
    violations.require(
        is_sha256_hex(attachments[i].blob_hash), at + ".blob_hash",
        "Expected a lower-hex SHA-256 blob hash, but got " + quoted(attachments[i].blob_hash));
  }
}

namespace {

// The keyed digest of an old case's acceptance notice: query code 0x00 password.
std::string legacy_binding_digest(const Secrets& secrets, std::string_view query_code,
                                  std::string_view password) {
  std::string text(query_code);
  text.push_back('\0');
  text.append(password);
  return secrets.keyed_digest(kLegacyBindingPurpose, text);
}

// Whether two digests are equal, taking the same time whatever the first differing byte.
bool same_in_constant_time(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

// CaseRegistered, either schema version (they differ only in fields the state does not hold).
template <class Registered>
void apply_registered(CaseState& s, const Registered& e) {
  s.exists = true;
  s.case_number = e.case_number;
  s.court = e.court;
  s.category = e.category;
  s.judge = e.judge;
  s.filing_id = e.filing_id;
  s.accepted_on_us = e.accepted_on_us;
  s.status = CaseStatus::kOpen;
  s.parties.clear();
  for (const auto& party : e.parties) {
    if (party)
      s.parties.push_back(from_fb(*party));
  }
  s.agents.clear();
  for (const auto& agent : e.agents) {
    if (agent)
      s.agents.push_back(from_fb(*agent));
  }
  if (e.accepted_on_us > 0 && e.accepted_on_us < CaseAggregate::kLegacyCutoffUs)
    s.legacy_binding = LegacyBinding{};
}

}  // namespace

Outcome decide_one(const CaseState& state, const RegisterCase& c, const Context& ctx) {
  if (state.exists) {
    return fail(RejectionCode::kConflict, "Expected no case numbered " + quoted(c.case_number) +
                                              ", but it is already registered");
  }
  const bool by_system = ctx.actor.role == Role::kSystem;
  const bool by_court_system = acts_for_court(ctx.actor, c.court, {Role::kCourtSystem});
  if (!by_system && !by_court_system) {
    return fail(RejectionCode::kForbidden,
                "Expected the system or the court system of " + quoted(c.court) + ", but " +
                    ctx.actor.id + " (" + std::string(enum_name(ctx.actor.role)) + ") registers");
  }
  Violations v;
  v.require(!c.case_number.empty(), "case_number", "Expected a case number, but it is empty");
  v.require(!c.court.empty(), "court", "Expected a court code, but it is empty");
  v.require(!c.category.empty(), "category", "Expected a case category, but it is empty");
  v.require(c.accepted_on_us > 0, "accepted_on_us",
            "Expected the date the case was accepted, but none was given");
  std::set<std::string> party_ids;
  bool has_plaintiff = false;
  bool has_defendant = false;
  for (std::size_t i = 0; i < c.parties.size(); ++i) {
    const auto& party = c.parties[i];
    const std::string at = "parties[" + std::to_string(i) + "]";
    v.require(!party.party_id.empty(), at + ".party_id", "Expected a party id, but it is empty");
    v.require(party.party_id.empty() || party_ids.insert(party.party_id).second, at + ".party_id",
              "Expected a unique party id, but " + quoted(party.party_id) + " repeats");
    v.require(!party.name.empty(), at + ".name", "Expected the party's name, but it is empty");
    has_plaintiff = has_plaintiff || party.role == CasePartyRole::kPlaintiff;
    has_defendant = has_defendant || party.role == CasePartyRole::kDefendant;
  }
  v.require(has_plaintiff, "parties", "Expected at least one plaintiff, but there is none");
  v.require(has_defendant, "parties", "Expected at least one defendant, but there is none");
  std::set<std::string> licences;
  std::set<std::string> identity_numbers;
  for (std::size_t i = 0; i < c.agents.size(); ++i) {
    const auto& agent = c.agents[i];
    const std::string at = "agents[" + std::to_string(i) + "]";
    v.require(!agent.licence.empty() || !agent.identity_number.empty(), at + ".licence_number",
              "Expected the agent's licence number or identity number, but both are empty");
    v.require(agent.licence.empty() || licences.insert(agent.licence).second,
              at + ".licence_number",
              "Expected a unique agent licence, but " + quoted(agent.licence) + " repeats");
    v.require(
        agent.identity_number.empty() || identity_numbers.insert(agent.identity_number).second,
        at + ".id_number", "Expected a unique agent identity number, but one repeats");
    for (const auto& represented : agent.represents) {
      v.require(party_ids.count(represented) > 0, at + ".represents",
                "Expected a party of the case, but " + quoted(represented) + " is none");
    }
  }
  const bool legacy = c.accepted_on_us > 0 && c.accepted_on_us < CaseAggregate::kLegacyCutoffUs;
  if (legacy) {
    v.require(!c.query_code.empty(), "query_code",
              "Expected the acceptance notice's query code for a case accepted before "
              "2018-09-01, but it is empty");
    v.require(!c.password.empty(), "password",
              "Expected the acceptance notice's password for a case accepted before 2018-09-01, "
              "but it is empty");
  }
  if (!v.empty())
    return unexpected(v.rejection());

  fb::CaseRegisteredT event;
  event.case_number = c.case_number;
  event.court = c.court;
  event.category = c.category;
  event.judge = c.judge;
  event.filing_id = c.filing_id;
  event.accepted_on_us = c.accepted_on_us;
  for (const auto& party : c.parties)
    event.parties.push_back(to_fb(party));
  for (const auto& agent : c.agents)
    event.agents.push_back(to_fb(agent));
  Decision d{{make_event(event_type::kCaseRegistered, event, 2)}, {}, {}, {}};
  if (legacy) {
    d.credentials.push_back(
        {credential_key(case_stream(c.case_number), CredentialKind::kLegacyBinding),
         legacy_binding_digest(*ctx.secrets, c.query_code, c.password)});
  }
  return d;
}

Outcome decide_one(const CaseState& state, const AssignJudge& c, const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  if (!acts_for_court(ctx.actor, state.court, {Role::kCourtSystem})) {
    return fail(RejectionCode::kForbidden,
                "Expected the court system of " + state.court + ", but " + ctx.actor.id + " (" +
                    std::string(enum_name(ctx.actor.role)) + ") assigns the judge");
  }
  if (c.judge.empty()) {
    Violations v;
    v.add("judge", "Expected the judge's staff id, but it is empty");
    return unexpected(v.rejection());
  }
  if (c.judge == state.judge)
    return Decision{};
  fb::JudgeAssignedT event;
  event.judge = c.judge;
  return decided({make_event(event_type::kJudgeAssigned, event)});
}

Outcome decide_one(const CaseState& state, const BindLegacyCase& c, const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  if (ctx.actor.role != Role::kLawyer) {
    return fail(RejectionCode::kForbidden, "Expected a lawyer to bind the case, but " +
                                               ctx.actor.id + " is " +
                                               std::string(enum_name(ctx.actor.role)));
  }
  if (!state.legacy_binding) {
    return fail(RejectionCode::kInvalidState,
                "Expected a case accepted before 2018-09-01, but " + state.case_number +
                    " was accepted later and links its agents automatically");
  }
  if (agent_for(state, ctx.actor.id, facts_of(ctx)) != nullptr) {
    return fail(RejectionCode::kInvalidState, "Expected a lawyer not yet bound to the case, but " +
                                                  ctx.actor.id + " is an agent");
  }
  // Only this lawyer's wrong attempts of the last window count: another lawyer's guessing never
  // holds back the rightful one.
  std::vector<std::int64_t> recent;
  if (auto it = state.legacy_binding->failures.find(ctx.actor.id);
      it != state.legacy_binding->failures.end()) {
    for (auto at : it->second) {
      if (at > ctx.now_us - CaseAggregate::kBindingWindowUs)
        recent.push_back(at);
    }
  }
  if (recent.size() >= CaseAggregate::kMaxBindingAttempts) {
    const auto next_at = recent[recent.size() - CaseAggregate::kMaxBindingAttempts] +
                         CaseAggregate::kBindingWindowUs;
    return fail(RejectionCode::kPolicy,
                "Expected fewer than " + std::to_string(CaseAggregate::kMaxBindingAttempts) +
                    " wrong binding attempts by " + ctx.actor.id + " in 24 hours, but there were " +
                    std::to_string(recent.size()) + "; " + ctx.actor.id + " may try again after " +
                    std::to_string(next_at) + " us");
  }
  // The lawyer as their account says, and the notice's digest from the credential store.
  const Facts& facts = facts_of(ctx);
  const LawyerState& lawyer = facts.lawyer(ctx.actor.id);
  if (!lawyer.exists || !lawyer.active) {
    return fail(RejectionCode::kForbidden,
                "Expected a lawyer with an active account, but " + ctx.actor.id + " has none");
  }
  const std::string digest =
      facts.credential(case_stream(state.case_number), CredentialKind::kLegacyBinding);
  Violations v;
  v.require(!c.query_code.empty(), "query_code", "Expected a query code, but it is empty");
  v.require(!c.password.empty(), "password", "Expected a password, but it is empty");
  v.require(!lawyer.name.empty(), "lawyer_name", "Expected the lawyer's name, but it is empty");
  v.require(!lawyer.id_number.empty(), "lawyer_identity_number",
            "Expected the lawyer's identity number, but it is empty");
  if (!v.empty())
    return unexpected(v.rejection());

  const bool matches =
      !digest.empty() &&
      same_in_constant_time(legacy_binding_digest(*ctx.secrets, c.query_code, c.password), digest);
  if (!matches) {
    fb::LegacyBindingFailedT failed;
    failed.licence = ctx.actor.id;
    failed.failed_attempts = static_cast<std::uint32_t>(recent.size() + 1);
    failed.failed_at_us = ctx.now_us;
    // The attempt counts (it is recorded) and is refused all the same.
    Decision decision;
    decision.events.push_back(make_event(event_type::kLegacyBindingFailed, failed, 2));
    decision.rejection =
        reject(RejectionCode::kForbidden,
               "Expected the query code and password of the acceptance notice, but they do not "
               "match");
    return decision;
  }
  fb::LawyerBoundToCaseT bound;
  bound.agent = to_fb(CaseAgent{ctx.actor.id, lawyer.id_number, lawyer.name, lawyer.firm, {}});
  return decided({make_event(event_type::kLawyerBoundToCase, bound)});
}

Outcome decide_one(const CaseState& state, const WithdrawCase& c, const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  const bool by_system = ctx.actor.role == Role::kSystem;
  const bool by_court_system = acts_for_court(ctx.actor, state.court, {Role::kCourtSystem});
  if (!by_system && !by_court_system) {
    return fail(RejectionCode::kForbidden,
                "Expected the system or the court system of " + state.court + ", but " +
                    ctx.actor.id + " (" + std::string(enum_name(ctx.actor.role)) + ") withdraws");
  }
  if (state.status != CaseStatus::kOpen)
    return Decision{};  // already ended: nothing to do
  fb::CaseWithdrawnT withdrawn;
  withdrawn.reason = c.reason.empty() ? "treated as withdrawn" : c.reason;
  withdrawn.payment_notice = c.payment_notice;
  Decision decision;
  decision.events.push_back(make_event(event_type::kCaseWithdrawn, withdrawn));
  decision.timers_to_cancel = pending_exchange_timers(state);
  return decision;
}

Outcome decide_one(const CaseState& state, const CloseCase& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for closing the case, but it is empty");
    return unexpected(v.rejection());
  }
  fb::CaseClosedT closed;
  closed.reason = c.reason;
  Decision decision;
  decision.events.push_back(make_event(event_type::kCaseClosed, closed));
  decision.timers_to_cancel = pending_exchange_timers(state);
  return decision;
}

void add_case_appliers(ApplierTable<CaseState>& a) {
  // Version 1 also carried unkeyed digests of an old case's notice, which the state no longer
  // holds: they are in the credential store.
  on<fb::CaseRegisteredV1>(
      a, event_type::kCaseRegistered, 1,
      [](CaseState& s, const fb::CaseRegisteredV1T& e) { apply_registered(s, e); });
  on<fb::CaseRegistered>(
      a, event_type::kCaseRegistered, 2,
      [](CaseState& s, const fb::CaseRegisteredT& e) { apply_registered(s, e); });
  on<fb::JudgeAssigned>(a, event_type::kJudgeAssigned, 1,
                        [](CaseState& s, const fb::JudgeAssignedT& e) { s.judge = e.judge; });
  // Version 1 counted every lawyer's wrong attempts together, into fields no decision reads any
  // more.
  on<fb::LegacyBindingFailedV1>(a, event_type::kLegacyBindingFailed, 1,
                                [](CaseState& s, const fb::LegacyBindingFailedV1T& e) {
                                  if (s.legacy_binding) {
                                    s.legacy_binding->failed_attempts = e.failed_attempts;
                                  }
                                });
  on<fb::LegacyBindingFailed>(a, event_type::kLegacyBindingFailed, 2,
                              [](CaseState& s, const fb::LegacyBindingFailedT& e) {
                                if (!s.legacy_binding)
                                  return;
                                // Every lawyer's attempts that left the window are forgotten, so
                                // the state stays small.
                                auto& failures = s.legacy_binding->failures;
                                for (auto it = failures.begin(); it != failures.end();) {
                                  std::erase_if(it->second, [&](std::int64_t at) {
                                    return at <= e.failed_at_us - CaseAggregate::kBindingWindowUs;
                                  });
                                  it = it->second.empty() ? failures.erase(it) : std::next(it);
                                }
                                auto& mine = failures[e.licence];
                                mine.push_back(e.failed_at_us);
                                if (mine.size() > CaseAggregate::kMaxBindingAttempts)
                                  mine.erase(mine.begin());
                              });
  on<fb::LegacyBindingLocked>(a, event_type::kLegacyBindingLocked, 1,
                              [](CaseState& s, const fb::LegacyBindingLockedT&) {
                                if (s.legacy_binding)
                                  s.legacy_binding->locked = true;
                              });
  on<fb::LawyerBoundToCase>(a, event_type::kLawyerBoundToCase, 1,
                            [](CaseState& s, const fb::LawyerBoundToCaseT& e) {
                              if (e.agent)
                                s.agents.push_back(from_fb(*e.agent));
                            });
  on<fb::CaseWithdrawn>(a, event_type::kCaseWithdrawn, 1,
                        [](CaseState& s, const fb::CaseWithdrawnT& e) {
                          s.status = CaseStatus::kWithdrawn;
                          s.end_reason = e.reason;
                          s.withdrawal_notice = e.payment_notice;
                        });
  on<fb::CaseClosed>(a, event_type::kCaseClosed, 1, [](CaseState& s, const fb::CaseClosedT& e) {
    s.status = CaseStatus::kClosed;
    s.end_reason = e.reason;
  });
}

}  // namespace docket::domain::case_detail

namespace docket::domain {

using case_detail::quoted;

Outcome CaseAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return case_detail::decide_one(state, c, ctx); }, command);
}

const ApplierTable<CaseAggregate::State>& CaseAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("case");
    case_detail::add_case_appliers(table);
    case_detail::add_hearing_appliers(table);
    case_detail::add_transcript_appliers(table);
    case_detail::add_evidence_appliers(table);
    case_detail::add_exchange_appliers(table);
    case_detail::add_file_review_appliers(table);
    case_detail::add_message_appliers(table);
    return table;
  }();
  return kTable;
}
Expected<CaseCommand, Rejection> CaseAggregate::command_from_timer(std::string_view command_type,
                                                                   std::string_view payload) {
  if (command_type != kExchangeDeadlineCommand) {
    return unexpected(reject(RejectionCode::kValidation, "Expected timer command " +
                                                             std::string(kExchangeDeadlineCommand) +
                                                             ", but got " + quoted(command_type)));
  }
  if (payload.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected an exchange id as the timer payload, but it is empty"));
  }
  return CaseCommand{EvidenceExchangeDeadlineReached{std::string(payload)}};
}

std::string evidence_exchange_deadline_timer(std::string_view case_stream_id,
                                             std::string_view exchange_id) {
  return std::string(case_stream_id) + "/evidence-exchange/" + std::string(exchange_id) +
         "/deadline";
}

const CaseAgent* agent_for(const CaseState& state, std::string_view licence, const Facts& facts) {
  if (licence.empty())
    return nullptr;
  for (const auto& agent : state.agents) {
    if (agent.licence == licence)
      return &agent;
  }
  // Only when the licence names no agent is the account read (a fact): most commands never ask.
  const bool any_by_identity =
      std::any_of(state.agents.begin(), state.agents.end(),
                  [](const auto& a) { return !a.identity_number.empty(); });
  if (!any_by_identity)
    return nullptr;
  const LawyerState& lawyer = facts.lawyer(licence);
  if (!lawyer.exists || lawyer.id_number.empty())
    return nullptr;
  for (const auto& agent : state.agents) {
    if (agent.identity_number == lawyer.id_number)
      return &agent;
  }
  return nullptr;
}

bool is_case_agent(const CaseState& state, const Principal& principal, const Facts& facts) {
  return principal.role == Role::kLawyer && agent_for(state, principal.id, facts) != nullptr;
}

bool is_judge_side(const CaseState& state, const Principal& principal) {
  if (principal.role == Role::kJudge) {
    return !state.judge.empty() && principal.id == state.judge &&
           acts_for_court(principal, state.court, {Role::kJudge});
  }
  return acts_for_court(principal, state.court, {Role::kCourtSystem});
}

}  // namespace docket::domain
