// The read models' queries: a lawyer's home, filings, payments, cases, hearings and documents;
// the clerks' review queue; the judges' inboxes and the lawyers' schedules pushed to them;
// GetCaseList for every role that may list cases.
//
// Every list is paged (pages.h): a list route answers {items, next_cursor}; a reply made of
// several lists (a home, an inbox, a queue) gives the first page of each, as large as ?limit=,
// and each of its lists has a route of its own, "<route>/<list>", that pages it with ?cursor=.
#include "pages.h"
#include "responses.h"
#include "route_util.h"

namespace docket::api {

namespace {

using pages::from_read_model;
using pages::ListRead;
using pages::Order;
using pages::with_query_docs;

// The orders of the lists (pages.h): the fields each list is sorted by, the last one unique.
constexpr Order kFilingsOrder[] = {{"created_at_us", true}, {"filing_id"}};
constexpr Order kCasesOrder[] = {{"case_number"}};
constexpr Order kLawyerSchedulesOrder[] = {{"licence_number"}};
constexpr Order kScheduleOrder[] = {{"starts_at_us"}, {"entry_id"}};
constexpr Order kHearingsByStart[] = {{"starts_at_us"}, {"case_number"}, {"hearing_id"}};
constexpr Order kHearingsNewestFirst[] = {
    {"starts_at_us", true}, {"case_number", true}, {"hearing_id", true}};
constexpr Order kAsGiven[] = {{""}};
constexpr Order kPendingOrder[] = {{"review_overdue", true}, {"review_due_at_us"}, {"filing_id"}};
constexpr Order kCorrectionOrder[] = {{"correction_deadline_at_us"}, {"filing_id"}};
constexpr Order kMediationOrder[] = {{"mediation_deadline_at_us"}, {"filing_id"}};
constexpr Order kConfirmationOrder[] = {{"updated_at_us"}, {"filing_id"}};
constexpr Order kNoticesOrder[] = {{"issued_at_us", true}, {"filing_id"}};
constexpr Order kReceiptsOrder[] = {{"receipt_at_us", true}, {"code"}};
constexpr Order kDocumentsOrder[] = {{"served_at_us", true}, {"service_id"}};
constexpr Order kInboxAvoidanceOrder[] = {{"case_number"}, {"hearing_id"}, {"request_id"}};
constexpr Order kInboxMessagesOrder[] = {{"sent_at_us"}, {"case_number"}, {"message_id"}};
constexpr Order kInboxReviewsOrder[] = {{"case_number"}, {"application_id"}};
constexpr Order kInboxExchangesOrder[] = {{"case_number"}, {"exchange_id"}};
constexpr Order kMyBatchesOrder[] = {{"case_number"}, {"batch_id"}};
constexpr Order kMyExchangesOrder[] = {{"respond_by_us"}, {"case_number"}, {"exchange_id"}};
constexpr Order kMyMessagesOrder[] = {
    {"sent_at_us", true}, {"case_number", true}, {"message_id", true}};
constexpr Order kMyReviewsOrder[] = {{"case_number"}, {"application_id"}};
constexpr Order kRefundsOrder[] = {{"ordered_at_us"}, {"filing_id"}, {"refund_id"}};

// One list of a reply made of several, and its own route.
struct Section {
  std::string_view name;  // the member of the reply
  std::string_view path;  // the last segment of its own route
  std::span<const Order> order;
  std::string operation;
  std::string summary;
  const schema::Type* response = nullptr;  // a Page of its items
};

// The first page of each list of a reply of several, as large as ?limit= asks (no cursor).
std::vector<FieldDoc> first_pages() {
  auto docs = pages::query_docs();
  docs.resize(1);
  docs[0].description = "how many items of each list at most, 1 to " +
                        std::to_string(pages::kMaxLimit) + " (default " +
                        std::to_string(pages::kDefaultLimit) +
                        "); each list pages on at its own route";
  return docs;
}

}  // namespace

void Service::add_query_routes() {
  const auto lawyer = roles({Role::kLawyer});

  auto list = [this](std::span<const Order> order, ListRead read) {
    return pages::list_handler(*this, order, std::move(read));
  };

  // A reply of several lists: the first page of each, as large as ?limit= asks; and a route of
  // its own for each list, "<path>/<section path>", that pages it.
  auto add_lists = [this, list](RouteSpec spec, std::vector<Section> sections, ListRead read) {
    for (const auto& section : sections) {
      RouteSpec own = spec;
      own.path = spec.path + "/" + std::string(section.path);
      own.operation = section.operation;
      own.summary = section.summary;
      own.query = with_query_docs(spec.query);
      own.response = section.response;
      add(std::move(own),
          list(section.order,
               [name = section.name, read](const Call& call) -> Expected<json::value, Problem> {
                 auto all = read(call);
                 if (!all)
                   return all;
                 auto* found = all->is_object() ? all->as_object().if_contains(name) : nullptr;
                 if (found == nullptr || !found->is_array())
                   return json::value(json::array{});
                 return std::move(*found);
               }));
    }
    auto query = spec.query;
    for (auto& doc : first_pages())
      query.push_back(std::move(doc));
    spec.query = std::move(query);
    add(std::move(spec),
        [this, sections = std::move(sections), read = std::move(read)](Call& call) -> Result {
          auto request = pages::read_request(call.query_param("limit"), std::nullopt);
          if (!request)
            return unexpected(request.error());
          if (auto w = wait_for_projections(call.after); !w)
            return unexpected(w.error());
          auto all = read(call);
          if (!all)
            return unexpected(all.error());
          if (!all->is_object())
            return Reply{json_reply(call, http::status::ok, *all)};
          auto& reply = all->as_object();
          for (const auto& section : sections) {
            auto* found = reply.if_contains(section.name);
            auto items = found != nullptr && found->is_array() ? std::move(found->as_array())
                                                               : json::array{};
            auto page = pages::page(std::move(items), section.order, *request);
            if (!page)
              return unexpected(page.error());
            reply[section.name] = std::move(*page);
          }
          return Reply{json_reply(call, http::status::ok, *all)};
        });
  };

  add_lists({.method = http::verb::get,
             .path = "/v1/me/home",
             .operation = "GetLawyerHome",
             .summary = "A lawyer's home: profile, schedule and upcoming hearings (module 1).",
             .tag = "lawyers",
             .roles = lawyer,
             .reads_projections = true,
             .response = schema::type<responses::LawyerHome>()},
            {{"schedule", "schedule", kScheduleOrder, "ListMyHomeSchedule",
              "A lawyer's schedule entries, by start.",
              schema::type<responses::Page<responses::ScheduleEntry>>()},
             {"upcoming_hearings", "upcoming-hearings", kHearingsByStart,
              "ListMyHomeUpcomingHearings", "A lawyer's upcoming hearings, by start.",
              schema::type<responses::Page<responses::HearingRow>>()}},
            [this](const Call& call) {
              return from_read_model(read_models_.lawyer_home(call.principal.id, call.now_us));
            });

  add({.method = http::verb::get,
       .path = "/v1/outbox/refunds",
       .operation = "ListRefundOutbox",
       .summary = "The payment provider's queue of refunds (交费退费): those ordered and not yet "
                  "completed or failed, oldest first, each with the payment it returns money from. "
                  "The relay carries each out and reports it at POST /v1/payments/refund-callback, "
                  "after which it leaves the queue. Admin only, as the SMS outbox.",
       .tag = "outbox",
       .roles = roles({Role::kAdmin}),
       .reads_projections = true,
       .query = pages::query_docs(),
       .response = schema::type<responses::Page<responses::OutboxRefund>>()},
      list(kRefundsOrder,
           [this](const Call&) { return from_read_model(read_models_.requested_refunds()); }));

  add({.method = http::verb::get,
       .path = "/v1/me/filings",
       .operation = "ListMyFilings",
       .summary = "A lawyer's filings (as filer or agent), newest first, with their progress.",
       .tag = "filings",
       .roles = lawyer,
       .reads_projections = true,
       .query = pages::query_docs(),
       .response = schema::type<responses::Page<responses::MyFiling>>()},
      list(kFilingsOrder, [this](const Call& call) {
        return from_read_model(read_models_.lawyer_filings(call.principal.id, call.now_us));
      }));

  add_lists({.method = http::verb::get,
             .path = "/v1/me/payments",
             .operation = "ListMyPayments",
             .summary = "The payment notices a lawyer may pay, and their receipts.",
             .tag = "payments",
             .roles = lawyer,
             .reads_projections = true,
             .response = schema::type<responses::MyPayments>()},
            {{"notices", "notices", kNoticesOrder, "ListMyPaymentNotices",
              "The payment notices a lawyer may pay, newest first.",
              schema::type<responses::Page<responses::PaymentNotice>>()},
             {"receipts", "receipts", kReceiptsOrder, "ListMyReceipts",
              "The receipts of a lawyer's paid notices, newest first.",
              schema::type<responses::Page<responses::Receipt>>()}},
            [this](const Call& call) {
              return from_read_model(read_models_.lawyer_payments(call.principal.id, call.now_us));
            });

  add_lists({.method = http::verb::get,
             .path = "/v1/me/hearings",
             .operation = "ListMyHearings",
             .summary = "A lawyer's hearings, upcoming and held, and their conflicts (overlapping "
                        "hearings, a hearing in a period marked \"cannot appear\").",
             .tag = "hearings",
             .roles = lawyer,
             .reads_projections = true,
             .response = schema::type<responses::MyHearings>()},
            {{"upcoming", "upcoming", kHearingsByStart, "ListMyUpcomingHearings",
              "A lawyer's upcoming hearings, by start.",
              schema::type<responses::Page<responses::HearingRow>>()},
             {"held", "held", kHearingsNewestFirst, "ListMyHeldHearings",
              "A lawyer's held (or past) hearings, newest first.",
              schema::type<responses::Page<responses::HearingRow>>()},
             {"cancelled", "cancelled", kHearingsByStart, "ListMyCancelledHearings",
              "A lawyer's cancelled hearings, by start.",
              schema::type<responses::Page<responses::HearingRow>>()},
             {"conflicts", "conflicts", kAsGiven, "ListMyHearingConflicts",
              "The conflicts among a lawyer's upcoming hearings and schedule.",
              schema::type<responses::Page<responses::HearingConflict>>()}},
            [this](const Call& call) {
              return from_read_model(read_models_.lawyer_hearings(call.principal.id, call.now_us));
            });

  add_lists({.method = http::verb::get,
             .path = "/v1/me/case-work",
             .operation = "GetMyCaseWork",
             .summary = "A lawyer's own work across all their cases, as the manual's list screens "
                        "show it: evidence batches with each item's status, evidence exchanges "
                        "to answer, messages to judges with their replies, file-review "
                        "applications.",
             .tag = "cases",
             .roles = lawyer,
             .reads_projections = true,
             .response = schema::type<responses::MyCaseWork>()},
            {{"evidence_batches", "evidence", kMyBatchesOrder, "ListMyEvidenceBatches",
              "The evidence batches a lawyer opened, in all their cases.",
              schema::type<responses::Page<responses::MyEvidenceBatch>>()},
             {"exchanges", "exchanges", kMyExchangesOrder, "ListMyExchanges",
              "The evidence exchanges sent to a lawyer, in all their cases, the earliest answer "
              "deadline first.",
              schema::type<responses::Page<responses::MyExchange>>()},
             {"messages", "messages", kMyMessagesOrder, "ListMyMessages",
              "A lawyer's messages to judges, with their replies, in all their cases, newest "
              "first.",
              schema::type<responses::Page<responses::MyMessage>>()},
             {"file_reviews", "file-reviews", kMyReviewsOrder, "ListMyFileReviews",
              "A lawyer's file-review applications, in all their cases.",
              schema::type<responses::Page<responses::MyFileReview>>()}},
            [this](const Call& call) {
              return from_read_model(read_models_.lawyer_case_work(call.principal.id));
            });

  add_lists({.method = http::verb::get,
             .path = "/v1/me/documents",
             .operation = "ListMyDocuments",
             .summary = "A lawyer's served documents: to sign and signed.",
             .tag = "documents",
             .roles = lawyer,
             .reads_projections = true,
             .response = schema::type<responses::MyDocuments>()},
            {{"to_sign", "to-sign", kDocumentsOrder, "ListMyDocumentsToSign",
              "A lawyer's served documents not yet signed, newest first.",
              schema::type<responses::Page<responses::ServedDocument>>()},
             {"signed", "signed", kDocumentsOrder, "ListMySignedDocuments",
              "A lawyer's signed documents, newest first.",
              schema::type<responses::Page<responses::ServedDocument>>()}},
            [this](const Call& call) {
              return from_read_model(read_models_.lawyer_documents(call.principal.id));
            });

  add({.method = http::verb::get,
       .path = "/v1/cases",
       .operation = "GetCaseList",
       .summary = "The cases the caller may list: a lawyer's own (searchable by plaintiff, "
                  "defendant or case number), a judge's cases in charge, the cases of a clerk's "
                  "or court system's court, or of ?court= for an auditor; by case number.",
       .tag = "cases",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .reads_projections = true,
       .query =
           with_query_docs({f("plaintiff", "string"), f("defendant", "string"),
                            f("case_number", "string"), f("court", "string", false, "auditors")}),
       .response = schema::type<responses::Page<responses::CaseSummary>>()},
      list(kCasesOrder, [this](const Call& call) -> Expected<json::value, Problem> {
        switch (call.principal.role) {
          case Role::kLawyer: {
            projections::CaseSearch search;
            search.plaintiff = call.query_param("plaintiff").value_or("");
            search.defendant = call.query_param("defendant").value_or("");
            search.case_number = call.query_param("case_number").value_or("");
            return from_read_model(read_models_.lawyer_cases(call.principal.id, search));
          }
          case Role::kJudge:
            return from_read_model(read_models_.judge_cases(call.principal.id));
          case Role::kAuditor: {
            auto court = call.query_param("court");
            if (!court)
              return unexpected(invalid("court",
                                        "Expected ?court= for an auditor's case list, "
                                        "but it is missing"));
            return from_read_model(read_models_.court_cases(*court));
          }
          default:
            return from_read_model(read_models_.court_cases(call.principal.court));
        }
      }));

  add_lists(
      {.method = http::verb::get,
       .path = "/v1/courts/{court}/review-queue",
       .operation = "GetReviewQueue",
       .summary = "The filings awaiting the court's clerks, overdue ones first, with days left of "
                  "the review period; those awaiting correction with their deadlines; those in "
                  "mediation by deadline; and the mediated ones whose judicial confirmation a "
                  "judge of the court is to decide.",
       .tag = "filings",
       .roles = roles({Role::kClerk, Role::kJudge, Role::kAuditor}),
       .reads_projections = true,
       .response = schema::type<responses::ReviewQueue>()},
      {{"pending", "pending", kPendingOrder, "ListReviewQueuePending",
        "The filings awaiting review: overdue ones first, then by review due date.",
        schema::type<responses::Page<responses::FilingSummary>>()},
       {"awaiting_correction", "awaiting-correction", kCorrectionOrder,
        "ListReviewQueueAwaitingCorrection",
        "The filings awaiting correction, by correction deadline.",
        schema::type<responses::Page<responses::FilingSummary>>()},
       {"in_mediation", "in-mediation", kMediationOrder, "ListReviewQueueInMediation",
        "The filings referred to online mediation, by mediation deadline.",
        schema::type<responses::Page<responses::FilingSummary>>()},
       {"awaiting_confirmation", "awaiting-confirmation", kConfirmationOrder,
        "ListReviewQueueAwaitingConfirmation",
        "The mediated filings whose agreement awaits a judge's judicial confirmation.",
        schema::type<responses::Page<responses::FilingSummary>>()}},
      [this](const Call& call) -> Expected<json::value, Problem> {
        const auto court = call.param("court");
        if (!call.is(Role::kAuditor) &&
            !domain::acts_for_court(call.principal, court, {Role::kClerk, Role::kJudge}))
          return unexpected(forbidden("Expected a clerk or judge of court " + court + ", but " +
                                      call.principal.id + " belongs to " + call.principal.court));
        return from_read_model(read_models_.review_queue(court, call.now_us));
      });

  add_lists(
      {.method = http::verb::get,
       .path = "/v1/judges/me/inbox",
       .operation = "GetJudgeInbox",
       .summary = "A judge's inboxes: open avoidance requests, unreplied messages, "
                  "file-review applications, answered exchanges.",
       .tag = "judges",
       .roles = roles({Role::kJudge}),
       .reads_projections = true,
       .response = schema::type<responses::JudgeInbox>()},
      {{"avoidance_requests", "avoidance-requests", kInboxAvoidanceOrder,
        "ListJudgeInboxAvoidanceRequests", "A judge's open avoidance requests.",
        schema::type<responses::Page<responses::InboxAvoidance>>()},
       {"messages", "messages", kInboxMessagesOrder, "ListJudgeInboxMessages",
        "The messages a judge has not replied to, oldest first.",
        schema::type<responses::Page<responses::InboxMessage>>()},
       {"file_reviews", "file-reviews", kInboxReviewsOrder, "ListJudgeInboxFileReviews",
        "The file-review applications awaiting a judge's decision.",
        schema::type<responses::Page<responses::InboxFileReview>>()},
       {"exchange_answers", "exchange-answers", kInboxExchangesOrder,
        "ListJudgeInboxExchangeAnswers", "The answered evidence exchanges of a judge's cases.",
        schema::type<responses::Page<responses::InboxExchange>>()}},
      [this](const Call& call) {
        return from_read_model(read_models_.judge_inbox(call.principal.id));
      });

  add({.method = http::verb::get,
       .path = "/v1/judges/me/lawyer-schedules",
       .operation = "GetLawyerSchedules",
       .summary = "The schedules of the lawyers in a judge's cases (when they cannot appear), to "
                  "avoid conflicts when scheduling; by licence number.",
       .tag = "judges",
       .roles = roles({Role::kJudge}),
       .reads_projections = true,
       .query = pages::query_docs(),
       .response = schema::type<responses::Page<responses::LawyerSchedule>>()},
      list(kLawyerSchedulesOrder, [this](const Call& call) {
        return from_read_model(read_models_.judge_lawyer_schedules(call.principal.id, call.now_us));
      }));
}

}  // namespace docket::api
