// Every role against every route, table-driven from the server's own route table: a caller
// without credentials gets 401, a role the route does not admit gets 403, and neither writes
// anything; a lawyer reaches only their own filings, cases, services and notices.
#include "api_fixture.h"

namespace docket::api::testing {
namespace {

using domain::Role;

class AccessTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    lawyer_ = person(std::string(kFiler));
    filing_ = submitted_filing(*lawyer_);
    auto clerk = person("clerk01");
    auto accepted = clerk->post("/v1/filings/" + filing_ + "/accept");
    ASSERT_EQ(accepted.status, 200u) << accepted;
    number_ = accepted.text("case_number");
    settle();
    auto cms = court_system();
    const std::string c = "/v1/cases/" + url_encode(number_);
    ASSERT_EQ(cms->post(c + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
    auto judge = person("judge01");
    auto hearing =
        judge->post(c + "/hearings", json::object{{"starts_at_us", clock_.now_us() + 5 * kDayUs},
                                                  {"length_minutes", 60},
                                                  {"place", "第一法庭"}});
    ASSERT_EQ(hearing.status, 201u) << hearing;
    hearing_ = hearing.text("created_id");
    blob_ = judge->upload(pdf("a summons"));
    auto served = judge->post(c + "/services", json::object{{"document_type", "summons"},
                                                            {"title", "开庭传票"},
                                                            {"blob_hash", blob_},
                                                            {"recipient_licence_number", kFiler}});
    ASSERT_EQ(served.status, 201u) << served;
    service_ = served.text("created_id");
    settle();
    auto payments = lawyer_->get("/v1/me/payments?after=" + std::to_string(last()));
    code_ =
        payments.json().at("notices").at("items").as_array().at(0).as_object()["code"].as_string();
    auto request =
        lawyer_->post("/v1/hotline-requests", json::object{{"court", kCourt},
                                                           {"kind", "enquiry"},
                                                           {"case_number", number_},
                                                           {"title", "查询开庭时间"},
                                                           {"body", "请告知开庭时间。"}});
    ASSERT_EQ(request.status, 201u) << request;
    hotline_request_ = request.text("created_id");
  }

  // The route's path with every parameter filled with something that exists where it matters.
  std::string target(const RouteSpec& route) {
    return testing::target(route, [this](std::string_view name) { return value_of(name); });
  }

  std::string value_of(std::string_view name) {
    if (name == "filing_id")
      return filing_;
    if (name == "case_number")
      return url_encode(number_);
    if (name == "service_id")
      return url_encode(service_);
    if (name == "code")
      return code_;
    if (name == "court")
      return url_encode(kCourt);
    if (name == "hash")
      return blob_;
    if (name == "licence")
      return "15009999999999999";  // nobody
    if (name == "staff_id")
      return "nobody";
    if (name == "hearing_id")
      return hearing_;
    if (name == "hotline_request_id")
      return hotline_request_;
    return "x1";
  }

  std::unique_ptr<Client> as(Role role) {
    switch (role) {
      case Role::kLawyer:
        return person(std::string(kCoAgent));
      case Role::kClerk:
        return person("clerk01");
      case Role::kJudge:
        return person("judge01");
      case Role::kCourtSystem:
        return court_system();
      case Role::kAuditor:
        return person("auditor01");
      case Role::kAdmin:
        return person("admin");
      case Role::kSystem:
        break;
    }
    return anonymous();
  }

  Reply call(Client& client, const RouteSpec& route) {
    Headers headers{{"Idempotency-Key", "matrix-" + route.operation}};
    const std::string body = route.request_type == "application/json" ? "{}" : "bytes";
    if (route.request_type != "application/json")
      headers.emplace_back("Content-Type", "application/pdf");
    return client.send(route.method, target(route), body, headers);
  }

  std::unique_ptr<Client> lawyer_;
  std::string filing_;
  std::string number_;
  std::string service_;
  std::string hearing_;
  std::string code_;
  std::string blob_;
  std::string hotline_request_;
};

TEST_F(AccessTest, EveryRouteRefusesARoleItDoesNotAdmitAndWritesNothing) {
  const auto& routes = server().routes();
  ASSERT_GT(routes.size(), 70u);
  std::size_t refused = 0;
  for (Role role : {Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor,
                    Role::kAdmin}) {
    auto client = as(role);
    for (const auto& route : routes) {
      if (route.access == Access::kPublic || route.allows(role))
        continue;
      const auto before = last();
      auto reply = call(*client, route);
      EXPECT_EQ(reply.status, 403u)
          << domain::enum_name(role) << " " << route.operation << ": " << reply;
      EXPECT_EQ(reply.text("code"), "forbidden") << route.operation;
      EXPECT_EQ(last(), before) << domain::enum_name(role) << " " << route.operation
                                << " wrote something";
      ++refused;
    }
  }
  EXPECT_GT(refused, 200u);
}

TEST_F(AccessTest, EveryRouteAdmitsTheRolesItNamesPastTheRoleCheck) {
  for (Role role : {Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor,
                    Role::kAdmin}) {
    auto client = as(role);
    for (const auto& route : server().routes()) {
      if (route.access == Access::kPublic || !route.allows(role) || route.operation == "LogOut" ||
          route.response_type == "text/event-stream")
        continue;
      auto reply = call(*client, route);
      EXPECT_NE(reply.status, 401u) << domain::enum_name(role) << " " << route.operation;
      if (reply.status == 403u) {
        EXPECT_EQ(reply.text("detail").find("Expected one of the roles"), std::string::npos)
            << domain::enum_name(role) << " " << route.operation << ": " << reply;
      }
    }
  }
}

TEST_F(AccessTest, EveryRouteRefusesACallerWithoutCredentialsAndWritesNothing) {
  auto nobody = anonymous();
  Client forged(port());
  forged.bearer = std::string(64, 'a');
  for (const auto& route : server().routes()) {
    if (route.access == Access::kPublic)
      continue;
    for (Client* client : {nobody.get(), &forged}) {
      const auto before = last();
      auto reply = call(*client, route);
      EXPECT_EQ(reply.status, 401u) << route.operation << ": " << reply;
      EXPECT_EQ(reply.text("code"), "unauthenticated") << route.operation;
      EXPECT_FALSE(reply.header("www-authenticate").empty()) << route.operation;
      EXPECT_EQ(last(), before) << route.operation << " wrote something";
    }
  }
}

TEST_F(AccessTest, ALawyerReachesOnlyTheirOwnFilingsCasesDocumentsAndNotices) {
  auto outsider = person(std::string(kOutsider));
  std::size_t checked = 0;
  for (const auto& route : server().routes()) {
    if (!route.allows(Role::kLawyer) || route.operation == "BindLegacyCase")
      continue;
    const bool names_theirs = route.path.find("{filing_id}") != std::string::npos ||
                              route.path.find("{case_number}") != std::string::npos ||
                              route.path.find("{service_id}") != std::string::npos ||
                              route.path.find("{code}") != std::string::npos ||
                              route.path.find("{hotline_request_id}") != std::string::npos;
    if (!names_theirs)
      continue;
    const auto before = last();
    auto reply = call(*outsider, route);
    if (route.operation == "StartPayment")  // the body is read before the notice is found
      reply = outsider->post(target(route), json::object{{"channel", "wechat"}});
    // 404, as for a filing, case, service or notice that does not exist.
    EXPECT_EQ(reply.status, 404u) << route.operation << ": " << reply;
    EXPECT_EQ(last(), before) << route.operation << " wrote something";
    ++checked;
  }
  EXPECT_GT(checked, 25u);
  // Their own lists hold nothing of the others'.
  auto cases = outsider->get("/v1/cases");
  ASSERT_EQ(cases.status, 200u) << cases;
  EXPECT_TRUE(cases.json().at("items").as_array().empty()) << cases;
  EXPECT_EQ(outsider->get("/v1/blobs/" + blob_).status, 404u) << "someone else's file";
}

TEST_F(AccessTest, ATokenStopsWorkingAfterTwelveHours) {
  auto clerk = person("clerk01");
  clock_.advance(12 * kHourUs - 1'000'000);
  EXPECT_EQ(clerk->get("/v1/me").status, 200u);
  clock_.advance(1'000'000);
  EXPECT_EQ(clerk->get("/v1/me").status, 401u);
}

TEST_F(AccessTest, ADeactivatedAccountsTokensStopWorking) {
  auto clerk = person("clerk01");
  ASSERT_EQ(clerk->get("/v1/me").status, 200u);
  auto admin = person("admin");
  auto done = admin->post("/v1/staff/clerk01/deactivate");
  ASSERT_EQ(done.status, 200u) << done;
  EXPECT_EQ(clerk->get("/v1/me").status, 401u);
  auto again = anonymous()->post(
      "/v1/sessions", json::object{{"login", "clerk01"}, {"password", "changed-clerk01"}});
  EXPECT_EQ(again.status, 401u) << again;
}

}  // namespace
}  // namespace docket::api::testing
