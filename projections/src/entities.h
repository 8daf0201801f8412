// The entities the standard projections keep per stream, and their row layout.
//
// Family proj.<name>, keys (parts joined by 0x00, see row_key). Each listed entity has ONE
// document row, d/<id>, holding its JSON; index rows name the id, so a change rewrites one
// document however many lists show it:
//   every projection  s/<stream>                          cereal Entity (state + extras)
//   filings           d/<filing id>                       filing summary JSON
//                     f/<licence> <filing id>             filing id (the filer's and agents')
//                     q/<court> p <filing id>             filing id: submitted, awaiting review
//                     q/<court> c <filing id>             filing id: correction requested
//   payments          d/<filing id>                       notice JSON
//                     c/<code>                            filing id
//                     p/<licence> <filing id>             filing id (a payer's)
//                     n/<case number>                     filing id
//   cases             d/<case number>                     case summary JSON
//                     a/<licence> <case number>           case number (an agent's)
//                     j/<judge> <case number>             case number
//                     k/<court> <case number>             case number
//                     f/<filing id>                       case number
//                     h/<licence> <start> <case> <hearing>  hearing row JSON (an agent's)
//                     i/<judge> <kind> <case> <item…>     inbox item JSON; kind a|m|r|x
//                     m/<case number> <kind> <item id>    cereal item of the case's state; kind
//                                                         h hearing, b evidence batch, x
//                                                         exchange, f file material, r file
//                                                         review, m message (the state row
//                                                         holds none of them)
//   services          d/<service id>                      service JSON
//                     r/<licence> <service id>            service id (the recipient's)
//                     c/<case number> <service id>        service id
//                     o/<u64be position>                  outbox row JSON
//   lawyers           e/<licence> <entry id>              cereal ScheduleEntryRow
//                     (the state row holds no schedule: one row per entry, so adding or
//                     removing an entry writes that row and the small state row only)
//   courts            (state rows only)
// <start> is time_part(starts_at_us), so a prefix scan lists hearings by time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aggregate_projection.h"
#include "docket/domain/case.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"

namespace docket::projections::detail {

// A step of an entity's progress: which event, when, by whom.
struct Milestone {
  std::string type;
  std::int64_t at_us = 0;
  std::string actor_id;
  std::string actor_role;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(type, at_us, actor_id, actor_role);
  }
};

struct FilingExtra {
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::int64_t submitted_at_us = 0;  // the latest submission
  std::vector<Milestone> history;    // creation, submissions and review decisions

  template <class Archive>
  void serialize(Archive& ar) {
    ar(created_at_us, updated_at_us, submitted_at_us, history);
  }
};

struct PaymentExtra {
  std::int64_t issued_at_us = 0;
  std::int64_t paid_at_us = 0;
  std::int64_t receipt_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::vector<Milestone> history;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(issued_at_us, paid_at_us, receipt_at_us, updated_at_us, history);
  }
};

struct CaseExtra {
  std::int64_t registered_at_us = 0;
  std::int64_t updated_at_us = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(registered_at_us, updated_at_us);
  }
};

// One SMS the outbox queued (SmsKeyNotificationQueued); never the key itself.
struct OutboxEntry {
  std::uint64_t position = 0;
  std::uint32_t serial = 0;
  std::string phone;
  std::int64_t expires_at_us = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(position, serial, phone, expires_at_us);
  }
};

struct ServiceExtra {
  std::int64_t updated_at_us = 0;
  std::vector<OutboxEntry> outbox;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(updated_at_us, outbox);
  }
};

// A schedule entry as its row holds it, with the log position of the event that added it: the
// entries in the order added are the rows in position order.
struct ScheduleEntryRow {
  domain::ScheduleEntry entry;
  std::uint64_t position = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(entry, position);
  }
};

using LawyerEntity = Entity<domain::LawyerAggregate, NoExtra>;
using FilingEntity = Entity<domain::FilingAggregate, FilingExtra>;
using PaymentEntity = Entity<domain::PaymentAggregate, PaymentExtra>;
using CaseEntity = Entity<domain::CaseAggregate, CaseExtra>;
using ServiceEntity = Entity<domain::ServiceAggregate, ServiceExtra>;
using CourtEntity = Entity<domain::CourtAggregate, NoExtra>;

// Row-key prefixes (see the table above).
namespace rows {
inline constexpr char kDocument = 'd';

inline constexpr char kScheduleEntry = 'e';
// The licence number of the lawyer whose account has an identity number (lawyers' family): how a
// case's agent recorded by identity number is found (manual §3.3.7).
inline constexpr char kLawyerByIdentity = 'I';

inline constexpr char kFilingsByLawyer = 'f';
inline constexpr char kReviewQueue = 'q';
inline constexpr std::string_view kQueuePending = "p";
inline constexpr std::string_view kQueueCorrection = "c";
inline constexpr std::string_view kQueueMediation = "m";
inline constexpr std::string_view kQueueConfirmation = "j";

inline constexpr char kPaymentByCode = 'c';
inline constexpr char kPaymentsByPayer = 'p';
inline constexpr char kPaymentByCase = 'n';
// r/<time_part(ordered_at_us)>/<filing id>/<refund id> -> a refund awaiting the provider (JSON)
inline constexpr char kRefundsRequested = 'r';

inline constexpr char kCasesByAgent = 'a';
inline constexpr char kCasesByJudge = 'j';
inline constexpr char kCasesByCourt = 'k';
inline constexpr char kCaseByFiling = 'f';
inline constexpr char kHearingsByAgent = 'h';
// An agent the court's system recorded by identity number: the lawyer whose account has it
// reads these beside their licence's (manual §3.3.7). Hearing rows here carry every avoidance
// request; the reader keeps their own.
inline constexpr char kCasesByAgentIdentity = 'A';
inline constexpr char kHearingsByAgentIdentity = 'H';
inline constexpr char kJudgeInbox = 'i';
inline constexpr char kCaseItem = 'm';
inline constexpr std::string_view kItemHearing = "h";
inline constexpr std::string_view kItemEvidenceBatch = "b";
inline constexpr std::string_view kItemExchange = "x";
inline constexpr std::string_view kItemFileMaterial = "f";
inline constexpr std::string_view kItemFileReview = "r";
inline constexpr std::string_view kItemMessage = "m";
inline constexpr std::string_view kInboxAvoidance = "a";
inline constexpr std::string_view kInboxMessage = "m";
inline constexpr std::string_view kInboxFileReview = "r";
inline constexpr std::string_view kInboxExchange = "x";

inline constexpr char kServicesByRecipient = 'r';
inline constexpr char kServicesByCase = 'c';
inline constexpr char kOutbox = 'o';
}  // namespace rows

// The item rows of a case (m/<case number> <kind> <id>): the row of the item of `kind` and `id`
// in `state` (nullopt when the state has no such item, to erase its row), and the reverse:
// putting a row's item back into a state (false when the kind is unknown or the bytes do not
// decode).
std::optional<std::string> case_item_row(const domain::CaseState& state, std::string_view kind,
                                         const std::string& id);
bool put_case_item(domain::CaseState& state, std::string_view kind, const std::string& id,
                   std::string_view bytes);
// Reads every item row under "m/<case number>\0" back into `state`: `scan` is the family's
// prefix scan (Writer::scan or a query's reader).
template <class Scan>
engine::Result<void> load_case_items(std::string_view case_number, domain::CaseState& state,
                                     const Scan& scan) {
  const std::string prefix = row_prefix(rows::kCaseItem, case_number);
  return scan(prefix, [&](std::string_view key, std::string_view value) {
    const auto rest = key.substr(prefix.size());
    const auto separator = rest.find(engine::format::kSeparator);
    if (separator != std::string_view::npos) {
      (void)put_case_item(state, rest.substr(0, separator), std::string(rest.substr(separator + 1)),
                          value);
    }
    return true;
  });
}

// Projection versions: bump kRowsVersion when rows change meaning; the aggregate's state version
// is folded in so that a changed state layout also rebuilds.
template <class A>
constexpr std::uint32_t projection_version(std::uint32_t rows_version) {
  return rows_version * 1000u + A::kStateVersion;
}

}  // namespace docket::projections::detail
