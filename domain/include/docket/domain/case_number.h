// Case numbers (案号): a per-court, per-year, per-category sequence, e.g. "(2026)渝0103民初1234号".
//
// The sequence lives in its own aggregate, one stream per court and year:
// "case_number-<court>-<year>" (see case_number_stream_id). Not in the court stream, because
// every accepted filing allocates: keeping allocations apart keeps the court stream (read by
// every submission) small and its state cheap to load, and each year's state holds only that
// year's allocations. Inside a stream the serial counts per case-number code ("民初", "民终", …),
// so two categories that share a code share its sequence and never produce the same number.
//
// Allocation is idempotent per filing: allocating again for a filing that has a number in this
// stream decides nothing, and the state maps filing -> number, so the app allocates, reads the
// number from the state, and passes it in AcceptFiling (or ReviewDeadlineReached). Numbers are
// never reused; one allocated but not used (the clerk then rejected) leaves a gap.
//
// Event (schema/case_number.fbs, schema version 1): CaseNumberAllocated. No timers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

// The calendar year of `now_us` in China Standard Time (UTC+8).
std::int32_t china_standard_year(std::int64_t now_us);

// "(<year>)<court><case_number_code><serial>号".
std::string format_case_number(std::int32_t year, std::string_view court,
                               std::string_view case_number_code, std::uint32_t serial);

// The id (after "case_number-") of the stream holding `court`'s allocations for `year`.
std::string case_number_stream_id(std::string_view court, std::int32_t year);

struct CaseNumberSequenceState {
  bool exists = false;
  std::string court;
  std::int32_t year = 0;
  std::map<std::string, std::uint32_t> last_serial_by_code;  // case-number code -> last serial
  std::map<std::string, std::string> number_by_filing;       // filing id -> case number

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, court, year, last_serial_by_code, number_by_filing);
  }
  friend bool operator==(const CaseNumberSequenceState&, const CaseNumberSequenceState&) = default;
};

// The number allocated to `filing_id` in this stream, or "".
std::string_view case_number_of(const CaseNumberSequenceState& state, std::string_view filing_id);

// Allocates to `filing_id` the next number of its category's case-number code, which the court's
// code lists give (facts: court-<court>).
// Actor: kSystem or a clerk of `court` (else forbidden).
// Errors: validation when a field is empty or `year` is not china_standard_year(ctx.now_us);
// invalid_state when the court does not list the category; conflict when the stream belongs to
// another court or year.
struct AllocateCaseNumber {
  std::string filing_id;
  std::string court;
  std::int32_t year = 0;
  std::string category;  // the filing's case-category code (recorded)
};

using CaseNumberCommand = std::variant<AllocateCaseNumber>;

struct CaseNumberAggregate
    : Aggregate<CaseNumberAggregate, CaseNumberSequenceState, CaseNumberCommand> {
  static constexpr std::string_view kCategory = category::kCaseNumber;
  static constexpr std::uint32_t kStateVersion = 1;
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static const ApplierTable<State>& appliers();
};

}  // namespace docket::domain
