// The case aggregate: evidence exchanges — sending evidence to the other parties, their answers and
// deadlines. Deciders and appliers; the shared guards are in case_detail.h.
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {

// ----- deciders ------------------------------------------------------------------------------

Outcome decide_one(const CaseState& state, const SendEvidenceForExchange& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.exchange_id.empty(), "exchange_id", "Expected an exchange id, but it is empty");
  v.require(agent_for(state, c.recipient_licence, facts_of(ctx)) != nullptr, "recipient_licence",
            "Expected an agent of the case, but " + quoted(c.recipient_licence) + " is none");
  v.require(!c.items.empty(), "items", "Expected at least one item to exchange, but none");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    const auto& item = c.items[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    v.require(!item.item_id.empty() && ids.insert(item.item_id).second, at + ".item_id",
              "Expected a unique, non-empty item id, but got " + quoted(item.item_id));
    v.require(!item.title.empty(), at + ".title", "Expected the item's title, but it is empty");
    v.require(is_sha256_hex(item.blob_hash), at + ".blob_hash",
              "Expected a lower-hex SHA-256 blob hash, but got " + quoted(item.blob_hash));
  }
  v.require(c.respond_by_us > ctx.now_us, "respond_by_us",
            "Expected a deadline after now (" + std::to_string(ctx.now_us) + " us), but it is " +
                std::to_string(c.respond_by_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.evidence_exchanges.count(c.exchange_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new exchange id, but " + quoted(c.exchange_id) + " exists");
  }
  fb::EvidenceSentForExchangeT sent;
  sent.exchange_id = c.exchange_id;
  sent.recipient_licence = c.recipient_licence;
  for (const auto& item : c.items) {
    auto out = std::make_unique<fb::EvidenceExchangeItemT>();
    out->item_id = item.item_id;
    out->title = item.title;
    out->blob_hash = item.blob_hash;
    sent.items.push_back(std::move(out));
  }
  sent.respond_by_us = c.respond_by_us;
  Decision decision;
  decision.events.push_back(make_event(event_type::kEvidenceSentForExchange, sent));
  const std::string stream = case_stream(state.case_number);
  decision.timers_to_set.push_back(
      TimerRequest{evidence_exchange_deadline_timer(stream, c.exchange_id), c.respond_by_us, stream,
                   std::string(CaseAggregate::kExchangeDeadlineCommand), c.exchange_id});
  return decision;
}

// The exchange `exchange_id` addressed to the acting lawyer, or a rejection.
Expected<const EvidenceExchange*, Rejection> own_exchange(const CaseState& state,
                                                          const Context& ctx,
                                                          std::string_view exchange_id) {
  if (auto rejection =
          first_of([&] { return check_exists(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  auto it = state.evidence_exchanges.find(std::string(exchange_id));
  if (it == state.evidence_exchanges.end()) {
    return unexpected(reject(
        RejectionCode::kNotFound,
        "Expected evidence exchange " + quoted(exchange_id) + ", but the case has none such"));
  }
  if (it->second.recipient_licence != ctx.actor.id) {
    return unexpected(reject(RejectionCode::kForbidden, "Expected the exchange's recipient " +
                                                            it->second.recipient_licence +
                                                            ", but " + ctx.actor.id + " acts"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const OpenEvidenceExchange& c, const Context& ctx) {
  auto exchange = own_exchange(state, ctx, c.exchange_id);
  if (!exchange)
    return unexpected(exchange.error());
  if ((*exchange)->opened_at_us != 0)
    return Decision{};
  fb::EvidenceExchangeOpenedT opened;
  opened.exchange_id = c.exchange_id;
  opened.opened_at_us = ctx.now_us;
  return decided({make_event(event_type::kEvidenceExchangeOpened, opened)});
}

Outcome decide_one(const CaseState& state, const AnswerEvidenceExchange& c, const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  auto found = own_exchange(state, ctx, c.exchange_id);
  if (!found)
    return unexpected(found.error());
  const EvidenceExchange& exchange = **found;
  if (exchange.status == EvidenceExchangeStatus::kAnswered) {
    return fail(RejectionCode::kInvalidState,
                "Expected an unanswered exchange, but " + quoted(c.exchange_id) + " is answered");
  }
  if (exchange.status == EvidenceExchangeStatus::kLapsed || ctx.now_us > exchange.respond_by_us) {
    return fail(RejectionCode::kPolicy, "Expected an answer by " +
                                            std::to_string(exchange.respond_by_us) +
                                            " us, but the deadline has passed");
  }
  Violations v;
  std::set<std::string> answered;
  for (std::size_t i = 0; i < c.answers.size(); ++i) {
    const auto& answer = c.answers[i];
    const std::string at = "answers[" + std::to_string(i) + "]";
    const bool known = std::any_of(
        exchange.items.begin(), exchange.items.end(),
        [&](const EvidenceExchangeItem& item) { return item.item_id == answer.item_id; });
    v.require(known, at + ".item_id",
              "Expected an item of the exchange, but " + quoted(answer.item_id) + " is none");
    v.require(answered.insert(answer.item_id).second, at + ".item_id",
              "Expected one answer per item, but " + quoted(answer.item_id) + " repeats");
    v.require(answer.result == EvidenceExchangeResult::kAgree || !answer.opinion.empty(),
              at + ".opinion", "Expected an opinion when not agreeing, but it is empty");
  }
  for (const auto& item : exchange.items) {
    v.require(answered.count(item.item_id) > 0, "answers",
              "Expected an answer for item " + quoted(item.item_id) + ", but it has none");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::EvidenceExchangeAnsweredT event;
  event.exchange_id = c.exchange_id;
  for (const auto& answer : c.answers) {
    auto out = std::make_unique<fb::EvidenceExchangeAnswerT>();
    out->item_id = answer.item_id;
    out->result = static_cast<fb::EvidenceExchangeResult>(answer.result);
    out->opinion = answer.opinion;
    event.answers.push_back(std::move(out));
  }
  event.answered_at_us = ctx.now_us;
  Decision decision;
  decision.events.push_back(make_event(event_type::kEvidenceExchangeAnswered, event));
  decision.timers_to_cancel.push_back(
      evidence_exchange_deadline_timer(case_stream(state.case_number), c.exchange_id));
  return decision;
}

Outcome decide_one(const CaseState& state, const EvidenceExchangeDeadlineReached& c,
                   const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  if (ctx.actor.role != Role::kSystem) {
    return fail(RejectionCode::kForbidden, "Expected the system's deadline timer, but " +
                                               ctx.actor.id + " (" +
                                               std::string(enum_name(ctx.actor.role)) + ") acts");
  }
  auto it = state.evidence_exchanges.find(c.exchange_id);
  if (it == state.evidence_exchanges.end())
    return Decision{};  // nothing to lapse
  const EvidenceExchange& exchange = it->second;
  const bool awaiting = exchange.status == EvidenceExchangeStatus::kSent ||
                        exchange.status == EvidenceExchangeStatus::kOpened;
  if (!awaiting || ctx.now_us < exchange.respond_by_us)
    return Decision{};
  fb::EvidenceExchangeLapsedT lapsed;
  lapsed.exchange_id = c.exchange_id;
  return decided({make_event(event_type::kEvidenceExchangeLapsed, lapsed)});
}

// Cancels the deadline timers of every exchange still awaiting an answer.
std::vector<std::string> pending_exchange_timers(const CaseState& state) {
  std::vector<std::string> timers;
  const std::string stream = case_stream(state.case_number);
  for (const auto& [id, exchange] : state.evidence_exchanges) {
    if (exchange.status == EvidenceExchangeStatus::kSent ||
        exchange.status == EvidenceExchangeStatus::kOpened) {
      timers.push_back(evidence_exchange_deadline_timer(stream, id));
    }
  }
  return timers;
}

// ----- appliers ------------------------------------------------------------------------------

void add_exchange_appliers(ApplierTable<CaseState>& a) {
  on<fb::EvidenceSentForExchange>(a, event_type::kEvidenceSentForExchange, 1,
                                  [](CaseState& s, const fb::EvidenceSentForExchangeT& e) {
                                    EvidenceExchange exchange;
                                    exchange.exchange_id = e.exchange_id;
                                    exchange.recipient_licence = e.recipient_licence;
                                    for (const auto& item : e.items) {
                                      if (item) {
                                        exchange.items.push_back(EvidenceExchangeItem{
                                            item->item_id, item->title, item->blob_hash, {}, ""});
                                      }
                                    }
                                    exchange.respond_by_us = e.respond_by_us;
                                    s.evidence_exchanges[e.exchange_id] = std::move(exchange);
                                  });
  on<fb::EvidenceExchangeOpened>(a, event_type::kEvidenceExchangeOpened, 1,
                                 [](CaseState& s, const fb::EvidenceExchangeOpenedT& e) {
                                   if (auto* x = entry_of(s.evidence_exchanges, e.exchange_id)) {
                                     x->opened_at_us = e.opened_at_us;
                                     if (x->status == EvidenceExchangeStatus::kSent) {
                                       x->status = EvidenceExchangeStatus::kOpened;
                                     }
                                   }
                                 });
  on<fb::EvidenceExchangeAnswered>(a, event_type::kEvidenceExchangeAnswered, 1,
                                   [](CaseState& s, const fb::EvidenceExchangeAnsweredT& e) {
                                     auto* exchange = entry_of(s.evidence_exchanges, e.exchange_id);
                                     if (exchange == nullptr)
                                       return;
                                     for (const auto& answer : e.answers) {
                                       if (!answer)
                                         continue;
                                       for (auto& item : exchange->items) {
                                         if (item.item_id == answer->item_id) {
                                           item.result =
                                               static_cast<EvidenceExchangeResult>(answer->result);
                                           item.opinion = answer->opinion;
                                         }
                                       }
                                     }
                                     exchange->status = EvidenceExchangeStatus::kAnswered;
                                     exchange->answered_at_us = e.answered_at_us;
                                   });
  on<fb::EvidenceExchangeLapsed>(a, event_type::kEvidenceExchangeLapsed, 1,
                                 [](CaseState& s, const fb::EvidenceExchangeLapsedT& e) {
                                   if (auto* x = entry_of(s.evidence_exchanges, e.exchange_id)) {
                                     x->status = EvidenceExchangeStatus::kLapsed;
                                   }
                                 });
}

}  // namespace docket::domain::case_detail
