// The read models' queries: a lawyer's home, filings, payments, cases, hearings and documents;
// the clerks' review queue; the judges' inboxes and the lawyers' schedules pushed to them;
// GetCaseList for every role that may list cases.
#include "responses.h"
#include "route_util.h"

namespace docket::api {

void Service::add_query_routes() {
  const auto lawyer = roles({Role::kLawyer});

  // A query of the caller's own read model: waits for ?after, then reads.
  auto own = [this](auto read) {
    return [this, read](Call& call) -> Result {
      if (auto w = wait_for_projections(call.after); !w)
        return unexpected(w.error());
      return query_reply(call, read(call));
    };
  };

  add({.method = http::verb::get,
       .path = "/v1/me/home",
       .operation = "GetLawyerHome",
       .summary = "A lawyer's home: profile, schedule and upcoming hearings (module 1).",
       .tag = "lawyers",
       .roles = lawyer,
       .reads_projections = true,
       .response = schema::type<responses::LawyerHome>()},
      own([this](const Call& call) {
        return read_models_.lawyer_home(call.principal.id, call.now_us);
      }));

  add({.method = http::verb::get,
       .path = "/v1/me/filings",
       .operation = "ListMyFilings",
       .summary = "A lawyer's filings (as filer or agent), newest first, with their progress.",
       .tag = "filings",
       .roles = lawyer,
       .reads_projections = true,
       .response = schema::type<std::vector<responses::MyFiling>>()},
      own([this](const Call& call) {
        return read_models_.lawyer_filings(call.principal.id, call.now_us);
      }));

  add({.method = http::verb::get,
       .path = "/v1/me/payments",
       .operation = "ListMyPayments",
       .summary = "The payment notices a lawyer may pay, and their receipts.",
       .tag = "payments",
       .roles = lawyer,
       .reads_projections = true,
       .response = schema::type<responses::MyPayments>()},
      own([this](const Call& call) {
        return read_models_.lawyer_payments(call.principal.id, call.now_us);
      }));

  add({.method = http::verb::get,
       .path = "/v1/me/hearings",
       .operation = "ListMyHearings",
       .summary = "A lawyer's hearings, upcoming and held, and their conflicts (overlapping "
                  "hearings, a hearing in a period marked \"cannot appear\").",
       .tag = "hearings",
       .roles = lawyer,
       .reads_projections = true,
       .response = schema::type<responses::MyHearings>()},
      own([this](const Call& call) {
        return read_models_.lawyer_hearings(call.principal.id, call.now_us);
      }));

  add({.method = http::verb::get,
       .path = "/v1/me/documents",
       .operation = "ListMyDocuments",
       .summary = "A lawyer's served documents: to sign and signed.",
       .tag = "documents",
       .roles = lawyer,
       .reads_projections = true,
       .response = schema::type<responses::MyDocuments>()},
      own([this](const Call& call) { return read_models_.lawyer_documents(call.principal.id); }));

  add({.method = http::verb::get,
       .path = "/v1/cases",
       .operation = "GetCaseList",
       .summary = "The cases the caller may list: a lawyer's own (searchable by plaintiff, "
                  "defendant or case number), a judge's cases in charge, the cases of a clerk's "
                  "or court system's court, or of ?court= for an auditor.",
       .tag = "cases",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .reads_projections = true,
       .query = {f("plaintiff", "string"), f("defendant", "string"), f("case_number", "string"),
                 f("court", "string", false, "auditors")},
       .response = schema::type<std::vector<responses::CaseSummary>>()},
      [this](Call& call) -> Result {
        if (auto w = wait_for_projections(call.after); !w)
          return unexpected(w.error());
        switch (call.principal.role) {
          case Role::kLawyer: {
            projections::CaseSearch search;
            search.plaintiff = call.query_param("plaintiff").value_or("");
            search.defendant = call.query_param("defendant").value_or("");
            search.case_number = call.query_param("case_number").value_or("");
            return query_reply(call, read_models_.lawyer_cases(call.principal.id, search));
          }
          case Role::kJudge:
            return query_reply(call, read_models_.judge_cases(call.principal.id));
          case Role::kAuditor: {
            auto court = call.query_param("court");
            if (!court)
              return unexpected(invalid("court",
                                        "Expected ?court= for an auditor's case list, "
                                        "but it is missing"));
            return query_reply(call, read_models_.court_cases(*court));
          }
          default:
            return query_reply(call, read_models_.court_cases(call.principal.court));
        }
      });

  add({.method = http::verb::get,
       .path = "/v1/courts/{court}/review-queue",
       .operation = "GetReviewQueue",
       .summary = "The filings awaiting the court's clerks, overdue ones first, with days left of "
                  "the review period, and those awaiting correction with their deadlines.",
       .tag = "filings",
       .roles = roles({Role::kClerk, Role::kAuditor}),
       .reads_projections = true,
       .response = schema::type<responses::ReviewQueue>()},
      [this](Call& call) -> Result {
        const auto court = call.param("court");
        if (call.is(Role::kClerk) && !domain::acts_for_court(call.principal, court, {Role::kClerk}))
          return unexpected(forbidden("Expected a clerk of court " + court + ", but " +
                                      call.principal.id + " belongs to " + call.principal.court));
        if (auto w = wait_for_projections(call.after); !w)
          return unexpected(w.error());
        return query_reply(call, read_models_.review_queue(court, call.now_us));
      });

  add({.method = http::verb::get,
       .path = "/v1/judges/me/inbox",
       .operation = "GetJudgeInbox",
       .summary = "A judge's inboxes: open avoidance requests, unreplied messages, file-review "
                  "applications, answered exchanges.",
       .tag = "judges",
       .roles = roles({Role::kJudge}),
       .reads_projections = true,
       .response = schema::type<responses::JudgeInbox>()},
      own([this](const Call& call) { return read_models_.judge_inbox(call.principal.id); }));

  add({.method = http::verb::get,
       .path = "/v1/judges/me/lawyer-schedules",
       .operation = "GetLawyerSchedules",
       .summary = "The schedules of the lawyers in a judge's cases (when they cannot appear), to "
                  "avoid conflicts when scheduling.",
       .tag = "judges",
       .roles = roles({Role::kJudge}),
       .reads_projections = true,
       .response = schema::type<std::vector<responses::LawyerSchedule>>()},
      own([this](const Call& call) {
        return read_models_.judge_lawyer_schedules(call.principal.id, call.now_us);
      }));
}

}  // namespace docket::api
