#include "docket/domain/case_number.h"

#include <chrono>

#include "case_number_generated.h"
#include "deciding.h"
#include "docket/domain/facts.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

constexpr std::int64_t kChinaStandardOffsetUs = 8LL * 3'600'000'000LL;

std::optional<Rejection> require_allocator(const AllocateCaseNumber& c, const Context& ctx) {
  if (ctx.actor.role == Role::kSystem)
    return std::nullopt;
  return require_court_staff(ctx.actor, c.court, {Role::kClerk},
                             "the system or a clerk allocating a case number");
}

Outcome decide_step(const CaseNumberSequenceState& s, const AllocateCaseNumber& c,
                    const Context& ctx) {
  if (auto r = require_allocator(c, ctx))
    return unexpected(*r);
  if (s.exists && (s.court != c.court || s.year != c.year)) {
    return fail(RejectionCode::kConflict, "Expected the sequence of court " + quoted(c.court) +
                                              " for " + std::to_string(c.year) +
                                              ", but this stream holds court " + quoted(s.court) +
                                              " for " + std::to_string(s.year));
  }
  if (s.number_by_filing.contains(c.filing_id))
    return nothing();  // allocated already
  Violations v;
  v.require(!c.filing_id.empty(), "filing_id", "Expected a filing id, but it is empty");
  v.require(!c.court.empty(), "court", "Expected a court, but it is empty");
  v.require(!c.category.empty(), "category", "Expected a case category, but it is empty");
  const std::int32_t current_year = china_standard_year(ctx.now_us);
  v.require(c.year == current_year, "year",
            "Expected the current year in China Standard Time, " + std::to_string(current_year) +
                ", but got " + std::to_string(c.year));
  if (!v.empty())
    return unexpected(v.rejection());
  // The category's case-number code, from the court's code lists.
  const CourtState& court = facts_of(ctx).court(c.court);
  const CaseCategory* category = court.exists ? find_case_category(court, c.category) : nullptr;
  if (category == nullptr || category->case_number_code.empty()) {
    return fail(RejectionCode::kInvalidState, "Expected the filing's category " +
                                                  quoted(c.category) +
                                                  " in the code lists of court " + quoted(c.court) +
                                                  ", but the court does not list it");
  }
  const std::string& code = category->case_number_code;
  const auto it = s.last_serial_by_code.find(code);
  const std::uint32_t serial = (it == s.last_serial_by_code.end() ? 0 : it->second) + 1;
  fb::CaseNumberAllocatedT e;
  e.filing_id = c.filing_id;
  e.court = c.court;
  e.year = c.year;
  e.category = c.category;
  e.case_number_code = code;
  e.serial = serial;
  e.case_number = format_case_number(c.year, c.court, code, serial);
  return decided({make_event(event_type::kCaseNumberAllocated, e)});
}

void apply_case_number_allocated_v1(CaseNumberSequenceState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::CaseNumberAllocated>(event);
  s.exists = true;
  s.court = p.court;
  s.year = p.year;
  s.last_serial_by_code[p.case_number_code] = p.serial;
  s.number_by_filing[p.filing_id] = p.case_number;
}

}  // namespace

std::int32_t china_standard_year(std::int64_t now_us) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  const sys_time<microseconds> local{microseconds{now_us + kChinaStandardOffsetUs}};
  const year_month_day date{floor<days>(local)};
  return static_cast<std::int32_t>(static_cast<int>(date.year()));
}

std::string format_case_number(std::int32_t year, std::string_view court,
                               std::string_view case_number_code, std::uint32_t serial) {
  return "(" + std::to_string(year) + ")" + std::string(court) + std::string(case_number_code) +
         std::to_string(serial) + "号";
}

std::string case_number_stream_id(std::string_view court, std::int32_t year) {
  return std::string(court) + "-" + std::to_string(year);
}

std::string_view case_number_of(const CaseNumberSequenceState& state, std::string_view filing_id) {
  const auto it = state.number_by_filing.find(std::string(filing_id));
  return it == state.number_by_filing.end() ? std::string_view{} : std::string_view(it->second);
}

Outcome CaseNumberAggregate::decide(const State& state, const Command& command,
                                    const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<CaseNumberAggregate::State>& CaseNumberAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("case number");
    table.on(event_type::kCaseNumberAllocated, 1, apply_case_number_allocated_v1);
    return table;
  }();
  return kTable;
}

}  // namespace docket::domain
