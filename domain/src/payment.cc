#include "docket/domain/payment.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "deciding.h"
#include "docket/domain/facts.h"
#include "docket/domain/fee.h"
#include "payment_generated.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

constexpr std::string_view kDueTimerCommand = timer_command::kPaymentDueDateReached;
constexpr std::size_t kMinEntropyBytes = 16;

std::string actor_text(const Context& ctx) {
  return std::string(enum_name(ctx.actor.role)) + " " + quoted(ctx.actor.id);
}

// A 20-digit code from the first 16 bytes of entropy (about 66 bits).
std::string payment_code(std::string_view entropy) {
  std::string code;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t n = 0;
    std::memcpy(&n, entropy.data() + half * 8, 8);
    std::string digits = std::to_string(n % 10'000'000'000ULL);
    code += std::string(10 - digits.size(), '0') + digits;
  }
  return code;
}

TimerRequest due_timer(std::string_view filing_id, std::int64_t due_at_us) {
  fb::PaymentDueTimerT timer;
  timer.due_at_us = due_at_us;
  return TimerRequest{payment_due_timer_id(filing_id, due_at_us), due_at_us,
                      payment_stream(filing_id), std::string(kDueTimerCommand), pack(timer)};
}

std::optional<Rejection> require_notice(const PaymentNoticeState& s) {
  if (s.exists)
    return std::nullopt;
  return reject(RejectionCode::kNotFound, "Expected a payment notice, but there is none");
}

std::optional<Rejection> require_payer(const PaymentNoticeState& s, const Context& ctx) {
  if (ctx.actor.role == Role::kLawyer &&
      std::find(s.payers.begin(), s.payers.end(), ctx.actor.id) != s.payers.end()) {
    return std::nullopt;
  }
  return reject(RejectionCode::kForbidden, "Expected a lawyer acting in case " + s.case_number +
                                               ", but " + actor_text(ctx) + " is not one");
}

// The provider's confirmation and the fiscal receipt come from the system (the signed callback)
// or from the court system of the notice's court, never from another court's.
std::optional<Rejection> require_provider(const PaymentNoticeState& s, const Context& ctx) {
  if (ctx.actor.role == Role::kSystem)
    return std::nullopt;
  return require_court_staff(ctx.actor, s.court, {Role::kCourtSystem},
                             "the system or the court system relaying the payment provider");
}

std::optional<Rejection> require_relief_decider(const PaymentNoticeState& s, const Context& ctx) {
  return require_court_staff(ctx.actor, s.court, {Role::kClerk, Role::kJudge}, "a clerk or judge");
}

std::optional<Rejection> require_unpaid(const PaymentNoticeState& s) {
  if (s.status == PaymentNoticeStatus::kUnpaid)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected an unpaid payment notice, but it is " + std::string(enum_name(s.status)));
}

std::optional<Rejection> require_pending_relief(const PaymentNoticeState& s) {
  if (s.pending_relief)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected a pending application for relief, but there is none");
}

EventData lapsed_event(const PaymentNoticeState& s) {
  fb::PaymentNoticeLapsedT e;
  e.filing_id = s.filing_id;
  e.case_number = s.case_number;
  e.due_at_us = s.due_at_us;
  e.amount_fen = s.amount_fen;
  return make_event(event_type::kPaymentNoticeLapsed, e);
}

// --- deciders --------------------------------------------------------------------------------

Outcome decide_step(const PaymentNoticeState& s, const IssuePaymentNotice& c, const Context& ctx) {
  if (c.filing_id.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected the filing's id, but it is empty",
                             {{"filing_id", "Expected the filing's id, but it is empty"}}));
  }
  const Facts& facts = facts_of(ctx);
  const FilingState& filing = facts.filing(c.filing_id);
  if (!filing.exists) {
    return fail(RejectionCode::kInvalidState, "Expected an accepted filing " + quoted(c.filing_id) +
                                                  " to issue a payment notice for, but it is "
                                                  "unknown");
  }
  // Who may issue it is asked before anything about the filing is said.
  const bool allowed =
      ctx.actor.role == Role::kSystem || acts_for_court(ctx.actor, filing.court, {Role::kClerk});
  if (!allowed) {
    return fail(RejectionCode::kForbidden, "Expected the system or a clerk of court " +
                                               quoted(filing.court) + " to issue the notice, but " +
                                               actor_text(ctx) + " did");
  }
  if (s.exists)
    return nothing();  // issued already
  if (filing.status != FilingStatus::kAccepted) {
    return fail(RejectionCode::kInvalidState, "Expected an accepted filing " + quoted(c.filing_id) +
                                                  " to issue a payment notice for, but it is " +
                                                  std::string(enum_name(filing.status)));
  }
  // The fee of the filing's category and amount in dispute under its court's schedule.
  const CourtPolicy policy = policy_of(facts, filing.court);
  auto fee = fee_for(policy.fee_schedule, filing.category, filing.amount_in_dispute_fen);
  if (!fee)
    return unexpected(std::move(fee).error());
  std::vector<std::string> payers;
  for (const auto& agent : filing.agents)
    payers.push_back(agent.licence_number);
  Violations v;
  v.require(!filing.case_number.empty(), "case_number",
            "Expected the filing's case number, but it is empty");
  v.require(!payers.empty(), "payers", "Expected at least one lawyer who may pay, but none");
  v.require(
      policy.fee_due_period_us > 0, "due_period_us",
      "Expected a positive fee due period, but it is " + std::to_string(policy.fee_due_period_us));
  v.require(ctx.entropy.size() >= kMinEntropyBytes, "entropy",
            "Expected at least 16 bytes of entropy for the code, but got " +
                std::to_string(ctx.entropy.size()));
  if (!v.empty())
    return unexpected(v.rejection());
  fb::PaymentNoticeIssuedT e;
  e.filing_id = c.filing_id;
  e.case_number = filing.case_number;
  e.court = filing.court;
  e.code = payment_code(ctx.entropy);
  e.amount_fen = *fee;
  e.due_at_us = ctx.now_us + policy.fee_due_period_us;
  e.payers = std::move(payers);
  e.issued_by = ctx.actor.id;
  Decision d;
  d.events.push_back(make_event(event_type::kPaymentNoticeIssued, e));
  if (*fee > 0)
    d.timers_to_set.push_back(due_timer(c.filing_id, e.due_at_us));
  return d;
}

Outcome decide_step(const PaymentNoticeState& s, const StartPayment& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_payer(s, ctx))
    return unexpected(*r);
  if (c.code != s.code) {
    const std::string message =
        "Expected the code printed on the payment notice, but the code given does not match";
    return unexpected(reject(RejectionCode::kValidation, message, {{"code", message}}));
  }
  if (auto r = require_unpaid(s))
    return unexpected(*r);
  fb::PaymentStartedT e;
  e.attempt = static_cast<std::uint32_t>(s.attempts.size() + 1);
  e.channel = static_cast<fb::PaymentChannel>(c.channel);
  e.amount_fen = s.amount_fen;
  e.started_by = ctx.actor.id;
  return decided({make_event(event_type::kPaymentStarted, e)});
}

Outcome decide_step(const PaymentNoticeState& s, const ConfirmPayment& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_provider(s, ctx))
    return unexpected(*r);
  if (s.status == PaymentNoticeStatus::kPaid) {
    if (c.transaction_id == s.transaction_id)
      return nothing();  // the same confirmation again
    return fail(RejectionCode::kConflict,
                "Expected no second payment, but the notice is paid by "
                "transaction " +
                    quoted(s.transaction_id));
  }
  if (auto r = require_unpaid(s))
    return unexpected(*r);
  const auto attempt =
      std::find_if(s.attempts.begin(), s.attempts.end(),
                   [&](const PaymentAttempt& a) { return a.attempt == c.attempt; });
  if (attempt == s.attempts.end()) {
    return fail(RejectionCode::kNotFound,
                "Expected a started payment, but there is no attempt " + std::to_string(c.attempt));
  }
  Violations v;
  v.require(!c.transaction_id.empty(), "transaction_id",
            "Expected the provider's transaction id, but it is empty");
  v.require(c.amount_fen == s.amount_fen, "amount_fen",
            "Expected the amount due, " + std::to_string(s.amount_fen) +
                " fen, but the provider confirmed " + std::to_string(c.amount_fen) + " fen");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::PaymentConfirmedT e;
  e.attempt = c.attempt;
  e.channel = static_cast<fb::PaymentChannel>(attempt->channel);
  e.transaction_id = c.transaction_id;
  e.amount_fen = c.amount_fen;
  return decided({make_event(event_type::kPaymentConfirmed, e)}, {},
                 {payment_due_timer_id(s.filing_id, s.due_at_us)});
}

Outcome decide_step(const PaymentNoticeState& s, const RecordReceipt& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_provider(s, ctx))
    return unexpected(*r);
  if (s.status != PaymentNoticeStatus::kPaid) {
    return fail(RejectionCode::kInvalidState,
                "Expected a paid notice to record a receipt for, "
                "but it is " +
                    std::string(enum_name(s.status)));
  }
  if (c.receipt_number.empty()) {
    const std::string message = "Expected the receipt number, but it is empty";
    return unexpected(reject(RejectionCode::kValidation, message, {{"receipt_number", message}}));
  }
  if (!s.receipt_number.empty()) {
    if (s.receipt_number != c.receipt_number) {
      return fail(RejectionCode::kConflict, "Expected one receipt per notice, but receipt " +
                                                quoted(s.receipt_number) + " is recorded");
    }
    if (c.blob_hash.empty() || c.blob_hash == s.receipt_blob_hash)
      return nothing();
    if (!s.receipt_blob_hash.empty()) {
      return fail(RejectionCode::kConflict, "Expected one document for receipt " +
                                                quoted(s.receipt_number) +
                                                ", but another is recorded");
    }
    fb::PaymentReceiptDocumentRecordedT e;
    e.blob_hash = c.blob_hash;
    return decided({make_event(event_type::kPaymentReceiptDocumentRecorded, e)});
  }
  fb::PaymentReceiptRecordedT e;
  e.receipt_number = c.receipt_number;
  std::vector<EventData> events{make_event(event_type::kPaymentReceiptRecorded, e)};
  if (!c.blob_hash.empty()) {
    fb::PaymentReceiptDocumentRecordedT document;
    document.blob_hash = c.blob_hash;
    events.push_back(make_event(event_type::kPaymentReceiptDocumentRecorded, document));
  }
  return decided(std::move(events));
}

Outcome decide_step(const PaymentNoticeState& s, const ApplyForRelief& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_payer(s, ctx))
    return unexpected(*r);
  if (auto r = require_unpaid(s))
    return unexpected(*r);
  if (s.pending_relief) {
    return fail(RejectionCode::kConflict, "Expected one application at a time, but a " +
                                              std::string(enum_name(s.pending_relief->kind)) +
                                              " application is pending");
  }
  if (ctx.now_us >= s.due_at_us) {
    return fail(RejectionCode::kPolicy,
                "Expected an application for relief before the due date, but it has passed");
  }
  if (c.reason.empty()) {
    const std::string message = "Expected a reason for the application, but it is empty";
    return unexpected(reject(RejectionCode::kValidation, message, {{"reason", message}}));
  }
  fb::PaymentReliefAppliedT e;
  e.kind = static_cast<fb::PaymentReliefKind>(c.kind);
  e.reason = c.reason;
  e.applied_by = ctx.actor.id;
  return decided({make_event(event_type::kPaymentReliefApplied, e)});
}

Outcome decide_step(const PaymentNoticeState& s, const GrantRelief& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_relief_decider(s, ctx))
    return unexpected(*r);
  if (auto r = require_unpaid(s))
    return unexpected(*r);
  if (auto r = require_pending_relief(s))
    return unexpected(*r);
  const PaymentReliefKind kind = s.pending_relief->kind;
  std::int64_t due_at_us = s.due_at_us;
  std::int64_t amount_fen = s.amount_fen;
  Violations v;
  switch (kind) {
    case PaymentReliefKind::kDeferral:
      v.require(c.due_at_us > s.due_at_us && c.due_at_us > ctx.now_us, "due_at_us",
                "Expected a new due date later than the current one and than now, but got " +
                    std::to_string(c.due_at_us));
      due_at_us = c.due_at_us;
      break;
    case PaymentReliefKind::kReduction:
      v.require(c.amount_fen > 0 && c.amount_fen < s.amount_fen, "amount_fen",
                "Expected a reduced amount between 0 and " + std::to_string(s.amount_fen) +
                    " fen (exclusive), but got " + std::to_string(c.amount_fen));
      if (c.due_at_us != 0) {
        v.require(c.due_at_us > ctx.now_us, "due_at_us",
                  "Expected a due date after now, but got " + std::to_string(c.due_at_us));
        due_at_us = c.due_at_us;
      } else {
        v.require(s.due_at_us > ctx.now_us, "due_at_us",
                  "Expected a new due date since the current one has passed, but none was given");
      }
      amount_fen = c.amount_fen;
      break;
    case PaymentReliefKind::kWaiver:
      amount_fen = 0;
      break;
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::PaymentReliefGrantedT e;
  e.kind = static_cast<fb::PaymentReliefKind>(kind);
  e.due_at_us = due_at_us;
  e.amount_fen = amount_fen;
  e.granted_by = ctx.actor.id;
  Decision d;
  d.events.push_back(make_event(event_type::kPaymentReliefGranted, e));
  if (kind == PaymentReliefKind::kWaiver || due_at_us != s.due_at_us) {
    d.timers_to_cancel.push_back(payment_due_timer_id(s.filing_id, s.due_at_us));
  }
  if (kind != PaymentReliefKind::kWaiver && due_at_us != s.due_at_us) {
    d.timers_to_set.push_back(due_timer(s.filing_id, due_at_us));
  }
  return d;
}

Outcome decide_step(const PaymentNoticeState& s, const RefuseRelief& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_relief_decider(s, ctx))
    return unexpected(*r);
  if (auto r = require_unpaid(s))
    return unexpected(*r);
  if (auto r = require_pending_relief(s))
    return unexpected(*r);
  if (c.reason.empty()) {
    const std::string message = "Expected a reason for the refusal, but it is empty";
    return unexpected(reject(RejectionCode::kValidation, message, {{"reason", message}}));
  }
  fb::PaymentReliefRefusedT e;
  e.reason = c.reason;
  e.refused_by = ctx.actor.id;
  Decision d;
  d.events.push_back(make_event(event_type::kPaymentReliefRefused, e));
  // The due date passed while the application was pending: the notice lapses now.
  if (ctx.now_us >= s.due_at_us)
    d.events.push_back(lapsed_event(s));
  return d;
}

Outcome decide_step(const PaymentNoticeState& s, const PaymentDueDateReached& c,
                    const Context& ctx) {
  if (ctx.actor.role != Role::kSystem) {
    return fail(RejectionCode::kForbidden,
                "Expected the system to run the due date, but " + actor_text(ctx) + " did");
  }
  // Stale (deferred, paid, waived) or held by a pending application: nothing to decide.
  if (!s.exists || s.status != PaymentNoticeStatus::kUnpaid || c.due_at_us != s.due_at_us ||
      ctx.now_us < s.due_at_us || s.pending_relief) {
    return nothing();
  }
  return decided({lapsed_event(s)});
}

const PaymentRefund* find_refund(const PaymentNoticeState& s, std::string_view refund_id) {
  for (const auto& r : s.refunds) {
    if (r.refund_id == refund_id)
      return &r;
  }
  return nullptr;
}

Outcome decide_step(const PaymentNoticeState& s, const OrderRefund& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_relief_decider(s, ctx))
    return unexpected(*r);
  if (s.status != PaymentNoticeStatus::kPaid) {
    return fail(RejectionCode::kInvalidState,
                "Expected a paid notice to refund, but it is " + std::string(enum_name(s.status)));
  }
  if (!c.refund_id.empty() && find_refund(s, c.refund_id) != nullptr) {
    return fail(RejectionCode::kConflict,
                "Expected a new refund, but refund " + quoted(c.refund_id) + " exists");
  }
  const std::int64_t refundable = refundable_fen(s);
  Violations v;
  v.require(!c.refund_id.empty(), "refund_id", "Expected the refund's id, but it is empty");
  v.require(c.amount_fen > 0 && c.amount_fen <= refundable, "amount_fen",
            "Expected an amount between 1 and " + std::to_string(refundable) +
                " fen (paid less the refunds made or requested), but got " +
                std::to_string(c.amount_fen));
  v.require(!c.reason.empty(), "reason", "Expected a reason for the refund, but it is empty");
  if (!c.hotline_request_id.empty()) {
    const HotlineRequestState& request = facts_of(ctx).hotline_request(c.hotline_request_id);
    v.require(request.exists && request.court == s.court, "hotline_request_id",
              "Expected a hotline request of court " + quoted(s.court) + ", but " +
                  quoted(c.hotline_request_id) + " is none");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::RefundOrderedT e;
  e.refund_id = c.refund_id;
  e.amount_fen = c.amount_fen;
  e.reason = c.reason;
  e.hotline_request_id = c.hotline_request_id;
  e.transaction_id = s.transaction_id;
  for (const auto& a : s.attempts) {
    if (a.attempt == s.paid_attempt)
      e.channel = static_cast<fb::PaymentChannel>(a.channel);
  }
  e.ordered_by = ctx.actor.id;
  e.ordered_at_us = ctx.now_us;
  return decided({make_event(event_type::kRefundOrdered, e)});
}

Outcome decide_step(const PaymentNoticeState& s, const RecordRefundResult& c, const Context& ctx) {
  if (auto r = require_notice(s))
    return unexpected(*r);
  if (auto r = require_provider(s, ctx))
    return unexpected(*r);
  const PaymentRefund* refund = find_refund(s, c.refund_id);
  if (refund == nullptr) {
    return fail(
        RejectionCode::kNotFound,
        "Expected a refund ordered on the notice, but there is no refund " + quoted(c.refund_id));
  }
  const RefundStatus result = c.completed ? RefundStatus::kCompleted : RefundStatus::kFailed;
  if (refund->status != RefundStatus::kRequested) {
    const bool same =
        refund->status == result && (!c.completed || refund->transaction_id == c.transaction_id);
    if (same)
      return nothing();  // the same result again
    return fail(
        RejectionCode::kConflict,
        "Expected one result per refund, but refund " + quoted(c.refund_id) + " is " +
            std::string(enum_name(refund->status)) +
            (refund->transaction_id.empty() ? std::string()
                                            : " by transaction " + quoted(refund->transaction_id)));
  }
  if (!c.completed) {
    fb::RefundFailedT e;
    e.refund_id = c.refund_id;
    e.reason = c.failure_reason;
    e.failed_at_us = ctx.now_us;
    return decided({make_event(event_type::kRefundFailed, e)});
  }
  Violations v;
  v.require(!c.transaction_id.empty(), "transaction_id",
            "Expected the provider's refund transaction id, but it is empty");
  v.require(c.amount_fen == refund->amount_fen, "amount_fen",
            "Expected the refund's amount, " + std::to_string(refund->amount_fen) +
                " fen, but the provider reported " + std::to_string(c.amount_fen) + " fen");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::RefundCompletedT e;
  e.refund_id = c.refund_id;
  e.transaction_id = c.transaction_id;
  e.amount_fen = c.amount_fen;
  e.completed_at_us = ctx.now_us;
  return decided({make_event(event_type::kRefundCompleted, e)});
}

// --- appliers --------------------------------------------------------------------------------

void apply_payment_notice_issued_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentNoticeIssued>(event);
  s.exists = true;
  s.filing_id = p.filing_id;
  s.case_number = p.case_number;
  s.court = p.court;
  s.code = p.code;
  s.amount_fen = p.amount_fen;
  s.due_at_us = p.due_at_us;
  s.payers = p.payers;
  s.status = p.amount_fen == 0 ? PaymentNoticeStatus::kWaived : PaymentNoticeStatus::kUnpaid;
}

void apply_payment_started_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentStarted>(event);
  s.attempts.push_back(PaymentAttempt{p.attempt, static_cast<PaymentChannel>(p.channel),
                                      p.amount_fen, p.started_by});
}

void apply_payment_confirmed_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentConfirmed>(event);
  s.status = PaymentNoticeStatus::kPaid;
  s.paid_attempt = p.attempt;
  s.transaction_id = p.transaction_id;
  s.paid_amount_fen = p.amount_fen;
}

void apply_payment_receipt_recorded_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentReceiptRecorded>(event);
  s.receipt_number = p.receipt_number;
}

void apply_payment_receipt_document_recorded_v1(PaymentNoticeState& s, const StoredEvent& event) {
  s.receipt_blob_hash = payload_of<fb::PaymentReceiptDocumentRecorded>(event).blob_hash;
}

void apply_payment_relief_applied_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentReliefApplied>(event);
  s.pending_relief =
      PaymentReliefApplication{static_cast<PaymentReliefKind>(p.kind), p.reason, p.applied_by};
}

void apply_payment_relief_granted_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::PaymentReliefGranted>(event);
  const auto kind = static_cast<PaymentReliefKind>(p.kind);
  s.pending_relief.reset();
  s.granted_reliefs.push_back(kind);
  s.due_at_us = p.due_at_us;
  s.amount_fen = p.amount_fen;
  if (kind == PaymentReliefKind::kWaiver)
    s.status = PaymentNoticeStatus::kWaived;
}

void apply_payment_relief_refused_v1(PaymentNoticeState& s, const StoredEvent&) {
  s.pending_relief.reset();
}

void apply_payment_notice_lapsed_v1(PaymentNoticeState& s, const StoredEvent&) {
  s.status = PaymentNoticeStatus::kLapsed;
}

void apply_refund_ordered_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::RefundOrdered>(event);
  PaymentRefund refund;
  refund.refund_id = p.refund_id;
  refund.amount_fen = p.amount_fen;
  refund.reason = p.reason;
  refund.hotline_request_id = p.hotline_request_id;
  refund.ordered_by = p.ordered_by;
  refund.ordered_at_us = p.ordered_at_us;
  s.refunds.push_back(std::move(refund));
}

PaymentRefund* refund_of(PaymentNoticeState& s, const std::string& refund_id,
                         const StoredEvent& event) {
  for (auto& r : s.refunds) {
    if (r.refund_id == refund_id)
      return &r;
  }
  throw EventFoldError("Expected a refund ordered before its result, but " + describe_event(event) +
                       " names refund " + quoted(refund_id));
}

void apply_refund_completed_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::RefundCompleted>(event);
  PaymentRefund* refund = refund_of(s, p.refund_id, event);
  refund->status = RefundStatus::kCompleted;
  refund->transaction_id = p.transaction_id;
  refund->settled_at_us = p.completed_at_us;
}

void apply_refund_failed_v1(PaymentNoticeState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::RefundFailed>(event);
  PaymentRefund* refund = refund_of(s, p.refund_id, event);
  refund->status = RefundStatus::kFailed;
  refund->failure_reason = p.reason;
  refund->settled_at_us = p.failed_at_us;
}

}  // namespace

std::int64_t refundable_fen(const PaymentNoticeState& notice) {
  if (notice.status != PaymentNoticeStatus::kPaid)
    return 0;
  std::int64_t held = 0;
  for (const auto& r : notice.refunds) {
    if (r.status != RefundStatus::kFailed)
      held += r.amount_fen;
  }
  return std::max<std::int64_t>(0, notice.paid_amount_fen - held);
}

std::string payment_due_timer_id(std::string_view filing_id, std::int64_t due_at_us) {
  return payment_stream(filing_id) + "/due-date/" + std::to_string(due_at_us);
}

Outcome PaymentAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<PaymentAggregate::State>& PaymentAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("payment notice");
    table.on(event_type::kPaymentNoticeIssued, 1, apply_payment_notice_issued_v1);
    table.on(event_type::kPaymentStarted, 1, apply_payment_started_v1);
    table.on(event_type::kPaymentConfirmed, 1, apply_payment_confirmed_v1);
    table.on(event_type::kPaymentReceiptRecorded, 1, apply_payment_receipt_recorded_v1);
    table.on(event_type::kPaymentReceiptDocumentRecorded, 1,
             apply_payment_receipt_document_recorded_v1);
    table.on(event_type::kPaymentReliefApplied, 1, apply_payment_relief_applied_v1);
    table.on(event_type::kPaymentReliefGranted, 1, apply_payment_relief_granted_v1);
    table.on(event_type::kPaymentReliefRefused, 1, apply_payment_relief_refused_v1);
    table.on(event_type::kPaymentNoticeLapsed, 1, apply_payment_notice_lapsed_v1);
    table.on(event_type::kRefundOrdered, 1, apply_refund_ordered_v1);
    table.on(event_type::kRefundCompleted, 1, apply_refund_completed_v1);
    table.on(event_type::kRefundFailed, 1, apply_refund_failed_v1);
    return table;
  }();
  return kTable;
}

Expected<PaymentCommand, Rejection> PaymentAggregate::command_from_timer(
    std::string_view command_type, std::string_view payload) {
  if (command_type != kDueTimerCommand) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a payment timer command, but got " + quoted(command_type)));
  }
  if (auto p = read_payload<fb::PaymentDueTimer>(payload)) {
    return PaymentCommand{PaymentDueDateReached{p->due_at_us}};
  }
  return unexpected(
      reject(RejectionCode::kValidation,
             "Expected a valid payload for " + quoted(command_type) + ", but it does not parse"));
}

}  // namespace docket::domain
