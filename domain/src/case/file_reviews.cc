// The case aggregate: case-file materials and file reviews — applications, decisions and reading.
// Deciders and appliers; the shared guards are in case_detail.h.
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {

// ----- deciders ------------------------------------------------------------------------------

Outcome decide_one(const CaseState& state, const AddCaseFileMaterial& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.material_id.empty(), "material_id", "Expected a material id, but it is empty");
  v.require(!c.title.empty(), "title", "Expected the material's title, but it is empty");
  v.require(is_sha256_hex(c.blob_hash), "blob_hash",
            "Expected a lower-hex SHA-256 blob hash, but got " + quoted(c.blob_hash));
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.file_materials.count(c.material_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new material id, but " + quoted(c.material_id) + " exists");
  }
  fb::CaseFileMaterialAddedT added;
  added.material_id = c.material_id;
  added.title = c.title;
  added.blob_hash = c.blob_hash;
  return decided({make_event(event_type::kCaseFileMaterialAdded, added)});
}

Outcome decide_one(const CaseState& state, const ApplyForFileReview& c, const Context& ctx) {
  if (auto rejection =
          first_of([&] { return check_exists(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.application_id.empty(), "application_id",
            "Expected an application id, but it is empty");
  v.require(!c.reason.empty(), "reason", "Expected a reason to read the file, but it is empty");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.file_reviews.count(c.application_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new application id, but " + quoted(c.application_id) + " exists");
  }
  fb::FileReviewAppliedT applied;
  applied.application_id = c.application_id;
  applied.licence = ctx.actor.id;
  applied.reason = c.reason;
  return decided({make_event(event_type::kFileReviewApplied, applied)});
}

// The undecided file-review application `application_id`, for the judge side.
Expected<const FileReview*, Rejection> pending_review(const CaseState& state, const Context& ctx,
                                                      std::string_view application_id) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.file_reviews.find(std::string(application_id));
  if (it == state.file_reviews.end()) {
    return unexpected(reject(RejectionCode::kNotFound, "Expected file-review application " +
                                                           quoted(application_id) +
                                                           ", but the case has none such"));
  }
  if (it->second.status != FileReviewStatus::kApplied) {
    return unexpected(
        reject(RejectionCode::kInvalidState, "Expected an undecided application, but " +
                                                 quoted(application_id) + " was already decided"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const ApproveFileReview& c, const Context& ctx) {
  auto review = pending_review(state, ctx, c.application_id);
  if (!review)
    return unexpected(review.error());
  Violations v;
  v.require(!c.material_ids.empty(), "material_ids",
            "Expected at least one material to approve, but none was chosen");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.material_ids.size(); ++i) {
    const auto& id = c.material_ids[i];
    const std::string at = "material_ids[" + std::to_string(i) + "]";
    v.require(state.file_materials.count(id) > 0, at,
              "Expected a material of the case file, but " + quoted(id) + " is none");
    v.require(seen.insert(id).second, at,
              "Expected each material once, but " + quoted(id) + " repeats");
  }
  v.require(c.from_us < c.until_us, "until_us",
            "Expected the window to end after it starts, but it ends at " +
                std::to_string(c.until_us) + " us");
  v.require(c.until_us > ctx.now_us, "until_us",
            "Expected the window to end in the future, but it ends at " +
                std::to_string(c.until_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::FileReviewApprovedT approved;
  approved.application_id = c.application_id;
  approved.material_ids = c.material_ids;
  approved.from_us = c.from_us;
  approved.until_us = c.until_us;
  return decided({make_event(event_type::kFileReviewApproved, approved)});
}

Outcome decide_one(const CaseState& state, const RefuseFileReview& c, const Context& ctx) {
  auto review = pending_review(state, ctx, c.application_id);
  if (!review)
    return unexpected(review.error());
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for the refusal, but it is empty");
    return unexpected(v.rejection());
  }
  fb::FileReviewRefusedT refused;
  refused.application_id = c.application_id;
  refused.reason = c.reason;
  return decided({make_event(event_type::kFileReviewRefused, refused)});
}

Outcome decide_one(const CaseState& state, const RecordFileReviewAccess& c, const Context& ctx) {
  if (auto rejection =
          first_of([&] { return check_exists(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  auto it = state.file_reviews.find(c.application_id);
  if (it == state.file_reviews.end()) {
    return fail(RejectionCode::kNotFound, "Expected file-review application " +
                                              quoted(c.application_id) +
                                              ", but the case has none such");
  }
  const FileReview& review = it->second;
  if (review.licence != ctx.actor.id) {
    return fail(RejectionCode::kForbidden,
                "Expected the applicant " + review.licence + ", but " + ctx.actor.id + " reads");
  }
  if (review.status != FileReviewStatus::kApproved) {
    return fail(RejectionCode::kInvalidState,
                "Expected an approved application, but " + quoted(c.application_id) + " is " +
                    (review.status == FileReviewStatus::kApplied ? "undecided" : "refused"));
  }
  if (std::find(review.material_ids.begin(), review.material_ids.end(), c.material_id) ==
      review.material_ids.end()) {
    return fail(RejectionCode::kForbidden, "Expected a material approved for reading, but " +
                                               quoted(c.material_id) + " is not approved");
  }
  if (ctx.now_us < review.from_us || ctx.now_us >= review.until_us) {
    return fail(RejectionCode::kPolicy, "Expected a read within the approved window [" +
                                            std::to_string(review.from_us) + ", " +
                                            std::to_string(review.until_us) + ") us, but it is " +
                                            std::to_string(ctx.now_us) + " us");
  }
  fb::FileReviewAccessedT accessed;
  accessed.application_id = c.application_id;
  accessed.material_id = c.material_id;
  accessed.accessed_at_us = ctx.now_us;
  return decided({make_event(event_type::kFileReviewAccessed, accessed)});
}

// ----- appliers ------------------------------------------------------------------------------

void add_file_review_appliers(ApplierTable<CaseState>& a) {
  on<fb::CaseFileMaterialAdded>(
      a, event_type::kCaseFileMaterialAdded, 1,
      [](CaseState& s, const fb::CaseFileMaterialAddedT& e) {
        s.file_materials[e.material_id] = CaseFileMaterial{e.material_id, e.title, e.blob_hash};
      });
  on<fb::FileReviewApplied>(a, event_type::kFileReviewApplied, 1,
                            [](CaseState& s, const fb::FileReviewAppliedT& e) {
                              FileReview review;
                              review.application_id = e.application_id;
                              review.licence = e.licence;
                              review.reason = e.reason;
                              s.file_reviews[e.application_id] = std::move(review);
                            });
  on<fb::FileReviewApproved>(a, event_type::kFileReviewApproved, 1,
                             [](CaseState& s, const fb::FileReviewApprovedT& e) {
                               if (auto* review = entry_of(s.file_reviews, e.application_id)) {
                                 review->status = FileReviewStatus::kApproved;
                                 review->material_ids = e.material_ids;
                                 review->from_us = e.from_us;
                                 review->until_us = e.until_us;
                               }
                             });
  on<fb::FileReviewRefused>(a, event_type::kFileReviewRefused, 1,
                            [](CaseState& s, const fb::FileReviewRefusedT& e) {
                              if (auto* review = entry_of(s.file_reviews, e.application_id)) {
                                review->status = FileReviewStatus::kRefused;
                                review->refusal_reason = e.reason;
                              }
                            });
  on<fb::FileReviewAccessed>(
      a, event_type::kFileReviewAccessed, 1, [](CaseState& s, const fb::FileReviewAccessedT& e) {
        if (auto* review = entry_of(s.file_reviews, e.application_id)) {
          review->accesses.push_back(FileReviewAccess{e.material_id, e.accessed_at_us});
        }
      });
}

}  // namespace docket::domain::case_detail
