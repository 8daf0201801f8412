#include "docket/domain/filing.h"

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <utility>

#include "deciding.h"
#include "docket/domain/facts.h"
#include "docket/domain/fee.h"
#include "filing_generated.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

constexpr std::string_view kReviewTimerCommand = timer_command::kReviewDeadlineReached;
constexpr std::string_view kCorrectionTimerCommand = timer_command::kCorrectionDeadlineReached;
constexpr std::string_view kMediationTimerCommand = timer_command::kMediationDeadlineReached;

// --- payload conversions ---------------------------------------------------------------------

std::unique_ptr<fb::FilingPartyT> to_fb(const FilingParty& p) {
  auto out = std::make_unique<fb::FilingPartyT>();
  out->party_id = p.party_id;
  out->position = static_cast<fb::FilingPartyPosition>(p.position);
  out->kind = static_cast<fb::FilingPartyKind>(p.kind);
  out->name = p.name;
  out->id_number = p.id_number;
  out->minor = p.minor;
  out->phone = p.phone;
  out->address = p.address;
  out->legal_representative = p.legal_representative;
  out->legal_representative_id_number = p.legal_representative_id_number;
  return out;
}

FilingParty from_fb(const fb::FilingPartyT& p) {
  return FilingParty{p.party_id,
                     static_cast<FilingPartyPosition>(p.position),
                     static_cast<FilingPartyKind>(p.kind),
                     p.name,
                     p.id_number,
                     p.minor,
                     p.phone,
                     p.address,
                     p.legal_representative,
                     p.legal_representative_id_number};
}

std::unique_ptr<fb::FilingAgentT> to_fb(const FilingAgent& a) {
  auto out = std::make_unique<fb::FilingAgentT>();
  out->licence_number = a.licence_number;
  out->name = a.name;
  out->firm = a.firm;
  out->id_number = a.id_number;
  out->phone = a.phone;
  out->represents = a.represents;
  return out;
}

FilingAgent from_fb(const fb::FilingAgentT& a) {
  return FilingAgent{a.licence_number, a.name, a.firm, a.id_number, a.phone, a.represents};
}

std::unique_ptr<fb::FilingServiceAddressT> to_fb(const ServiceAddress& a) {
  auto out = std::make_unique<fb::FilingServiceAddressT>();
  out->party_id = a.party_id;
  out->address = a.address;
  out->phone = a.phone;
  out->email = a.email;
  out->electronic_service_consent = a.electronic_service_consent;
  return out;
}

ServiceAddress from_fb(const fb::FilingServiceAddressT& a) {
  return ServiceAddress{a.party_id, a.address, a.phone, a.email, a.electronic_service_consent};
}

std::unique_ptr<fb::FilingMaterialT> to_fb(const FilingMaterial& m) {
  auto out = std::make_unique<fb::FilingMaterialT>();
  out->material_id = m.material_id;
  out->material_type = m.material_type;
  out->title = m.title;
  out->blob_hashes = m.blob_hashes;
  return out;
}

FilingMaterial from_fb(const fb::FilingMaterialT& m) {
  return FilingMaterial{m.material_id, m.material_type, m.title, m.blob_hashes};
}

std::unique_ptr<fb::FilingIdentityPaperT> to_fb(const IdentityPaper& p) {
  auto out = std::make_unique<fb::FilingIdentityPaperT>();
  out->party_id = p.party_id;
  out->kind = static_cast<fb::FilingIdentityPaperKind>(p.kind);
  out->blob_hash = p.blob_hash;
  return out;
}

IdentityPaper from_fb(const fb::FilingIdentityPaperT& p) {
  return IdentityPaper{p.party_id, static_cast<IdentityPaperKind>(p.kind), p.blob_hash};
}

std::unique_ptr<fb::FilingCorrectionItemT> to_fb(const CorrectionItem& i) {
  auto out = std::make_unique<fb::FilingCorrectionItemT>();
  out->field = i.field;
  out->message = i.message;
  return out;
}

CorrectionItem from_fb(const fb::FilingCorrectionItemT& i) {
  return CorrectionItem{i.field, i.message};
}

template <class T>
auto to_fb_list(const std::vector<T>& items) {
  std::vector<decltype(to_fb(items.front()))> out;
  out.reserve(items.size());
  for (const auto& item : items)
    out.push_back(to_fb(item));
  return out;
}

template <class Domain, class FbT>
std::vector<Domain> from_fb_list(const std::vector<std::unique_ptr<FbT>>& items) {
  std::vector<Domain> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    if (item)
      out.push_back(from_fb(*item));
  }
  return out;
}

// --- guards ----------------------------------------------------------------------------------

bool live(const FilingState& s) {
  return s.exists && s.status != FilingStatus::kDeleted;
}

std::string status_text(const FilingState& s) {
  return std::string(enum_name(s.status));
}

std::optional<Rejection> require_live(const FilingState& s) {
  if (live(s))
    return std::nullopt;
  return reject(RejectionCode::kNotFound,
                s.exists ? "Expected an existing filing, but the draft was deleted"
                         : "Expected an existing filing, but there is none");
}

std::optional<Rejection> require_filer(const FilingState& s, const Context& ctx) {
  if (ctx.actor.role == Role::kLawyer && ctx.actor.id == s.filer)
    return std::nullopt;
  return reject(RejectionCode::kForbidden, "Expected the filer " + s.filer + " to act, but " +
                                               std::string(enum_name(ctx.actor.role)) + " " +
                                               quoted(ctx.actor.id) + " did");
}

std::optional<Rejection> require_editable(const FilingState& s) {
  if (s.status == FilingStatus::kDraft || s.status == FilingStatus::kCorrectionRequested) {
    return std::nullopt;
  }
  return reject(RejectionCode::kInvalidState,
                "Expected a draft or a filing with a correction requested, but the filing is " +
                    status_text(s));
}

std::optional<Rejection> require_clerk_of_court(const FilingState& s, const Context& ctx) {
  return require_court_staff(ctx.actor, s.court, {Role::kClerk}, "a clerk");
}

std::optional<Rejection> require_submitted(const FilingState& s) {
  if (s.status == FilingStatus::kSubmitted)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected a submitted filing awaiting review, but the filing is " + status_text(s));
}

std::optional<Rejection> require_system(const Context& ctx) {
  if (ctx.actor.role == Role::kSystem)
    return std::nullopt;
  return reject(RejectionCode::kForbidden, "Expected the system to run a deadline, but " +
                                               std::string(enum_name(ctx.actor.role)) + " " +
                                               quoted(ctx.actor.id) + " did");
}

// Runs the guards in order; the first that fails is the answer.
template <class... Guards>
std::optional<Rejection> first_failure(Guards&&... guards) {
  std::optional<Rejection> out;
  ((out = out ? out : guards()), ...);
  return out;
}

std::optional<Rejection> editor_guards(const FilingState& s, const Context& ctx) {
  return first_failure([&] { return require_live(s); }, [&] { return require_filer(s, ctx); },
                       [&] { return require_editable(s); });
}

std::optional<Rejection> reviewer_guards(const FilingState& s, const Context& ctx) {
  return first_failure([&] { return require_live(s); },
                       [&] { return require_clerk_of_court(s, ctx); },
                       [&] { return require_submitted(s); });
}

std::string filing_stream(const FilingState& s) {
  return domain::filing_stream(s.filing_id);
}

template <class T>
bool contains(const std::vector<T>& items, const T& value) {
  return std::find(items.begin(), items.end(), value) != items.end();
}

// Unique, non-empty ids; violations under `field`.
template <class T, class IdOf>
void check_ids(Violations& v, const std::vector<T>& items, std::string_view field,
               std::string_view what, IdOf id_of) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = id_of(items[i]);
    const std::string path = std::string(field) + "[" + std::to_string(i) + "]";
    if (id.empty()) {
      v.add(path, "Expected a " + std::string(what) + ", but it is empty");
    } else if (!seen.insert(id).second) {
      v.add(path, "Expected a unique " + std::string(what) + ", but " + quoted(id) +
                      " appears more than once");
    }
  }
}

// --- the wizard steps ------------------------------------------------------------------------

Outcome decide_step(const FilingState& s, const AcceptFilingNotice&, const Context& ctx) {
  if (!s.exists) {
    if (ctx.actor.role != Role::kLawyer || ctx.actor.id.empty()) {
      return fail(RejectionCode::kForbidden, "Expected a lawyer to start a filing, but " +
                                                 std::string(enum_name(ctx.actor.role)) + " " +
                                                 quoted(ctx.actor.id) + " did");
    }
    fb::FilingNoticeAcceptedT e;
    e.filer = ctx.actor.id;
    return decided({make_event(event_type::kFilingNoticeAccepted, e)});
  }
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  fb::FilingNoticeAcceptedT e;
  e.filer = s.filer;
  return decided({make_event(event_type::kFilingNoticeAccepted, e)});
}

Outcome decide_step(const FilingState& s, const ChooseCaseCategory& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  v.require(!c.category.empty(), "category", "Expected a case category, but none was chosen");
  v.require(!c.application_type.empty(), "application_type",
            "Expected an application type, but none was chosen");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CaseCategoryChosenT e;
  e.category = c.category;
  e.application_type = c.application_type;
  return decided({make_event(event_type::kCaseCategoryChosen, e)});
}

Outcome decide_step(const FilingState& s, const SaveCaseInformation& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  v.require(c.amount_in_dispute_fen >= 0, "case_information.amount_in_dispute_fen",
            "Expected an amount in dispute of at least 0 fen, but it is " +
                std::to_string(c.amount_in_dispute_fen));
  for (std::size_t i = 0; i < c.claims.size(); ++i) {
    v.require(!c.claims[i].empty(), "case_information.claims[" + std::to_string(i) + "]",
              "Expected a claim's text, but it is empty");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CaseInformationSavedT e;
  e.claim_items = c.claims;
  e.facts_and_reasons = c.facts_and_reasons;
  e.amount_in_dispute_fen = c.amount_in_dispute_fen;
  return decided({make_event(event_type::kCaseInformationSaved, e, 2)});
}

Outcome decide_step(const FilingState& s, const SaveParties& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  check_ids(v, c.parties, "parties", "party id", [](const FilingParty& p) { return p.party_id; });
  if (!v.empty())
    return unexpected(v.rejection());
  fb::PartiesSavedT e;
  e.parties = to_fb_list(c.parties);
  return decided({make_event(event_type::kPartiesSaved, e)});
}

Outcome decide_step(const FilingState& s, const SaveAgents& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  check_ids(v, c.agents, "agents", "licence number",
            [](const FilingAgent& a) { return a.licence_number; });
  const bool filer_listed = std::any_of(c.agents.begin(), c.agents.end(),
                                        [&](const auto& a) { return a.licence_number == s.filer; });
  v.require(filer_listed, "agents",
            "Expected the filer " + s.filer + " among the agents, but they are not listed");
  // Each agent as their own account says: name, firm, identity number and phone are the
  // lawyer's, whatever the request said.
  std::vector<FilingAgent> agents = c.agents;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    auto& agent = agents[i];
    const LawyerState& lawyer = facts_of(ctx).lawyer(agent.licence_number);
    const bool active = lawyer.exists && lawyer.active;
    v.require(agent.licence_number.empty() || active,
              "agents[" + std::to_string(i) + "].licence_number",
              "Expected a registered lawyer's licence number, but " + quoted(agent.licence_number) +
                  " has no active account");
    agent.name = active ? lawyer.name : std::string();
    agent.firm = active ? lawyer.firm : std::string();
    agent.id_number = active ? lawyer.id_number : std::string();
    agent.phone = active ? lawyer.phone : std::string();
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::AgentsSavedT e;
  e.agents = to_fb_list(agents);
  return decided({make_event(event_type::kAgentsSaved, e)});
}

Outcome decide_step(const FilingState& s, const AcceptServiceAddressNotice&, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  return decided(
      {make_event(event_type::kServiceAddressNoticeAccepted, fb::ServiceAddressNoticeAcceptedT{})});
}

Outcome decide_step(const FilingState& s, const SaveServiceAddresses& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  if (!s.service_address_notice_accepted) {
    return fail(RejectionCode::kInvalidState,
                "Expected the service-address notice accepted before saving addresses, but it "
                "is not");
  }
  Violations v;
  check_ids(v, c.addresses, "service_addresses", "party id",
            [](const ServiceAddress& a) { return a.party_id; });
  if (!v.empty())
    return unexpected(v.rejection());
  fb::ServiceAddressesSavedT e;
  e.addresses = to_fb_list(c.addresses);
  return decided({make_event(event_type::kServiceAddressesSaved, e)});
}

Outcome decide_step(const FilingState& s, const ChooseCourt& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  if (c.court.empty()) {
    return unexpected(reject(RejectionCode::kValidation, "Expected a court, but none was chosen",
                             {{"court", "Expected a court, but none was chosen"}}));
  }
  const CourtState& court = facts_of(ctx).court(c.court);
  if (!court.exists) {
    return fail(RejectionCode::kNotFound,
                "Expected a registered court, but " + quoted(c.court) + " is not registered");
  }
  if (s.status == FilingStatus::kCorrectionRequested && c.court != s.court) {
    return fail(RejectionCode::kInvalidState, "Expected the court " + quoted(s.court) +
                                                  " to stay while a correction is requested, but " +
                                                  quoted(c.court) + " was chosen");
  }
  fb::CourtChosenT e;
  e.court = c.court;
  e.court_name = court.name;
  return decided({make_event(event_type::kCourtChosen, e)});
}

Outcome decide_step(const FilingState& s, const SaveMaterials& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  check_ids(v, c.materials, "materials", "material id",
            [](const FilingMaterial& m) { return m.material_id; });
  for (std::size_t i = 0; i < c.materials.size(); ++i) {
    const auto& m = c.materials[i];
    const std::string path = "materials[" + std::to_string(i) + "]";
    v.require(!m.material_type.empty(), path + ".material_type",
              "Expected a material type, but it is empty");
    v.require(!m.blob_hashes.empty(), path + ".blob_hashes",
              "Expected at least one stored file, but there is none");
    for (std::size_t j = 0; j < m.blob_hashes.size(); ++j) {
      v.require(
          is_sha256_hex(m.blob_hashes[j]), path + ".blob_hashes[" + std::to_string(j) + "]",
          "Expected a lower-hex SHA-256 of a stored file, but got " + quoted(m.blob_hashes[j]));
    }
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::MaterialsSavedT e;
  e.materials = to_fb_list(c.materials);
  return decided({make_event(event_type::kMaterialsSaved, e)});
}

Outcome decide_step(const FilingState& s, const SaveIdentityPapers& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  Violations v;
  for (std::size_t i = 0; i < c.papers.size(); ++i) {
    const auto& p = c.papers[i];
    const std::string path = "identity_papers[" + std::to_string(i) + "]";
    v.require(!p.party_id.empty(), path + ".party_id", "Expected a party id, but it is empty");
    v.require(is_sha256_hex(p.blob_hash), path + ".blob_hash",
              "Expected a lower-hex SHA-256 of a stored file, but got " + quoted(p.blob_hash));
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::IdentityPapersSavedT e;
  e.papers = to_fb_list(c.papers);
  return decided({make_event(event_type::kIdentityPapersSaved, e)});
}

Outcome decide_step(const FilingState& s, const ChooseMediation& c, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  fb::MediationChosenT e;
  e.mediation = c.mediation;
  return decided({make_event(event_type::kMediationChosen, e)});
}

// --- submission ------------------------------------------------------------------------------

const FilingParty* find_party(const FilingState& s, std::string_view party_id) {
  for (const auto& p : s.parties) {
    if (p.party_id == party_id)
      return &p;
  }
  return nullptr;
}

bool has_paper(const FilingState& s, std::string_view party_id, IdentityPaperKind kind) {
  return std::any_of(s.identity_papers.begin(), s.identity_papers.end(),
                     [&](const auto& p) { return p.party_id == party_id && p.kind == kind; });
}

void check_case_information(Violations& v, const FilingState& s) {
  if (!s.case_information_saved) {
    v.add("case_information", "Expected the case information saved, but it is missing");
    return;
  }
  v.require(!s.claims.empty(), "case_information.claims",
            "Expected at least one claim, but there is none");
  v.require(!s.facts_and_reasons.empty(), "case_information.facts_and_reasons",
            "Expected the facts and reasons, but they are empty");
}

void check_parties(Violations& v, const FilingState& s) {
  const auto count = [&](FilingPartyPosition position) {
    return std::count_if(s.parties.begin(), s.parties.end(),
                         [&](const auto& p) { return p.position == position; });
  };
  v.require(count(FilingPartyPosition::kPlaintiff) > 0, "parties",
            "Expected at least one plaintiff, but there is none");
  v.require(count(FilingPartyPosition::kDefendant) > 0, "parties",
            "Expected at least one defendant, but there is none");
  for (std::size_t i = 0; i < s.parties.size(); ++i) {
    const auto& p = s.parties[i];
    const std::string path = "parties[" + std::to_string(i) + "]";
    v.require(!p.name.empty(), path + ".name", "Expected the party's name, but it is empty");
    if (p.position == FilingPartyPosition::kPlaintiff) {
      v.require(!p.id_number.empty(), path + ".id_number",
                p.kind == FilingPartyKind::kNaturalPerson
                    ? "Expected the plaintiff's identity number, but it is empty"
                    : "Expected the plaintiff's unified social credit code, but it is empty");
      if (p.kind != FilingPartyKind::kNaturalPerson) {
        v.require(!p.legal_representative.empty(), path + ".legal_representative",
                  "Expected the organisation's legal representative, but it is empty");
      }
    }
    if (p.position == FilingPartyPosition::kDefendant) {
      v.require(!p.address.empty(), path + ".address",
                "Expected the defendant's address, but it is empty");
    }
  }
}

void check_agents(Violations& v, const FilingState& s) {
  if (s.agents.empty()) {
    v.add("agents", "Expected the filer among the agents, but there are no agents");
    return;
  }
  const bool filer_listed = std::any_of(s.agents.begin(), s.agents.end(),
                                        [&](const auto& a) { return a.licence_number == s.filer; });
  v.require(filer_listed, "agents",
            "Expected the filer " + s.filer + " among the agents, but they are not listed");
  for (std::size_t i = 0; i < s.agents.size(); ++i) {
    const auto& a = s.agents[i];
    const std::string path = "agents[" + std::to_string(i) + "].represents";
    v.require(!a.represents.empty(), path,
              "Expected the agent to represent a party, but they represent none");
    for (const auto& party_id : a.represents) {
      v.require(find_party(s, party_id) != nullptr, path,
                "Expected a party of the filing, but " + quoted(party_id) + " is not one");
    }
  }
}

void check_service_addresses(Violations& v, const FilingState& s) {
  v.require(s.service_address_notice_accepted, "service_address_notice",
            "Expected the service-address notice accepted, but it is not");
  std::set<std::string> represented;
  for (const auto& a : s.agents)
    represented.insert(a.represents.begin(), a.represents.end());
  const bool any_represented = std::any_of(represented.begin(), represented.end(),
                                           [&](const auto& id) { return find_party(s, id); });
  if (!any_represented && s.service_addresses.empty()) {
    // Nothing yet says whose addresses are needed: listed now all the same, not on a second
    // round once the parties and agents are saved.
    v.add("service_addresses",
          "Expected a service address for each party an agent represents, but there are none");
  }
  for (const auto& party_id : represented) {
    if (find_party(s, party_id) == nullptr)
      continue;  // reported under agents
    const auto it = std::find_if(s.service_addresses.begin(), s.service_addresses.end(),
                                 [&](const auto& a) { return a.party_id == party_id; });
    if (it == s.service_addresses.end()) {
      v.add("service_addresses[" + party_id + "]",
            "Expected a service address for represented party " + quoted(party_id) +
                ", but there is none");
    } else {
      v.require(!it->address.empty(), "service_addresses[" + party_id + "].address",
                "Expected a service address, but it is empty");
    }
  }
  for (const auto& a : s.service_addresses) {
    v.require(find_party(s, a.party_id) != nullptr, "service_addresses[" + a.party_id + "]",
              "Expected a party of the filing, but " + quoted(a.party_id) + " is not one");
  }
}

void check_materials(Violations& v, const FilingState& s, const FilingCourtFacts& court) {
  const bool has_complaint = std::any_of(s.materials.begin(), s.materials.end(), [](const auto& m) {
    return m.material_type == kComplaintMaterialType;
  });
  v.require(has_complaint, "materials", "Expected at least one complaint, but there is none");
  if (s.court.empty())
    return;
  for (std::size_t i = 0; i < s.materials.size(); ++i) {
    const auto& type = s.materials[i].material_type;
    v.require(contains(court.material_types, type),
              "materials[" + std::to_string(i) + "].material_type",
              "Expected a material type of the court's list, but " + quoted(type) + " is not");
  }
}

void check_identity_papers(Violations& v, const FilingState& s) {
  const auto need = [&](const FilingParty& p, IdentityPaperKind kind) {
    v.require(has_paper(s, p.party_id, kind),
              "identity_papers[" + p.party_id + "]." + std::string(enum_name(kind)),
              "Expected the " + std::string(enum_name(kind)) + " of plaintiff " +
                  quoted(p.party_id) + ", but it is missing");
  };
  const bool any_plaintiff = std::any_of(s.parties.begin(), s.parties.end(), [](const auto& p) {
    return p.position == FilingPartyPosition::kPlaintiff;
  });
  if (!any_plaintiff && s.identity_papers.empty()) {
    // As for service addresses: listed before the parties say whose papers are needed.
    v.add("identity_papers", "Expected the identity papers of every plaintiff, but there are none");
  }
  for (const auto& p : s.parties) {
    if (p.position != FilingPartyPosition::kPlaintiff)
      continue;
    if (p.kind == FilingPartyKind::kNaturalPerson) {
      need(p, IdentityPaperKind::kIdCardFront);
      need(p, IdentityPaperKind::kIdCardBack);
      if (p.minor)
        need(p, IdentityPaperKind::kHouseholdRegister);
    } else {
      need(p, IdentityPaperKind::kLegalRepresentativeCertificate);
      need(p, IdentityPaperKind::kLegalRepresentativeIdCard);
    }
  }
  for (std::size_t i = 0; i < s.identity_papers.size(); ++i) {
    const auto& party_id = s.identity_papers[i].party_id;
    v.require(find_party(s, party_id) != nullptr,
              "identity_papers[" + std::to_string(i) + "].party_id",
              "Expected a party of the filing, but " + quoted(party_id) + " is not one");
  }
}

Violations submission_violations(const FilingState& s, const FilingCourtFacts& court) {
  Violations v;
  v.require(s.filing_notice_accepted, "filing_notice",
            "Expected the filing notice accepted, but it is not");
  v.require(!s.category.empty(), "category", "Expected a case category, but none was chosen");
  v.require(!s.application_type.empty(), "application_type",
            "Expected an application type, but none was chosen");
  if (!s.court.empty()) {
    v.require(
        s.category.empty() || contains(court.case_categories, s.category), "category",
        "Expected a case category of the court's list, but " + quoted(s.category) + " is not");
    v.require(s.application_type.empty() || contains(court.application_types, s.application_type),
              "application_type",
              "Expected an application type of the court's list, but " +
                  quoted(s.application_type) + " is not");
    v.require(
        court.review_period_us > 0, "court.review_period_us",
        "Expected a positive review period, but it is " + std::to_string(court.review_period_us));
  }
  check_case_information(v, s);
  check_parties(v, s);
  check_agents(v, s);
  check_service_addresses(v, s);
  v.require(!s.court.empty(), "court", "Expected a court, but none was chosen");
  check_materials(v, s, court);
  check_identity_papers(v, s);
  v.require(s.mediation.has_value(), "mediation",
            "Expected a choice for or against mediation, but none was made");
  return v;
}

Outcome decide_step(const FilingState& s, const SubmitFiling&, const Context& ctx) {
  if (auto r = editor_guards(s, ctx))
    return unexpected(*r);
  // The chosen court's lists and review period; with no registered court chosen the lists are
  // empty, so every coded item (category, application type, material types) is listed as well.
  const CourtState& court = facts_of(ctx).court(s.court);
  const FilingCourtFacts facts = court.exists ? filing_facts(court) : FilingCourtFacts{};
  const Violations v = submission_violations(s, facts);
  if (!v.empty()) {
    return unexpected(v.rejection("Expected a complete filing, but " + std::to_string(v.size()) +
                                  " item(s) are missing or invalid"));
  }
  const std::uint32_t submission = s.submissions + 1;
  fb::FilingSubmittedT e;
  e.submission = submission;
  e.review_due_at_us = ctx.now_us + facts.review_period_us;
  fb::FilingReviewDeadlineTimerT timer;
  timer.submission = submission;
  Decision d;
  d.events.push_back(make_event(event_type::kFilingSubmitted, e));
  d.timers_to_set.push_back(TimerRequest{filing_review_timer_id(s.filing_id, submission),
                                         e.review_due_at_us, filing_stream(s),
                                         std::string(kReviewTimerCommand), pack(timer)});
  if (s.status == FilingStatus::kCorrectionRequested) {
    d.timers_to_cancel.push_back(filing_correction_timer_id(s.filing_id));
  }
  return d;
}

Outcome decide_step(const FilingState& s, const DeleteDraft&, const Context& ctx) {
  if (auto r =
          first_failure([&] { return require_live(s); }, [&] { return require_filer(s, ctx); })) {
    return unexpected(*r);
  }
  if (s.status != FilingStatus::kDraft) {
    return fail(RejectionCode::kInvalidState,
                "Expected a draft to delete, but the filing is " + status_text(s));
  }
  return decided({make_event(event_type::kFilingDeleted, fb::FilingDeletedT{})});
}

Outcome decide_step(const FilingState& s, const CancelFiling& c, const Context& ctx) {
  if (auto r =
          first_failure([&] { return require_live(s); }, [&] { return require_filer(s, ctx); })) {
    return unexpected(*r);
  }
  Decision d;
  switch (s.status) {
    case FilingStatus::kDraft:
      break;
    case FilingStatus::kSubmitted:
      d.timers_to_cancel.push_back(filing_review_timer_id(s.filing_id, s.submissions));
      break;
    case FilingStatus::kCorrectionRequested:
      d.timers_to_cancel.push_back(filing_correction_timer_id(s.filing_id));
      break;
    case FilingStatus::kInMediation:
      d.timers_to_cancel.push_back(filing_mediation_timer_id(s.filing_id));
      break;
    default:
      return fail(RejectionCode::kInvalidState,
                  "Expected a draft, a filing awaiting review or one in mediation to cancel, but "
                  "the filing is " +
                      status_text(s));
  }
  fb::FilingCancelledT e;
  e.reason = c.reason;
  d.events.push_back(make_event(event_type::kFilingCancelled, e));
  return d;
}

// --- review ----------------------------------------------------------------------------------

EventData accepted_event(const FilingState& s, const std::string& case_number,
                         const std::string& accepted_by, bool automatic) {
  fb::FilingAcceptedT e;
  e.filing_id = s.filing_id;
  e.case_number = case_number;
  e.court = s.court;
  e.court_name = s.court_name;
  e.category = s.category;
  e.application_type = s.application_type;
  e.filer = s.filer;
  e.parties = to_fb_list(s.parties);
  e.agents = to_fb_list(s.agents);
  e.service_addresses = to_fb_list(s.service_addresses);
  e.claim_items = s.claims;
  e.facts_and_reasons = s.facts_and_reasons;
  e.amount_in_dispute_fen = s.amount_in_dispute_fen;
  e.mediation = s.mediation.value_or(false);
  e.materials = to_fb_list(s.materials);
  e.accepted_by = accepted_by;
  e.automatic = automatic;
  return make_event(event_type::kFilingAccepted, e);
}

// The latest identity check of a party (`checks.end()` when none).
template <class Checks>
auto check_of(Checks& checks, std::string_view party_id) {
  return std::find_if(checks.begin(), checks.end(),
                      [&](const auto& k) { return k.party_id == party_id; });
}

Outcome decide_step(const FilingState& s, const AcceptFiling& c, const Context& ctx) {
  if (auto r = reviewer_guards(s, ctx))
    return unexpected(*r);
  if (c.case_number.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a case number to register the case under, but none was "
                             "given",
                             {{"case_number", "Expected a case number, but it is empty"}}));
  }
  // An accepted filing is billed by a payment notice from the court's fee schedule: a filing
  // the schedule cannot bill is not accepted (the automatic registration at the review deadline
  // cannot be refused; its notice then fails loudly, listed among the failed reactions).
  const CourtPolicy policy = policy_of(facts_of(ctx), s.court);
  if (auto fee = fee_for(policy.fee_schedule, s.category, s.amount_in_dispute_fen); !fee) {
    return fail(RejectionCode::kPolicy,
                "Expected the fee schedule of court " + quoted(s.court) +
                    " to bill this filing (its payment notice is issued on acceptance), but " +
                    fee.error().message + "; an admin adds a rule to the court's policy first");
  }
  if (policy.identity_verification_required && c.identity_override_reason.empty()) {
    std::vector<std::string> unverified;
    for (const auto& party : s.parties) {
      const auto check = check_of(s.identity_checks, party.party_id);
      if (check == s.identity_checks.end())
        unverified.push_back(quoted(party.name) + " (" + party.party_id + ") is unverified");
      else if (check->result != IdentityCheckResult::kVerified)
        unverified.push_back(quoted(party.name) + " (" + party.party_id + ") failed " +
                             std::string(enum_name(check->method)));
    }
    if (!unverified.empty()) {
      std::string list;
      for (const auto& u : unverified)
        list += (list.empty() ? "" : ", ") + u;
      return fail(RejectionCode::kPolicy,
                  "Expected every party's identity verified by the court's identity service, but " +
                      list + "; accept with identity_override_reason to proceed all the same");
    }
  }
  std::vector<EventData> events;
  if (policy.identity_verification_required && !c.identity_override_reason.empty()) {
    fb::IdentityCheckOverriddenT overridden;
    overridden.reason = c.identity_override_reason;
    overridden.overridden_by = ctx.actor.id;
    events.push_back(make_event(event_type::kIdentityCheckOverridden, overridden));
  }
  events.push_back(accepted_event(s, c.case_number, ctx.actor.id, false));
  return decided(std::move(events), {}, {filing_review_timer_id(s.filing_id, s.submissions)});
}

Outcome decide_step(const FilingState& s, const RecordIdentityCheck& c, const Context& ctx) {
  if (auto r = require_live(s))
    return unexpected(*r);
  if (!acts_for_court(ctx.actor, s.court, {Role::kCourtSystem})) {
    return fail(RejectionCode::kForbidden, "Expected the court system of the filing's court " +
                                               quoted(s.court) + ", but " + ctx.actor.id + " (" +
                                               std::string(enum_name(ctx.actor.role)) +
                                               ") records an identity check");
  }
  if (s.status != FilingStatus::kDraft && s.status != FilingStatus::kSubmitted &&
      s.status != FilingStatus::kCorrectionRequested) {
    return fail(RejectionCode::kInvalidState,
                "Expected a draft or a filing awaiting review to record an identity check on, but "
                "the filing is " +
                    status_text(s));
  }
  const bool known = std::any_of(s.parties.begin(), s.parties.end(),
                                 [&](const auto& p) { return p.party_id == c.party_id; });
  if (!known) {
    const std::string message =
        "Expected a party of the filing, but " + quoted(c.party_id) + " is none";
    return unexpected(reject(RejectionCode::kValidation, message, {{"party_id", message}}));
  }
  const auto latest = check_of(s.identity_checks, c.party_id);
  if (latest != s.identity_checks.end() && latest->method == c.method &&
      latest->result == c.result && latest->note == c.note)
    return nothing();
  fb::IdentityCheckRecordedT e;
  e.party_id = c.party_id;
  e.method = static_cast<fb::IdentityCheckMethod>(c.method);
  e.result = static_cast<fb::IdentityCheckResult>(c.result);
  e.note = c.note;
  e.recorded_by = ctx.actor.id;
  return decided({make_event(event_type::kIdentityCheckRecorded, e)});
}

Outcome decide_step(const FilingState& s, const RequestCorrection& c, const Context& ctx) {
  if (auto r = first_failure([&] { return require_live(s); },
                             [&] { return require_clerk_of_court(s, ctx); })) {
    return unexpected(*r);
  }
  if (s.correction_notice) {
    return fail(RejectionCode::kPolicy,
                "Expected at most one correction notice per filing, but one was already issued "
                "with " +
                    std::to_string(s.correction_notice->items.size()) + " item(s)");
  }
  if (auto r = require_submitted(s))
    return unexpected(*r);
  Violations v;
  v.require(!c.items.empty(), "items",
            "Expected every item to correct in the one notice, but it lists none");
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    v.require(!c.items[i].field.empty(), path + ".field",
              "Expected what to correct, but it is empty");
    v.require(!c.items[i].message.empty(), path + ".message",
              "Expected how to correct it, but it is empty");
  }
  // The period the filing's court gives (the platform's default when it is not registered).
  const std::int64_t period = policy_of(facts_of(ctx), s.court).correction_period_us;
  v.require(period > 0, "correction_period_us",
            "Expected a positive correction period, but it is " + std::to_string(period));
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CorrectionRequestedT e;
  e.items = to_fb_list(c.items);
  e.deadline_at_us = ctx.now_us + period;
  e.requested_by = ctx.actor.id;
  fb::FilingCorrectionDeadlineTimerT timer;
  timer.deadline_at_us = e.deadline_at_us;
  return decided(
      {make_event(event_type::kCorrectionRequested, e)},
      {TimerRequest{filing_correction_timer_id(s.filing_id), e.deadline_at_us, filing_stream(s),
                    std::string(kCorrectionTimerCommand), pack(timer)}},
      {filing_review_timer_id(s.filing_id, s.submissions)});
}

Outcome decide_step(const FilingState& s, const RejectFiling& c, const Context& ctx) {
  if (auto r = reviewer_guards(s, ctx))
    return unexpected(*r);
  if (c.reason.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a reason for the rejection, but none was given",
                             {{"reason", "Expected a reason, but it is empty"}}));
  }
  fb::FilingRejectedT e;
  e.reason = c.reason;
  e.rejected_by = ctx.actor.id;
  return decided({make_event(event_type::kFilingRejected, e)}, {},
                 {filing_review_timer_id(s.filing_id, s.submissions)});
}

// --- mediation -------------------------------------------------------------------------------

// The review clock starting again for the current submission: its timer, due after the court's
// review period from now.
TimerRequest review_restarted(const FilingState& s, const Context& ctx, std::int64_t& due_at_us) {
  const CourtState& court = facts_of(ctx).court(s.court);
  const FilingCourtFacts facts = court.exists ? filing_facts(court) : FilingCourtFacts{};
  due_at_us = ctx.now_us + facts.review_period_us;
  fb::FilingReviewDeadlineTimerT timer;
  timer.submission = s.submissions;
  return TimerRequest{filing_review_timer_id(s.filing_id, s.submissions), due_at_us,
                      filing_stream(s), std::string(kReviewTimerCommand), pack(timer)};
}

std::optional<Rejection> require_in_mediation(const FilingState& s) {
  if (s.status == FilingStatus::kInMediation && s.mediation_referral)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected a filing in mediation, but the filing is " + status_text(s));
}

Outcome decide_step(const FilingState& s, const ReferToMediation& c, const Context& ctx) {
  if (auto r = reviewer_guards(s, ctx))
    return unexpected(*r);
  if (s.mediation != true) {
    return fail(RejectionCode::kPolicy,
                "Expected the parties to have chosen mediation, but the filing opted out of it");
  }
  if (s.mediation_referral) {
    return fail(RejectionCode::kPolicy,
                "Expected at most one referral to mediation per filing, but it was referred to " +
                    quoted(s.mediation_referral->mediation_organisation.empty()
                               ? s.mediation_referral->mediator
                               : s.mediation_referral->mediation_organisation) +
                    " already");
  }
  const CourtPolicy policy = policy_of(facts_of(ctx), s.court);
  if (contains(policy.no_mediation_case_categories, s.category)) {
    return fail(RejectionCode::kPolicy,
                "Expected a dispute the court refers to mediation, but "
                "its policy excludes the case category " +
                    quoted(s.category));
  }
  Violations v;
  v.require(!c.mediator.empty() || !c.mediation_organisation.empty(), "mediator",
            "Expected a mediator or a mediation organisation, but neither was given");
  v.require(c.deadline_at_us > ctx.now_us, "deadline_at_us",
            "Expected a mediation deadline in the future, but it is " +
                std::to_string(c.deadline_at_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::FilingReferredToMediationT e;
  e.mediator = c.mediator;
  e.mediation_organisation = c.mediation_organisation;
  e.deadline_at_us = c.deadline_at_us;
  e.referred_by = ctx.actor.id;
  fb::FilingMediationDeadlineTimerT timer;
  timer.deadline_at_us = c.deadline_at_us;
  return decided({make_event(event_type::kFilingReferredToMediation, e)},
                 {TimerRequest{filing_mediation_timer_id(s.filing_id), c.deadline_at_us,
                               filing_stream(s), std::string(kMediationTimerCommand), pack(timer)}},
                 {filing_review_timer_id(s.filing_id, s.submissions)});
}

Outcome decide_step(const FilingState& s, const RecordMediationOutcome& c, const Context& ctx) {
  if (auto r = require_live(s))
    return unexpected(*r);
  if (!acts_for_court(ctx.actor, s.court, {Role::kCourtSystem, Role::kClerk})) {
    return fail(RejectionCode::kForbidden,
                "Expected the court system or a clerk of the filing's court " + quoted(s.court) +
                    ", but " + ctx.actor.id + " (" + std::string(enum_name(ctx.actor.role)) +
                    ") records the mediation's outcome");
  }
  if (auto r = require_in_mediation(s))
    return unexpected(*r);
  Violations v;
  v.require(c.outcome != MediationOutcome::kPending, "outcome",
            "Expected an agreement or a failure, but the outcome is pending");
  if (c.outcome == MediationOutcome::kAgreement) {
    v.require(is_sha256_hex(c.agreement_blob_hash), "agreement_blob_hash",
              "Expected the agreement document's SHA-256 (64 lower-case hex digits), but got " +
                  quoted(c.agreement_blob_hash));
  } else {
    v.require(c.agreement_blob_hash.empty(), "agreement_blob_hash",
              "Expected no agreement document with a failure, but one was given");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::MediationConcludedT e;
  e.outcome = static_cast<fb::MediationOutcome>(c.outcome);
  e.agreement_blob_hash = c.agreement_blob_hash;
  e.note = c.note;
  e.concluded_by = ctx.actor.id;
  Decision d;
  d.timers_to_cancel.push_back(filing_mediation_timer_id(s.filing_id));
  if (c.outcome == MediationOutcome::kFailure)
    d.timers_to_set.push_back(review_restarted(s, ctx, e.review_due_at_us));
  d.events.push_back(make_event(event_type::kMediationConcluded, e));
  return d;
}

Outcome decide_step(const FilingState& s, const MediationDeadlineReached& c, const Context& ctx) {
  if (auto r = require_system(ctx))
    return unexpected(*r);
  if (!live(s) || s.status != FilingStatus::kInMediation || !s.mediation_referral ||
      s.mediation_referral->deadline_at_us != c.deadline_at_us || ctx.now_us < c.deadline_at_us) {
    return nothing();
  }
  fb::MediationConcludedT e;
  e.outcome = fb::MediationOutcome::Failure;
  e.note = "the mediation deadline passed without an agreement";
  e.deadline_passed = true;
  Decision d;
  d.timers_to_set.push_back(review_restarted(s, ctx, e.review_due_at_us));
  d.events.push_back(make_event(event_type::kMediationConcluded, e));
  return d;
}

Outcome decide_step(const FilingState& s, const ApplyForJudicialConfirmation&, const Context& ctx) {
  if (auto r =
          first_failure([&] { return require_live(s); }, [&] { return require_filer(s, ctx); })) {
    return unexpected(*r);
  }
  if (s.status != FilingStatus::kMediated || !s.mediation_referral) {
    return fail(RejectionCode::kInvalidState,
                "Expected a filing mediated to an agreement, but the filing is " + status_text(s));
  }
  const MediationReferral& m = *s.mediation_referral;
  if (m.judicial_confirmation != JudicialConfirmation::kNone) {
    return fail(RejectionCode::kConflict,
                "Expected no application for judicial confirmation yet, but the agreement's is " +
                    std::string(enum_name(m.judicial_confirmation)));
  }
  if (ctx.now_us > m.concluded_at_us + kJudicialConfirmationWindowUs) {
    return fail(RejectionCode::kPolicy,
                "Expected an application within 30 days of the agreement (by " +
                    std::to_string(m.concluded_at_us + kJudicialConfirmationWindowUs) +
                    " us), but it is " + std::to_string(ctx.now_us) + " us");
  }
  fb::JudicialConfirmationAppliedT e;
  e.applied_by = ctx.actor.id;
  return decided({make_event(event_type::kJudicialConfirmationApplied, e)});
}

Outcome decide_step(const FilingState& s, const DecideJudicialConfirmation& c, const Context& ctx) {
  if (auto r = first_failure(
          [&] { return require_live(s); },
          [&] { return require_court_staff(ctx.actor, s.court, {Role::kJudge}, "a judge"); })) {
    return unexpected(*r);
  }
  if (s.status != FilingStatus::kMediated || !s.mediation_referral ||
      s.mediation_referral->judicial_confirmation != JudicialConfirmation::kApplied) {
    return fail(RejectionCode::kInvalidState,
                "Expected an application for judicial confirmation awaiting a decision, but the "
                "filing is " +
                    status_text(s) + " and has none pending");
  }
  if (!c.confirmed && c.reason.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a reason for refusing the confirmation, but none was given",
                             {{"reason", "Expected a reason, but it is empty"}}));
  }
  fb::JudicialConfirmationDecidedT e;
  e.confirmed = c.confirmed;
  e.reason = c.reason;
  e.decided_by = ctx.actor.id;
  Decision d;
  if (!c.confirmed)
    d.timers_to_set.push_back(review_restarted(s, ctx, e.review_due_at_us));
  d.events.push_back(make_event(event_type::kJudicialConfirmationDecided, e));
  return d;
}

// --- timers ----------------------------------------------------------------------------------

Outcome decide_step(const FilingState& s, const ReviewDeadlineReached& c, const Context& ctx) {
  if (auto r = require_system(ctx))
    return unexpected(*r);
  // Late or stale: the filing was decided, withdrawn or resubmitted since this timer was set.
  if (!live(s) || s.status != FilingStatus::kSubmitted || c.submission != s.submissions ||
      ctx.now_us < s.review_due_at_us) {
    return nothing();
  }
  if (c.auto_register && c.case_number.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a case number to register the filing automatically, but "
                             "none was given",
                             {{"case_number", "Expected a case number, but it is empty"}}));
  }
  Decision d;
  if (!s.review_overdue) {
    fb::FilingReviewOverdueT e;
    e.submission = s.submissions;
    e.due_at_us = s.review_due_at_us;
    d.events.push_back(make_event(event_type::kFilingReviewOverdue, e));
  }
  if (c.auto_register)
    d.events.push_back(accepted_event(s, c.case_number, "", true));
  return d;
}

Outcome decide_step(const FilingState& s, const CorrectionDeadlineReached& c, const Context& ctx) {
  if (auto r = require_system(ctx))
    return unexpected(*r);
  if (!live(s) || s.status != FilingStatus::kCorrectionRequested || !s.correction_notice ||
      s.correction_notice->deadline_at_us != c.deadline_at_us || ctx.now_us < c.deadline_at_us) {
    return nothing();
  }
  fb::FilingReturnedT e;
  e.deadline_at_us = c.deadline_at_us;
  return decided({make_event(event_type::kFilingReturned, e)});
}

// --- appliers: one per (event type, schema version); a shipped applier is never edited -------

template <class Table, class Apply>
void with_payload(FilingState& s, const StoredEvent& event, Apply apply) {
  apply(s, payload_of<Table>(event));
}

void apply_filing_notice_accepted_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingNoticeAccepted>(s, event, [&](FilingState& st, const auto& p) {
    if (!st.exists) {
      st.exists = true;
      st.filing_id =
          std::string(id_in_stream(event.stream, category::kFiling).value_or(event.stream));
      st.filer = p.filer;
      st.status = FilingStatus::kDraft;
    }
    st.filing_notice_accepted = true;
  });
}

void apply_case_category_chosen_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::CaseCategoryChosen>(s, event, [](FilingState& st, const auto& p) {
    st.category = p.category;
    st.application_type = p.application_type;
  });
}

// v1: the claims as one text.
void apply_case_information_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::CaseInformationSaved>(s, event, [](FilingState& st, const auto& p) {
    st.case_information_saved = true;
    st.claims.clear();
    if (!p.claims.empty())
      st.claims.push_back(p.claims);
    st.facts_and_reasons = p.facts_and_reasons;
    st.amount_in_dispute_fen = p.amount_in_dispute_fen;
  });
}

// v2: the claims as a list.
void apply_case_information_saved_v2(FilingState& s, const StoredEvent& event) {
  with_payload<fb::CaseInformationSaved>(s, event, [](FilingState& st, const auto& p) {
    st.case_information_saved = true;
    st.claims = p.claim_items;
    st.facts_and_reasons = p.facts_and_reasons;
    st.amount_in_dispute_fen = p.amount_in_dispute_fen;
  });
}

void apply_parties_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::PartiesSaved>(s, event, [](FilingState& st, const auto& p) {
    st.parties = from_fb_list<FilingParty>(p.parties);
  });
}

void apply_agents_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::AgentsSaved>(s, event, [](FilingState& st, const auto& p) {
    st.agents = from_fb_list<FilingAgent>(p.agents);
  });
}

void apply_service_address_notice_accepted_v1(FilingState& s, const StoredEvent&) {
  s.service_address_notice_accepted = true;
}

void apply_service_addresses_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::ServiceAddressesSaved>(s, event, [](FilingState& st, const auto& p) {
    st.service_addresses = from_fb_list<ServiceAddress>(p.addresses);
  });
}

void apply_court_chosen_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::CourtChosen>(s, event, [](FilingState& st, const auto& p) {
    st.court = p.court;
    st.court_name = p.court_name;
  });
}

void apply_materials_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::MaterialsSaved>(s, event, [](FilingState& st, const auto& p) {
    st.materials = from_fb_list<FilingMaterial>(p.materials);
  });
}

void apply_identity_papers_saved_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::IdentityPapersSaved>(s, event, [](FilingState& st, const auto& p) {
    st.identity_papers = from_fb_list<IdentityPaper>(p.papers);
  });
}

void apply_mediation_chosen_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::MediationChosen>(
      s, event, [](FilingState& st, const auto& p) { st.mediation = p.mediation; });
}

void apply_filing_submitted_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingSubmitted>(s, event, [](FilingState& st, const auto& p) {
    st.status = FilingStatus::kSubmitted;
    st.submissions = p.submission;
    st.review_due_at_us = p.review_due_at_us;
    st.review_overdue = false;
  });
}

void apply_filing_deleted_v1(FilingState& s, const StoredEvent&) {
  s.status = FilingStatus::kDeleted;
}

void apply_filing_cancelled_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingCancelled>(s, event, [](FilingState& st, const auto& p) {
    st.status = FilingStatus::kCancelled;
    st.cancellation_reason = p.reason;
  });
}

void apply_filing_accepted_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingAccepted>(s, event, [](FilingState& st, const auto& p) {
    st.status = FilingStatus::kAccepted;
    st.case_number = p.case_number;
    st.accepted_by = p.accepted_by;
    st.registered_automatically = p.automatic;
  });
}

void apply_identity_check_overridden_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::IdentityCheckOverridden>(
      s, event, [](FilingState& st, const auto& p) { st.identity_override_reason = p.reason; });
}

void apply_identity_check_recorded_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::IdentityCheckRecorded>(s, event, [&](FilingState& st, const auto& p) {
    IdentityCheck check{p.party_id,
                        static_cast<IdentityCheckMethod>(p.method),
                        static_cast<IdentityCheckResult>(p.result),
                        p.note,
                        p.recorded_by,
                        event.recorded_at_us};
    auto it = check_of(st.identity_checks, check.party_id);
    if (it == st.identity_checks.end())
      st.identity_checks.push_back(std::move(check));
    else
      *it = std::move(check);
  });
}

void apply_correction_requested_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::CorrectionRequested>(s, event, [](FilingState& st, const auto& p) {
    st.status = FilingStatus::kCorrectionRequested;
    st.correction_notice =
        CorrectionNotice{from_fb_list<CorrectionItem>(p.items), p.deadline_at_us, p.requested_by};
  });
}

void apply_filing_rejected_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingRejected>(s, event, [](FilingState& st, const auto& p) {
    st.status = FilingStatus::kRejected;
    st.rejection_reason = p.reason;
  });
}

void apply_filing_review_overdue_v1(FilingState& s, const StoredEvent&) {
  s.review_overdue = true;
}

void apply_filing_returned_v1(FilingState& s, const StoredEvent&) {
  s.status = FilingStatus::kReturned;
}

void apply_filing_referred_to_mediation_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::FilingReferredToMediation>(s, event, [&](FilingState& st, const auto& p) {
    st.status = FilingStatus::kInMediation;
    MediationReferral m;
    m.mediator = p.mediator;
    m.mediation_organisation = p.mediation_organisation;
    m.referred_by = p.referred_by;
    m.referred_at_us = event.recorded_at_us;
    m.deadline_at_us = p.deadline_at_us;
    st.mediation_referral = std::move(m);
  });
}

// Back under review for the current submission, the review period starting again.
void restart_review(FilingState& s, std::int64_t review_due_at_us) {
  s.status = FilingStatus::kSubmitted;
  s.review_due_at_us = review_due_at_us;
  s.review_overdue = false;
}

void apply_mediation_concluded_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::MediationConcluded>(s, event, [&](FilingState& st, const auto& p) {
    if (!st.mediation_referral)
      st.mediation_referral.emplace();
    auto& m = *st.mediation_referral;
    m.outcome = static_cast<MediationOutcome>(p.outcome);
    m.agreement_blob_hash = p.agreement_blob_hash;
    m.outcome_note = p.note;
    m.concluded_by = p.concluded_by;
    m.concluded_at_us = event.recorded_at_us;
    m.deadline_passed = p.deadline_passed;
    if (m.outcome == MediationOutcome::kAgreement)
      st.status = FilingStatus::kMediated;
    else
      restart_review(st, p.review_due_at_us);
  });
}

void apply_judicial_confirmation_applied_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::JudicialConfirmationApplied>(s, event, [&](FilingState& st, const auto& p) {
    if (!st.mediation_referral)
      st.mediation_referral.emplace();
    st.mediation_referral->judicial_confirmation = JudicialConfirmation::kApplied;
    st.mediation_referral->confirmation_applied_by = p.applied_by;
    st.mediation_referral->confirmation_applied_at_us = event.recorded_at_us;
  });
}

void apply_judicial_confirmation_decided_v1(FilingState& s, const StoredEvent& event) {
  with_payload<fb::JudicialConfirmationDecided>(s, event, [](FilingState& st, const auto& p) {
    if (!st.mediation_referral)
      st.mediation_referral.emplace();
    auto& m = *st.mediation_referral;
    m.judicial_confirmation =
        p.confirmed ? JudicialConfirmation::kConfirmed : JudicialConfirmation::kRefused;
    m.confirmation_decided_by = p.decided_by;
    m.confirmation_reason = p.reason;
    if (!p.confirmed)
      restart_review(st, p.review_due_at_us);
  });
}

}  // namespace

std::string_view ecf_status(const FilingState& state) {
  if (!state.exists)
    return "";
  switch (state.status) {
    case FilingStatus::kSubmitted:
      return "received";
    case FilingStatus::kAccepted:
      return "accepted";
    case FilingStatus::kRejected:
      return "rejected";
    case FilingStatus::kCancelled:
      return "cancelled";
    case FilingStatus::kDraft:
    case FilingStatus::kCorrectionRequested:
    case FilingStatus::kReturned:
    case FilingStatus::kDeleted:
    case FilingStatus::kInMediation:
    case FilingStatus::kMediated:
      return enum_name(state.status);
  }
  return "";
}

std::string filing_review_timer_id(std::string_view filing_id, std::uint32_t submission) {
  return filing_stream(filing_id) + "/review-deadline/" + std::to_string(submission);
}

std::string filing_correction_timer_id(std::string_view filing_id) {
  return filing_stream(filing_id) + "/correction-deadline";
}

std::string filing_mediation_timer_id(std::string_view filing_id) {
  return filing_stream(filing_id) + "/mediation-deadline";
}

Outcome FilingAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<FilingAggregate::State>& FilingAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("filing");
    table.on(event_type::kFilingNoticeAccepted, 1, apply_filing_notice_accepted_v1);
    table.on(event_type::kCaseCategoryChosen, 1, apply_case_category_chosen_v1);
    table.on(event_type::kCaseInformationSaved, 1, apply_case_information_saved_v1);
    table.on(event_type::kCaseInformationSaved, 2, apply_case_information_saved_v2);
    table.on(event_type::kPartiesSaved, 1, apply_parties_saved_v1);
    table.on(event_type::kAgentsSaved, 1, apply_agents_saved_v1);
    table.on(event_type::kServiceAddressNoticeAccepted, 1,
             apply_service_address_notice_accepted_v1);
    table.on(event_type::kServiceAddressesSaved, 1, apply_service_addresses_saved_v1);
    table.on(event_type::kCourtChosen, 1, apply_court_chosen_v1);
    table.on(event_type::kMaterialsSaved, 1, apply_materials_saved_v1);
    table.on(event_type::kIdentityPapersSaved, 1, apply_identity_papers_saved_v1);
    table.on(event_type::kIdentityCheckRecorded, 1, apply_identity_check_recorded_v1);
    table.on(event_type::kIdentityCheckOverridden, 1, apply_identity_check_overridden_v1);
    table.on(event_type::kMediationChosen, 1, apply_mediation_chosen_v1);
    table.on(event_type::kFilingSubmitted, 1, apply_filing_submitted_v1);
    table.on(event_type::kFilingDeleted, 1, apply_filing_deleted_v1);
    table.on(event_type::kFilingCancelled, 1, apply_filing_cancelled_v1);
    table.on(event_type::kFilingAccepted, 1, apply_filing_accepted_v1);
    table.on(event_type::kCorrectionRequested, 1, apply_correction_requested_v1);
    table.on(event_type::kFilingRejected, 1, apply_filing_rejected_v1);
    table.on(event_type::kFilingReviewOverdue, 1, apply_filing_review_overdue_v1);
    table.on(event_type::kFilingReturned, 1, apply_filing_returned_v1);
    table.on(event_type::kFilingReferredToMediation, 1, apply_filing_referred_to_mediation_v1);
    table.on(event_type::kMediationConcluded, 1, apply_mediation_concluded_v1);
    table.on(event_type::kJudicialConfirmationApplied, 1, apply_judicial_confirmation_applied_v1);
    table.on(event_type::kJudicialConfirmationDecided, 1, apply_judicial_confirmation_decided_v1);
    return table;
  }();
  return kTable;
}

Expected<FilingCommand, Rejection> FilingAggregate::command_from_timer(
    std::string_view command_type, std::string_view payload) {
  if (command_type == kReviewTimerCommand) {
    if (auto p = read_payload<fb::FilingReviewDeadlineTimer>(payload)) {
      return FilingCommand{ReviewDeadlineReached{p->submission, false, ""}};
    }
  } else if (command_type == kCorrectionTimerCommand) {
    if (auto p = read_payload<fb::FilingCorrectionDeadlineTimer>(payload)) {
      return FilingCommand{CorrectionDeadlineReached{p->deadline_at_us}};
    }
  } else if (command_type == kMediationTimerCommand) {
    if (auto p = read_payload<fb::FilingMediationDeadlineTimer>(payload)) {
      return FilingCommand{MediationDeadlineReached{p->deadline_at_us}};
    }
  } else {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a filing timer command, but got " + quoted(command_type)));
  }
  return unexpected(
      reject(RejectionCode::kValidation,
             "Expected a valid payload for " + quoted(command_type) + ", but it does not parse"));
}

}  // namespace docket::domain
