// Litigation fees (诉讼费): a court's fee schedule as data and the pure calculation over it.
//
// A schedule maps a case-category code to a rule. A rule is either a fixed fee (no bands) or a
// tiered rule: `fixed_fee_fen` covers amounts up to `base_covers_up_to_fen`, and each band adds
// its rate on the part of the amount that falls inside it (cumulative by band, as the national
// schedule for property cases counts). Rates are in basis points (1/10'000). The sum of the
// banded parts is rounded half up to the fen once, at the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "docket/domain/core.h"

namespace docket::domain {

struct FeeBand {
  std::int64_t up_to_fen = 0;  // the band's upper bound (inclusive); 0 = no upper bound
  std::uint32_t rate_basis_points = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(up_to_fen, rate_basis_points);
  }
  friend bool operator==(const FeeBand&, const FeeBand&) = default;
};

struct FeeRule {
  std::int64_t fixed_fee_fen = 0;
  std::int64_t base_covers_up_to_fen = 0;  // tiered rules only
  std::vector<FeeBand> bands;              // ascending; empty = a fixed fee

  template <class Archive>
  void serialize(Archive& ar) {
    ar(fixed_fee_fen, base_covers_up_to_fen, bands);
  }
  friend bool operator==(const FeeRule&, const FeeRule&) = default;
};

struct FeeSchedule {
  std::map<std::string, FeeRule> rules_by_category;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(rules_by_category);
  }
  friend bool operator==(const FeeSchedule&, const FeeSchedule&) = default;
};

// The largest amount in dispute fee_for accepts: 10^15 fen (ten trillion yuan).
inline constexpr std::int64_t kMaxFeeAmountFen = 1'000'000'000'000'000LL;

// The fee in fen for a case of `category` with `amount_fen` in dispute.
// Errors: not_found when the schedule has no rule for the category; validation when the amount
// is negative or above kMaxFeeAmountFen.
Expected<std::int64_t, Rejection> fee_for(const FeeSchedule& schedule, std::string_view category,
                                          std::int64_t amount_fen);

// The national schedule for property cases: up to 10,000 yuan 50 yuan; then 2.5% to 100k, 2% to
// 200k, 1.5% to 500k, 1% to 1M, 0.9% to 2M, 0.8% to 5M, 0.7% to 10M, 0.6% to 20M, 0.5% above.
FeeRule national_property_fee_rule();

// Every violation of a well-formed schedule (non-negative fees, bands strictly ascending above
// the base, rates at most 10'000 bp, only the last band unbounded), fields prefixed by `field`.
std::vector<Violation> fee_schedule_violations(const FeeSchedule& schedule, std::string_view field);

}  // namespace docket::domain
