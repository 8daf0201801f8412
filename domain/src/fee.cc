#include "docket/domain/fee.h"

#include <string>

namespace docket::domain {
namespace {

constexpr std::int64_t kBasisPointsPerUnit = 10'000;

std::int64_t yuan(std::int64_t amount) {
  return amount * 100;
}

}  // namespace

Expected<std::int64_t, Rejection> fee_for(const FeeSchedule& schedule, std::string_view category,
                                          std::int64_t amount_fen) {
  if (amount_fen < 0 || amount_fen > kMaxFeeAmountFen) {
    std::string message = "Expected an amount in dispute between 0 and " +
                          std::to_string(kMaxFeeAmountFen) + " fen, but it is " +
                          std::to_string(amount_fen);
    return unexpected(
        reject(RejectionCode::kValidation, message, {{"amount_in_dispute_fen", message}}));
  }
  const auto it = schedule.rules_by_category.find(std::string(category));
  if (it == schedule.rules_by_category.end()) {
    return unexpected(reject(RejectionCode::kNotFound, "Expected a fee rule for case category \"" +
                                                           std::string(category) +
                                                           "\", but the schedule has none"));
  }
  const FeeRule& rule = it->second;
  // The banded parts in fen times basis points; rounded half up once at the end. With amounts
  // capped at kMaxFeeAmountFen and rates at 10'000 bp the sum stays below 2^63.
  std::int64_t scaled = 0;
  std::int64_t lower = rule.base_covers_up_to_fen;
  for (const FeeBand& band : rule.bands) {
    if (amount_fen <= lower)
      break;
    const std::int64_t upper = band.up_to_fen == 0 ? amount_fen : band.up_to_fen;
    const std::int64_t top = amount_fen < upper ? amount_fen : upper;
    if (top > lower)
      scaled += (top - lower) * static_cast<std::int64_t>(band.rate_basis_points);
    if (band.up_to_fen == 0)
      break;
    lower = band.up_to_fen;
  }
  return rule.fixed_fee_fen + (scaled + kBasisPointsPerUnit / 2) / kBasisPointsPerUnit;
}

FeeRule national_property_fee_rule() {
  FeeRule rule;
  rule.fixed_fee_fen = yuan(50);
  rule.base_covers_up_to_fen = yuan(10'000);
  rule.bands = {
      {yuan(100'000), 250},   {yuan(200'000), 200},   {yuan(500'000), 150},
      {yuan(1'000'000), 100}, {yuan(2'000'000), 90},  {yuan(5'000'000), 80},
      {yuan(10'000'000), 70}, {yuan(20'000'000), 60}, {0, 50},
  };
  return rule;
}

std::vector<Violation> fee_schedule_violations(const FeeSchedule& schedule,
                                               std::string_view field) {
  std::vector<Violation> out;
  const auto add = [&](const std::string& path, std::string message) {
    out.push_back(Violation{path, std::move(message)});
  };
  for (const auto& [category, rule] : schedule.rules_by_category) {
    const std::string path = std::string(field) + "[" + category + "]";
    if (rule.fixed_fee_fen < 0) {
      add(path + ".fixed_fee_fen",
          "Expected a fee of at least 0 fen, but it is " + std::to_string(rule.fixed_fee_fen));
    }
    if (rule.base_covers_up_to_fen < 0) {
      add(path + ".base_covers_up_to_fen", "Expected a bound of at least 0 fen, but it is " +
                                               std::to_string(rule.base_covers_up_to_fen));
    }
    std::int64_t lower = rule.base_covers_up_to_fen;
    for (std::size_t i = 0; i < rule.bands.size(); ++i) {
      const FeeBand& band = rule.bands[i];
      const std::string band_path = path + ".bands[" + std::to_string(i) + "]";
      if (band.rate_basis_points > kBasisPointsPerUnit) {
        add(band_path + ".rate_basis_points",
            "Expected a rate of at most 10000 basis points, but it is " +
                std::to_string(band.rate_basis_points));
      }
      if (band.up_to_fen == 0) {
        if (i + 1 != rule.bands.size()) {
          add(band_path + ".up_to_fen",
              "Expected only the last band to be unbounded, but band " + std::to_string(i) + " is");
        }
      } else if (band.up_to_fen <= lower) {
        add(band_path + ".up_to_fen", "Expected a bound above " + std::to_string(lower) +
                                          " fen, but it is " + std::to_string(band.up_to_fen));
      } else {
        lower = band.up_to_fen;
      }
    }
  }
  return out;
}

}  // namespace docket::domain
