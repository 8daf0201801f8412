#include "feed.h"

#include <algorithm>
#include <set>

#include "case_generated.h"
#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/filing.h"
#include "docket/domain/payload.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/engine/sha256.h"
#include "docket/payloads/payload_json.h"
#include "scope.h"
#include "service.h"

namespace docket::api {

namespace json = boost::json;
using domain::Role;

namespace {

// Log records looked at per call: rounds of kRound records, at most kRounds of them.
constexpr std::size_t kRound = 512;
constexpr int kRounds = 16;

// The record at `position` and the hash of the one before it.
engine::Result<FeedEvent> raw_event(const engine::EventStore& store, std::uint64_t position) {
  FeedEvent out;
  bool found = false;
  auto scanned = store.scan(position > 1 ? position - 1 : position, position,
                            [&](const engine::RecordView& view) {
                              if (view.key_position < position) {
                                out.previous_hash = engine::hash_from_bytes(view.hash);
                                return true;
                              }
                              std::string value(view.hash);
                              value += view.envelope;
                              auto decoded = engine::decode_record(view.key_position, value);
                              if (decoded) {
                                out.event = std::move(*decoded);
                                out.envelope = std::string(view.envelope);
                                found = true;
                              }
                              return false;
                            });
  if (!scanned)
    return unexpected(scanned.error());
  if (!found) {
    return unexpected(engine::Error{engine::ErrorCode::kCorruption,
                                    "Expected a readable log record at position " +
                                        std::to_string(position) + ", but there is none",
                                    std::nullopt, std::nullopt});
  }
  return out;
}

}  // namespace

engine::Result<StreamOwners> stream_owners(app::Platform& platform, std::string_view stream) {
  StreamOwners owners;
  owners.category = std::string(engine::format::category_of(stream));
  const std::string id(stream.size() > owners.category.size()
                           ? stream.substr(owners.category.size() + 1)
                           : std::string_view());
  const std::string name(stream);
  const auto& category = owners.category;
  if (category == domain::CourtAggregate::kCategory) {
    owners.court = id;
  } else if (category == domain::CaseNumberAggregate::kCategory) {
    auto loaded = platform.load<domain::CaseNumberAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    owners.court = loaded->state.court;
  } else if (category == domain::FilingAggregate::kCategory) {
    auto loaded = platform.load<domain::FilingAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    owners.resource = scope_of(loaded->state);
  } else if (category == domain::PaymentAggregate::kCategory) {
    auto loaded = platform.load<domain::PaymentAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    owners.resource = scope_of(loaded->state);
  } else if (category == domain::CaseAggregate::kCategory) {
    auto loaded = platform.load<domain::CaseAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    owners.resource = scope_of(loaded->state);
    owners.resource->judge = loaded->state.judge;  // as GetCase: the judge in charge
  } else if (category == domain::ServiceAggregate::kCategory) {
    auto loaded = platform.load<domain::ServiceAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    const auto& s = loaded->state;
    owners.resource = scope_of(s);
    owners.resource->judge = std::string();
    if (!s.case_number.empty()) {
      auto of_case = platform.load<domain::CaseAggregate>(domain::case_stream(s.case_number));
      if (!of_case)
        return unexpected(of_case.error());
      owners.resource->judge = of_case->state.judge;  // the judge in charge of its case
    }
  } else if (category == domain::LawyerAggregate::kCategory) {
    owners.lawyer = id;
  } else if (category == domain::HotlineAggregate::kCategory) {
    auto loaded = platform.load<domain::HotlineAggregate>(name);
    if (!loaded)
      return unexpected(loaded.error());
    owners.resource = scope_of(loaded->state);
  }
  // staff- streams and unknown categories: no court, no lawyer.
  return owners;
}

bool may_read(const domain::Principal& reader, const StreamOwners& owners) {
  const auto& category = owners.category;
  if (reader.role == Role::kAuditor)
    return true;  // they verify the whole chain
  if (owners.resource) {
    // A court's resource: the resource routes' rule (scope.h). Filings are the filing office's
    // and the filer's: no judge reads a filing, before or after it became a case.
    if (reader.role == Role::kJudge && category == domain::FilingAggregate::kCategory)
      return false;
    return may_reach(reader, *owners.resource);
  }
  const bool court_stream = category == domain::CourtAggregate::kCategory;
  const bool account = category == domain::LawyerAggregate::kCategory ||
                       category == domain::StaffAggregate::kCategory;
  switch (reader.role) {
    case Role::kAdmin:
      return account || court_stream;  // what they manage: accounts and courts
    case Role::kLawyer:
      return category == domain::LawyerAggregate::kCategory && owners.lawyer == reader.id;
    case Role::kClerk:
    case Role::kCourtSystem:
      return (court_stream || category == domain::CaseNumberAggregate::kCategory) &&
             domain::acts_for_court(reader, owners.court, {Role::kClerk, Role::kCourtSystem});
    case Role::kJudge:
      return court_stream && domain::acts_for_court(reader, owners.court, {Role::kJudge});
    case Role::kAuditor:
    case Role::kSystem:
      return false;
  }
  return false;
}

namespace {

// The lawyer whose own item of case `s` an event is about (their evidence batch, an exchange sent
// to them, their file review, message, avoidance request or binding attempt); "" for the case's
// common events, and for an item the state does not know.
std::string owner_of(const domain::CaseState& s, const engine::RecordedEvent& e) {
  namespace et = domain::event_type;
  namespace fb = domain::fb;
  using domain::read_payload;
  const std::string_view type = e.type;
  const std::string_view payload = e.payload;
  auto owner = [](const auto& items, const std::string& id, auto field) -> std::string {
    const auto it = items.find(id);
    return it == items.end() ? std::string() : it->second.*field;
  };
  auto batch = [&](const std::string& id) {
    return owner(s.evidence_batches, id, &domain::EvidenceBatch::licence);
  };
  auto exchange = [&](const std::string& id) {
    return owner(s.evidence_exchanges, id, &domain::EvidenceExchange::recipient_licence);
  };
  auto review = [&](const std::string& id) {
    return owner(s.file_reviews, id, &domain::FileReview::licence);
  };
  auto message = [&](const std::string& id) {
    return owner(s.messages, id, &domain::JudgeMessage::licence);
  };
  auto avoidance = [&](const std::string& hearing_id, const std::string& request_id) {
    const auto h = s.hearings.find(hearing_id);
    if (h == s.hearings.end())
      return std::string();
    for (const auto& r : h->second.avoidance_requests) {
      if (r.request_id == request_id)
        return r.licence;
    }
    return std::string();
  };
  if (type == et::kEvidenceBatchOpened) {
    if (auto p = read_payload<fb::EvidenceBatchOpened>(payload))
      return p->licence;
  } else if (type == et::kEvidenceItemAdded) {
    if (auto p = read_payload<fb::EvidenceItemAdded>(payload))
      return batch(p->batch_id);
  } else if (type == et::kEvidenceItemsRemoved) {
    if (auto p = read_payload<fb::EvidenceItemsRemoved>(payload))
      return batch(p->batch_id);
  } else if (type == et::kEvidenceBatchSubmitted) {
    if (auto p = read_payload<fb::EvidenceBatchSubmitted>(payload))
      return batch(p->batch_id);
  } else if (type == et::kEvidenceItemMarked) {
    if (auto p = read_payload<fb::EvidenceItemMarked>(payload))
      return batch(p->batch_id);
  } else if (type == et::kEvidenceSentForExchange) {
    if (auto p = read_payload<fb::EvidenceSentForExchange>(payload))
      return p->recipient_licence;
  } else if (type == et::kEvidenceExchangeOpened) {
    if (auto p = read_payload<fb::EvidenceExchangeOpened>(payload))
      return exchange(p->exchange_id);
  } else if (type == et::kEvidenceExchangeAnswered) {
    if (auto p = read_payload<fb::EvidenceExchangeAnswered>(payload))
      return exchange(p->exchange_id);
  } else if (type == et::kEvidenceExchangeLapsed) {
    if (auto p = read_payload<fb::EvidenceExchangeLapsed>(payload))
      return exchange(p->exchange_id);
  } else if (type == et::kFileReviewApplied) {
    if (auto p = read_payload<fb::FileReviewApplied>(payload))
      return p->licence;
  } else if (type == et::kFileReviewApproved) {
    if (auto p = read_payload<fb::FileReviewApproved>(payload))
      return review(p->application_id);
  } else if (type == et::kFileReviewRefused) {
    if (auto p = read_payload<fb::FileReviewRefused>(payload))
      return review(p->application_id);
  } else if (type == et::kFileReviewAccessed) {
    if (auto p = read_payload<fb::FileReviewAccessed>(payload))
      return review(p->application_id);
  } else if (type == et::kMessageSentToJudge) {
    if (auto p = read_payload<fb::MessageSentToJudge>(payload))
      return p->licence;
  } else if (type == et::kMessageRead) {
    if (auto p = read_payload<fb::MessageRead>(payload))
      return message(p->message_id);
  } else if (type == et::kMessageReplied) {
    if (auto p = read_payload<fb::MessageReplied>(payload))
      return message(p->message_id);
  } else if (type == et::kHearingAvoidanceRequested) {
    if (auto p = read_payload<fb::HearingAvoidanceRequested>(payload))
      return p->licence;
  } else if (type == et::kHearingAvoidanceGranted) {
    if (auto p = read_payload<fb::HearingAvoidanceGranted>(payload))
      return avoidance(p->hearing_id, p->request_id);
  } else if (type == et::kHearingAvoidanceRefused) {
    if (auto p = read_payload<fb::HearingAvoidanceRefused>(payload))
      return avoidance(p->hearing_id, p->request_id);
  } else if (type == et::kLegacyBindingFailed) {
    if (e.schema_version == 1) {
      if (auto p = read_payload<fb::LegacyBindingFailedV1>(payload))
        return p->licence;
    } else if (auto p = read_payload<fb::LegacyBindingFailed>(payload)) {
      return p->licence;
    }
  }
  return {};
}

}  // namespace

engine::Result<bool> FeedScope::shows(const engine::RecordedEvent& event) {
  if (reader_.role != Role::kLawyer)
    return true;
  if (event.type == domain::event_type::kCaseFileMaterialAdded)
    return false;
  if (engine::format::category_of(event.stream) != domain::CaseAggregate::kCategory)
    return true;
  const std::string stream(event.stream);
  auto cached = cases_.find(stream);
  if (cached == cases_.end()) {
    auto loaded = platform_.load<domain::CaseAggregate>(stream);
    if (!loaded)
      return unexpected(loaded.error());
    cached =
        cases_.emplace(stream, std::make_shared<const domain::CaseState>(std::move(loaded->state)))
            .first;
  }
  const std::string owner = owner_of(*cached->second, event);
  return owner.empty() || owner == reader_.id;
}

engine::Result<bool> FeedScope::allows(std::string_view stream) {
  if (reader_.role == Role::kAuditor)
    return true;
  std::string key(stream);
  if (auto it = decided_.find(key); it != decided_.end())
    return it->second;
  auto owners = stream_owners(platform_, stream);
  if (!owners)
    return unexpected(owners.error());
  if (owners->resource) {
    if (auto linked = link_by_identity(platform_, reader_, *owners->resource); !linked)
      return unexpected(linked.error());
  }
  const bool allowed = may_read(reader_, *owners);
  decided_.emplace(std::move(key), allowed);
  return allowed;
}

engine::Result<FeedPage> read_feed(const engine::EventStore& store, FeedScope& scope,
                                   std::uint64_t after, const std::vector<std::string>& categories,
                                   std::size_t limit) {
  FeedPage page;
  page.scanned_to = after;
  scope.forget();
  if (limit == 0)
    return page;
  // One category: its index names the positions. Several, or all: the log in order.
  if (categories.size() == 1) {
    for (int round = 0; round < kRounds && page.events.size() < limit; ++round) {
      auto listed = store.read_category(categories.front(), page.scanned_to + 1, kRound);
      if (!listed)
        return unexpected(listed.error());
      if (listed->empty())
        break;
      for (const auto& e : *listed) {
        auto allowed = scope.allows(e.stream);
        if (!allowed)
          return unexpected(allowed.error());
        if (*allowed) {
          auto shown = scope.shows(e);
          if (!shown)
            return unexpected(shown.error());
          allowed = *shown;
        }
        if (*allowed) {
          auto raw = raw_event(store, e.position);
          if (!raw)
            return unexpected(raw.error());
          page.events.push_back(std::move(*raw));
        }
        page.scanned_to = e.position;
        if (page.events.size() >= limit)
          break;
      }
    }
    return page;
  }
  const std::set<std::string, std::less<>> wanted(categories.begin(), categories.end());
  const std::uint64_t last = store.last_position();
  engine::format::Hash previous = engine::format::kGenesisHash;
  bool have_previous = after == 0;
  for (int round = 0; round < kRounds && page.events.size() < limit; ++round) {
    if (page.scanned_to >= last)
      break;
    const std::uint64_t from = page.scanned_to + 1;
    const std::uint64_t to = std::min<std::uint64_t>(last, page.scanned_to + kRound);
    std::optional<engine::Error> failure;
    auto scanned =
        store.scan(have_previous ? from : from - 1, to, [&](const engine::RecordView& view) {
          const auto hash = engine::hash_from_bytes(view.hash);
          if (view.key_position < from) {
            previous = hash;
            have_previous = true;
            return true;
          }
          std::string value(view.hash);
          value += view.envelope;
          auto decoded = engine::decode_record(view.key_position, value);
          if (!decoded) {
            failure = decoded.error();
            return false;
          }
          if (wanted.empty() || wanted.count(engine::format::category_of(decoded->stream)) > 0) {
            auto allowed = scope.allows(decoded->stream);
            if (allowed && *allowed)
              allowed = scope.shows(*decoded);
            if (!allowed) {
              failure = allowed.error();
              return false;
            }
            if (*allowed)
              page.events.push_back(
                  FeedEvent{std::move(*decoded), std::string(view.envelope), previous});
          }
          previous = hash;
          page.scanned_to = view.key_position;
          return page.events.size() < limit;
        });
    if (!scanned)
      return unexpected(scanned.error());
    if (failure)
      return unexpected(*failure);
  }
  return page;
}

json::object feed_event_json(const FeedEvent& fe) {
  const auto& e = fe.event;
  json::object out{{"position", e.position},
                   {"stream", e.stream},
                   {"version", e.version},
                   {"type", e.type},
                   {"schema_version", e.schema_version},
                   {"recorded_at_us", e.recorded_at_us},
                   {"event_id", e.event_id.to_string()},
                   {"actor", json::object{{"id", e.actor.id}, {"role", e.actor.role}}},
                   {"correlation_id", e.correlation_id.to_string()},
                   {"causation_id", e.causation_id.to_string()}};
  bool held_credentials = false;
  auto payload = payloads::PayloadRenderer::domain().render(e, &held_credentials);
  if (payload) {
    out["payload"] = std::move(*payload);
  } else {
    out["payload"] = nullptr;
    out["payload_error"] = payload.error().message;
  }
  out["previous_hash"] = engine::to_hex(fe.previous_hash);
  out["hash"] = engine::to_hex(e.hash);
  if (payload && !held_credentials)
    out["envelope_base64"] = base64(fe.envelope);
  else
    out["envelope_withheld"] = true;
  return out;
}

}  // namespace docket::api
