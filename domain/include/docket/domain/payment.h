// The payment aggregate (stream "payment-<filing id>"): the payment notice (交费通知书) a court
// issues when it accepts a filing, the lawyer's online payment, the electronic receipt, relief
// (deferral, reduction, waiver) on the lawyer's application, and the lapse of an unpaid notice.
//
// Lifecycle: IssuePaymentNotice (unpaid) -> StartPayment* -> ConfirmPayment (paid)
//            -> RecordReceipt; or ApplyForRelief -> GrantRelief | RefuseRelief; or, unpaid at the
//            due date with no relief pending, PaymentNoticeLapsed (the case is treated as
//            withdrawn; the case aggregate's reaction turns this event into the withdrawal).
//            A paid notice may be refunded (交费退费), in parts: OrderRefund (requested) ->
//            RecordRefundResult (completed | failed), each refund under its own id.
//
// Refunds go through the payment provider as payments do: RefundOrdered is the request to the
// provider (its relay follows the log and refunds that amount of the payment's transaction under
// the refund's id), and the provider's signed callback reports the result (RefundCompleted or
// RefundFailed). A refund requested and not yet failed holds its amount: the refunds ordered
// never exceed what was paid.
//
// Events (payloads in schema/payment.fbs, all schema version 1): PaymentNoticeIssued,
// PaymentStarted, PaymentConfirmed, PaymentReceiptRecorded, PaymentReliefApplied,
// PaymentReliefGranted, PaymentReliefRefused, PaymentNoticeLapsed, RefundOrdered,
// RefundCompleted, RefundFailed.
//
// Timer: "payment-<id>/due-date/<due_at_us>" on the notice's own stream, command type
// "PaymentDueDateReached" (payload: a PaymentDueTimer table carrying the due date it was set
// for). A deferral cancels it and sets one for the new date; payment and waiver cancel it. A timer
// whose due date is no longer the notice's, or that fires after settlement, decides nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

enum class PaymentChannel : std::uint8_t { kWeChat, kAlipay, kBank };
BOOST_DESCRIBE_ENUM(PaymentChannel, kWeChat, kAlipay, kBank)
enum class PaymentReliefKind : std::uint8_t { kDeferral, kReduction, kWaiver };
BOOST_DESCRIBE_ENUM(PaymentReliefKind, kDeferral, kReduction, kWaiver)
// kUnpaid until settled; kPaid and kWaived settle the notice; kLapsed ends it unpaid.
enum class PaymentNoticeStatus : std::uint8_t { kUnpaid, kPaid, kWaived, kLapsed };
BOOST_DESCRIBE_ENUM(PaymentNoticeStatus, kUnpaid, kPaid, kWaived, kLapsed)
// A refund's course: requested from the provider, then completed or failed.
enum class RefundStatus : std::uint8_t { kRequested, kCompleted, kFailed };
BOOST_DESCRIBE_ENUM(RefundStatus, kRequested, kCompleted, kFailed)

// The channel's wire name is "wechat", not the rule's "we_chat" (enum_names.h).
template <>
struct EnumNameOverrides<PaymentChannel> {
  static constexpr std::array kNames{std::pair{PaymentChannel::kWeChat, "wechat"}};
};

// One payment a lawyer started through a channel.
struct PaymentAttempt {
  std::uint32_t attempt = 0;
  PaymentChannel channel = PaymentChannel::kWeChat;
  std::int64_t amount_fen = 0;
  std::string started_by;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(attempt, channel, amount_fen, started_by);
  }
  friend bool operator==(const PaymentAttempt&, const PaymentAttempt&) = default;
};

// A lawyer's application for relief, awaiting a clerk's or judge's decision.
struct PaymentReliefApplication {
  PaymentReliefKind kind = PaymentReliefKind::kDeferral;
  std::string reason;
  std::string applied_by;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(kind, reason, applied_by);
  }
  friend bool operator==(const PaymentReliefApplication&,
                         const PaymentReliefApplication&) = default;
};

// A refund of (part of) a paid fee.
struct PaymentRefund {
  std::string refund_id;
  std::int64_t amount_fen = 0;
  std::string reason;
  std::string hotline_request_id;  // the hotline request it answers ("" when none)
  std::string ordered_by;
  std::int64_t ordered_at_us = 0;
  RefundStatus status = RefundStatus::kRequested;
  std::string transaction_id;  // the provider's refund transaction, once completed
  std::string failure_reason;  // once failed
  std::int64_t settled_at_us = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(refund_id, amount_fen, reason, hotline_request_id, ordered_by, ordered_at_us, status,
       transaction_id, failure_reason, settled_at_us);
  }
  friend bool operator==(const PaymentRefund&, const PaymentRefund&) = default;
};

struct PaymentNoticeState {
  bool exists = false;
  std::string filing_id;
  std::string case_number;
  std::string court;
  std::string code;
  std::int64_t amount_fen = 0;  // the amount due now (after any reduction)
  std::int64_t due_at_us = 0;   // the due date now (after any deferral)
  std::vector<std::string> payers;
  PaymentNoticeStatus status = PaymentNoticeStatus::kUnpaid;
  std::vector<PaymentAttempt> attempts;
  // Set once paid.
  std::uint32_t paid_attempt = 0;
  std::string transaction_id;
  std::int64_t paid_amount_fen = 0;
  std::string receipt_number;
  std::string receipt_blob_hash;  // the receipt document, once the court's system gave it
  std::optional<PaymentReliefApplication> pending_relief;
  std::vector<PaymentReliefKind> granted_reliefs;
  std::vector<PaymentRefund> refunds;  // in the order ordered

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, filing_id, case_number, court, code, amount_fen, due_at_us, payers, status, attempts,
       paid_attempt, transaction_id, paid_amount_fen, receipt_number, receipt_blob_hash,
       pending_relief, granted_reliefs, refunds);
  }
  friend bool operator==(const PaymentNoticeState&, const PaymentNoticeState&) = default;
};

// Issues the notice of an accepted filing. Idempotent: a notice that already exists decides
// nothing. Actor: kSystem (the reaction to FilingAccepted) or a clerk of the filing's court.
// From the filing (facts: filing-<filing_id>): its case number, court and agents (the payers);
// from its court's policy (facts: court-<court>): the fee, fee_for(fee schedule, category,
// amount in dispute), and the due period. Generates the code from ctx.entropy (at least 16
// bytes, else validation); sets the due timer unless the fee is 0 (a fee-free case: the notice
// is settled as kWaived at once). Errors: invalid_state (the filing is not accepted), not_found
// (the schedule has no rule for the category), forbidden.
struct IssuePaymentNotice {
  std::string filing_id;
};

// A payer starts paying: `code` is what they typed from the notice. Actor: a lawyer among payers.
struct StartPayment {
  std::string code;
  PaymentChannel channel = PaymentChannel::kWeChat;
};

// The provider's confirmation, relayed by the app. Actor: kSystem or kCourtSystem.
// The amount must equal the notice's amount (validation); the same transaction again decides
// nothing; a different transaction on a paid notice is a conflict.
struct ConfirmPayment {
  std::uint32_t attempt = 0;
  std::string transaction_id;
  std::int64_t amount_fen = 0;
};

// The electronic fiscal receipt for a paid notice: its number and, optionally, the receipt
// document the payer downloads (the SHA-256 of a file the court's system uploaded). Actor: kSystem
// or kCourtSystem. Recording the same number again decides nothing, or records the document when
// the number was recorded without one; a different number, or another document, is a conflict.
struct RecordReceipt {
  std::string receipt_number;
  std::string blob_hash;
};

// A payer applies for relief before the due date; one application at a time. While it is
// pending the notice does not lapse.
struct ApplyForRelief {
  PaymentReliefKind kind = PaymentReliefKind::kDeferral;
  std::string reason;
};

// A clerk or judge of the notice's court grants the pending application.
// Deferral: `due_at_us` is the new due date (required, later than the current one and than now).
// Reduction: `amount_fen` is the new amount (required, 0 < amount < current); `due_at_us` is
//   required when the current due date has passed, otherwise optional (0 keeps it).
// Waiver: the amount becomes 0 and the notice is settled.
struct GrantRelief {
  std::int64_t due_at_us = 0;
  std::int64_t amount_fen = 0;
};

// A clerk or judge refuses the pending application. If the due date has already passed, the
// notice lapses in the same decision.
struct RefuseRelief {
  std::string reason;
};

// The due-date timer fired. Actor: kSystem.
struct PaymentDueDateReached {
  std::int64_t due_at_us = 0;
};

// A clerk or judge of the notice's court orders part or all of a paid fee refunded. `refund_id`
// is the server's. The amount is at most what was paid less the refunds completed or still
// requested (refundable_fen); `hotline_request_id`, when given, names a hotline request of the
// court the refund answers (facts: hotline_request(id)). Errors: not_found, forbidden,
// invalid_state (the notice is not paid), conflict (the refund id is taken), validation (no id, an
// amount of 0 or more than is refundable, no reason, a hotline request that is not the court's).
struct OrderRefund {
  std::string refund_id;
  std::int64_t amount_fen = 0;
  std::string reason;
  std::string hotline_request_id;
};

// The provider's result of a refund, relayed by the app (the signed callback) or by the court
// system of the notice's court. Completed: `transaction_id` (the provider's refund transaction)
// and `amount_fen` (the refund's amount) are required. The same result again decides nothing; a
// different result for a settled refund is a conflict. Errors: not_found (no such refund),
// forbidden, conflict, validation.
struct RecordRefundResult {
  std::string refund_id;
  bool completed = false;
  std::string transaction_id;
  std::int64_t amount_fen = 0;
  std::string failure_reason;
};

using PaymentCommand =
    std::variant<IssuePaymentNotice, StartPayment, ConfirmPayment, RecordReceipt, ApplyForRelief,
                 GrantRelief, RefuseRelief, PaymentDueDateReached, OrderRefund, RecordRefundResult>;

struct PaymentAggregate : Aggregate<PaymentAggregate, PaymentNoticeState, PaymentCommand> {
  static constexpr std::string_view kCategory = category::kPayment;
  static constexpr std::uint32_t kStateVersion = 3;  // 2: the receipt document; 3: refunds
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static Expected<Command, Rejection> command_from_timer(std::string_view command_type,
                                                         std::string_view payload);
  static const ApplierTable<State>& appliers();
};

// What may still be refunded of a paid notice: the amount paid less the refunds completed or
// still requested (0 for a notice not paid).
std::int64_t refundable_fen(const PaymentNoticeState& notice);

// The due-date timer's id for a notice of `filing_id` due at `due_at_us`.
std::string payment_due_timer_id(std::string_view filing_id, std::int64_t due_at_us);

}  // namespace docket::domain
