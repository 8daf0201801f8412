// The case aggregate: evidence batches and their items. Deciders and appliers; the shared guards
// are in case_detail.h.
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {
namespace {

// The actor's own open batch `batch_id`, or a rejection.
Expected<const EvidenceBatch*, Rejection> own_open_batch(const CaseState& state, const Context& ctx,
                                                         std::string_view batch_id) {
  if (auto rejection =
          first_of([&] { return check_open(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  auto it = state.evidence_batches.find(std::string(batch_id));
  if (it == state.evidence_batches.end()) {
    return unexpected(
        reject(RejectionCode::kNotFound,
               "Expected evidence batch " + quoted(batch_id) + ", but the case has none such"));
  }
  if (it->second.licence != ctx.actor.id) {
    return unexpected(reject(RejectionCode::kForbidden,
                             "Expected the lawyer who opened batch " + quoted(batch_id) + " (" +
                                 it->second.licence + "), but " + ctx.actor.id + " acts"));
  }
  if (it->second.status != EvidenceBatchStatus::kOpen) {
    return unexpected(reject(
        RejectionCode::kInvalidState,
        "Expected an open evidence batch, but " + quoted(batch_id) + " was already submitted"));
  }
  return &it->second;
}

EvidenceItem* item_of(CaseState& state, const std::string& batch_id, const std::string& item_id) {
  auto batch = state.evidence_batches.find(batch_id);
  if (batch == state.evidence_batches.end())
    return nullptr;
  for (auto& item : batch->second.items) {
    if (item.item_id == item_id)
      return &item;
  }
  return nullptr;
}

}  // namespace

// ----- deciders ------------------------------------------------------------------------------

Outcome decide_one(const CaseState& state, const AddEvidenceItem& c, const Context& ctx) {
  if (auto rejection =
          first_of([&] { return check_open(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.batch_id.empty(), "batch_id", "Expected a batch id, but it is empty");
  v.require(!c.item_id.empty(), "item_id", "Expected an item id, but it is empty");
  v.require(!c.name.empty(), "name", "Expected the evidence's name, but it is empty");
  v.require(is_sha256_hex(c.blob_hash), "blob_hash",
            "Expected a lower-hex SHA-256 blob hash, but got " + quoted(c.blob_hash));
  if (!v.empty())
    return unexpected(v.rejection());
  std::vector<EventData> events;
  if (state.evidence_batches.count(c.batch_id) == 0) {
    fb::EvidenceBatchOpenedT opened;
    opened.batch_id = c.batch_id;
    opened.licence = ctx.actor.id;
    events.push_back(make_event(event_type::kEvidenceBatchOpened, opened));
  } else {
    auto batch = own_open_batch(state, ctx, c.batch_id);
    if (!batch)
      return unexpected(batch.error());
    for (const auto& item : (*batch)->items) {
      if (item.item_id == c.item_id) {
        return fail(RejectionCode::kConflict,
                    "Expected a new item id, but " + quoted(c.item_id) + " is in the batch");
      }
    }
  }
  fb::EvidenceItemAddedT added;
  added.batch_id = c.batch_id;
  added.item_id = c.item_id;
  added.name = c.name;
  added.blob_hash = c.blob_hash;
  added.purpose = c.purpose;
  events.push_back(make_event(event_type::kEvidenceItemAdded, added));
  return decided(std::move(events));
}

Outcome decide_one(const CaseState& state, const RemoveEvidenceItems& c, const Context& ctx) {
  auto batch = own_open_batch(state, ctx, c.batch_id);
  if (!batch)
    return unexpected(batch.error());
  Violations v;
  v.require(!c.item_ids.empty(), "item_ids", "Expected at least one item to remove, but none");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.item_ids.size(); ++i) {
    const auto& id = c.item_ids[i];
    const std::string at = "item_ids[" + std::to_string(i) + "]";
    const bool known = std::any_of((*batch)->items.begin(), (*batch)->items.end(),
                                   [&](const EvidenceItem& item) { return item.item_id == id; });
    v.require(known, at, "Expected an item of the batch, but " + quoted(id) + " is none");
    v.require(seen.insert(id).second, at,
              "Expected each item once, but " + quoted(id) + " repeats");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::EvidenceItemsRemovedT removed;
  removed.batch_id = c.batch_id;
  removed.item_ids = c.item_ids;
  return decided({make_event(event_type::kEvidenceItemsRemoved, removed)});
}

Outcome decide_one(const CaseState& state, const SubmitEvidenceBatch& c, const Context& ctx) {
  auto batch = own_open_batch(state, ctx, c.batch_id);
  if (!batch)
    return unexpected(batch.error());
  if ((*batch)->items.empty()) {
    Violations v;
    v.add("items", "Expected at least one evidence item in the batch, but it is empty");
    return unexpected(v.rejection());
  }
  fb::EvidenceBatchSubmittedT submitted;
  submitted.batch_id = c.batch_id;
  submitted.submitted_at_us = ctx.now_us;
  return decided({make_event(event_type::kEvidenceBatchSubmitted, submitted)});
}

Outcome decide_one(const CaseState& state, const MarkEvidenceItem& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto batch = state.evidence_batches.find(c.batch_id);
  if (batch == state.evidence_batches.end()) {
    return fail(RejectionCode::kNotFound,
                "Expected evidence batch " + quoted(c.batch_id) + ", but the case has none such");
  }
  if (batch->second.status != EvidenceBatchStatus::kSubmitted) {
    return fail(RejectionCode::kInvalidState,
                "Expected a submitted batch, but " + quoted(c.batch_id) + " is still open");
  }
  const EvidenceItem* item = nullptr;
  for (const auto& candidate : batch->second.items) {
    if (candidate.item_id == c.item_id)
      item = &candidate;
  }
  if (item == nullptr) {
    return fail(RejectionCode::kNotFound,
                "Expected an item of the batch, but " + quoted(c.item_id) + " is none");
  }
  const bool decided_already = item->status == EvidenceItemStatus::kAccepted ||
                               item->status == EvidenceItemStatus::kRejected;
  if (decided_already ||
      (c.mark == EvidenceItemMark::kReceived && item->status == EvidenceItemStatus::kReceived)) {
    return fail(
        RejectionCode::kInvalidState,
        "Expected an item awaiting the court's mark, but " + quoted(c.item_id) + " is already " +
            (item->status == EvidenceItemStatus::kReceived
                 ? "received"
                 : (item->status == EvidenceItemStatus::kAccepted ? "accepted" : "rejected")));
  }
  if (c.mark == EvidenceItemMark::kRejected && c.note.empty()) {
    Violations v;
    v.add("note", "Expected a reason for rejecting the item, but it is empty");
    return unexpected(v.rejection());
  }
  fb::EvidenceItemMarkedT marked;
  marked.batch_id = c.batch_id;
  marked.item_id = c.item_id;
  marked.mark = static_cast<fb::EvidenceItemMark>(c.mark);
  marked.note = c.note;
  return decided({make_event(event_type::kEvidenceItemMarked, marked)});
}

// ----- appliers ------------------------------------------------------------------------------

void add_evidence_appliers(ApplierTable<CaseState>& a) {
  on<fb::EvidenceBatchOpened>(a, event_type::kEvidenceBatchOpened, 1,
                              [](CaseState& s, const fb::EvidenceBatchOpenedT& e) {
                                EvidenceBatch batch;
                                batch.batch_id = e.batch_id;
                                batch.licence = e.licence;
                                s.evidence_batches[e.batch_id] = std::move(batch);
                              });
  on<fb::EvidenceItemAdded>(
      a, event_type::kEvidenceItemAdded, 1, [](CaseState& s, const fb::EvidenceItemAddedT& e) {
        if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
          batch->items.push_back(EvidenceItem{e.item_id, e.name, e.blob_hash, e.purpose,
                                              EvidenceItemStatus::kAdded, ""});
        }
      });
  on<fb::EvidenceItemsRemoved>(a, event_type::kEvidenceItemsRemoved, 1,
                               [](CaseState& s, const fb::EvidenceItemsRemovedT& e) {
                                 if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
                                   std::erase_if(batch->items, [&](const EvidenceItem& item) {
                                     return std::find(e.item_ids.begin(), e.item_ids.end(),
                                                      item.item_id) != e.item_ids.end();
                                   });
                                 }
                               });
  on<fb::EvidenceBatchSubmitted>(a, event_type::kEvidenceBatchSubmitted, 1,
                                 [](CaseState& s, const fb::EvidenceBatchSubmittedT& e) {
                                   if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
                                     batch->status = EvidenceBatchStatus::kSubmitted;
                                     batch->submitted_at_us = e.submitted_at_us;
                                     for (auto& item : batch->items) {
                                       item.status = EvidenceItemStatus::kSubmitted;
                                     }
                                   }
                                 });
  on<fb::EvidenceItemMarked>(a, event_type::kEvidenceItemMarked, 1,
                             [](CaseState& s, const fb::EvidenceItemMarkedT& e) {
                               if (EvidenceItem* item = item_of(s, e.batch_id, e.item_id)) {
                                 switch (e.mark) {
                                   case fb::EvidenceItemMark::Received:
                                     item->status = EvidenceItemStatus::kReceived;
                                     break;
                                   case fb::EvidenceItemMark::Accepted:
                                     item->status = EvidenceItemStatus::kAccepted;
                                     break;
                                   case fb::EvidenceItemMark::Rejected:
                                     item->status = EvidenceItemStatus::kRejected;
                                     break;
                                 }
                                 item->court_note = e.note;
                               }
                             });
}

}  // namespace docket::domain::case_detail
