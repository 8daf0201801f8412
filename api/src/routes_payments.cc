// Online payment (module 3): the notice by its code, starting a payment, the provider's signed
// callback, relief, receipts.
#include <sodium.h>

#include "docket/app/secrets.h"
#include "docket/domain/payment.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"
#include "scope.h"

namespace docket::api {

namespace {

std::string payment_stream_of_call(const Call& call) {
  return domain::payment_stream(call.param("filing_id"));
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The provider's result of a refund as the domain's command.
domain::RecordRefundResult refund_result(std::string refund_id, requests::RefundResult result,
                                         std::optional<Id> transaction_id,
                                         std::optional<std::int64_t> amount_fen,
                                         std::optional<std::string> failure_reason) {
  domain::RecordRefundResult command;
  command.refund_id = std::move(refund_id);
  command.completed = result == requests::RefundResult::completed;
  command.transaction_id = transaction_id.value_or("");
  command.amount_fen = amount_fen.value_or(0);
  command.failure_reason = failure_reason.value_or("");
  return command;
}

}  // namespace

// Checks the payment provider's signature of the request's exact body (X-Payment-Signature: the
// lower-case hex HMAC-SHA-256 under the payment secret, optionally prefixed "sha256="): 503
// without a configured secret, 401 for a missing or wrong signature.
Expected<void, Problem> Service::check_payment_signature(const Call& call) const {
  if (options_.payment_secret.empty()) {
    return unexpected(make_problem(http::status::service_unavailable, problem_code::kUnavailable,
                                   "Expected a configured payment secret, but none is set "
                                   "(--payment-secret-file or DOCKET_PAYMENT_SECRET)"));
  }
  std::string signature;
  if (auto it = call.request.find("X-Payment-Signature"); it != call.request.end())
    signature = std::string(it->value());
  if (signature.starts_with("sha256="))
    signature.erase(0, 7);
  const auto expected =
      app::SodiumSecrets::hmac_sha256_hex(options_.payment_secret, call.request.body());
  if (!equal_constant_time(signature, expected))
    return unexpected(unauthenticated(
        "Expected X-Payment-Signature to be the HMAC-SHA-256 of the body under the payment "
        "secret, but it is not"));
  return {};
}

void Service::add_payment_routes() {
  // Who may see a notice is decided at the edge (Service::scope_guard, by its code or its
  // filing) and again here, from the notice itself, as scope.h says.
  auto may_see_notice = [](const Call& call, const domain::PaymentNoticeState& notice,
                           const std::string& id) {
    return check_reach(call.principal, scope_of(notice), "payment notice", id);
  };
  const auto readers =
      roles({Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor});

  add({.method = http::verb::get,
       .path = "/v1/payment-notices/{code}",
       .operation = "GetPaymentNotice",
       .summary = "The payment notice with the code printed on it: case, amount, due date, "
                  "status.",
       .tag = "payments",
       .roles = readers,
       .owner = Owner::kPaymentCode,
       .reads_projections = true,
       .response = schema::type<responses::PaymentNotice>()},
      [this, may_see_notice](Call& call) -> Result {
        if (auto w = wait_for_projections(call.after); !w)
          return unexpected(w.error());
        const auto code = call.param("code");
        auto filing = read_models_.payment_filing(code);
        if (!filing)
          return unexpected(from_engine_error(filing.error()));
        if (*filing) {
          auto loaded = platform_.load<domain::PaymentAggregate>(domain::payment_stream(**filing));
          if (!loaded)
            return unexpected(from_engine_error(loaded.error()));
          if (auto ok = may_see_notice(call, loaded->state, code); !ok)
            return unexpected(ok.error());
        }
        auto notice = read_models_.payment_by_code(code, call.now_us);
        if (!notice)
          return unexpected(from_engine_error(notice.error()));
        return Reply{json_reply(call, http::status::ok, *notice)};
      });

  add({.method = http::verb::post,
       .path = "/v1/payment-notices/{code}/payments",
       .operation = "StartPayment",
       .summary = "A payer starts paying the notice with that code through WeChat, Alipay or "
                  "online bank; the reply names the attempt the provider's callback confirms.",
       .tag = "payments",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kPaymentCode,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::PaymentStarted>(),
       .success = {201}},
      with_body<requests::StartPaymentBody>([this](Call& call,
                                                   requests::StartPaymentBody in) -> Result {
        domain::StartPayment command;
        command.code = call.param("code");
        command.channel = to_domain<domain::PaymentChannel>(in.channel);
        auto filing = read_models_.payment_filing(command.code);
        if (!filing)
          return unexpected(from_engine_error(filing.error()));
        if (!*filing)
          return unexpected(
              not_found("Expected a payment notice with code " + command.code + ", but none"));
        const auto stream = domain::payment_stream(**filing);
        auto outcome =
            platform_.execute<domain::PaymentAggregate>(stream, command, app_request(call));
        json::object extra{{"filing_id", **filing}};
        if (outcome) {
          // The attempt this command started (a repeat: the one its first started), read from
          // the stream as it stood right after it, whatever was written since.
          const auto version = outcome->stream_version;
          auto then = platform_.runner<domain::PaymentAggregate>().load_until(
              stream, [version](const engine::RecordedEvent& e) { return e.version <= version; });
          if (!then)
            return unexpected(from_engine_error(then.error()));
          if (!then->state.attempts.empty()) {
            const auto& a = then->state.attempts.back();
            extra["attempt"] = a.attempt;
            extra["amount_fen"] = a.amount_fen;
          }
        }
        return accepted(call, outcome, http::status::created, std::move(extra));
      }));

  add({.method = http::verb::post,
       .path = "/v1/payments/callback",
       .operation = "PaymentCallback",
       .summary = "The payment provider confirms a payment. The body is signed: X-Payment-"
                  "Signature carries the lower-case hex HMAC-SHA-256 of the exact body under the "
                  "configured payment secret. A bad signature changes nothing (401). The "
                  "transaction id makes a repeated callback harmless.",
       .tag = "payments",
       .access = Access::kPublic,
       .writes = true,
       .blocking = true,
       .request = body_type<requests::PaymentCallbackBody>(),
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        if (auto signed_ = check_payment_signature(call); !signed_)
          return unexpected(std::move(signed_).error());
        // Read only once the signature holds: an unsigned body is never looked at.
        auto in = read_body<requests::PaymentCallbackBody>(call.request.body());
        if (!in)
          return unexpected(std::move(in).error());
        std::string filing_id = in->filing_id.value_or("");
        const std::string code = in->code.value_or("");
        domain::ConfirmPayment confirm;
        confirm.attempt = in->attempt;
        confirm.transaction_id = std::move(in->transaction_id);
        confirm.amount_fen = in->amount_fen;
        const std::string receipt = in->receipt_number.value_or("");
        if (filing_id.empty() && !code.empty()) {
          auto found = read_models_.payment_filing(code);
          if (!found)
            return unexpected(from_engine_error(found.error()));
          if (*found)
            filing_id = **found;
        }
        if (filing_id.empty())
          return unexpected(invalid("filing_id",
                                    "Expected the notice's filing id or code, but "
                                    "neither names a notice"));
        const auto stream = domain::payment_stream(filing_id);
        auto outcome = platform_.execute<domain::PaymentAggregate>(
            stream, confirm, app::Request::system("payment-callback/" + confirm.transaction_id));
        if (outcome && !receipt.empty()) {
          auto recorded = platform_.execute<domain::PaymentAggregate>(
              stream, domain::RecordReceipt{receipt},
              app::Request::system("payment-receipt/" + confirm.transaction_id));
          // One reply for both commands: what they wrote together, up to the receipt.
          if (recorded) {
            if (outcome->first_position != 0)
              recorded->first_position = outcome->first_position;
            recorded->event_count += outcome->event_count;
            recorded->deduplicated = recorded->deduplicated && outcome->deduplicated;
          }
          return accepted(call, recorded);
        }
        return accepted(call, outcome);
      });

  add({.method = http::verb::get,
       .path = "/v1/payments/{filing_id}",
       .operation = "GetPayment",
       .summary = "The payment notice of a filing: amount, due date, attempts, receipt, relief.",
       .tag = "payments",
       .roles = readers,
       .owner = Owner::kPayment,
       .reads_projections = true,
       .response = schema::type<responses::PaymentNotice>()},
      [this, may_see_notice](Call& call) -> Result {
        const auto id = call.param("filing_id");
        auto loaded = platform_.load<domain::PaymentAggregate>(domain::payment_stream(id));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        if (loaded->state.exists) {
          if (auto ok = may_see_notice(call, loaded->state, id); !ok)
            return unexpected(ok.error());
        }
        return resource_reply(call, domain::payment_stream(id),
                              [&] { return read_models_.payment(id, call.now_us); });
      });

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/notice",
       .operation = "IssuePaymentNotice",
       .summary = "A clerk of the court issues the payment notice of an accepted filing (normally "
                  "issued automatically on acceptance; issuing again changes nothing). Case, "
                  "payers, amount and due date come from the filing and the court's policy.",
       .tag = "payments",
       .roles = roles({Role::kClerk}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        domain::IssuePaymentNotice command;
        command.filing_id = call.param("filing_id");
        const auto stream = domain::payment_stream(command.filing_id);
        return execute<domain::PaymentAggregate>(call, stream, std::move(command));
      });

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/relief",
       .operation = "ApplyForRelief",
       .summary = "A payer applies for deferral, reduction or waiver of the fee before the due "
                  "date.",
       .tag = "payments",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::ApplyForReliefBody>(
          *this, payment_stream_of_call, [](requests::ApplyForReliefBody in, const Call&) {
            return domain::ApplyForRelief{to_domain<domain::PaymentReliefKind>(in.kind),
                                          std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/relief/grant",
       .operation = "GrantRelief",
       .summary = "A clerk or judge of the court grants the pending relief: a new due date "
                  "(deferral), a new amount (reduction), or a waiver.",
       .tag = "payments",
       .roles = roles({Role::kClerk, Role::kJudge}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::GrantReliefBody>(
          *this, payment_stream_of_call, [](requests::GrantReliefBody in, const Call&) {
            return domain::GrantRelief{in.due_at_us.value_or(0), in.amount_fen.value_or(0)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/relief/refuse",
       .operation = "RefuseRelief",
       .summary = "A clerk or judge of the court refuses the pending relief, with a reason.",
       .tag = "payments",
       .roles = roles({Role::kClerk, Role::kJudge}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::ReasonBody>(
          *this, payment_stream_of_call, [](requests::ReasonBody in, const Call&) {
            return domain::RefuseRelief{std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/confirmation",
       .operation = "ConfirmPayment",
       .summary = "The court's system relays a payment confirmation it received itself.",
       .tag = "payments",
       .roles = roles({Role::kCourtSystem}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::ConfirmPaymentBody>(
          *this, payment_stream_of_call, [](requests::ConfirmPaymentBody in, const Call&) {
            return domain::ConfirmPayment{in.attempt, std::move(in.transaction_id), in.amount_fen};
          }));

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/receipt",
       .operation = "RecordReceipt",
       .summary = "The court's system records the electronic fiscal receipt of a paid notice: its "
                  "number and the receipt document the payer downloads (uploaded first with "
                  "POST /v1/blobs). A number recorded without a document (by the payment "
                  "callback) takes its document by recording it again with blob_hash.",
       .tag = "payments",
       .roles = roles({Role::kCourtSystem}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::RecordReceiptBody>(
          *this, payment_stream_of_call,
          [this](requests::RecordReceiptBody in,
                 const Call& call) -> Expected<domain::RecordReceipt, Problem> {
            domain::RecordReceipt command{std::move(in.receipt_number), in.blob_hash.value_or("")};
            if (!command.blob_hash.empty()) {
              if (auto ok = check_blobs(*this, {{"blob_hash", command.blob_hash}}, &call.principal);
                  !ok)
                return unexpected(ok.error());
            }
            return command;
          }));

  add({.method = http::verb::get,
       .path = "/v1/payments/{filing_id}/receipt/document",
       .operation = "DownloadReceipt",
       .summary = "The electronic fiscal receipt's document of a paid notice, for its payers and "
                  "the court's staff (404 until the court's system recorded one).",
       .tag = "payments",
       .roles = roles({Role::kLawyer, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kPayment,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this, may_see_notice](Call& call) -> Result {
        const auto id = call.param("filing_id");
        auto loaded = platform_.load<domain::PaymentAggregate>(domain::payment_stream(id));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        const auto& notice = loaded->state;
        if (notice.exists) {
          if (auto ok = may_see_notice(call, notice, id); !ok)
            return unexpected(ok.error());
        }
        if (notice.receipt_blob_hash.empty()) {
          return unexpected(not_found("Expected a receipt document for the payment notice of " +
                                      id + ", but none is recorded"));
        }
        return blob_reply(call, notice.receipt_blob_hash);
      });

  // --- refunds (交费退费) --------------------------------------------------------------------

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/refunds",
       .operation = "OrderRefund",
       .summary = "A clerk or judge of the court orders part or all of a paid fee refunded, with "
                  "a reason and, optionally, the hotline request it answers: at most the amount "
                  "paid less the refunds completed or requested. The refund is requested from the "
                  "payment provider, whose signed callback reports the result.",
       .tag = "payments",
       .roles = roles({Role::kClerk, Role::kJudge}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::PaymentAggregate, requests::OrderRefundBody>(
          *this, payment_stream_of_call,
          [](requests::OrderRefundBody in, const Call& call) {
            return domain::OrderRefund{call.made_id(made::kRefund), in.amount_fen,
                                       std::move(in.reason), in.hotline_request_id.value_or("")};
          },
          http::status::created, made::kRefund));

  add({.method = http::verb::post,
       .path = "/v1/payments/refund-callback",
       .operation = "RefundCallback",
       .summary = "The payment provider reports a refund completed or failed. The body is signed "
                  "as the payment callback's is (X-Payment-Signature); a bad signature changes "
                  "nothing (401). The same result again is harmless; another result for a settled "
                  "refund is a conflict.",
       .tag = "payments",
       .access = Access::kPublic,
       .writes = true,
       .blocking = true,
       .request = body_type<requests::RefundCallbackBody>(),
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        if (auto signed_ = check_payment_signature(call); !signed_)
          return unexpected(std::move(signed_).error());
        // Read only once the signature holds: an unsigned body is never looked at.
        auto in = read_body<requests::RefundCallbackBody>(call.request.body());
        if (!in)
          return unexpected(std::move(in).error());
        // One key per reported result: a repeat of the same callback is answered by the first.
        const bool completed = in->result == requests::RefundResult::completed;
        const std::string key =
            "refund-callback/" + in->refund_id +
            (completed ? "/completed/" + in->transaction_id.value_or("") : std::string("/failed"));
        auto command =
            refund_result(std::move(in->refund_id), in->result, std::move(in->transaction_id),
                          in->amount_fen, std::move(in->failure_reason));
        return accepted(call, platform_.execute<domain::PaymentAggregate>(
                                  domain::payment_stream(in->filing_id), std::move(command),
                                  app::Request::system(key)));
      });

  add({.method = http::verb::post,
       .path = "/v1/payments/{filing_id}/refunds/{refund_id}/result",
       .operation = "RecordRefundResult",
       .summary = "The court's system relays a refund's result it received from the provider "
                  "itself.",
       .tag = "payments",
       .roles = roles({Role::kCourtSystem}),
       .owner = Owner::kPayment,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::PaymentAggregate, requests::RecordRefundResultBody>(
          *this, payment_stream_of_call, [](requests::RecordRefundResultBody in, const Call& call) {
            return refund_result(call.param("refund_id"), in.result, std::move(in.transaction_id),
                                 in.amount_fen, std::move(in.failure_reason));
          }));
}

}  // namespace docket::api
