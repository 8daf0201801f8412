#include "render.h"

#include <algorithm>
#include <string>

namespace docket::projections::detail {

namespace json = boost::json;

namespace {

json::string text(std::string_view s) {
  return json::string(s);
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const auto& item : items)
    out.emplace_back(text(item));
  return out;
}

json::value time_or_null(std::int64_t us) {
  if (us == 0)
    return nullptr;
  return us;
}

json::array milestones_json(const std::vector<Milestone>& history) {
  json::array out;
  out.reserve(history.size());
  for (const auto& m : history) {
    out.emplace_back(json::object{{"type", text(m.type)},
                                  {"at_us", m.at_us},
                                  {"actor_id", text(m.actor_id)},
                                  {"actor_role", text(m.actor_role)}});
  }
  return out;
}

json::array attachments_json(const std::vector<domain::CaseAttachment>& attachments) {
  json::array out;
  for (const auto& a : attachments)
    out.emplace_back(json::object{{"name", text(a.name)}, {"blob_hash", text(a.blob_hash)}});
  return out;
}

json::array party_names(const domain::FilingState& filing, domain::FilingPartyPosition position) {
  json::array out;
  for (const auto& p : filing.parties) {
    if (p.position == position)
      out.emplace_back(text(p.name));
  }
  return out;
}

json::array party_names(const domain::CaseState& state, domain::CasePartyRole role) {
  json::array out;
  for (const auto& p : state.parties) {
    if (p.role == role)
      out.emplace_back(text(p.name));
  }
  return out;
}

}  // namespace

std::string to_text(const json::object& object) {
  return json::serialize(object);
}

// --- lawyers -----------------------------------------------------------------------------

json::object schedule_entry_json(const domain::ScheduleEntry& entry) {
  return json::object{{"entry_id", text(entry.entry_id)},
                      {"starts_at_us", entry.start_us},
                      {"ends_at_us", entry.end_us},
                      {"can_appear_in_court", entry.can_appear_in_court},
                      {"text", text(entry.text)}};
}

json::object lawyer_json(const domain::LawyerState& lawyer, bool with_identity) {
  json::object out{{"licence_number", text(lawyer.licence_number)},
                   {"practitioner", text(domain::enum_name(lawyer.practitioner))},
                   {"name", text(lawyer.name)},
                   {"firm", text(lawyer.firm)},
                   {"phone", text(lawyer.phone)},
                   {"email", text(lawyer.email)},
                   {"active", lawyer.active}};
  if (with_identity) {
    out["id_number"] = text(lawyer.id_number);
    out["must_change_password"] = lawyer.must_change_password;
  }
  return out;
}

// --- filings -----------------------------------------------------------------------------

json::object filing_summary_json(const FilingEntity& entity) {
  const auto& f = entity.state;
  json::object steps{{"filing_notice", f.filing_notice_accepted},
                     {"case_category", !f.category.empty()},
                     {"case_information", f.case_information_saved},
                     {"parties", !f.parties.empty()},
                     {"agents", !f.agents.empty()},
                     {"service_address_notice", f.service_address_notice_accepted},
                     {"service_addresses", !f.service_addresses.empty()},
                     {"court", !f.court.empty()},
                     {"materials", !f.materials.empty()},
                     {"identity_papers", !f.identity_papers.empty()},
                     {"mediation", f.mediation.has_value()}};
  json::object out{
      {"filing_id", text(f.filing_id)},
      {"filer_licence_number", text(f.filer)},
      {"status", text(domain::enum_name(f.status))},
      {"ecf_status", text(domain::ecf_status(f))},
      {"category", text(f.category)},
      {"application_type", text(f.application_type)},
      {"court", text(f.court)},
      {"court_name", text(f.court_name)},
      {"plaintiffs", party_names(f, domain::FilingPartyPosition::kPlaintiff)},
      {"defendants", party_names(f, domain::FilingPartyPosition::kDefendant)},
      {"amount_in_dispute_fen", f.amount_in_dispute_fen},
      {"steps", std::move(steps)},
      {"submissions", f.submissions},
      {"created_at_us", entity.extra.created_at_us},
      {"updated_at_us", entity.extra.updated_at_us},
      {"submitted_at_us", time_or_null(entity.extra.submitted_at_us)},
      {"review_due_at_us", time_or_null(f.review_due_at_us)},
      {"review_overdue", f.review_overdue},
      {"correction_deadline_at_us",
       f.correction_notice ? json::value(f.correction_notice->deadline_at_us) : json::value()},
      {"case_number", text(f.case_number)},
      {"registered_automatically", f.registered_automatically},
      {"mediation_deadline_at_us",
       f.status == domain::FilingStatus::kInMediation && f.mediation_referral
           ? json::value(f.mediation_referral->deadline_at_us)
           : json::value()},
      {"judicial_confirmation",
       text(domain::enum_name(f.mediation_referral ? f.mediation_referral->judicial_confirmation
                                                   : domain::JudicialConfirmation::kNone))},
  };
  return out;
}

json::object filing_detail_json(const FilingEntity& entity) {
  const auto& f = entity.state;
  auto out = filing_summary_json(entity);
  out["claims"] = strings(f.claims);
  out["facts_and_reasons"] = text(f.facts_and_reasons);
  json::array parties;
  for (const auto& p : f.parties) {
    parties.emplace_back(json::object{
        {"party_id", text(p.party_id)},
        {"standing", text(domain::enum_name(p.position))},
        {"kind", text(domain::enum_name(p.kind))},
        {"name", text(p.name)},
        {"id_number", text(p.id_number)},
        {"minor", p.minor},
        {"phone", text(p.phone)},
        {"address", text(p.address)},
        {"legal_representative", text(p.legal_representative)},
        {"legal_representative_id_number", text(p.legal_representative_id_number)},
    });
  }
  out["parties"] = std::move(parties);
  json::array agents;
  for (const auto& a : f.agents) {
    agents.emplace_back(json::object{{"licence_number", text(a.licence_number)},
                                     {"name", text(a.name)},
                                     {"firm", text(a.firm)},
                                     {"phone", text(a.phone)},
                                     {"represents", strings(a.represents)}});
  }
  out["agents"] = std::move(agents);
  json::array addresses;
  for (const auto& a : f.service_addresses) {
    addresses.emplace_back(
        json::object{{"party_id", text(a.party_id)},
                     {"address", text(a.address)},
                     {"phone", text(a.phone)},
                     {"email", text(a.email)},
                     {"electronic_service_consent", a.electronic_service_consent}});
  }
  out["service_addresses"] = std::move(addresses);
  json::array materials;
  for (const auto& m : f.materials) {
    materials.emplace_back(json::object{{"material_id", text(m.material_id)},
                                        {"material_type", text(m.material_type)},
                                        {"title", text(m.title)},
                                        {"blob_hashes", strings(m.blob_hashes)}});
  }
  out["materials"] = std::move(materials);
  json::array papers;
  for (const auto& p : f.identity_papers) {
    papers.emplace_back(json::object{{"party_id", text(p.party_id)},
                                     {"kind", text(domain::enum_name(p.kind))},
                                     {"blob_hash", text(p.blob_hash)}});
  }
  out["identity_papers"] = std::move(papers);
  json::array checks;
  for (const auto& c : f.identity_checks) {
    checks.emplace_back(json::object{{"party_id", text(c.party_id)},
                                     {"method", text(domain::enum_name(c.method))},
                                     {"result", text(domain::enum_name(c.result))},
                                     {"note", text(c.note)},
                                     {"recorded_by", text(c.recorded_by)},
                                     {"recorded_at_us", c.recorded_at_us}});
  }
  out["identity_checks"] = std::move(checks);
  out["identity_override_reason"] = text(f.identity_override_reason);
  out["mediation"] = f.mediation ? json::value(*f.mediation) : json::value();
  if (f.correction_notice) {
    json::array items;
    for (const auto& item : f.correction_notice->items)
      items.emplace_back(
          json::object{{"field", text(item.field)}, {"message", text(item.message)}});
    out["correction_notice"] =
        json::object{{"items", std::move(items)},
                     {"deadline_at_us", f.correction_notice->deadline_at_us},
                     {"requested_by", text(f.correction_notice->requested_by)}};
  } else {
    out["correction_notice"] = nullptr;
  }
  out["accepted_by"] = text(f.accepted_by);
  out["rejection_reason"] = text(f.rejection_reason);
  out["cancellation_reason"] = text(f.cancellation_reason);
  if (const auto& m = f.mediation_referral) {
    out["mediation_referral"] =
        json::object{{"mediator", text(m->mediator)},
                     {"mediation_organisation", text(m->mediation_organisation)},
                     {"referred_by", text(m->referred_by)},
                     {"referred_at_us", m->referred_at_us},
                     {"deadline_at_us", m->deadline_at_us},
                     {"outcome", text(domain::enum_name(m->outcome))},
                     {"agreement_blob_hash", text(m->agreement_blob_hash)},
                     {"outcome_note", text(m->outcome_note)},
                     {"concluded_by", text(m->concluded_by)},
                     {"concluded_at_us", time_or_null(m->concluded_at_us)},
                     {"deadline_passed", m->deadline_passed},
                     {"judicial_confirmation", text(domain::enum_name(m->judicial_confirmation))},
                     {"confirmation_applied_by", text(m->confirmation_applied_by)},
                     {"confirmation_applied_at_us", time_or_null(m->confirmation_applied_at_us)},
                     {"confirmation_decided_by", text(m->confirmation_decided_by)},
                     {"confirmation_reason", text(m->confirmation_reason)}};
  } else {
    out["mediation_referral"] = nullptr;
  }
  out["history"] = milestones_json(entity.extra.history);
  return out;
}

// --- payments ----------------------------------------------------------------------------

namespace {

json::array refunds_json(const domain::PaymentNoticeState& p) {
  json::array out;
  for (const auto& r : p.refunds) {
    out.emplace_back(json::object{
        {"refund_id", text(r.refund_id)},
        {"amount_fen", r.amount_fen},
        {"reason", text(r.reason)},
        {"hotline_request_id",
         r.hotline_request_id.empty() ? json::value() : text(r.hotline_request_id)},
        {"ordered_by", text(r.ordered_by)},
        {"ordered_at_us", r.ordered_at_us},
        {"status", text(domain::enum_name(r.status))},
        {"transaction_id", r.transaction_id.empty() ? json::value() : text(r.transaction_id)},
        {"failure_reason",
         r.status == domain::RefundStatus::kFailed ? text(r.failure_reason) : json::value()},
        {"settled_at_us", time_or_null(r.settled_at_us)}});
  }
  return out;
}

// What the provider has refunded.
std::int64_t refunded_fen(const domain::PaymentNoticeState& p) {
  std::int64_t total = 0;
  for (const auto& r : p.refunds) {
    if (r.status == domain::RefundStatus::kCompleted)
      total += r.amount_fen;
  }
  return total;
}

}  // namespace

json::object payment_json(const PaymentEntity& entity) {
  const auto& p = entity.state;
  json::array attempts;
  for (const auto& a : p.attempts) {
    attempts.emplace_back(json::object{{"attempt", a.attempt},
                                       {"channel", text(domain::enum_name(a.channel))},
                                       {"amount_fen", a.amount_fen},
                                       {"started_by", text(a.started_by)}});
  }
  json::array granted;
  for (auto kind : p.granted_reliefs)
    granted.emplace_back(text(domain::enum_name(kind)));
  json::value pending;
  if (p.pending_relief) {
    pending = json::object{{"kind", text(domain::enum_name(p.pending_relief->kind))},
                           {"reason", text(p.pending_relief->reason)},
                           {"applied_by", text(p.pending_relief->applied_by)}};
  }
  return json::object{
      {"filing_id", text(p.filing_id)},
      {"case_number", text(p.case_number)},
      {"court", text(p.court)},
      {"code", text(p.code)},
      {"amount_fen", p.amount_fen},
      {"due_at_us", p.due_at_us},
      {"status", text(domain::enum_name(p.status))},
      {"payers", strings(p.payers)},
      {"attempts", std::move(attempts)},
      {"paid_attempt", p.paid_attempt},
      {"transaction_id", text(p.transaction_id)},
      {"paid_amount_fen", p.paid_amount_fen},
      {"receipt_number", text(p.receipt_number)},
      {"receipt_blob_hash",
       p.receipt_blob_hash.empty() ? json::value() : text(p.receipt_blob_hash)},
      {"pending_relief", std::move(pending)},
      {"granted_reliefs", std::move(granted)},
      {"issued_at_us", entity.extra.issued_at_us},
      {"paid_at_us", time_or_null(entity.extra.paid_at_us)},
      {"receipt_at_us", time_or_null(entity.extra.receipt_at_us)},
      {"updated_at_us", entity.extra.updated_at_us},
      {"history", milestones_json(entity.extra.history)},
      {"refunds", refunds_json(p)},
      {"refunded_amount_fen", refunded_fen(p)},
      {"refundable_fen", domain::refundable_fen(p)},
  };
}

// --- cases -------------------------------------------------------------------------------

json::object case_summary_json(const CaseEntity& entity) {
  const auto& c = entity.state;
  json::array agents;
  for (const auto& a : c.agents)
    agents.emplace_back(text(a.licence));
  return json::object{
      {"case_number", text(c.case_number)},
      {"court", text(c.court)},
      {"category", text(c.category)},
      {"status", text(domain::enum_name(c.status))},
      {"judge", text(c.judge)},
      {"filing_id", text(c.filing_id)},
      {"plaintiffs", party_names(c, domain::CasePartyRole::kPlaintiff)},
      {"defendants", party_names(c, domain::CasePartyRole::kDefendant)},
      {"third_parties", party_names(c, domain::CasePartyRole::kThirdParty)},
      {"agents", std::move(agents)},
      {"accepted_on_us", c.accepted_on_us},
      {"registered_at_us", entity.extra.registered_at_us},
  };
}

namespace {

json::object avoidance_json(const domain::AvoidanceRequest& r) {
  return json::object{{"request_id", text(r.request_id)},
                      {"licence_number", text(r.licence)},
                      {"reason", text(r.reason)},
                      {"phone", text(r.phone)},
                      {"status", text(domain::enum_name(r.status))},
                      {"refusal_reason", text(r.refusal_reason)}};
}

json::value transcript_json(const domain::CaseState& state, const domain::Hearing& h) {
  if (!h.transcript)
    return nullptr;
  const auto& t = *h.transcript;
  json::array confirmations;
  for (const auto& c : t.confirmations) {
    confirmations.emplace_back(json::object{{"kind", text(domain::enum_name(c.kind))},
                                            {"participant", text(c.participant)},
                                            {"recorded_by", text(c.recorded_by)},
                                            {"confirmed_at_us", c.confirmed_at_us}});
  }
  json::array awaiting;
  for (const auto& p : domain::awaiting_transcript_confirmation(state, h)) {
    awaiting.emplace_back(json::object{{"kind", text(domain::enum_name(p.kind))},
                                       {"participant", text(p.participant)},
                                       {"name", text(p.name)}});
  }
  return json::object{{"blob_hash", text(t.blob_hash)},
                      {"revision", t.revision},
                      {"recorded_by", text(t.recorded_by)},
                      {"recorded_at_us", t.recorded_at_us},
                      {"confirmations", std::move(confirmations)},
                      {"awaiting", std::move(awaiting)}};
}

json::object hearing_json(const domain::CaseState& state, const domain::Hearing& h) {
  json::array absences;
  for (const auto& a : h.absences) {
    absences.emplace_back(json::object{{"party_id", text(a.party_id)},
                                       {"kind", text(domain::enum_name(a.kind))},
                                       {"cause", text(domain::enum_name(a.cause))},
                                       {"note", text(a.note)},
                                       {"finding", text(domain::enum_name(a.finding))}});
  }
  json::array requests;
  for (const auto& r : h.avoidance_requests)
    requests.emplace_back(avoidance_json(r));
  return json::object{{"hearing_id", text(h.hearing_id)},
                      {"starts_at_us", h.starts_at_us},
                      {"ends_at_us", h.ends_at_us},
                      {"place", text(h.place)},
                      {"online", h.online},
                      {"video_room", text(h.video_room)},
                      {"status", text(domain::enum_name(h.status))},
                      {"cancel_reason", text(h.cancel_reason)},
                      {"absences", std::move(absences)},
                      {"avoidance_requests", std::move(requests)},
                      {"judge_location", text(h.judge_location)},
                      {"outside_courtroom", text(domain::enum_name(h.outside_courtroom))},
                      {"outside_courtroom_reason", text(h.outside_courtroom_reason)},
                      {"outside_courtroom_decided_by", text(h.outside_courtroom_decided_by)},
                      {"outside_courtroom_refusal", text(h.outside_courtroom_refusal)},
                      {"transcript", transcript_json(state, h)}};
}

}  // namespace

json::object message_json(const domain::JudgeMessage& m) {
  return json::object{{"message_id", text(m.message_id)},
                      {"licence_number", text(m.licence)},
                      {"title", text(m.title)},
                      {"body", text(m.body)},
                      {"attachments", attachments_json(m.attachments)},
                      {"status", text(domain::enum_name(m.status))},
                      {"sent_at_us", m.sent_at_us},
                      {"read_at_us", time_or_null(m.read_at_us)},
                      {"reply_body", text(m.reply_body)},
                      {"reply_attachments", attachments_json(m.reply_attachments)},
                      {"replied_at_us", time_or_null(m.replied_at_us)}};
}

json::object file_review_json(const domain::FileReview& r) {
  json::array accesses;
  for (const auto& a : r.accesses)
    accesses.emplace_back(json::object{{"material_id", text(a.material_id)}, {"at_us", a.at_us}});
  return json::object{{"application_id", text(r.application_id)},
                      {"licence_number", text(r.licence)},
                      {"reason", text(r.reason)},
                      {"status", text(domain::enum_name(r.status))},
                      {"material_ids", strings(r.material_ids)},
                      {"from_us", r.from_us},
                      {"until_us", r.until_us},
                      {"refusal_reason", text(r.refusal_reason)},
                      {"accesses", std::move(accesses)}};
}

json::object exchange_json(const domain::EvidenceExchange& x) {
  json::array items;
  for (const auto& i : x.items) {
    items.emplace_back(json::object{
        {"item_id", text(i.item_id)},
        {"title", text(i.title)},
        {"blob_hash", text(i.blob_hash)},
        {"result", i.result ? json::value(text(domain::enum_name(*i.result))) : json::value()},
        {"opinion", text(i.opinion)}});
  }
  return json::object{{"exchange_id", text(x.exchange_id)},
                      {"recipient_licence_number", text(x.recipient_licence)},
                      {"items", std::move(items)},
                      {"respond_by_us", x.respond_by_us},
                      {"status", text(domain::enum_name(x.status))},
                      {"opened_at_us", time_or_null(x.opened_at_us)},
                      {"answered_at_us", time_or_null(x.answered_at_us)}};
}

json::object case_detail_json(const CaseEntity& entity) {
  const auto& c = entity.state;
  auto out = case_summary_json(entity);
  out["updated_at_us"] = entity.extra.updated_at_us;
  out["end_reason"] = text(c.end_reason);
  out["withdrawal_notice"] = text(c.withdrawal_notice);
  out["legacy"] = c.legacy_binding.has_value();
  json::array parties;
  for (const auto& p : c.parties) {
    parties.emplace_back(json::object{
        {"party_id", text(p.party_id)},
        {"name", text(p.name)},
        {"kind", text(domain::enum_name(p.kind))},
        {"standing", text(domain::enum_name(p.role))},
        {"online_hearing_consent",
         p.online_hearing_consent ? json::value(*p.online_hearing_consent) : json::value()},
        {"electronic_service_consent", p.electronic_service_consent}});
  }
  out["parties"] = std::move(parties);
  json::array agents;
  for (const auto& a : c.agents) {
    agents.emplace_back(json::object{{"licence_number", text(a.licence)},
                                     {"name", text(a.name)},
                                     {"firm", text(a.firm)},
                                     {"represents", strings(a.represents)}});
  }
  out["agent_details"] = std::move(agents);
  // Hearings by start time, then id.
  std::vector<const domain::Hearing*> hearings;
  for (const auto& [id, h] : c.hearings)
    hearings.push_back(&h);
  std::stable_sort(hearings.begin(), hearings.end(),
                   [](const auto* a, const auto* b) { return a->starts_at_us < b->starts_at_us; });
  json::array hearing_list;
  for (const auto* h : hearings)
    hearing_list.emplace_back(hearing_json(c, *h));
  out["hearings"] = std::move(hearing_list);
  json::array exclusions;
  for (auto exclusion : c.online_hearing_exclusions)
    exclusions.emplace_back(text(domain::enum_name(exclusion)));
  out["online_hearing_exclusions"] = std::move(exclusions);
  out["online_hearing_exclusion_note"] = text(c.online_hearing_exclusion_note);
  json::array batches;
  for (const auto& [id, b] : c.evidence_batches)
    batches.emplace_back(evidence_batch_json(b));
  out["evidence_batches"] = std::move(batches);
  json::array exchanges;
  for (const auto& [id, x] : c.evidence_exchanges)
    exchanges.emplace_back(exchange_json(x));
  out["evidence_exchanges"] = std::move(exchanges);
  json::array materials;
  for (const auto& [id, m] : c.file_materials) {
    materials.emplace_back(json::object{{"material_id", text(m.material_id)},
                                        {"title", text(m.title)},
                                        {"blob_hash", text(m.blob_hash)}});
  }
  out["file_materials"] = std::move(materials);
  json::array reviews;
  for (const auto& [id, r] : c.file_reviews)
    reviews.emplace_back(file_review_json(r));
  out["file_reviews"] = std::move(reviews);
  json::array messages;
  for (const auto& [id, m] : c.messages)
    messages.emplace_back(message_json(m));
  out["messages"] = std::move(messages);
  return out;
}

json::object evidence_batch_json(const domain::EvidenceBatch& b) {
  json::array items;
  for (const auto& i : b.items) {
    items.emplace_back(json::object{{"item_id", text(i.item_id)},
                                    {"name", text(i.name)},
                                    {"blob_hash", text(i.blob_hash)},
                                    {"purpose", text(i.purpose)},
                                    {"status", text(domain::enum_name(i.status))},
                                    {"court_note", text(i.court_note)}});
  }
  return json::object{{"batch_id", text(b.batch_id)},
                      {"licence_number", text(b.licence)},
                      {"status", text(domain::enum_name(b.status))},
                      {"items", std::move(items)},
                      {"submitted_at_us", time_or_null(b.submitted_at_us)}};
}

json::object hearing_row_json(const domain::CaseState& state, const domain::Hearing& h,
                              std::optional<std::string_view> licence,
                              std::string_view participant) {
  json::array mine;
  for (const auto& r : h.avoidance_requests) {
    if (!licence || r.licence == *licence)
      mine.emplace_back(avoidance_json(r));
  }
  bool to_confirm = false;
  for (const auto& p : domain::awaiting_transcript_confirmation(state, h)) {
    if (h.transcript && p.kind == domain::TranscriptParticipantKind::kAgent &&
        p.participant == participant)
      to_confirm = true;
  }
  return json::object{{"case_number", text(state.case_number)},
                      {"court", text(state.court)},
                      {"judge", text(state.judge)},
                      {"hearing_id", text(h.hearing_id)},
                      {"starts_at_us", h.starts_at_us},
                      {"ends_at_us", h.ends_at_us},
                      {"place", text(h.place)},
                      {"online", h.online},
                      {"video_room", text(h.video_room)},
                      {"status", text(domain::enum_name(h.status))},
                      {"cancel_reason", text(h.cancel_reason)},
                      {"avoidance_requests", std::move(mine)},
                      {"transcript_to_confirm", to_confirm}};
}

json::object avoidance_item_json(const domain::CaseState& state, const domain::Hearing& hearing,
                                 const domain::AvoidanceRequest& request) {
  auto out = avoidance_json(request);
  out["case_number"] = text(state.case_number);
  out["hearing_id"] = text(hearing.hearing_id);
  out["hearing_starts_at_us"] = hearing.starts_at_us;
  out["hearing_ends_at_us"] = hearing.ends_at_us;
  return out;
}

// --- services ----------------------------------------------------------------------------

json::object service_json(const ServiceEntity& entity) {
  const auto& s = entity.state;
  const bool is_signed = s.status == domain::ServiceStatus::kSigned;
  json::array downloads;
  for (const auto& d : s.downloads)
    downloads.emplace_back(json::object{{"licence_number", text(d.licence)}, {"at_us", d.at_us}});
  return json::object{
      {"service_id", text(s.service_id)},
      {"case_number", text(s.case_number)},
      {"court", text(s.court)},
      {"document_type", text(s.document_type)},
      {"title", text(s.title)},
      {"recipient_licence_number", text(s.recipient_licence)},
      {"status", text(domain::enum_name(s.status))},
      {"served_by", text(s.served_by)},
      {"served_at_us", s.served_at_us},
      {"signed_at_us", time_or_null(s.signed_at_us)},
      {"signing_locked", s.signing_locked},
      {"failed_attempts", s.failed_attempts},
      {"sms_key_serial", s.sms_key ? json::value(s.sms_key->serial) : json::value()},
      {"sms_key_expires_at_us", s.sms_key ? json::value(s.sms_key->expires_at_us) : json::value()},
      // The document is readable only once signed for.
      {"blob_hash", is_signed ? json::value(text(s.blob_hash)) : json::value()},
      {"downloads", std::move(downloads)},
      {"updated_at_us", entity.extra.updated_at_us},
  };
}

json::object outbox_json(std::string_view stream, const ServiceEntity& entity,
                         const OutboxEntry& entry) {
  const auto& s = entity.state;
  std::string_view status = "queued";
  if (!s.sms_key || s.sms_key->serial != entry.serial) {
    status = "voided";
  } else if (s.status == domain::ServiceStatus::kSigned) {
    status = "signed";
  } else if (s.status != domain::ServiceStatus::kSent) {
    status = "delivered";
  }
  return json::object{{"position", entry.position},
                      {"stream", text(stream)},
                      {"service_id", text(s.service_id)},
                      {"case_number", text(s.case_number)},
                      {"title", text(s.title)},
                      {"recipient_licence_number", text(s.recipient_licence)},
                      {"serial", entry.serial},
                      {"phone", text(entry.phone)},
                      {"expires_at_us", entry.expires_at_us},
                      {"status", text(status)}};
}

// --- courts ------------------------------------------------------------------------------

json::array law_links_json(const domain::CourtState& court) {
  json::array links;
  for (const auto& l : court.policy.law_links)
    links.emplace_back(json::object{{"title", text(l.title)}, {"url", text(l.url)}});
  return links;
}

json::object court_json(const domain::CourtState& court) {
  auto entries = [](const std::vector<domain::CodeListEntry>& list) {
    json::array out;
    for (const auto& e : list)
      out.emplace_back(json::object{{"code", text(e.code)}, {"name", text(e.name)}});
    return out;
  };
  json::array categories;
  for (const auto& c : court.code_lists.case_categories) {
    categories.emplace_back(json::object{{"code", text(c.code)},
                                         {"name", text(c.name)},
                                         {"case_number_code", text(c.case_number_code)}});
  }
  json::object fees;
  for (const auto& [category, rule] : court.policy.fee_schedule.rules_by_category) {
    json::array bands;
    for (const auto& b : rule.bands)
      bands.emplace_back(
          json::object{{"up_to_fen", b.up_to_fen}, {"rate_basis_points", b.rate_basis_points}});
    fees[category] = json::object{{"fixed_fee_fen", rule.fixed_fee_fen},
                                  {"base_covers_up_to_fen", rule.base_covers_up_to_fen},
                                  {"bands", std::move(bands)}};
  }
  const auto& p = court.policy;
  return json::object{
      {"code", text(court.code)},
      {"name", text(court.name)},
      {"code_lists",
       json::object{{"case_categories", std::move(categories)},
                    {"application_types", entries(court.code_lists.application_types)},
                    {"material_types", entries(court.code_lists.material_types)},
                    {"document_types", entries(court.code_lists.document_types)}}},
      {"policy",
       json::object{{"review_period_us", p.review_period_us},
                    {"correction_period_us", p.correction_period_us},
                    {"fee_due_period_us", p.fee_due_period_us},
                    {"sms_key_validity_us", p.sms_key_validity_us},
                    {"no_electronic_service_document_types",
                     strings(p.no_electronic_service_document_types)},
                    {"auto_register_when_review_overdue", p.auto_register_when_review_overdue},
                    {"identity_verification_required", p.identity_verification_required},
                    {"no_mediation_case_categories", strings(p.no_mediation_case_categories)},
                    {"president", text(p.president)},
                    {"fee_schedule", std::move(fees)},
                    {"law_links", law_links_json(court)}}},
  };
}

}  // namespace docket::projections::detail
