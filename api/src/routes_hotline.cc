// The litigation-service hotline (诉讼服务热线, 12368; notice §5): a lawyer files a request
// online, the court's staff record a call; a clerk answers or forwards it to a judge, who
// answers; the lists of a court's staff, of a judge and of a lawyer, each with ?status=.
#include "docket/domain/hotline.h"
#include "pages.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"
#include "scope.h"

namespace docket::api {

namespace {

using pages::from_read_model;
using pages::Order;
using projections::HotlineFilter;

// A lawyer's own requests: newest first.
constexpr Order kMineOrder[] = {{"filed_at_us", true}, {"hotline_request_id"}};
// The staff's and judges' lists: overdue ones first, then by due time.
constexpr Order kWorkOrder[] = {{"overdue", true}, {"answer_due_at_us"}, {"hotline_request_id"}};

std::string hotline_stream_of_call(const Call& call) {
  return domain::hotline_stream(call.param("hotline_request_id"));
}

// ?status= of a hotline list: all (the default), open, overdue or answered; 400 for another.
Expected<HotlineFilter, Problem> filter_of(const Call& call) {
  const auto status = call.query_param("status");
  if (!status || *status == "all")
    return HotlineFilter::kAll;
  if (*status == "open")
    return HotlineFilter::kOpen;
  if (*status == "overdue")
    return HotlineFilter::kOverdue;
  if (*status == "answered")
    return HotlineFilter::kAnswered;
  std::string message =
      "Expected ?status= to be all, open, overdue or answered, but it is \"" + *status + "\"";
  return unexpected(bad_request(message, {{"status", message}}));
}

std::vector<FieldDoc> list_query() {
  return pages::with_query_docs(
      {f("status", "string", false,
         "all (default); open: not answered yet (overdue ones included); overdue: not answered "
         "and past its due time; answered")});
}

}  // namespace

void Service::add_hotline_routes() {
  auto list = [this](std::span<const Order> order, pages::ListRead read) {
    return pages::list_handler(*this, order, std::move(read));
  };

  add({.method = http::verb::post,
       .path = "/v1/hotline-requests",
       .operation = "FileHotlineRequest",
       .summary =
           "A request to a court's litigation-service hotline: an enquiry, a case "
           "postponement, contacting the judge, a refund of fees, a petition or a complaint. "
           "A lawyer files it online (naming, if any, a case where they are an agent); a "
           "clerk or the court system records a call with the caller's name and phone. The "
           "court is to answer within 3 days.",
       .tag = "hotline",
       .roles = roles({Role::kLawyer, Role::kClerk, Role::kCourtSystem}),
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::HotlineAggregate, requests::FileHotlineRequestBody>(
          *this,
          [](const Call& call) {
            return domain::hotline_stream(call.made_id(made::kHotlineRequest));
          },
          [](requests::FileHotlineRequestBody in, const Call& call) {
            domain::FileHotlineRequest command;
            command.hotline_request_id = call.made_id(made::kHotlineRequest);
            command.court = std::move(in.court);
            command.kind = in.kind;
            command.case_number = in.case_number.value_or("");
            command.title = std::move(in.title);
            command.body = std::move(in.body);
            if (in.caller)
              command.caller =
                  domain::HotlineCaller{std::move(in.caller->name), std::move(in.caller->phone)};
            return command;
          },
          http::status::created, made::kHotlineRequest));

  add({.method = http::verb::get,
       .path = "/v1/hotline-requests/{hotline_request_id}",
       .operation = "GetHotlineRequest",
       .summary = "A hotline request, its forwarding and answer, and whether it is overdue: for "
                  "the lawyer who filed it, the clerks and court system of its court, the judge it "
                  "was forwarded to, and auditors.",
       .tag = "hotline",
       .roles =
           roles({Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kHotlineRequest,
       .reads_projections = true,
       .response = schema::type<responses::HotlineRequest>()},
      [this](Call& call) -> Result {
        const auto id = call.param("hotline_request_id");
        return resource_reply(call, domain::hotline_stream(id),
                              [&] { return read_models_.hotline_request(id, call.now_us); });
      });

  add({.method = http::verb::post,
       .path = "/v1/hotline-requests/{hotline_request_id}/forward",
       .operation = "ForwardHotlineRequest",
       .summary = "A clerk of the court forwards a request the staff cannot answer at once to the "
                  "judge in charge of its case, or, for a request about no case, to the judge "
                  "named.",
       .tag = "hotline",
       .roles = roles({Role::kClerk}),
       .owner = Owner::kHotlineRequest,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::HotlineAggregate, requests::ForwardHotlineRequestBody>(
          *this, hotline_stream_of_call, [](requests::ForwardHotlineRequestBody in, const Call&) {
            return domain::ForwardHotlineRequest{in.judge.value_or(""), in.note.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/hotline-requests/{hotline_request_id}/answer",
       .operation = "AnswerHotlineRequest",
       .summary = "The answer: by a clerk of the court while the request is not forwarded, else by "
                  "the judge it was forwarded to. A request answered after its due time stays "
                  "marked overdue.",
       .tag = "hotline",
       .roles = roles({Role::kClerk, Role::kJudge}),
       .owner = Owner::kHotlineRequest,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::HotlineAggregate, requests::AnswerHotlineRequestBody>(
          *this, hotline_stream_of_call, [](requests::AnswerHotlineRequestBody in, const Call&) {
            return domain::AnswerHotlineRequest{std::move(in.body)};
          }));

  add({.method = http::verb::get,
       .path = "/v1/me/hotline-requests",
       .operation = "ListMyHotlineRequests",
       .summary = "The hotline requests a lawyer filed, newest first, with their answers.",
       .tag = "hotline",
       .roles = roles({Role::kLawyer}),
       .reads_projections = true,
       .query = list_query(),
       .response = schema::type<responses::Page<responses::HotlineRequest>>()},
      list(kMineOrder, [this](const Call& call) -> Expected<json::value, Problem> {
        auto filter = filter_of(call);
        if (!filter)
          return unexpected(filter.error());
        return from_read_model(
            read_models_.lawyer_hotline_requests(call.principal.id, *filter, call.now_us));
      }));

  add({.method = http::verb::get,
       .path = "/v1/courts/{court}/hotline-requests",
       .operation = "ListCourtHotlineRequests",
       .summary = "Every hotline request of the court, for its clerks and court system: overdue "
                  "ones first, then by due time.",
       .tag = "hotline",
       .roles = roles({Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .reads_projections = true,
       .query = list_query(),
       .response = schema::type<responses::Page<responses::HotlineRequest>>()},
      list(kWorkOrder, [this](const Call& call) -> Expected<json::value, Problem> {
        const auto court = call.param("court");
        if (!call.is(Role::kAuditor) &&
            !domain::acts_for_court(call.principal, court, {Role::kClerk, Role::kCourtSystem}))
          return unexpected(forbidden("Expected a clerk or court system of court " + court +
                                      ", but " + call.principal.id + " belongs to " +
                                      call.principal.court));
        auto filter = filter_of(call);
        if (!filter)
          return unexpected(filter.error());
        return from_read_model(read_models_.court_hotline_requests(court, *filter, call.now_us));
      }));

  add({.method = http::verb::get,
       .path = "/v1/judges/me/hotline-requests",
       .operation = "ListJudgeHotlineRequests",
       .summary = "The hotline requests forwarded to a judge: overdue ones first, then by due "
                  "time.",
       .tag = "hotline",
       .roles = roles({Role::kJudge}),
       .reads_projections = true,
       .query = list_query(),
       .response = schema::type<responses::Page<responses::HotlineRequest>>()},
      list(kWorkOrder, [this](const Call& call) -> Expected<json::value, Problem> {
        auto filter = filter_of(call);
        if (!filter)
          return unexpected(filter.error());
        return from_read_model(
            read_models_.judge_hotline_requests(call.principal.id, *filter, call.now_us));
      }));
}

}  // namespace docket::api
