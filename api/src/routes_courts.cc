// Courts: registration, policy and code lists (admin); the policy, fee calculation and law links
// for everyone who is logged in (GetPolicy, GetFeesCalculation).
#include "docket/domain/court.h"
#include "docket/domain/fee.h"
#include "pages.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"

namespace docket::api {

namespace {

// The orders of the court lists (pages.h).
constexpr pages::Order kCourtsOrder[] = {{"code"}};
constexpr pages::Order kLawLinksOrder[] = {{""}};  // as the policy gives them

std::vector<domain::CodeListEntry> entries_of(const std::vector<responses::CodeListEntry>& in) {
  std::vector<domain::CodeListEntry> out;
  for (const auto& e : in)
    out.push_back({e.code, e.name});
  return out;
}

// The lists given in `in` replace those of `lists`.
domain::CourtCodeLists code_lists_of(const requests::CodeListsInput& in,
                                     domain::CourtCodeLists lists) {
  if (in.case_categories) {
    lists.case_categories.clear();
    for (const auto& c : *in.case_categories)
      lists.case_categories.push_back({c.code, c.name, c.case_number_code});
  }
  if (in.application_types)
    lists.application_types = entries_of(*in.application_types);
  if (in.material_types)
    lists.material_types = entries_of(*in.material_types);
  if (in.document_types)
    lists.document_types = entries_of(*in.document_types);
  return lists;
}

domain::FeeRule fee_rule_of(const requests::FeeRuleInput& in) {
  domain::FeeRule rule;
  rule.fixed_fee_fen = in.fixed_fee_fen.value_or(0);
  rule.base_covers_up_to_fen = in.base_covers_up_to_fen.value_or(0);
  if (in.bands) {
    for (const auto& b : *in.bands)
      rule.bands.push_back({b.up_to_fen, b.rate_basis_points});
  }
  return rule;
}

// The policy fields given in `in` replace those of `policy`; absent ones keep their value.
domain::CourtPolicy policy_of(const requests::CourtPolicyInput& in, domain::CourtPolicy policy) {
  if (in.review_period_us)
    policy.review_period_us = *in.review_period_us;
  if (in.correction_period_us)
    policy.correction_period_us = *in.correction_period_us;
  if (in.fee_due_period_us)
    policy.fee_due_period_us = *in.fee_due_period_us;
  if (in.sms_key_validity_us)
    policy.sms_key_validity_us = *in.sms_key_validity_us;
  if (in.no_electronic_service_document_types)
    policy.no_electronic_service_document_types = *in.no_electronic_service_document_types;
  if (in.auto_register_when_review_overdue)
    policy.auto_register_when_review_overdue = *in.auto_register_when_review_overdue;
  if (in.identity_verification_required)
    policy.identity_verification_required = *in.identity_verification_required;
  if (in.no_mediation_case_categories)
    policy.no_mediation_case_categories = *in.no_mediation_case_categories;
  if (in.president)
    policy.president = *in.president;
  if (in.law_links) {
    policy.law_links.clear();
    for (const auto& l : *in.law_links)
      policy.law_links.push_back({l.title, l.url});
  }
  if (in.fee_schedule) {
    policy.fee_schedule.rules_by_category.clear();
    for (const auto& [category, rule] : *in.fee_schedule)
      policy.fee_schedule.rules_by_category[category] = fee_rule_of(rule);
  }
  return policy;
}

}  // namespace

Expected<domain::CourtState, Problem> Service::existing_court(const Call& call) {
  auto court = platform_.load<domain::CourtAggregate>(domain::court_stream(call.param("court")));
  if (!court)
    return unexpected(from_engine_error(court.error()));
  if (!court->state.exists)
    return unexpected(not_found("Expected a court " + call.param("court") + ", but there is none"));
  return std::move(court->state);
}

void Service::add_court_routes() {
  add({.method = http::verb::post,
       .path = "/v1/courts",
       .operation = "RegisterCourt",
       .summary = "An admin registers a court with its code lists and policy (policy fields not "
                  "given take the platform's defaults).",
       .tag = "courts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      with_body<requests::RegisterCourtBody>(
          [this](Call& call, requests::RegisterCourtBody in) -> Result {
            domain::RegisterCourt command;
            command.code = std::move(in.code);
            command.name = std::move(in.name);
            command.code_lists = code_lists_of(in.code_lists, {});
            if (in.policy)
              command.policy = policy_of(*in.policy, domain::CourtPolicy{});
            const auto stream = domain::court_stream(command.code);
            return execute<domain::CourtAggregate>(call, stream, std::move(command),
                                                   http::status::created);
          }));

  add({.method = http::verb::post,
       .path = "/v1/courts/{court}/policy",
       .operation = "ChangeCourtPolicy",
       .summary = "An admin changes a court's policy: the fields given replace the current ones.",
       .tag = "courts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      with_body<requests::CourtPolicyInput>(
          [this](Call& call, requests::CourtPolicyInput in) -> Result {
            auto court = existing_court(call);
            if (!court)
              return unexpected(std::move(court).error());
            return execute<domain::CourtAggregate>(
                call, domain::court_stream(call.param("court")),
                domain::ChangeCourtPolicy{policy_of(in, court->policy)});
          }));

  add({.method = http::verb::post,
       .path = "/v1/courts/{court}/code-lists",
       .operation = "ChangeCodeLists",
       .summary = "An admin changes a court's code lists: the lists given replace the current "
                  "ones.",
       .tag = "courts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      with_body<requests::CodeListsInput>(
          [this](Call& call, requests::CodeListsInput in) -> Result {
            auto court = existing_court(call);
            if (!court)
              return unexpected(std::move(court).error());
            return execute<domain::CourtAggregate>(
                call, domain::court_stream(call.param("court")),
                domain::ChangeCodeLists{code_lists_of(in, court->code_lists)});
          }));

  add({.method = http::verb::get,
       .path = "/v1/courts",
       .operation = "ListCourts",
       .summary = "Every registered court: code and name, by code.",
       .tag = "courts",
       .roles = kAllRoles,
       .reads_projections = true,
       .query = pages::query_docs(),
       .response = schema::type<responses::Page<responses::CourtListItem>>()},
      pages::list_handler(*this, kCourtsOrder, [this](const Call&) {
        return pages::from_read_model(read_models_.courts());
      }));

  add({.method = http::verb::get,
       .path = "/v1/courts/{court}/policy",
       .operation = "GetPolicy",
       .summary = "A court's code lists and policy (review and correction periods, fee schedule, "
                  "documents that may not be served electronically, law links).",
       .tag = "courts",
       .roles = kAllRoles,
       .reads_projections = true,
       .response = schema::type<responses::Court>()},
      [this](Call& call) -> Result {
        const auto court = call.param("court");
        return resource_reply(call, domain::court_stream(court),
                              [&] { return read_models_.court(court); });
      });

  add({.method = http::verb::get,
       .path = "/v1/courts/{court}/law-links",
       .operation = "GetLawLinks",
       .summary = "The court's configured links to laws and regulations (module 12), in the "
                  "order its policy gives them.",
       .tag = "courts",
       .roles = kAllRoles,
       .reads_projections = true,
       .query = pages::query_docs(),
       .response = schema::type<responses::Page<responses::LawLink>>()},
      pages::list_handler(*this, kLawLinksOrder, [this](const Call& call) {
        return pages::from_read_model(read_models_.law_links(call.param("court")));
      }));

  add({.method = http::verb::get,
       .path = "/v1/fees",
       .operation = "GetFeesCalculation",
       .summary = "The litigation fee of a case of a category with an amount in dispute, under a "
                  "court's fee schedule.",
       .tag = "courts",
       .roles = kAllRoles,
       .query = {f("court", "string", true), f("category", "string", true),
                 f("amount_fen", "integer", true, "amount in dispute, in fen")},
       .response = schema::type<responses::FeeCalculation>()},
      [this](Call& call) -> Result {
        std::vector<domain::Violation> missing;
        const auto court = call.query_param("court");
        const auto category = call.query_param("category");
        const auto amount_text = call.query_param("amount_fen");
        if (!court)
          missing.push_back({"court", "Expected a court code, but it is missing"});
        if (!category)
          missing.push_back({"category", "Expected a case category, but it is missing"});
        if (!amount_text)
          missing.push_back({"amount_fen", "Expected an amount in fen, but it is missing"});
        if (!missing.empty())
          return unexpected(make_problem(http::status::unprocessable_entity,
                                         problem_code::kValidation,
                                         "Expected court, category and amount_fen, but " +
                                             missing.front().field + " is missing",
                                         missing));
        std::int64_t amount = 0;
        {
          const auto* end = amount_text->data() + amount_text->size();
          auto [ptr, ec] = std::from_chars(amount_text->data(), end, amount);
          if (ec != std::errc() || ptr != end)
            return unexpected(
                bad_request("Expected amount_fen to be an integer, but got " + *amount_text));
        }
        auto loaded = platform_.load<domain::CourtAggregate>(domain::court_stream(*court));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        if (!loaded->state.exists)
          return unexpected(not_found("Expected a court " + *court + ", but there is none"));
        auto fee = domain::fee_for(loaded->state.policy.fee_schedule, *category, amount);
        if (!fee)
          return unexpected(from_rejection(fee.error()));
        json::object out{{"court", *court},
                         {"category", *category},
                         {"amount_in_dispute_fen", amount},
                         {"fee_fen", *fee}};
        return Reply{json_reply(call, http::status::ok, out)};
      });
}

}  // namespace docket::api
