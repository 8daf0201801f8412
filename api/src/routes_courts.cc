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

std::vector<domain::CodeListEntry> read_entries(Fields& in, std::string_view key) {
  std::vector<domain::CodeListEntry> out;
  in.each(key, kOpt, [&](Fields& e) { out.push_back({e.str("code", kReq), e.str("name", kReq)}); });
  return out;
}

domain::CourtCodeLists read_code_lists(Fields& in, domain::CourtCodeLists lists) {
  if (in.has("case_categories")) {
    lists.case_categories.clear();
    in.each("case_categories", kOpt, [&](Fields& c) {
      lists.case_categories.push_back(
          {c.str("code", kReq), c.str("name", kReq), c.str("case_number_code", kReq)});
    });
  }
  if (in.has("application_types"))
    lists.application_types = read_entries(in, "application_types");
  if (in.has("material_types"))
    lists.material_types = read_entries(in, "material_types");
  if (in.has("document_types"))
    lists.document_types = read_entries(in, "document_types");
  return lists;
}

domain::FeeRule read_fee_rule(Fields& in) {
  domain::FeeRule rule;
  rule.fixed_fee_fen = in.i64("fixed_fee_fen");
  rule.base_covers_up_to_fen = in.i64("base_covers_up_to_fen");
  in.each("bands", kOpt, [&](Fields& b) {
    rule.bands.push_back({b.i64("up_to_fen", kReq), b.u32("rate_basis_points", kReq)});
  });
  return rule;
}

// The policy fields present in `in` replace those of `policy`; absent ones keep their value.
domain::CourtPolicy read_policy(Fields& in, const json::object& raw, domain::CourtPolicy policy) {
  if (in.has("review_period_us"))
    policy.review_period_us = in.i64("review_period_us");
  if (in.has("correction_period_us"))
    policy.correction_period_us = in.i64("correction_period_us");
  if (in.has("fee_due_period_us"))
    policy.fee_due_period_us = in.i64("fee_due_period_us");
  if (in.has("sms_key_validity_us"))
    policy.sms_key_validity_us = in.i64("sms_key_validity_us");
  if (in.has("no_electronic_service_document_types"))
    policy.no_electronic_service_document_types =
        in.strings("no_electronic_service_document_types");
  if (in.has("auto_register_when_review_overdue"))
    policy.auto_register_when_review_overdue = in.boolean("auto_register_when_review_overdue");
  if (in.has("law_links")) {
    policy.law_links.clear();
    in.each("law_links", kOpt, [&](Fields& l) {
      policy.law_links.push_back({l.str("title", kReq), l.str("url", kReq)});
    });
  }
  if (in.has("fee_schedule")) {
    // {"<category>": rule, …}
    in.nested("fee_schedule", kOpt, [&](Fields& fees) {
      policy.fee_schedule.rules_by_category.clear();
      const auto* object = raw.if_contains("fee_schedule");
      if (object == nullptr || !object->is_object())
        return;
      for (const auto& [category, rule] : object->get_object()) {
        (void)rule;
        fees.nested(category, kReq, [&](Fields& r) {
          policy.fee_schedule.rules_by_category[std::string(category)] = read_fee_rule(r);
        });
      }
    });
  }
  return policy;
}

}  // namespace

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
       .body = {f("code", "string", true), f("name", "string", true),
                f("code_lists", "object", true,
                  "{case_categories: [{code, name, case_number_code}], application_types, "
                  "material_types, document_types: [{code, name}]}"),
                f("policy", "object", false,
                  "{review_period_us, correction_period_us, fee_due_period_us, "
                  "sms_key_validity_us, no_electronic_service_document_types, "
                  "auto_register_when_review_overdue, fee_schedule: {<category>: {fixed_fee_fen, "
                  "base_covers_up_to_fen, bands: [{up_to_fen, rate_basis_points}]}}, law_links: "
                  "[{title, url}]}")},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      [this](Call& call) -> Result {
        auto body = call.body();
        if (!body)
          return unexpected(body.error());
        auto in = Fields::over(*body);
        domain::RegisterCourt command;
        command.code = in.str("code", kReq);
        command.name = in.str("name", kReq);
        in.nested("code_lists", kReq,
                  [&](Fields& l) { command.code_lists = read_code_lists(l, {}); });
        if (const auto* p = body->if_contains("policy"); p != nullptr && p->is_object()) {
          in.nested("policy", kOpt, [&](Fields& pf) {
            command.policy = read_policy(pf, p->get_object(), domain::CourtPolicy{});
          });
        } else {
          in.nested("policy", kOpt, [](Fields&) {});
        }
        if (auto p = in.problem())
          return unexpected(*p);
        const auto stream = domain::court_stream(command.code);
        return execute<domain::CourtAggregate>(call, stream, std::move(command),
                                               http::status::created);
      });

  add({.method = http::verb::post,
       .path = "/v1/courts/{court}/policy",
       .operation = "ChangeCourtPolicy",
       .summary = "An admin changes a court's policy: the fields given replace the current ones.",
       .tag = "courts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .body = {f("review_period_us", "integer"), f("correction_period_us", "integer"),
                f("fee_due_period_us", "integer"), f("sms_key_validity_us", "integer"),
                f("no_electronic_service_document_types", "string[]"),
                f("auto_register_when_review_overdue", "boolean"), f("fee_schedule", "object"),
                f("law_links", schema::type<responses::LawLink>())},
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        auto body = call.body();
        if (!body)
          return unexpected(body.error());
        const auto stream = domain::court_stream(call.param("court"));
        auto court = platform_.load<domain::CourtAggregate>(stream);
        if (!court)
          return unexpected(from_engine_error(court.error()));
        if (!court->state.exists)
          return unexpected(
              not_found("Expected a court " + call.param("court") + ", but there is none"));
        auto in = Fields::over(*body);
        auto policy = read_policy(in, *body, court->state.policy);
        if (auto p = in.problem())
          return unexpected(*p);
        return execute<domain::CourtAggregate>(call, stream,
                                               domain::ChangeCourtPolicy{std::move(policy)});
      });

  add({.method = http::verb::post,
       .path = "/v1/courts/{court}/code-lists",
       .operation = "ChangeCodeLists",
       .summary = "An admin changes a court's code lists: the lists given replace the current "
                  "ones.",
       .tag = "courts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .body = {f("case_categories", schema::type<responses::CaseCategory>()),
                f("application_types", schema::type<responses::CodeListEntry>()),
                f("material_types", schema::type<responses::CodeListEntry>()),
                f("document_types", schema::type<responses::CodeListEntry>())},
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        auto body = call.body();
        if (!body)
          return unexpected(body.error());
        const auto stream = domain::court_stream(call.param("court"));
        auto court = platform_.load<domain::CourtAggregate>(stream);
        if (!court)
          return unexpected(from_engine_error(court.error()));
        if (!court->state.exists)
          return unexpected(
              not_found("Expected a court " + call.param("court") + ", but there is none"));
        auto in = Fields::over(*body);
        auto lists = read_code_lists(in, court->state.code_lists);
        if (auto p = in.problem())
          return unexpected(*p);
        return execute<domain::CourtAggregate>(call, stream,
                                               domain::ChangeCodeLists{std::move(lists)});
      });

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
