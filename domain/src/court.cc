#include "docket/domain/court.h"

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <utility>

#include "court_generated.h"
#include "deciding.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

// --- payload conversions ---------------------------------------------------------------------

std::unique_ptr<fb::CourtCodeListEntryT> to_fb(const CodeListEntry& e) {
  auto out = std::make_unique<fb::CourtCodeListEntryT>();
  out->code = e.code;
  out->name = e.name;
  return out;
}

std::unique_ptr<fb::CourtCaseCategoryT> to_fb(const CaseCategory& c) {
  auto out = std::make_unique<fb::CourtCaseCategoryT>();
  out->code = c.code;
  out->name = c.name;
  out->case_number_code = c.case_number_code;
  return out;
}

std::unique_ptr<fb::CourtLawLinkT> to_fb(const LawLink& l) {
  auto out = std::make_unique<fb::CourtLawLinkT>();
  out->title = l.title;
  out->url = l.url;
  return out;
}

template <class T>
auto to_fb_list(const std::vector<T>& items) {
  std::vector<decltype(to_fb(items.front()))> out;
  for (const auto& item : items)
    out.push_back(to_fb(item));
  return out;
}

std::unique_ptr<fb::CourtCodeListsT> to_fb(const CourtCodeLists& lists) {
  auto out = std::make_unique<fb::CourtCodeListsT>();
  out->case_categories = to_fb_list(lists.case_categories);
  out->application_types = to_fb_list(lists.application_types);
  out->material_types = to_fb_list(lists.material_types);
  out->document_types = to_fb_list(lists.document_types);
  return out;
}

std::unique_ptr<fb::CourtPolicyDataT> to_fb(const CourtPolicy& p) {
  auto out = std::make_unique<fb::CourtPolicyDataT>();
  out->review_period_us = p.review_period_us;
  out->correction_period_us = p.correction_period_us;
  out->fee_due_period_us = p.fee_due_period_us;
  out->sms_key_validity_us = p.sms_key_validity_us;
  out->no_electronic_service_document_types = p.no_electronic_service_document_types;
  out->auto_register_when_review_overdue = p.auto_register_when_review_overdue;
  out->identity_verification_required = p.identity_verification_required;
  out->no_mediation_case_categories = p.no_mediation_case_categories;
  out->president = p.president;
  for (const auto& [category, rule] : p.fee_schedule.rules_by_category) {
    auto r = std::make_unique<fb::CourtFeeRuleT>();
    r->category = category;
    r->fixed_fee_fen = rule.fixed_fee_fen;
    r->base_covers_up_to_fen = rule.base_covers_up_to_fen;
    for (const auto& band : rule.bands) {
      auto b = std::make_unique<fb::CourtFeeBandT>();
      b->up_to_fen = band.up_to_fen;
      b->rate_basis_points = band.rate_basis_points;
      r->bands.push_back(std::move(b));
    }
    out->fee_rules.push_back(std::move(r));
  }
  out->law_links = to_fb_list(p.law_links);
  return out;
}

CodeListEntry from_fb(const fb::CourtCodeListEntryT& e) {
  return CodeListEntry{e.code, e.name};
}

CaseCategory from_fb(const fb::CourtCaseCategoryT& c) {
  return CaseCategory{c.code, c.name, c.case_number_code};
}

LawLink from_fb(const fb::CourtLawLinkT& l) {
  return LawLink{l.title, l.url};
}

template <class Domain, class FbT>
std::vector<Domain> from_fb_list(const std::vector<std::unique_ptr<FbT>>& items) {
  std::vector<Domain> out;
  for (const auto& item : items) {
    if (item)
      out.push_back(from_fb(*item));
  }
  return out;
}

CourtCodeLists from_fb(const fb::CourtCodeListsT* lists) {
  CourtCodeLists out;
  if (lists == nullptr)
    return out;
  out.case_categories = from_fb_list<CaseCategory>(lists->case_categories);
  out.application_types = from_fb_list<CodeListEntry>(lists->application_types);
  out.material_types = from_fb_list<CodeListEntry>(lists->material_types);
  out.document_types = from_fb_list<CodeListEntry>(lists->document_types);
  return out;
}

CourtPolicy from_fb(const fb::CourtPolicyDataT* p) {
  CourtPolicy out;
  if (p == nullptr)
    return out;
  out.review_period_us = p->review_period_us;
  out.correction_period_us = p->correction_period_us;
  out.fee_due_period_us = p->fee_due_period_us;
  out.sms_key_validity_us = p->sms_key_validity_us;
  out.no_electronic_service_document_types = p->no_electronic_service_document_types;
  out.auto_register_when_review_overdue = p->auto_register_when_review_overdue;
  out.identity_verification_required = p->identity_verification_required;
  out.no_mediation_case_categories = p->no_mediation_case_categories;
  out.president = p->president;
  for (const auto& r : p->fee_rules) {
    if (!r)
      continue;
    FeeRule rule;
    rule.fixed_fee_fen = r->fixed_fee_fen;
    rule.base_covers_up_to_fen = r->base_covers_up_to_fen;
    for (const auto& b : r->bands) {
      if (b)
        rule.bands.push_back(FeeBand{b->up_to_fen, b->rate_basis_points});
    }
    out.fee_schedule.rules_by_category[r->category] = std::move(rule);
  }
  out.law_links = from_fb_list<LawLink>(p->law_links);
  return out;
}

// --- validation ------------------------------------------------------------------------------

template <class T>
void check_codes(Violations& v, const std::vector<T>& entries, const std::string& field) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    const auto& code = entries[i].code;
    if (code.empty()) {
      v.add(path + ".code", "Expected a code, but it is empty");
    } else if (!seen.insert(code).second) {
      v.add(path + ".code",
            "Expected a unique code, but " + quoted(code) + " appears more than once");
    }
  }
}

void check_code_lists(Violations& v, const CourtCodeLists& lists) {
  check_codes(v, lists.case_categories, "code_lists.case_categories");
  for (std::size_t i = 0; i < lists.case_categories.size(); ++i) {
    v.require(!lists.case_categories[i].case_number_code.empty(),
              "code_lists.case_categories[" + std::to_string(i) + "].case_number_code",
              "Expected the category's case-number code (e.g. \"民初\"), but it is empty");
  }
  check_codes(v, lists.application_types, "code_lists.application_types");
  check_codes(v, lists.material_types, "code_lists.material_types");
  check_codes(v, lists.document_types, "code_lists.document_types");
}

void check_period(Violations& v, std::int64_t period_us, const std::string& field) {
  v.require(period_us > 0, "policy." + field,
            "Expected a positive period, but it is " + std::to_string(period_us) + " µs");
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

void check_policy(Violations& v, const CourtPolicy& p, const CourtCodeLists& lists) {
  check_period(v, p.review_period_us, "review_period_us");
  check_period(v, p.correction_period_us, "correction_period_us");
  check_period(v, p.fee_due_period_us, "fee_due_period_us");
  check_period(v, p.sms_key_validity_us, "sms_key_validity_us");
  v.append(fee_schedule_violations(p.fee_schedule, "policy.fee_schedule"));
  for (const auto& [category, rule] : p.fee_schedule.rules_by_category) {
    const bool listed = std::any_of(lists.case_categories.begin(), lists.case_categories.end(),
                                    [&](const CaseCategory& c) { return c.code == category; });
    v.require(listed, "policy.fee_schedule[" + category + "]",
              "Expected a fee rule for a listed case category, but " + quoted(category) +
                  " is not listed");
  }
  for (std::size_t i = 0; i < p.law_links.size(); ++i) {
    const auto& link = p.law_links[i];
    const std::string path = "policy.law_links[" + std::to_string(i) + "]";
    v.require(!link.title.empty(), path + ".title", "Expected a title, but it is empty");
    v.require(starts_with(link.url, "https://") || starts_with(link.url, "http://"), path + ".url",
              "Expected an http(s) URL, but got " + quoted(link.url));
  }
}

std::optional<Rejection> require_admin(const Context& ctx) {
  if (ctx.actor.role == Role::kAdmin)
    return std::nullopt;
  return reject(RejectionCode::kForbidden, "Expected an admin to manage courts, but " +
                                               std::string(enum_name(ctx.actor.role)) + " " +
                                               quoted(ctx.actor.id) + " acted");
}

std::optional<Rejection> require_court(const CourtState& s) {
  if (s.exists)
    return std::nullopt;
  return reject(RejectionCode::kNotFound, "Expected a registered court, but there is none");
}

// --- deciders --------------------------------------------------------------------------------

Outcome decide_step(const CourtState& s, const RegisterCourt& c, const Context& ctx) {
  if (auto r = require_admin(ctx))
    return unexpected(*r);
  if (s.exists) {
    if (s.code == c.code && s.name == c.name && s.code_lists == c.code_lists &&
        s.policy == c.policy) {
      return nothing();
    }
    return fail(RejectionCode::kConflict,
                "Expected a new court, but " + quoted(s.code) + " is already registered");
  }
  Violations v;
  v.require(!c.code.empty(), "code",
            "Expected the court's code (e.g. \"渝0103\"), but it is empty");
  v.require(!c.name.empty(), "name", "Expected the court's name, but it is empty");
  check_code_lists(v, c.code_lists);
  check_policy(v, c.policy, c.code_lists);
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CourtRegisteredT e;
  e.code = c.code;
  e.name = c.name;
  e.code_lists = to_fb(c.code_lists);
  e.policy = to_fb(c.policy);
  return decided({make_event(event_type::kCourtRegistered, e)});
}

Outcome decide_step(const CourtState& s, const ChangeCourtPolicy& c, const Context& ctx) {
  if (auto r = require_admin(ctx))
    return unexpected(*r);
  if (auto r = require_court(s))
    return unexpected(*r);
  if (s.policy == c.policy)
    return nothing();
  Violations v;
  check_policy(v, c.policy, s.code_lists);
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CourtPolicyChangedT e;
  e.policy = to_fb(c.policy);
  return decided({make_event(event_type::kCourtPolicyChanged, e)});
}

Outcome decide_step(const CourtState& s, const ChangeCodeLists& c, const Context& ctx) {
  if (auto r = require_admin(ctx))
    return unexpected(*r);
  if (auto r = require_court(s))
    return unexpected(*r);
  if (s.code_lists == c.code_lists)
    return nothing();
  Violations v;
  check_code_lists(v, c.code_lists);
  check_policy(v, s.policy, c.code_lists);
  if (!v.empty())
    return unexpected(v.rejection());
  fb::CourtCodeListsChangedT e;
  e.code_lists = to_fb(c.code_lists);
  return decided({make_event(event_type::kCourtCodeListsChanged, e)});
}

// --- appliers --------------------------------------------------------------------------------

void apply_court_registered_v1(CourtState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::CourtRegistered>(event);
  s.exists = true;
  s.code = p.code;
  s.name = p.name;
  s.code_lists = from_fb(p.code_lists.get());
  s.policy = from_fb(p.policy.get());
}

void apply_court_policy_changed_v1(CourtState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::CourtPolicyChanged>(event);
  s.policy = from_fb(p.policy.get());
}

void apply_court_code_lists_changed_v1(CourtState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::CourtCodeListsChanged>(event);
  s.code_lists = from_fb(p.code_lists.get());
}

std::vector<std::string> codes_of(const std::vector<CodeListEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(e.code);
  return out;
}

}  // namespace

bool may_serve_electronically(const CourtPolicy& policy, std::string_view document_type) {
  const auto& banned = policy.no_electronic_service_document_types;
  return std::find(banned.begin(), banned.end(), document_type) == banned.end();
}

const CaseCategory* find_case_category(const CourtState& court, std::string_view code) {
  for (const auto& category : court.code_lists.case_categories) {
    if (category.code == code)
      return &category;
  }
  return nullptr;
}

FilingCourtFacts filing_facts(const CourtState& court) {
  FilingCourtFacts facts;
  for (const auto& category : court.code_lists.case_categories) {
    facts.case_categories.push_back(category.code);
  }
  facts.application_types = codes_of(court.code_lists.application_types);
  facts.material_types = codes_of(court.code_lists.material_types);
  facts.review_period_us = court.policy.review_period_us;
  return facts;
}

Outcome CourtAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<CourtAggregate::State>& CourtAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("court");
    table.on(event_type::kCourtRegistered, 1, apply_court_registered_v1);
    table.on(event_type::kCourtPolicyChanged, 1, apply_court_policy_changed_v1);
    table.on(event_type::kCourtCodeListsChanged, 1, apply_court_code_lists_changed_v1);
    return table;
  }();
  return kTable;
}

}  // namespace docket::domain
