// The court aggregate (stream "court-<court code>", e.g. "court-渝0103"): a court's code lists
// and its policy, all data. Registered and changed by an admin; every change is an event.
//
// Events (payloads in schema/court.fbs, schema version 1): CourtRegistered, CourtPolicyChanged,
// CourtCodeListsChanged. No timers.
//
// Other aggregates read it only as a fact (facts.h): the filing's court name, code lists and
// periods (filing_facts below), a payment notice's fee schedule and due period, a case number's
// code, a service's key validity and forbidden document types.
// Case numbers are allocated in their own streams (case_number.h), so this stream stays small
// and uncontended.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"
#include "docket/domain/fee.h"
#include "docket/domain/filing.h"

namespace docket::domain {

struct CodeListEntry {
  std::string code;
  std::string name;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(code, name);
  }
  friend bool operator==(const CodeListEntry&, const CodeListEntry&) = default;
};

struct CaseCategory {
  std::string code;              // e.g. "civil_first_instance"
  std::string name;              // e.g. "民事一审"
  std::string case_number_code;  // the category's part of a case number, e.g. "民初"

  template <class Archive>
  void serialize(Archive& ar) {
    ar(code, name, case_number_code);
  }
  friend bool operator==(const CaseCategory&, const CaseCategory&) = default;
};

struct CourtCodeLists {
  std::vector<CaseCategory> case_categories;
  std::vector<CodeListEntry> application_types;
  std::vector<CodeListEntry> material_types;  // should include kComplaintMaterialType
  std::vector<CodeListEntry> document_types;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(case_categories, application_types, material_types, document_types);
  }
  friend bool operator==(const CourtCodeLists&, const CourtCodeLists&) = default;
};

struct LawLink {
  std::string title;
  std::string url;  // http:// or https://

  template <class Archive>
  void serialize(Archive& ar) {
    ar(title, url);
  }
  friend bool operator==(const LawLink&, const LawLink&) = default;
};

// A court's policy. The member defaults are the platform's defaults.
struct CourtPolicy {
  static constexpr std::int64_t kDayUs = 86'400'000'000LL;

  std::int64_t review_period_us = 7 * kDayUs;
  std::int64_t correction_period_us = 15 * kDayUs;
  std::int64_t fee_due_period_us = 7 * kDayUs;
  std::int64_t sms_key_validity_us = 10 * 60'000'000LL;
  // Document types that may not be served electronically (judgment, ruling, mediation agreement).
  std::vector<std::string> no_electronic_service_document_types = {"judgment", "ruling",
                                                                   "mediation_agreement"};
  // Whether a filing still undecided when its review period runs out is registered automatically.
  bool auto_register_when_review_overdue = true;
  FeeSchedule fee_schedule;
  std::vector<LawLink> law_links;
  // Whether a clerk accepts a filing only when the court's identity service verified every party
  // (real-name verification, notice §1), or with a reason recorded. Off for a court whose system
  // does not relay its identity service's results (nothing could ever be verified there).
  bool identity_verification_required = false;
  // Case categories whose disputes the court does not refer to mediation (notice §3: only a
  // dispute that may be mediated by law is referred).
  std::vector<std::string> no_mediation_case_categories;
  // The staff id of the court's president (院长), a judge of the court: who approves a judge
  // holding an online hearing outside the courtroom (notice §4). Empty: only the court system
  // relays approvals.
  std::string president;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(review_period_us, correction_period_us, fee_due_period_us, sms_key_validity_us,
       no_electronic_service_document_types, auto_register_when_review_overdue, fee_schedule,
       law_links, identity_verification_required, no_mediation_case_categories, president);
  }
  friend bool operator==(const CourtPolicy&, const CourtPolicy&) = default;
};

// Whether a document of `document_type` may be served electronically under `policy`.
bool may_serve_electronically(const CourtPolicy& policy, std::string_view document_type);

struct CourtState {
  bool exists = false;
  std::string code;  // e.g. "渝0103"
  std::string name;
  CourtCodeLists code_lists;
  CourtPolicy policy;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, code, name, code_lists, policy);
  }
  friend bool operator==(const CourtState&, const CourtState&) = default;
};

// The case category with `code`, or nullptr.
const CaseCategory* find_case_category(const CourtState& court, std::string_view code);

// What a filing's submission is checked against, from the court's state (for the app).
FilingCourtFacts filing_facts(const CourtState& court);

// Registers the court. Actor: kAdmin. Errors: conflict when the court exists; validation listing
// every bad field (empty code or name, duplicate or empty codes, a category without a case-number
// code, non-positive periods, a fee rule for an unknown category or malformed, a bad law link).
struct RegisterCourt {
  std::string code;
  std::string name;
  CourtCodeLists code_lists;
  CourtPolicy policy;
};

// Replaces the policy. Actor: kAdmin. An identical policy decides nothing.
struct ChangeCourtPolicy {
  CourtPolicy policy;
};

// Replaces the code lists. Actor: kAdmin. Identical lists decide nothing. Every fee rule of the
// current policy must still name a listed category.
struct ChangeCodeLists {
  CourtCodeLists code_lists;
};

using CourtCommand = std::variant<RegisterCourt, ChangeCourtPolicy, ChangeCodeLists>;

struct CourtAggregate : Aggregate<CourtAggregate, CourtState, CourtCommand> {
  static constexpr std::string_view kCategory = category::kCourt;
  static constexpr std::uint32_t kStateVersion =
      3;  // 2: identity_verification_required; 3: mediation, president
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static const ApplierTable<State>& appliers();
};

}  // namespace docket::domain
