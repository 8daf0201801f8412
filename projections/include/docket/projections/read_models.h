// Docket's read models: the standard projections and the queries over them.
//
// standard_projections() returns the projections that keep the read models current; a Projector
// runs them (projector.h). Each keeps, per aggregate stream of its category, the state folded by
// the domain's own evolve() (the same appliers the deciders use) plus index rows derived from
// that state, in its family "proj.<name>":
//
//   lawyers   lawyer-*   profile and schedule (module 1)
//   filings   filing-*   a lawyer's filings and their progress; the clerks' review queue (module 2)
//   payments  payment-*  notices by code; a lawyer's notices and receipts (module 3)
//   cases     case-*     a lawyer's cases, case detail, hearings, the judges' inboxes (4-8, 10, 11)
//   services  service-*  a lawyer's documents to sign and signed; the SMS outbox (module 9)
//   courts    court-*    court policy, code lists and law links (module 12)
//   hotline   hotline-*  requests to the litigation-service hotline (notice §5)
//
// ReadModels answers queries as JSON documents (Boost.JSON) from those families; it never
// writes. Times are microseconds since the Unix epoch (fields "…_at_us", "…_us"). Whatever
// depends on "now" (days left, upcoming vs held, overdue) is computed from the `now_us`
// argument at query time, so rows stay deterministic and a rebuild reproduces them exactly.
// A query reflects the log up to Projector::position(); wait_for() first for read-your-writes.
// Each query reads at one RocksDB snapshot, and the Projector commits every family in one batch,
// so one answer never mixes two positions.
//
// Errors: kNotFound when the thing asked for does not exist (an unknown lawyer, case, filing,
// code…); kIo / kCorruption when the store fails. A list of nothing is an empty array, not an
// error. Queries perform no access control: the caller (api/) decides who may ask what, using
// the lookups at the end (case_access, filing_filer, …).
//
// Thread-safety: every member is const and may be called from many threads at once.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/projections/projection.h"

namespace docket::projections {

// The names of the standard projections (also their families' suffixes).
inline constexpr std::string_view kLawyersProjection = "lawyers";
inline constexpr std::string_view kFilingsProjection = "filings";
inline constexpr std::string_view kPaymentsProjection = "payments";
inline constexpr std::string_view kCasesProjection = "cases";
inline constexpr std::string_view kServicesProjection = "services";
inline constexpr std::string_view kCourtsProjection = "courts";
inline constexpr std::string_view kHotlineProjection = "hotline";

// The registry: one instance of each standard projection, in the order listed above.
std::vector<std::unique_ptr<Projection>> standard_projections();

// Filters of a lawyer's case list; each non-empty one must match (a substring, case-sensitive,
// of any plaintiff's / defendant's name, or of the case number).
struct CaseSearch {
  std::string plaintiff;
  std::string defendant;
  std::string case_number;
};

// Which hotline requests a list keeps: all; the unanswered (open, forwarded or overdue); the
// unanswered past their due time; the answered.
enum class HotlineFilter { kAll, kOpen, kOverdue, kAnswered };

// What access decisions about a case need.
struct CaseAccess {
  std::string case_number;
  std::string stream;  // "case-<case number>"
  std::string court;
  std::string judge;                // the judge in charge; empty until assigned
  std::string filing_id;            // empty for cases a court system registered
  std::string status;               // "open", "withdrawn", "closed"
  std::vector<std::string> agents;  // licence numbers
  // Identity numbers of agents recorded by one: the lawyer whose account has it is an agent too.
  std::vector<std::string> agent_identity_numbers;
};

class ReadModels {
 public:
  using Json = boost::json::value;

  explicit ReadModels(const engine::EventStore& store);

  // --- module 1: personal home --------------------------------------------------------------
  // {licence_number, name, firm, phone, email, active, must_change_password,
  //  schedule: [{entry_id, start_us, end_us, can_appear_in_court, text}] (by start),
  //  upcoming_hearings: [hearing row (see lawyer_hearings)]}. kNotFound: no such lawyer.
  engine::Result<Json> lawyer_home(std::string_view licence, std::int64_t now_us) const;
  // The schedule entries of the lawyers who are agents in the judge's cases ("pushed to the
  // judge"), entries ending after now: [{licence_number, name, firm, cases: [case number],
  // schedule: [entry]}], by licence number.
  engine::Result<Json> judge_lawyer_schedules(std::string_view judge, std::int64_t now_us) const;

  // --- module 2: online filing --------------------------------------------------------------
  // The filings where the lawyer is the filer or an agent, newest first: [filing summary] with
  // {filing_id, filer, role ("filer"|"agent"), status, ecf_status, category, court, court_name,
  //  plaintiffs, defendants, steps: {…each wizard step done?}, submissions, created_at_us,
  //  updated_at_us, submitted_at_us, review_due_at_us, review_days_left, review_overdue,
  //  correction_deadline_at_us, correction_days_left, case_number}.
  engine::Result<Json> lawyer_filings(std::string_view licence, std::int64_t now_us) const;
  // One filing in full (every wizard step's data, the correction notice, the progress history
  // [{type, at_us, actor}]). kNotFound when absent or deleted.
  engine::Result<Json> filing(std::string_view filing_id, std::int64_t now_us) const;
  // The court's filings awaiting the clerks: {court, pending: [summary] (submitted; overdue ones
  // first, then by review due date), awaiting_correction: [summary] (by correction deadline)}.
  // Days left round up ("2.1 days" -> 3); overdue: the review period has run out (or the log
  // recorded it).
  engine::Result<Json> review_queue(std::string_view court, std::int64_t now_us) const;

  // --- module 3: online payment -------------------------------------------------------------
  // The notice with that code: {filing_id, case_number, court, code, amount_fen, due_at_us,
  // status, payers, attempts, paid_amount_fen, transaction_id, receipt_number, paid_at_us,
  // receipt_at_us, pending_relief, granted_reliefs, overdue}. kNotFound: no such code.
  engine::Result<Json> payment_by_code(std::string_view code, std::int64_t now_us) const;
  // The notice of a filing (stream "payment-<filing id>"). kNotFound: none issued.
  engine::Result<Json> payment(std::string_view filing_id, std::int64_t now_us) const;
  // The notices the lawyer may pay, newest first: {notices: [notice], receipts: [{code,
  // case_number, receipt_number, paid_amount_fen, paid_at_us}]}.
  engine::Result<Json> lawyer_payments(std::string_view licence, std::int64_t now_us) const;

  // --- module 7: my cases -------------------------------------------------------------------
  // The cases where the lawyer is an agent, by case number: [case summary] with {case_number,
  // court, category, status, judge, filing_id, plaintiffs, defendants, third_parties, agents
  // (licence numbers), accepted_on_us, registered_at_us}.
  engine::Result<Json> lawyer_cases(std::string_view licence, const CaseSearch& search) const;
  // The cases of a judge in charge, or of a court (for GetCaseList), by case number.
  engine::Result<Json> judge_cases(std::string_view judge) const;
  engine::Result<Json> court_cases(std::string_view court) const;
  // One case in full: parties, agents, judge, hearings, evidence batches, exchanges, case-file
  // materials, file reviews, messages, the documents served in it, its payment notice.
  // kNotFound when absent. Read by a lawyer (`lawyer`: their licence number), the case-file
  // materials are only those an approved file review of theirs chose: a material's title is the
  // judge's to show; and the evidence batches, exchanges, file reviews and messages are only
  // their own.
  engine::Result<Json> case_detail(std::string_view case_number, std::int64_t now_us,
                                   std::optional<std::string_view> lawyer = std::nullopt) const;
  // A lawyer's own work across all their cases (modules 4, 5, 10, 11 as the manual's list screens
  // show them): {evidence_batches: [the batches they opened, each item with its status],
  // exchanges: [the evidence exchanges sent to them], messages: [their messages to judges, with
  // replies], file_reviews: [their file-review applications]}, each item as GetCase renders it
  // plus {case_number, court}.
  engine::Result<Json> lawyer_case_work(std::string_view licence) const;

  // --- modules 6, 8: hearings ---------------------------------------------------------------
  // {upcoming: [row], held: [row], cancelled: [row], conflicts: [conflict]} where a row is
  // {case_number, court, judge, hearing_id, starts_at_us, ends_at_us, place, online, video_room,
  //  status, cancel_reason, avoidance_requests (this lawyer's)} (upcoming: scheduled and not yet
  // ended, by start; held: held or past, newest first), and a conflict {kind:
  // "hearings_overlap", hearings: [row, row]} or {kind: "cannot_appear", hearing: row,
  // schedule_entry: entry} among upcoming hearings.
  engine::Result<Json> lawyer_hearings(std::string_view licence, std::int64_t now_us) const;

  // --- judges' inboxes (modules 5, 6, 10, 11) -----------------------------------------------
  // {avoidance_requests: [open requests], messages: [unreplied messages], file_reviews:
  //  [applications awaiting a decision], exchange_answers: [answered exchanges]}, each item with
  //  its case_number.
  engine::Result<Json> judge_inbox(std::string_view judge) const;

  // --- module 9: my documents ---------------------------------------------------------------
  // {to_sign: [service], signed: [service]} of the lawyer, newest first; a service is
  // {service_id, case_number, court, document_type, title, status, served_at_us, signed_at_us,
  //  signing_locked, sms_key_expires_at_us, blob_hash (only once signed), downloads}.
  engine::Result<Json> lawyer_documents(std::string_view licence) const;
  engine::Result<Json> service(std::string_view service_id) const;  // kNotFound when absent
  // The SMS outbox: notifications queued after `after_position`, up to `limit`, in log order:
  // [{position, stream, service_id, serial, phone, expires_at_us, status ("queued" |
  // "delivered" | "voided" | "signed")}]. A sender derives the key from (stream, serial); the
  // rows never hold one.
  engine::Result<Json> sms_outbox(std::uint64_t after_position, std::size_t limit) const;
  // The refunds the payment provider is still to carry out, oldest order first: [{filing_id,
  // court, refund_id, amount_fen, payment_transaction_id, channel, ordered_at_us}].
  engine::Result<Json> requested_refunds() const;

  // --- module 12 and court data -------------------------------------------------------------
  // [{title, url}] of the court's policy. kNotFound: no such court.
  engine::Result<Json> law_links(std::string_view court) const;
  // {code, name, code_lists, policy} (GetPolicy). kNotFound: no such court.
  engine::Result<Json> court(std::string_view court) const;
  // Every registered court: [{code, name}].
  engine::Result<Json> courts() const;

  // --- lookups for access decisions ---------------------------------------------------------
  engine::Result<std::optional<CaseAccess>> case_access(std::string_view case_number) const;
  engine::Result<bool> is_case_agent(std::string_view licence, std::string_view case_number) const;
  // The judge in charge (empty string while unassigned); nullopt: no such case.
  engine::Result<std::optional<std::string>> judge_of(std::string_view case_number) const;
  // "case-<number>" when the case exists.
  engine::Result<std::optional<std::string>> case_stream(std::string_view case_number) const;
  // The case registered from a filing.
  engine::Result<std::optional<std::string>> case_of_filing(std::string_view filing_id) const;
  // The filer's licence number (nullopt: no such filing, or deleted).
  engine::Result<std::optional<std::string>> filing_filer(std::string_view filing_id) const;
  // The filing id of the notice with that payment code.
  engine::Result<std::optional<std::string>> payment_filing(std::string_view code) const;
  // The recipient's licence number of a service.
  engine::Result<std::optional<std::string>> service_recipient(std::string_view service_id) const;

  // Every row of a projection's family as {key (hex): value (hex)} — to compare a live read
  // model with a rebuilt one. kNotFound for a family that does not exist.
  engine::Result<Json> dump(std::string_view projection) const;

  // --- the litigation-service hotline (notice §5) -------------------------------------------
  // A request: {hotline_request_id, court, kind, channel, case_number, title, body,
  //  filer_licence_number, caller {name, phone}, recorded_by, filed_at_us, answer_due_at_us,
  //  status, overdue, forwarded_to, forwarded_by, forward_note, forwarded_at_us, answer,
  //  answered_by, answered_at_us} (absent values null). overdue: unanswered and its due time has
  // come (or the log recorded it). kNotFound when absent.
  engine::Result<Json> hotline_request(std::string_view hotline_request_id,
                                       std::int64_t now_us) const;
  // Lists of requests, [request] in no particular order (the API sorts and pages them): every
  // request of a court, those a lawyer filed, those forwarded to a judge; only those `filter`
  // keeps.
  engine::Result<Json> court_hotline_requests(std::string_view court, HotlineFilter filter,
                                              std::int64_t now_us) const;
  engine::Result<Json> lawyer_hotline_requests(std::string_view licence, HotlineFilter filter,
                                               std::int64_t now_us) const;
  engine::Result<Json> judge_hotline_requests(std::string_view judge, HotlineFilter filter,
                                              std::int64_t now_us) const;

 private:
  const engine::EventStore& store_;
};

}  // namespace docket::projections
