// The standard projections: one AggregateProjection per aggregate category, each deriving the
// rows of entities.h from the state the domain's evolve folds.
#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>

#include "case_generated.h"
#include "docket/projections/read_models.h"
#include "entities.h"
#include "hotline_rows.h"
#include "lawyer_generated.h"
#include "render.h"
#include "service_generated.h"

namespace docket::projections {
namespace detail {

// --- case item rows ----------------------------------------------------------------------

namespace {

template <class Map>
std::optional<std::string> item_row(const Map& map, const std::string& id) {
  auto it = map.find(id);
  if (it == map.end())
    return std::nullopt;
  return engine::SnapshotStore::encode(it->second);
}

template <class Map>
bool put_item(Map& map, const std::string& id, std::string_view bytes) {
  auto item = engine::SnapshotStore::decode<typename Map::mapped_type>(bytes);
  if (!item)
    return false;
  map[id] = std::move(*item);
  return true;
}

// Calls f(map) with the map of `state` that items of `kind` live in; false for another kind.
template <class State, class F>
bool with_case_map(State& state, std::string_view kind, F&& f) {
  if (kind == rows::kItemHearing)
    f(state.hearings);
  else if (kind == rows::kItemEvidenceBatch)
    f(state.evidence_batches);
  else if (kind == rows::kItemExchange)
    f(state.evidence_exchanges);
  else if (kind == rows::kItemFileMaterial)
    f(state.file_materials);
  else if (kind == rows::kItemFileReview)
    f(state.file_reviews);
  else if (kind == rows::kItemMessage)
    f(state.messages);
  else
    return false;
  return true;
}

}  // namespace

std::optional<std::string> case_item_row(const domain::CaseState& state, std::string_view kind,
                                         const std::string& id) {
  std::optional<std::string> out;
  with_case_map(state, kind, [&](const auto& map) { out = item_row(map, id); });
  return out;
}

bool put_case_item(domain::CaseState& state, std::string_view kind, const std::string& id,
                   std::string_view bytes) {
  bool put = false;
  with_case_map(state, kind, [&](auto& map) { put = put_item(map, id, bytes); });
  return put;
}

namespace {

Milestone milestone(const engine::RecordedEvent& event) {
  return Milestone{event.type, event.recorded_at_us, event.actor.id, event.actor.role};
}

// --- lawyers -----------------------------------------------------------------------------

class LawyersProjection final : public AggregateProjection<domain::LawyerAggregate> {
  static constexpr EventKey kApplies[] = {{domain::event_type::kLawyerRegistered, 1},
                                          {domain::event_type::kLawyerRegistered, 2},
                                          {domain::event_type::kLawyerRegistered, 3},
                                          {domain::event_type::kLawyerRosterDataUpdated, 1},
                                          {domain::event_type::kLawyerReactivated, 1},
                                          {domain::event_type::kLawyerDeactivated, 1},
                                          {domain::event_type::kPasswordChanged, 1},
                                          {domain::event_type::kPasswordChanged, 2},
                                          {domain::event_type::kProfileUpdated, 1},
                                          {domain::event_type::kScheduleEntryAdded, 1},
                                          {domain::event_type::kScheduleEntryRemoved, 1}};

 public:
  std::string_view name() const override { return kLawyersProjection; }
  std::uint32_t version() const override { return projection_version<domain::LawyerAggregate>(5); }
  std::span<const EventKey> applies() const override { return kApplies; }

 protected:
  // The schedule lives in rows of its own (entities.h): the entry an event adds is taken out of
  // the state into its row, the one it removes is erased; the state keeps no entries.
  void item(std::string_view stream, EntityType& entity, const engine::RecordedEvent& event,
            ItemRows& items) override {
    const std::string_view licence = stream.substr(stream.find('-') + 1);
    auto& schedule = entity.state.schedule;
    for (auto& entry : schedule) {
      const auto key = row_key(rows::kScheduleEntry, licence, entry.entry_id);
      items[key] =
          engine::SnapshotStore::encode(ScheduleEntryRow{std::move(entry), event.position});
    }
    schedule.clear();
    if (event.type != domain::event_type::kScheduleEntryRemoved || event.schema_version != 1)
      return;
    const auto* data = reinterpret_cast<const std::uint8_t*>(event.payload.data());
    flatbuffers::Verifier verifier(data, event.payload.size());
    if (!verifier.VerifyBuffer<domain::fb::ScheduleEntryRemoved>(nullptr))
      return;  // a payload that does not decode removes nothing
    const auto* removed = flatbuffers::GetRoot<domain::fb::ScheduleEntryRemoved>(data);
    if (removed->entry_id() != nullptr)
      items[row_key(rows::kScheduleEntry, licence, removed->entry_id()->string_view())] =
          std::nullopt;
  }

  void derive(std::string_view /*stream*/, const EntityType& entity, Rows& rows) const override {
    const auto& l = entity.state;
    if (l.exists && !l.id_number.empty())
      rows[row_key(rows::kLawyerByIdentity, l.id_number)] = l.licence_number;
  }
};

// --- filings -----------------------------------------------------------------------------

class FilingsProjection final : public AggregateProjection<domain::FilingAggregate, FilingExtra> {
  static constexpr EventKey kApplies[] = {{domain::event_type::kFilingNoticeAccepted, 1},
                                          {domain::event_type::kCaseCategoryChosen, 1},
                                          {domain::event_type::kCaseInformationSaved, 1},
                                          {domain::event_type::kCaseInformationSaved, 2},
                                          {domain::event_type::kPartiesSaved, 1},
                                          {domain::event_type::kAgentsSaved, 1},
                                          {domain::event_type::kServiceAddressNoticeAccepted, 1},
                                          {domain::event_type::kServiceAddressesSaved, 1},
                                          {domain::event_type::kCourtChosen, 1},
                                          {domain::event_type::kMaterialsSaved, 1},
                                          {domain::event_type::kIdentityPapersSaved, 1},
                                          {domain::event_type::kIdentityCheckRecorded, 1},
                                          {domain::event_type::kIdentityCheckOverridden, 1},
                                          {domain::event_type::kMediationChosen, 1},
                                          {domain::event_type::kFilingSubmitted, 1},
                                          {domain::event_type::kFilingDeleted, 1},
                                          {domain::event_type::kFilingCancelled, 1},
                                          {domain::event_type::kFilingAccepted, 1},
                                          {domain::event_type::kCorrectionRequested, 1},
                                          {domain::event_type::kFilingRejected, 1},
                                          {domain::event_type::kFilingReviewOverdue, 1},
                                          {domain::event_type::kFilingReturned, 1},
                                          {domain::event_type::kFilingReferredToMediation, 1},
                                          {domain::event_type::kMediationConcluded, 1},
                                          {domain::event_type::kJudicialConfirmationApplied, 1},
                                          {domain::event_type::kJudicialConfirmationDecided, 1}};

 public:
  std::string_view name() const override { return kFilingsProjection; }
  std::uint32_t version() const override { return projection_version<domain::FilingAggregate>(4); }
  std::span<const EventKey> applies() const override { return kApplies; }

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
    if (type == domain::event_type::kFilingSubmitted)
      x.submitted_at_us = event.recorded_at_us;
    static const std::set<std::string_view> kMilestones = {
        domain::event_type::kFilingSubmitted,
        domain::event_type::kCorrectionRequested,
        domain::event_type::kFilingAccepted,
        domain::event_type::kFilingRejected,
        domain::event_type::kFilingReviewOverdue,
        domain::event_type::kFilingReturned,
        domain::event_type::kFilingCancelled,
        domain::event_type::kFilingDeleted,
        domain::event_type::kFilingReferredToMediation,
        domain::event_type::kMediationConcluded,
        domain::event_type::kJudicialConfirmationApplied,
        domain::event_type::kJudicialConfirmationDecided};
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
    } else if (f.status == domain::FilingStatus::kInMediation) {
      rows[row_key(rows::kReviewQueue, f.court, rows::kQueueMediation, f.filing_id)] = f.filing_id;
    } else if (f.status == domain::FilingStatus::kMediated && f.mediation_referral &&
               f.mediation_referral->judicial_confirmation ==
                   domain::JudicialConfirmation::kApplied) {
      rows[row_key(rows::kReviewQueue, f.court, rows::kQueueConfirmation, f.filing_id)] =
          f.filing_id;
    }
  }
};

// --- payments ----------------------------------------------------------------------------

class PaymentsProjection final
    : public AggregateProjection<domain::PaymentAggregate, PaymentExtra> {
  static constexpr EventKey kApplies[] = {{domain::event_type::kPaymentNoticeIssued, 1},
                                          {domain::event_type::kPaymentStarted, 1},
                                          {domain::event_type::kPaymentConfirmed, 1},
                                          {domain::event_type::kPaymentReceiptRecorded, 1},
                                          {domain::event_type::kPaymentReceiptDocumentRecorded, 1},
                                          {domain::event_type::kPaymentReliefApplied, 1},
                                          {domain::event_type::kPaymentReliefGranted, 1},
                                          {domain::event_type::kPaymentReliefRefused, 1},
                                          {domain::event_type::kPaymentNoticeLapsed, 1},
                                          {domain::event_type::kRefundOrdered, 1},
                                          {domain::event_type::kRefundCompleted, 1},
                                          {domain::event_type::kRefundFailed, 1}};

 public:
  std::string_view name() const override { return kPaymentsProjection; }
  // 4: a notice's refunds; 5: the refunds awaiting the provider.
  std::uint32_t version() const override { return projection_version<domain::PaymentAggregate>(5); }
  std::span<const EventKey> applies() const override { return kApplies; }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    auto& x = entity.extra;
    x.updated_at_us = event.recorded_at_us;
    const std::string_view type = event.type;
    if (type == domain::event_type::kPaymentNoticeIssued)
      x.issued_at_us = event.recorded_at_us;
    else if (type == domain::event_type::kPaymentConfirmed)
      x.paid_at_us = event.recorded_at_us;
    else if (type == domain::event_type::kPaymentReceiptRecorded)
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
    // What the provider's relay is to carry out: each refund still requested, with the payment
    // it returns money from (no reason: the provider needs none).
    std::string channel;
    for (const auto& a : p.attempts) {
      if (a.attempt == p.paid_attempt)
        channel = std::string(domain::enum_name(a.channel));
    }
    for (const auto& r : p.refunds) {
      if (r.status != domain::RefundStatus::kRequested)
        continue;
      rows[row_key(rows::kRefundsRequested, time_part(r.ordered_at_us), p.filing_id, r.refund_id)] =
          to_text(boost::json::object{{"filing_id", p.filing_id},
                                      {"court", p.court},
                                      {"refund_id", r.refund_id},
                                      {"amount_fen", r.amount_fen},
                                      {"payment_transaction_id", p.transaction_id},
                                      {"channel", channel},
                                      {"ordered_at_us", r.ordered_at_us}});
    }
  }
};

// --- cases -------------------------------------------------------------------------------

// The id a case event's payload names in `field`; nullopt when the payload does not decode.
template <class Table, const flatbuffers::String* (Table::*field)() const>
std::optional<std::string> id_in(std::string_view payload) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(payload.data());
  flatbuffers::Verifier verifier(data, payload.size());
  if (!verifier.VerifyBuffer<Table>(nullptr))
    return std::nullopt;
  const auto* id = (flatbuffers::GetRoot<Table>(data)->*field)();
  return id != nullptr ? id->str() : std::string();
}

// The case events that change one item of the state: the item's kind and the payload field that
// names it. Each of them changes that item alone (see the appliers in domain/src/case.cc).
struct CaseItemEvent {
  std::string_view type;
  std::uint32_t schema_version;
  std::string_view kind;
  std::optional<std::string> (*id)(std::string_view payload);
};

namespace cfb = domain::fb;
constexpr CaseItemEvent kCaseItemEvents[] = {
    {domain::event_type::kHearingScheduled, 1, rows::kItemHearing,
     id_in<cfb::HearingScheduledV1, &cfb::HearingScheduledV1::hearing_id>},
    {domain::event_type::kHearingScheduled, 2, rows::kItemHearing,
     id_in<cfb::HearingScheduled, &cfb::HearingScheduled::hearing_id>},
    {domain::event_type::kHearingRescheduled, 1, rows::kItemHearing,
     id_in<cfb::HearingRescheduled, &cfb::HearingRescheduled::hearing_id>},
    {domain::event_type::kHearingHeld, 1, rows::kItemHearing,
     id_in<cfb::HearingHeld, &cfb::HearingHeld::hearing_id>},
    {domain::event_type::kHearingCancelled, 1, rows::kItemHearing,
     id_in<cfb::HearingCancelled, &cfb::HearingCancelled::hearing_id>},
    {domain::event_type::kHearingAbsenceRecorded, 1, rows::kItemHearing,
     id_in<cfb::HearingAbsenceRecorded, &cfb::HearingAbsenceRecorded::hearing_id>},
    {domain::event_type::kHearingAvoidanceRequested, 1, rows::kItemHearing,
     id_in<cfb::HearingAvoidanceRequested, &cfb::HearingAvoidanceRequested::hearing_id>},
    {domain::event_type::kHearingAvoidanceGranted, 1, rows::kItemHearing,
     id_in<cfb::HearingAvoidanceGranted, &cfb::HearingAvoidanceGranted::hearing_id>},
    {domain::event_type::kHearingAvoidanceRefused, 1, rows::kItemHearing,
     id_in<cfb::HearingAvoidanceRefused, &cfb::HearingAvoidanceRefused::hearing_id>},
    {domain::event_type::kHearingOutsideCourtroomRequested, 1, rows::kItemHearing,
     id_in<cfb::HearingOutsideCourtroomRequested,
           &cfb::HearingOutsideCourtroomRequested::hearing_id>},
    {domain::event_type::kHearingOutsideCourtroomDecided, 1, rows::kItemHearing,
     id_in<cfb::HearingOutsideCourtroomDecided, &cfb::HearingOutsideCourtroomDecided::hearing_id>},
    {domain::event_type::kHearingTranscriptRecorded, 1, rows::kItemHearing,
     id_in<cfb::HearingTranscriptRecorded, &cfb::HearingTranscriptRecorded::hearing_id>},
    {domain::event_type::kHearingTranscriptConfirmed, 1, rows::kItemHearing,
     id_in<cfb::HearingTranscriptConfirmed, &cfb::HearingTranscriptConfirmed::hearing_id>},
    {domain::event_type::kEvidenceBatchOpened, 1, rows::kItemEvidenceBatch,
     id_in<cfb::EvidenceBatchOpened, &cfb::EvidenceBatchOpened::batch_id>},
    {domain::event_type::kEvidenceItemAdded, 1, rows::kItemEvidenceBatch,
     id_in<cfb::EvidenceItemAdded, &cfb::EvidenceItemAdded::batch_id>},
    {domain::event_type::kEvidenceItemsRemoved, 1, rows::kItemEvidenceBatch,
     id_in<cfb::EvidenceItemsRemoved, &cfb::EvidenceItemsRemoved::batch_id>},
    {domain::event_type::kEvidenceBatchSubmitted, 1, rows::kItemEvidenceBatch,
     id_in<cfb::EvidenceBatchSubmitted, &cfb::EvidenceBatchSubmitted::batch_id>},
    {domain::event_type::kEvidenceItemMarked, 1, rows::kItemEvidenceBatch,
     id_in<cfb::EvidenceItemMarked, &cfb::EvidenceItemMarked::batch_id>},
    {domain::event_type::kEvidenceSentForExchange, 1, rows::kItemExchange,
     id_in<cfb::EvidenceSentForExchange, &cfb::EvidenceSentForExchange::exchange_id>},
    {domain::event_type::kEvidenceExchangeOpened, 1, rows::kItemExchange,
     id_in<cfb::EvidenceExchangeOpened, &cfb::EvidenceExchangeOpened::exchange_id>},
    {domain::event_type::kEvidenceExchangeAnswered, 1, rows::kItemExchange,
     id_in<cfb::EvidenceExchangeAnswered, &cfb::EvidenceExchangeAnswered::exchange_id>},
    {domain::event_type::kEvidenceExchangeLapsed, 1, rows::kItemExchange,
     id_in<cfb::EvidenceExchangeLapsed, &cfb::EvidenceExchangeLapsed::exchange_id>},
    {domain::event_type::kCaseFileMaterialAdded, 1, rows::kItemFileMaterial,
     id_in<cfb::CaseFileMaterialAdded, &cfb::CaseFileMaterialAdded::material_id>},
    {domain::event_type::kFileReviewApplied, 1, rows::kItemFileReview,
     id_in<cfb::FileReviewApplied, &cfb::FileReviewApplied::application_id>},
    {domain::event_type::kFileReviewApproved, 1, rows::kItemFileReview,
     id_in<cfb::FileReviewApproved, &cfb::FileReviewApproved::application_id>},
    {domain::event_type::kFileReviewRefused, 1, rows::kItemFileReview,
     id_in<cfb::FileReviewRefused, &cfb::FileReviewRefused::application_id>},
    {domain::event_type::kFileReviewAccessed, 1, rows::kItemFileReview,
     id_in<cfb::FileReviewAccessed, &cfb::FileReviewAccessed::application_id>},
    {domain::event_type::kMessageSentToJudge, 1, rows::kItemMessage,
     id_in<cfb::MessageSentToJudge, &cfb::MessageSentToJudge::message_id>},
    {domain::event_type::kMessageRead, 1, rows::kItemMessage,
     id_in<cfb::MessageRead, &cfb::MessageRead::message_id>},
    {domain::event_type::kMessageReplied, 1, rows::kItemMessage,
     id_in<cfb::MessageReplied, &cfb::MessageReplied::message_id>},
};

// The case events that change no item (the state row alone).
constexpr EventKey kCaseHeadEvents[] = {{domain::event_type::kCaseRegistered, 1},
                                        {domain::event_type::kCaseRegistered, 2},
                                        {domain::event_type::kJudgeAssigned, 1},
                                        {domain::event_type::kLegacyBindingFailed, 1},
                                        {domain::event_type::kLegacyBindingFailed, 2},
                                        {domain::event_type::kLegacyBindingLocked, 1},
                                        {domain::event_type::kLawyerBoundToCase, 1},
                                        {domain::event_type::kOnlineHearingConsentRecorded, 1},
                                        {domain::event_type::kOnlineHearingExclusionsRecorded, 1},
                                        {domain::event_type::kCaseWithdrawn, 1},
                                        {domain::event_type::kCaseClosed, 1}};

// Every case event the projection applies: the item events and the head events.
constexpr auto kCaseEvents = [] {
  std::array<EventKey, std::size(kCaseItemEvents) + std::size(kCaseHeadEvents)> out{};
  std::size_t n = 0;
  for (const auto& known : kCaseItemEvents)
    out[n++] = EventKey{known.type, known.schema_version};
  for (const auto& head : kCaseHeadEvents)
    out[n++] = head;
  return out;
}();

class CasesProjection final : public AggregateProjection<domain::CaseAggregate, CaseExtra> {
 public:
  std::string_view name() const override { return kCasesProjection; }
  std::uint32_t version() const override { return projection_version<domain::CaseAggregate>(5); }
  std::span<const EventKey> applies() const override { return kCaseEvents; }

 protected:
  // The case's items live in rows of their own (entities.h): an item event rewrites the row of
  // the item it changes; a head event changes no item.
  void item(std::string_view stream, EntityType& entity, const engine::RecordedEvent& event,
            ItemRows& items) override {
    const std::string_view number = stream.substr(stream.find('-') + 1);
    const auto& c = entity.state;
    for (const auto& known : kCaseItemEvents) {
      if (known.type != event.type || known.schema_version != event.schema_version)
        continue;
      if (auto id = known.id(event.payload))
        items[row_key(rows::kCaseItem, number, known.kind, *id)] =
            case_item_row(c, known.kind, *id);
      return;
    }
  }

  engine::Result<void> load_items(std::string_view stream, EntityType& entity,
                                  const Writer& writer) override {
    return load_case_items(
        stream.substr(stream.find('-') + 1), entity.state,
        [&](std::string_view prefix, const auto& visit) { return writer.scan(prefix, visit); });
  }

  // The state row without the items (the entity is left as it was).
  std::string encode(EntityType& entity) const override {
    auto& c = entity.state;
    auto hearings = std::exchange(c.hearings, {});
    auto batches = std::exchange(c.evidence_batches, {});
    auto exchanges = std::exchange(c.evidence_exchanges, {});
    auto materials = std::exchange(c.file_materials, {});
    auto reviews = std::exchange(c.file_reviews, {});
    auto messages = std::exchange(c.messages, {});
    auto bytes = engine::SnapshotStore::encode(entity);
    c.hearings = std::move(hearings);
    c.evidence_batches = std::move(batches);
    c.evidence_exchanges = std::move(exchanges);
    c.file_materials = std::move(materials);
    c.file_reviews = std::move(reviews);
    c.messages = std::move(messages);
    return bytes;
  }

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
                     c.case_number, id)] = to_text(hearing_row_json(c, hearing, licence, licence));
      }
    }
    for (const auto& agent : c.agents) {
      if (agent.identity_number.empty())
        continue;
      rows[row_key(rows::kCasesByAgentIdentity, agent.identity_number, c.case_number)] =
          c.case_number;
      for (const auto& [id, hearing] : c.hearings) {
        rows[row_key(rows::kHearingsByAgentIdentity, agent.identity_number,
                     time_part(hearing.starts_at_us), c.case_number, id)] =
            to_text(
                hearing_row_json(c, hearing, std::nullopt,
                                 agent.licence.empty() ? agent.identity_number : agent.licence));
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
  static constexpr EventKey kApplies[] = {{domain::event_type::kDocumentServed, 1},
                                          {domain::event_type::kSmsKeyIssued, 1},
                                          {domain::event_type::kSmsKeyIssued, 2},
                                          {domain::event_type::kSmsKeyIssued, 3},
                                          {domain::event_type::kSmsKeyVoided, 1},
                                          {domain::event_type::kSmsKeyNotificationQueued, 1},
                                          {domain::event_type::kServiceDelivered, 1},
                                          {domain::event_type::kServiceOpened, 1},
                                          {domain::event_type::kSigningAttemptFailed, 1},
                                          {domain::event_type::kSigningLocked, 1},
                                          {domain::event_type::kDocumentSigned, 1},
                                          {domain::event_type::kDocumentDownloaded, 1}};

 public:
  std::string_view name() const override { return kServicesProjection; }
  std::uint32_t version() const override { return projection_version<domain::ServiceAggregate>(3); }
  std::span<const EventKey> applies() const override { return kApplies; }

 protected:
  void after(EntityType& entity, const engine::RecordedEvent& event) override {
    entity.extra.updated_at_us = event.recorded_at_us;
    if (event.type != domain::event_type::kSmsKeyNotificationQueued || event.schema_version != 1)
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
  static constexpr EventKey kApplies[] = {{domain::event_type::kCourtRegistered, 1},
                                          {domain::event_type::kCourtPolicyChanged, 1},
                                          {domain::event_type::kCourtCodeListsChanged, 1}};

 public:
  std::string_view name() const override { return kCourtsProjection; }
  std::uint32_t version() const override { return projection_version<domain::CourtAggregate>(3); }
  std::span<const EventKey> applies() const override { return kApplies; }

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
  out.push_back(detail::hotline_projection());
  return out;
}

}  // namespace docket::projections
