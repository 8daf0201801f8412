// The facts of a domain test: other streams' states and the credential store, as the test sets
// them (the app loads them from the log; facts.h). A stream under test owns one and decides with
// it, so a test sets a fact by writing it here: `stream.facts.add_lawyer("L1").phone = "138";`.
// What is not set is an empty state (exists false) or no credential, as in an empty world.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "docket/domain/core.h"
#include "docket/domain/facts.h"

namespace docket::domain::testing {

class FakeFacts final : public Facts {
 public:
  template <class State>
  using By = std::map<std::string, State, std::less<>>;

  By<CourtState> courts;                     // by court code
  By<LawyerState> lawyers;                   // by licence number
  By<FilingState> filings;                   // by filing id
  By<CaseState> cases;                       // by case number
  By<std::string> credentials;               // by credential_key(stream, kind)
  By<StaffState> staff_accounts;             // by staff id
  By<HotlineRequestState> hotline_requests;  // by hotline request id

  const CourtState& court(std::string_view code) const override { return find(courts, code); }
  const LawyerState& lawyer(std::string_view licence) const override {
    return find(lawyers, licence);
  }
  const FilingState& filing(std::string_view filing_id) const override {
    return find(filings, filing_id);
  }
  const CaseState& case_state(std::string_view case_number) const override {
    return find(cases, case_number);
  }
  std::string credential(std::string_view stream, CredentialKind kind) const override {
    return find(credentials, credential_key(stream, kind));
  }
  const StaffState& staff(std::string_view staff_id) const override {
    return find(staff_accounts, staff_id);
  }
  const HotlineRequestState& hotline_request(std::string_view hotline_request_id) const override {
    return find(hotline_requests, hotline_request_id);
  }

  // An active staff account of `role` in `court`.
  StaffState& add_staff(std::string staff_id, Role role, std::string court,
                        std::string name = "刘法官") {
    StaffState& staff = staff_accounts[staff_id];
    staff.exists = true;
    staff.active = true;
    staff.staff_id = std::move(staff_id);
    staff.name = std::move(name);
    staff.role = role;
    staff.court = std::move(court);
    return staff;
  }

  // A registered court `code` under the platform's default policy, with no code lists.
  CourtState& add_court(std::string code, std::string name = "重庆市渝中区人民法院") {
    CourtState& court = courts[code];
    court.exists = true;
    court.code = std::move(code);
    court.name = std::move(name);
    return court;
  }

  // An active lawyer whose first password is changed.
  LawyerState& add_lawyer(std::string licence, std::string name = "张律师",
                          std::string firm = "重庆某某律师事务所",
                          std::string id_number = "500103198001011234",
                          std::string phone = "13800000000") {
    LawyerState& lawyer = lawyers[licence];
    lawyer.exists = true;
    lawyer.active = true;
    lawyer.licence_number = std::move(licence);
    lawyer.name = std::move(name);
    lawyer.firm = std::move(firm);
    lawyer.id_number = std::move(id_number);
    lawyer.phone = std::move(phone);
    return lawyer;
  }

  // Keeps the credential writes of `decision`, as the engine keeps them beside the log (an empty
  // value erases the credential).
  void keep_credentials(const Decision& decision) {
    for (const auto& write : decision.credentials) {
      if (write.value.empty())
        credentials.erase(write.key);
      else
        credentials[write.key] = write.value;
    }
  }

 private:
  template <class State>
  static const State& find(const By<State>& states, std::string_view key) {
    static const State kNone{};
    const auto it = states.find(key);
    return it == states.end() ? kNone : it->second;
  }
};

// `ctx` reading `facts`, unless the caller gave it facts of its own.
inline Context reading(const Facts& facts, Context ctx) {
  if (ctx.facts == nullptr)
    ctx.facts = &facts;
  return ctx;
}

}  // namespace docket::domain::testing
