// The standard projections: one AggregateProjection per aggregate category, each deriving the
// rows of entities.h from the state the domain's evolve folds.
#include <flatbuffers/flatbuffers.h>

#include <set>
#include <string>

#include "docket/projections/read_models.h"
#include "entities.h"
#include "render.h"
#include "service_generated.h"

namespace docket::projections {
namespace detail {
namespace {

Milestone milestone(const engine::RecordedEvent& event) {
  return Milestone{event.type, event.recorded_at_us, event.actor.id, event.actor.role};
}

// --- lawyers -----------------------------------------------------------------------------

class LawyersProjection final : public AggregateProjection<domain::LawyerAggregate> {
 public:
  std::string_view name() const override { return kLawyersProjection; }
  std::uint32_t version() const override { return projection_version<domain::LawyerAggregate>(2); }

 protected:
  void derive(std::string_view /*stream*/, const EntityType& /*entity*/,
              Rows& /*rows*/) const override {}
};

// --- filings -----------------------------------------------------------------------------

class FilingsProjection final : public AggregateProjection<domain::FilingAggregate, FilingExtra> {
 public:
  std::string_view name() const override { return kFilingsProjection; }
  std::uint32_t version() const override { return projection_version<domain::FilingAggregate>(2); }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    auto& x = entity.extra;
    x.updated_at_us = event.recorded_at_us;
    const std::string_view type = event.type;
    if (x.created_at_us == 0) {
      x.created_at_us = event.recorded_at_us;
      x.history.push_back(milestone(event));
      return;
    }
    if (type == "FilingSubmitted")
      x.submitted_at_us = event.recorded_at_us;
    static const std::set<std::string, std::less<>> kMilestones = {
        "FilingSubmitted",     "CorrectionRequested", "FilingAccepted",  "FilingRejected",
        "FilingReviewOverdue", "FilingReturned",      "FilingCancelled", "FilingDeleted"};
    if (kMilestones.contains(type))
      x.history.push_back(milestone(event));
  }

  void derive(std::string_view /*stream*/, const EntityType& entity, Rows& rows) const override {
    const auto& f = entity.state;
    if (!f.exists || f.status == domain::FilingStatus::kDeleted || f.filer.empty())
      return;
    rows[row_key(rows::kDocument, f.filing_id)] = to_text(filing_summary_json(entity));
    rows[row_key(rows::kFilingsByLawyer, f.filer, f.filing_id)] = f.filing_id;
    for (const auto& agent : f.agents) {
      if (!agent.licence_number.empty())
        rows[row_key(rows::kFilingsByLawyer, agent.licence_number, f.filing_id)] = f.filing_id;
    }
    if (f.court.empty())
      return;
    if (f.status == domain::FilingStatus::kSubmitted) {
      rows[row_key(rows::kReviewQueue, f.court, rows::kQueuePending, f.filing_id)] = f.filing_id;
    } else if (f.status == domain::FilingStatus::kCorrectionRequested) {
      rows[row_key(rows::kReviewQueue, f.court, rows::kQueueCorrection, f.filing_id)] = f.filing_id;
    }
  }
};

// --- payments ----------------------------------------------------------------------------

class PaymentsProjection final
    : public AggregateProjection<domain::PaymentAggregate, PaymentExtra> {
 public:
  std::string_view name() const override { return kPaymentsProjection; }
  std::uint32_t version() const override { return projection_version<domain::PaymentAggregate>(2); }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    auto& x = entity.extra;
    x.updated_at_us = event.recorded_at_us;
    const std::string_view type = event.type;
    if (type == "PaymentNoticeIssued")
      x.issued_at_us = event.recorded_at_us;
    else if (type == "PaymentConfirmed")
      x.paid_at_us = event.recorded_at_us;
    else if (type == "PaymentReceiptRecorded")
      x.receipt_at_us = event.recorded_at_us;
    x.history.push_back(milestone(event));
  }

  void derive(std::string_view /*stream*/, const EntityType& entity, Rows& rows) const override {
    const auto& p = entity.state;
    if (!p.exists)
      return;
    if (!p.code.empty())
      rows[row_key(rows::kPaymentByCode, p.code)] = p.filing_id;
    if (!p.case_number.empty())
      rows[row_key(rows::kPaymentByCase, p.case_number)] = p.filing_id;
    rows[row_key(rows::kDocument, p.filing_id)] = to_text(payment_json(entity));
    for (const auto& payer : p.payers) {
      if (!payer.empty())
        rows[row_key(rows::kPaymentsByPayer, payer, p.filing_id)] = p.filing_id;
    }
  }
};

// --- cases -------------------------------------------------------------------------------

class CasesProjection final : public AggregateProjection<domain::CaseAggregate, CaseExtra> {
 public:
  std::string_view name() const override { return kCasesProjection; }
  std::uint32_t version() const override { return projection_version<domain::CaseAggregate>(2); }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    if (entity.extra.registered_at_us == 0 && entity.state.exists)
      entity.extra.registered_at_us = event.recorded_at_us;
    entity.extra.updated_at_us = event.recorded_at_us;
  }

  void derive(std::string_view /*stream*/, const EntityType& entity, Rows& rows) const override {
    const auto& c = entity.state;
    if (!c.exists || c.case_number.empty())
      return;
    rows[row_key(rows::kDocument, c.case_number)] = to_text(case_summary_json(entity));
    std::set<std::string> licences;
    for (const auto& agent : c.agents) {
      if (!agent.licence.empty())
        licences.insert(agent.licence);
    }
    for (const auto& licence : licences) {
      rows[row_key(rows::kCasesByAgent, licence, c.case_number)] = c.case_number;
      for (const auto& [id, hearing] : c.hearings) {
        rows[row_key(rows::kHearingsByAgent, licence, time_part(hearing.starts_at_us),
                     c.case_number, id)] = to_text(hearing_row_json(c, hearing, licence));
      }
    }
    if (!c.court.empty())
      rows[row_key(rows::kCasesByCourt, c.court, c.case_number)] = c.case_number;
    if (!c.filing_id.empty())
      rows[row_key(rows::kCaseByFiling, c.filing_id)] = c.case_number;
    if (c.judge.empty())
      return;
    rows[row_key(rows::kCasesByJudge, c.judge, c.case_number)] = c.case_number;
    for (const auto& [hearing_id, hearing] : c.hearings) {
      for (const auto& request : hearing.avoidance_requests) {
        if (request.status != domain::AvoidanceStatus::kOpen)
          continue;
        rows[row_key(rows::kJudgeInbox, c.judge, rows::kInboxAvoidance, c.case_number, hearing_id,
                     request.request_id)] = to_text(avoidance_item_json(c, hearing, request));
      }
    }
    for (const auto& [id, message] : c.messages) {
      if (message.status == domain::JudgeMessageStatus::kReplied)
        continue;
      auto item = message_json(message);
      item["case_number"] = c.case_number;
      rows[row_key(rows::kJudgeInbox, c.judge, rows::kInboxMessage, c.case_number, id)] =
          to_text(item);
    }
    for (const auto& [id, review] : c.file_reviews) {
      if (review.status != domain::FileReviewStatus::kApplied)
        continue;
      auto item = file_review_json(review);
      item["case_number"] = c.case_number;
      rows[row_key(rows::kJudgeInbox, c.judge, rows::kInboxFileReview, c.case_number, id)] =
          to_text(item);
    }
    for (const auto& [id, exchange] : c.evidence_exchanges) {
      if (exchange.status != domain::EvidenceExchangeStatus::kAnswered)
        continue;
      auto item = exchange_json(exchange);
      item["case_number"] = c.case_number;
      rows[row_key(rows::kJudgeInbox, c.judge, rows::kInboxExchange, c.case_number, id)] =
          to_text(item);
    }
  }
};

// --- services ----------------------------------------------------------------------------

class ServicesProjection final
    : public AggregateProjection<domain::ServiceAggregate, ServiceExtra> {
 public:
  std::string_view name() const override { return kServicesProjection; }
  std::uint32_t version() const override { return projection_version<domain::ServiceAggregate>(2); }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    entity.extra.updated_at_us = event.recorded_at_us;
    if (event.type != "SmsKeyNotificationQueued" || event.schema_version != 1)
      return;
    const auto* data = reinterpret_cast<const std::uint8_t*>(event.payload.data());
    flatbuffers::Verifier verifier(data, event.payload.size());
    if (!verifier.VerifyBuffer<domain::fb::SmsKeyNotificationQueued>(nullptr))
      return;  // a payload that does not decode queues nothing
    const auto* queued = flatbuffers::GetRoot<domain::fb::SmsKeyNotificationQueued>(data);
    OutboxEntry entry;
    entry.position = event.position;
    entry.serial = queued->serial();
    entry.phone = queued->phone() != nullptr ? queued->phone()->str() : std::string();
    entry.expires_at_us = queued->expires_at_us();
    entity.extra.outbox.push_back(std::move(entry));
  }

  void derive(std::string_view stream, const EntityType& entity, Rows& rows) const override {
    const auto& s = entity.state;
    if (!s.exists)
      return;
    rows[row_key(rows::kDocument, s.service_id)] = to_text(service_json(entity));
    if (!s.recipient_licence.empty())
      rows[row_key(rows::kServicesByRecipient, s.recipient_licence, s.service_id)] = s.service_id;
    if (!s.case_number.empty())
      rows[row_key(rows::kServicesByCase, s.case_number, s.service_id)] = s.service_id;
    for (const auto& entry : entity.extra.outbox) {
      std::string position;
      engine::format::put_u64be(position, entry.position);
      rows[row_key(rows::kOutbox, position)] = to_text(outbox_json(stream, entity, entry));
    }
  }
};

// --- courts ------------------------------------------------------------------------------

class CourtsProjection final : public AggregateProjection<domain::CourtAggregate> {
 public:
  std::string_view name() const override { return kCourtsProjection; }
  std::uint32_t version() const override { return projection_version<domain::CourtAggregate>(2); }

 protected:
  void derive(std::string_view /*stream*/, const EntityType& /*entity*/,
              Rows& /*rows*/) const override {}
};

}  // namespace
}  // namespace detail

std::vector<std::unique_ptr<Projection>> standard_projections() {
  std::vector<std::unique_ptr<Projection>> out;
  out.push_back(std::make_unique<detail::LawyersProjection>());
  out.push_back(std::make_unique<detail::FilingsProjection>());
  out.push_back(std::make_unique<detail::PaymentsProjection>());
  out.push_back(std::make_unique<detail::CasesProjection>());
  out.push_back(std::make_unique<detail::ServicesProjection>());
  out.push_back(std::make_unique<detail::CourtsProjection>());
  return out;
}

}  // namespace docket::projections
