// The API's contract: every JSON route declares a real response schema (schema.h, responses.h),
// its example validates against it, the enums name what the domain writes, and real replies of a
// journey (filing, case, service, payment, lists) validate against their routes' schemas — which
// the validator would refuse if the schema were wrong.
#include <gtest/gtest.h>

#include <map>
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
      const auto name = std::string(domain::enum_name(static_cast<decltype(domain_enum)>(i)));
      seen.insert(name);
      EXPECT_TRUE(wire.contains(name)) << what << ": the domain writes " << name;
    }
    EXPECT_EQ(seen, wire) << what;
  };
  // The enums' counts: the domain's enumerators (a new one fails here until it is described).
  check(names(responses::FilingStatus{}), domain::FilingStatus{}, 10, "FilingStatus");
  check(names(responses::PartyKind{}), domain::FilingPartyKind{}, 3, "PartyKind");
  check(names(responses::PartyPosition{}), domain::FilingPartyPosition{}, 3, "PartyPosition");
  check(names(responses::PaperKind{}), domain::IdentityPaperKind{}, 6, "PaperKind");
  check(names(responses::PaymentChannel{}), domain::PaymentChannel{}, 3, "PaymentChannel");
  check(names(responses::ReliefKind{}), domain::PaymentReliefKind{}, 3, "ReliefKind");
  check(names(responses::PaymentStatus{}), domain::PaymentNoticeStatus{}, 4, "PaymentStatus");
  check(names(responses::ServiceStatus{}), domain::ServiceStatus{}, 4, "ServiceStatus");
  for (const auto& n : schema::enum_names<responses::Role>())
    EXPECT_TRUE(domain::enum_from_name<domain::Role>(n).has_value()) << n;
  EXPECT_EQ(domain::enum_name(static_cast<domain::FilingStatus>(10)), "unknown")
      << "FilingStatus grew: describe the new value in responses.h";
  EXPECT_EQ(domain::enum_name(static_cast<domain::ServiceStatus>(4)), "unknown")
      << "ServiceStatus grew: describe the new value in responses.h";
  EXPECT_EQ(domain::enum_name(static_cast<domain::PaymentNoticeStatus>(4)), "unknown")
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
        judge->post(c + "/hearings", json::object{{"starts_at_us", 1'800'000'000'000'000},
                                                  {"length_minutes", 120},
                                                  {"place", "第一法庭"}}),
        "201");
  const auto served = cms->upload(pdf("summons"));
  auto service = cms->post(c + "/services", json::object{{"document_type", "summons"},
                                                         {"title", "开庭传票"},
                                                         {"blob_hash", served},
                                                         {"recipient_licence_number", kFiler}});
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

// A value of another JSON type than `schema` asks for.
json::value wrong_value(const json::value& document, const json::value& schema) {
  const auto& s = schema.as_object();
  if (const auto* ref = s.if_contains("$ref")) {
    std::string_view name = ref->as_string();
    name.remove_prefix(name.rfind('/') + 1);
    return wrong_value(document, document.at("components").at("schemas").at(name));
  }
  const auto* type = s.if_contains("type");
  if (type != nullptr && type->is_string() && type->as_string() == "string")
    return 12345;
  return "not of this type";
}

// The body readers read exactly the fields the document declares: each route with a body is sent
// every declared field (and each declared member of an array's items) with a value of the wrong
// type, and a reader reports each field it reads in the 400's violations. A declared field the
// reader never reads, or one it reads that the document does not declare (its path would be
// missing here), fails.
TEST_F(SchemaTest, EveryBodyReaderReadsExactlyTheDeclaredFields) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  auto judge = person("judge01");
  auto admin = person("admin");
  auto auditor = person("auditor01");
  auto cms = court_system();
  auto anonymous_client = anonymous();
  const auto filing = submitted_filing(*lawyer);
  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  settle();
  const auto case_number = accepted.text("case_number");
  ASSERT_EQ(cms->post("/v1/cases/" + url_encode(case_number) + "/judge",
                      json::object{{"judge", "judge01"}})
                .status,
            200u);
  const auto notice = lawyer->get("/v1/payments/" + filing + "?after=" + std::to_string(last()));
  const std::map<std::string, std::string> params = {{"filing_id", filing},
                                                     {"case_number", url_encode(case_number)},
                                                     {"code", notice.text("code")},
                                                     {"court", url_encode(kCourt)},
                                                     {"licence", std::string(kFiler)},
                                                     {"staff_id", "clerk01"}};

  const auto document = openapi_document(server().routes());
  std::size_t checked = 0;
  std::vector<std::string> unchecked;
  for (const auto& spec : server().routes()) {
    if (spec.request == nullptr || spec.request_type != "application/json")
      continue;
    std::string target;
    for (std::string_view rest = spec.path; !rest.empty();) {
      const auto open = rest.find('{');
      target += std::string(rest.substr(0, open));
      if (open == std::string_view::npos)
        break;
      const auto close = rest.find('}', open);
      const auto name = std::string(rest.substr(open + 1, close - open - 1));
      target += params.contains(name) ? params.at(name) : "x1";
      rest.remove_prefix(close + 1);
    }
    const auto& body_schema =
        document.at("paths")
            .at(spec.path)
            .at(std::string(beast::http::to_string(spec.method)) == "POST" ? "post" : "put")
            .at("requestBody")
            .at("content")
            .at("application/json")
            .at("schema");
    json::object body;
    std::set<std::string> expected;
    for (const auto& [name, property] : body_schema.at("properties").as_object()) {
      const auto* items = property.as_object().if_contains("items");
      const auto* ref = items != nullptr ? items->as_object().if_contains("$ref") : nullptr;
      if (ref == nullptr) {
        body[name] = wrong_value(document, property);
        expected.insert(std::string(name));
        continue;
      }
      std::string_view component = ref->as_string();
      component.remove_prefix(component.rfind('/') + 1);
      json::object item;
      for (const auto& [member, member_schema] :
           document.at("components").at("schemas").at(component).at("properties").as_object()) {
        item[member] = wrong_value(document, member_schema);
        expected.insert(std::string(name) + "[0]." + std::string(member));
      }
      body[name] = json::array{item};
    }
    Client* caller = anonymous_client.get();
    if (spec.access == Access::kAuthenticated) {
      switch (spec.roles.front()) {
        case domain::Role::kLawyer:
          caller = lawyer.get();
          break;
        case domain::Role::kClerk:
          caller = clerk.get();
          break;
        case domain::Role::kJudge:
          caller = judge.get();
          break;
        case domain::Role::kCourtSystem:
          caller = cms.get();
          break;
        case domain::Role::kAdmin:
          caller = admin.get();
          break;
        default:
          caller = auditor.get();
      }
    }
    auto reply = caller->post(target, body);
    if (reply.status != 400) {
      unchecked.push_back(spec.operation + " (" + std::to_string(reply.status) + ")");
      continue;
    }
    std::set<std::string> read;
    const auto problem = reply.json();
    for (const auto& v : problem.at("violations").as_array())
      read.insert(std::string(v.at("field").as_string()));
    EXPECT_EQ(read, expected) << spec.operation << ": the reader reads (left) what the document "
                              << "declares (right)? " << reply.body;
    ++checked;
  }
  // Routes refused before the body is read are named here: the signed callbacks (no signature)
  // and signing for a served document, which needs a document served on the caller.
  EXPECT_EQ(unchecked, (std::vector<std::string>{"PaymentCallback (401)", "RefundCallback (401)",
                                                 "SignForReceipt (404)"}));
  EXPECT_GE(checked, 50u);
}

}  // namespace
}  // namespace docket::api::testing
