#include "docket/domain/facts.h"

namespace docket::domain {
namespace {

// The facts of a command given none: an empty world.
class NoFacts final : public Facts {
 public:
  const CourtState& court(std::string_view) const override { return court_; }
  const LawyerState& lawyer(std::string_view) const override { return lawyer_; }
  const FilingState& filing(std::string_view) const override { return filing_; }
  const CaseState& case_state(std::string_view) const override { return case_; }
  std::string credential(std::string_view, CredentialKind) const override { return {}; }
  const StaffState& staff(std::string_view) const override { return staff_; }
  const HotlineRequestState& hotline_request(std::string_view) const override { return hotline_; }

 private:
  CourtState court_;
  LawyerState lawyer_;
  FilingState filing_;
  CaseState case_;
  StaffState staff_;
  HotlineRequestState hotline_;
};

}  // namespace

const Facts& facts_of(const Context& ctx) {
  static const NoFacts kNone;
  return ctx.facts != nullptr ? *ctx.facts : kNone;
}

CourtPolicy policy_of(const Facts& facts, std::string_view code) {
  const CourtState& court = facts.court(code);
  return court.exists ? court.policy : CourtPolicy{};
}

}  // namespace docket::domain
