// The API's contract: every JSON route declares a real response schema (schema.h, responses.h),
// its example validates against it, the enums name what the domain writes, and real replies of a
// journey (filing, case, service, payment, lists) validate against their routes' schemas — which
// the validator would refuse if the schema were wrong.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api_fixture.h"
#include "docket/domain/filing.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "responses.h"

namespace docket::api::testing {
namespace {

// The schema of `operation`'s `status` reply in `document`.
const json::value* response_schema(const json::value& document, std::string_view operation,
                                   std::string_view status = "200") {
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (op.at("operationId").as_string() != operation)
        continue;
      const auto* r = op.at("responses").as_object().if_contains(status);
      if (r == nullptr)
        return nullptr;
      return &r->at("content").at("application/json").at("schema");
    }
  }
  return nullptr;
}

// The example of a response schema: a component's own, or an array of one.
json::value example_of(const json::value& document, const json::value& schema) {
  const auto& components = document.at("components").at("schemas").as_object();
  const auto& s = schema.as_object();
  if (const auto* ref = s.if_contains("$ref")) {
    std::string_view name = ref->as_string();
    name.remove_prefix(name.rfind('/') + 1);
    return components.at(name).at("example");
  }
  if (const auto* items = s.if_contains("items"))
    return json::array{example_of(document, *items)};
  return json::object{};
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

class SchemaTest : public ApiTest {};

TEST_F(SchemaTest, EveryJsonRouteDeclaresAResponseSchemaAndItsExampleValidates) {
  const auto document = openapi_document(server().routes());
  std::size_t routes = 0;
  for (const auto& spec : server().routes()) {
    const auto statuses = success_statuses(spec);
    const bool body = statuses.front() != 204;
    if (spec.response_type == "application/json" && body) {
      EXPECT_NE(spec.response, nullptr) << spec.operation << " declares no response schema";
    } else {
      EXPECT_EQ(spec.response, nullptr) << spec.operation << " answers no JSON body";
    }
  }
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      for (const auto& [status, response] : op.at("responses").as_object()) {
        const auto* content = response.as_object().if_contains("content");
        const auto* media =
            content ? content->as_object().if_contains("application/json") : nullptr;
        if (media == nullptr)
          continue;
        const auto& schema = media->at("schema");
        EXPECT_NE(schema, json::value(json::object{{"type", "object"}}))
            << op.at("operationId") << " " << status << ": a bare object";
        const auto example = example_of(document, schema);
        EXPECT_EQ(joined(schema::validate(schema, example, document)), "")
            << op.at("operationId") << " " << status << " example " << example;
        ++routes;
      }
    }
  }
  EXPECT_GE(routes, 95u);
  // Every named schema's own example validates, and every reference resolves.
  for (const auto& [name, schema] : document.at("components").at("schemas").as_object()) {
    ASSERT_TRUE(schema.as_object().contains("example")) << name;
    EXPECT_EQ(joined(schema::validate(schema, schema.at("example"), document)), "") << name;
  }
}

TEST_F(SchemaTest, TheEnumsNameWhatTheDomainWrites) {
  // Each domain value's wire name is one of the schema's enum (and each enum name is used).
  auto names = [](auto e) {
    std::set<std::string> out;
    for (const auto& n : schema::enum_names<decltype(e)>())
      out.insert(n);
    return out;
  };
  auto check = [](const std::set<std::string>& wire, auto domain_enum, int count,
                  const std::string& what) {
    std::set<std::string> seen;
    for (int i = 0; i < count; ++i) {
      const auto name = std::string(domain::to_string(static_cast<decltype(domain_enum)>(i)));
      seen.insert(name);
      EXPECT_TRUE(wire.contains(name)) << what << ": the domain writes " << name;
    }
    EXPECT_EQ(seen, wire) << what;
  };
  // The enums' counts: the domain's enumerators (a new one fails here until it is described).
  check(names(responses::FilingStatus{}), domain::FilingStatus{}, 8, "FilingStatus");
  check(names(responses::PartyKind{}), domain::FilingPartyKind{}, 3, "PartyKind");
  check(names(responses::PartyPosition{}), domain::FilingPartyPosition{}, 3, "PartyPosition");
  check(names(responses::PaperKind{}), domain::IdentityPaperKind{}, 6, "PaperKind");
  check(names(responses::PaymentChannel{}), domain::PaymentChannel{}, 3, "PaymentChannel");
  check(names(responses::ReliefKind{}), domain::PaymentReliefKind{}, 3, "ReliefKind");
  check(names(responses::PaymentStatus{}), domain::PaymentNoticeStatus{}, 4, "PaymentStatus");
  check(names(responses::ServiceStatus{}), domain::ServiceStatus{}, 4, "ServiceStatus");
  for (const auto& n : schema::enum_names<responses::Role>())
    EXPECT_TRUE(domain::role_from_string(n).has_value()) << n;
  EXPECT_EQ(domain::to_string(static_cast<domain::FilingStatus>(8)), "unknown")
      << "FilingStatus grew: describe the new value in responses.h";
  EXPECT_EQ(domain::to_string(static_cast<domain::ServiceStatus>(4)), "unknown")
      << "ServiceStatus grew: describe the new value in responses.h";
  EXPECT_EQ(domain::to_string(static_cast<domain::PaymentNoticeStatus>(4)), "unknown")
      << "PaymentNoticeStatus grew: describe the new value in responses.h";
}

// A journey over HTTP: every reply is checked by the client against its route's schema (see
// api_fixture.h); here the filing, the case, the payment notice, the served document and the
// lists are also checked explicitly, and a wrong schema is shown to fail.
TEST_F(SchemaTest, AJourneysRepliesValidateAgainstTheirRoutesSchemas) {
  const auto& contract = *Client::contract;
  const auto& document = contract.document();
  auto valid = [&](std::string_view operation, const Reply& reply,
                   std::string_view status = "200") {
    EXPECT_EQ(std::to_string(reply.status), status) << operation << ": " << reply;
    const auto* schema = response_schema(document, operation, status);
    EXPECT_NE(schema, nullptr) << operation;
    if (schema == nullptr)
      return;
    EXPECT_EQ(joined(schema::validate(*schema, reply.json(), document)), "")
        << operation << ": " << reply.body;
  };

  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  auto judge = person("judge01");
  auto cms = court_system();

  const auto filing = submitted_filing(*lawyer);
  valid("GetFiling", lawyer->get("/v1/filings/" + filing));
  valid("ListMyFilings", lawyer->get("/v1/me/filings"));
  valid("GetReviewQueue", clerk->get("/v1/courts/" + url_encode(kCourt) + "/review-queue"));
  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  valid("AcceptFiling", accepted);
  settle();
  const auto case_number = accepted.text("case_number");
  ASSERT_FALSE(case_number.empty()) << accepted;
  const auto c = "/v1/cases/" + url_encode(case_number);
  valid("GetFilingStatus", cms->get("/v1/filings/" + filing + "/status"));
  ASSERT_EQ(cms->post(c + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
  valid("ScheduleHearing",
        judge->post(c + "/hearings", json::object{{"hearing_id", "h1"},
                                                  {"starts_at_us", 1'800'000'000'000'000},
                                                  {"length_minutes", 120},
                                                  {"place", "第一法庭"}}),
        "201");
  const auto served = cms->upload(pdf("summons"));
  auto service = cms->post(c + "/services", json::object{{"document_type", "summons"},
                                                         {"title", "开庭传票"},
                                                         {"blob_hash", served},
                                                         {"recipient_licence", kFiler}});
  valid("ServeFiling", service, "201");
  settle();
  valid("GetService", lawyer->get("/v1/services/" + service.text("created_id") +
                                  "?after=" + std::to_string(last())));
  const auto the_case = lawyer->get(c + "?after=" + std::to_string(last()));
  valid("GetCase", the_case);
  valid("GetPayment", lawyer->get("/v1/payments/" + filing + "?after=" + std::to_string(last())));
  valid("GetCaseList", lawyer->get("/v1/cases"));
  valid("ListMyPayments", lawyer->get("/v1/me/payments"));
  valid("ListMyHearings", lawyer->get("/v1/me/hearings"));
  valid("ListMyDocuments", lawyer->get("/v1/me/documents"));
  valid("GetLawyerHome", lawyer->get("/v1/me/home"));
  valid("GetJudgeInbox", judge->get("/v1/judges/me/inbox"));
  valid("ListCourts", lawyer->get("/v1/courts"));
  EXPECT_GT(contract.checked(), 30u);

  // The check can fail: the case against a schema that calls `status` a number, or that lacks a
  // member the reply has, or a reply that lacks a required member.
  const auto case_json = the_case.json();
  auto wrong = document;
  auto& case_schema =
      wrong.as_object()["components"].as_object()["schemas"].as_object()["Case"].as_object();
  case_schema["properties"].as_object()["status"] = json::object{{"type", "integer"}};
  const json::value ref = json::object{{"$ref", "#/components/schemas/Case"}};
  EXPECT_NE(joined(schema::validate(ref, case_json, wrong)), "");
  auto missing = document;
  missing.as_object()["components"]
      .as_object()["schemas"]
      .as_object()["Case"]
      .as_object()["properties"]
      .as_object()
      .erase("hearings");
  const auto errors = schema::validate(ref, case_json, missing);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.front().find("hearings"), std::string::npos) << joined(errors);
  auto lacking = case_json;
  lacking.as_object().erase("judge");
  EXPECT_NE(joined(schema::validate(ref, lacking, document)), "");
  auto bad_enum = case_json;
  bad_enum.as_object()["status"] = "pending";
  EXPECT_NE(joined(schema::validate(ref, bad_enum, document)), "");
  EXPECT_EQ(joined(schema::validate(ref, case_json, document)), "");
}

}  // namespace
}  // namespace docket::api::testing
