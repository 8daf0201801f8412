// Scope across courts, cases and parties: staff of another court reach none of this court's
// filings, cases, payments, services, hearings, evidence, messages, file reviews or files; a
// lawyer hears the same 404 for a case, filing, payment, service or file they may not see as for
// one that does not exist; ids are checked at the door; server-made ids are unguessable.
#include "api_fixture.h"
#include "docket/app/secrets.h"
#include "docket/engine/sha256.h"

namespace docket::api::testing {
namespace {

using domain::Role;

constexpr std::string_view kOtherCourt = "渝0104";

class ScopeTest : public ApiTest {
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
    cms_ = court_system();
    case_path_ = "/v1/cases/" + url_encode(number_);
    ASSERT_EQ(cms_->post(case_path_ + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
    judge_ = person("judge01");
    auto hearing = judge_->post(case_path_ + "/hearings",
                                json::object{{"starts_at_us", clock_.now_us() + 5 * kDayUs},
                                             {"length_minutes", 60},
                                             {"place", "第一法庭"}});
    ASSERT_EQ(hearing.status, 201u) << hearing;
    hearing_ = hearing.text("created_id");
    summons_ = judge_->upload(pdf("a summons"));
    auto served =
        judge_->post(case_path_ + "/services", json::object{{"document_type", "summons"},
                                                            {"title", "开庭传票"},
                                                            {"blob_hash", summons_},
                                                            {"recipient_licence_number", kFiler}});
    ASSERT_EQ(served.status, 201u) << served;
    service_ = served.text("created_id");
    settle();
    auto payments = lawyer_->get("/v1/me/payments?after=" + std::to_string(last()));
    code_ =
        payments.json().at("notices").at("items").as_array().at(0).as_object()["code"].as_string();
    auto started = lawyer_->post("/v1/payment-notices/" + code_ + "/payments",
                                 json::object{{"channel", "wechat"}});
    ASSERT_EQ(started.status, 201u) << started;
    attempt_ = started.number("attempt");
    amount_ = static_cast<std::int64_t>(started.number("amount_fen"));
    auto filing = lawyer_->get("/v1/filings/" + filing_ + "?after=" + std::to_string(last()));
    ASSERT_EQ(filing.status, 200u) << filing;
    material_ = std::string(filing.json()
                                .as_object()["materials"]
                                .as_array()
                                .at(0)
                                .as_object()["blob_hashes"]
                                .as_array()
                                .at(0)
                                .as_string());
    register_other_court();
  }

  // A clerk, a judge and a court system of another court.
  void register_other_court() {
    auto admin = person("admin");
    for (const auto& [id, role] :
         {std::pair<std::string, std::string>{"clerk04", "clerk"}, {"judge04", "judge"}}) {
      auto r = admin->post("/v1/staff", json::object{{"staff_id", id},
                                                     {"name", id},
                                                     {"role", role},
                                                     {"court", kOtherCourt},
                                                     {"initial_password", "initial-" + id}});
      ASSERT_EQ(r.status, 201u) << r;
      app::DemoLogin login;
      login.role = role;
      login.login = id;
      login.court = std::string(kOtherCourt);
      login.secret = "initial-" + id;
      logins_[id] = login;
    }
    auto cms = admin->post("/v1/staff", json::object{{"staff_id", "cms0104"},
                                                     {"name", "cms0104"},
                                                     {"role", "court_system"},
                                                     {"court", kOtherCourt}});
    ASSERT_EQ(cms.status, 201u) << cms;
    other_cms_key_ = cms.text("api_key");
    ASSERT_FALSE(other_cms_key_.empty()) << cms;
  }

  std::unique_ptr<Client> other(Role role) {
    if (role == Role::kClerk)
      return person("clerk04");
    if (role == Role::kJudge)
      return person("judge04");
    auto c = anonymous();
    c->api_key = other_cms_key_;
    return c;
  }

  std::string target(const RouteSpec& route) {
    return testing::target(route, [this](std::string_view name) { return value_of(name); });
  }

  std::string value_of(std::string_view name) const {
    if (name == "filing_id")
      return filing_;
    if (name == "case_number")
      return url_encode(number_);
    if (name == "service_id")
      return service_;
    if (name == "code")
      return code_;
    if (name == "court")
      return url_encode(kCourt);
    if (name == "hash")
      return material_;
    if (name == "hearing_id")
      return hearing_;
    return "x1";
  }

  std::unique_ptr<Client> lawyer_;
  std::unique_ptr<Client> judge_;
  std::unique_ptr<Client> cms_;
  std::string filing_;
  std::string number_;
  std::string case_path_;
  std::string service_;
  std::string hearing_;
  std::string code_;
  std::string summons_;
  std::string material_;
  std::uint64_t attempt_ = 0;
  std::int64_t amount_ = 0;
  std::string other_cms_key_;
};

// Regression: the court system of another court confirmed this court's payment and recorded its
// fiscal receipt.
TEST_F(ScopeTest, ACourtSystemOfAnotherCourtNeitherConfirmsAPaymentNorRecordsItsReceipt) {
  auto foreign = other(Role::kCourtSystem);
  const auto base = "/v1/payments/" + filing_;
  const json::object confirmation{
      {"attempt", attempt_}, {"transaction_id", "wx-0104"}, {"amount_fen", amount_}};
  const auto before = last();
  auto refused = foreign->post(base + "/confirmation", confirmation);
  EXPECT_EQ(refused.status, 403u) << refused;
  EXPECT_EQ(last(), before) << "a refused confirmation wrote something";
  auto own = cms_->post(base + "/confirmation", confirmation);
  ASSERT_EQ(own.status, 200u) << own;
  const auto paid = last();
  auto receipt = foreign->post(base + "/receipt", json::object{{"receipt_number", "R-0104"}});
  EXPECT_EQ(receipt.status, 403u) << receipt;
  EXPECT_EQ(last(), paid) << "a refused receipt wrote something";
  auto recorded = cms_->post(base + "/receipt", json::object{{"receipt_number", "R-0103"}});
  EXPECT_EQ(recorded.status, 200u) << recorded;
}

// Every route a clerk, judge or court system may call, naming this court's filing, case, service,
// payment notice, review queue or file, answers 403 or 404 to the same role of another court and
// writes nothing.
TEST_F(ScopeTest, StaffOfAnotherCourtReachNothingOfThisCourt) {
  std::size_t checked = 0;
  for (Role role : {Role::kClerk, Role::kJudge, Role::kCourtSystem}) {
    auto client = other(role);
    for (const auto& route : server().routes()) {
      if (!route.allows(role) || route.access == Access::kPublic)
        continue;
      const bool names_this_court = route.path.find("{filing_id}") != std::string::npos ||
                                    route.path.find("{case_number}") != std::string::npos ||
                                    route.path.find("{service_id}") != std::string::npos ||
                                    route.path.find("{code}") != std::string::npos ||
                                    route.path.find("{hash}") != std::string::npos ||
                                    route.path.find("/review-queue") != std::string::npos;
      if (!names_this_court)
        continue;
      const auto before = last();
      Headers headers{{"Idempotency-Key", "cross-" + route.operation}};
      auto reply = client->send(route.method, target(route), "{}", headers);
      EXPECT_TRUE(reply.status == 403u || reply.status == 404u)
          << domain::enum_name(role) << " " << route.operation << ": " << reply;
      EXPECT_EQ(last(), before) << domain::enum_name(role) << " " << route.operation
                                << " wrote something";
      ++checked;
    }
  }
  EXPECT_GT(checked, 40u);
  // Registering a case in this court, and the commands with complete bodies, are refused too.
  auto foreign_cms = other(Role::kCourtSystem);
  const auto before = last();
  auto docketed = foreign_cms->post(
      "/v1/cases", json::object{{"case_number", "(2026)渝0103民初9999号"},
                                {"category", "civil_first_instance"},
                                {"court", kCourt},
                                {"accepted_on_us", clock_.now_us()},
                                {"parties", json::array{json::object{{"party_id", "p1"},
                                                                     {"name", "甲"},
                                                                     {"standing", "plaintiff"}}}}});
  EXPECT_EQ(docketed.status, 403u) << docketed;
  auto scheduled = foreign_cms->post(
      case_path_ + "/hearings",
      json::object{{"starts_at_us", clock_.now_us() + 9 * kDayUs}, {"length_minutes", 30}});
  EXPECT_EQ(scheduled.status, 403u) << scheduled;
  auto served =
      other(Role::kJudge)
          ->post(case_path_ + "/services", json::object{{"document_type", "summons"},
                                                        {"title", "传票"},
                                                        {"blob_hash", summons_},
                                                        {"recipient_licence_number", kFiler}});
  EXPECT_EQ(served.status, 403u) << served;
  auto grant =
      other(Role::kClerk)
          ->post("/v1/payments/" + filing_ + "/relief/grant", json::object{{"amount_fen", 1}});
  EXPECT_EQ(grant.status, 403u) << grant;
  EXPECT_EQ(last(), before) << "a refused command wrote something";
}

// Regression: a lawyer got 403 for an existing case (filing, service, notice, file) and 404 for a
// missing one, which told them which exist.
TEST_F(ScopeTest, ALawyerHearsTheSame404ForAHiddenAndAMissingResource) {
  auto outsider = person(std::string(kOutsider));
  const std::string missing_case = "(2026)渝0103民初9999号";
  const std::string missing_filing = "f0123456789abcdef0123456789abcdef";
  const std::string missing_code = "00000000000000000000";
  const std::string missing_blob(64, 'a');
  struct Pair {
    std::string hidden, hidden_name, missing, missing_name;
  };
  const std::vector<Pair> pairs = {
      {case_path_, number_, "/v1/cases/" + url_encode(missing_case), missing_case},
      {"/v1/filings/" + filing_, filing_, "/v1/filings/" + missing_filing, missing_filing},
      {"/v1/filings/" + filing_ + "/status", filing_, "/v1/filings/" + missing_filing + "/status",
       missing_filing},
      {"/v1/payments/" + filing_, filing_, "/v1/payments/" + missing_filing, missing_filing},
      {"/v1/payment-notices/" + code_, code_, "/v1/payment-notices/" + missing_code, missing_code},
      {"/v1/services/" + service_, service_, "/v1/services/" + missing_filing, missing_filing},
      {"/v1/blobs/" + material_, material_, "/v1/blobs/" + missing_blob, missing_blob},
      {case_path_ + "/exchanges/x1/items/i1/content", number_,
       "/v1/cases/" + url_encode(missing_case) + "/exchanges/x1/items/i1/content", missing_case},
  };
  // The one difference allowed: the name the caller sent.
  auto without = [](std::string text, const std::string& name) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name))
      text.replace(at, name.size(), "{name}");
    return text;
  };
  for (const auto& p : pairs) {
    auto a = outsider->get(p.hidden);
    auto b = outsider->get(p.missing);
    EXPECT_EQ(a.status, 404u) << p.hidden << ": " << a;
    EXPECT_EQ(b.status, 404u) << p.missing << ": " << b;
    EXPECT_EQ(without(a.body, p.hidden_name), without(b.body, p.missing_name))
        << p.hidden << " vs " << p.missing;
  }
}

// Regression: staff of any court downloaded any file by its hash.
TEST_F(ScopeTest, StaffDownloadOnlyFilesOfTheirCourtsResources) {
  auto own_clerk = person("clerk01");
  auto foreign_clerk = other(Role::kClerk);
  auto foreign_judge = other(Role::kJudge);
  EXPECT_EQ(foreign_clerk->get("/v1/blobs/" + material_).status, 403u);
  EXPECT_EQ(foreign_clerk->get("/v1/blobs/" + material_ + "?filing=" + filing_).status, 403u);
  EXPECT_EQ(foreign_judge->get("/v1/blobs/" + summons_ + "?service=" + service_).status, 403u);
  EXPECT_EQ(foreign_judge->get("/v1/blobs/" + summons_ + "?case=" + url_encode(number_)).status,
            403u);
  EXPECT_EQ(own_clerk->get("/v1/blobs/" + material_).status, 403u) << "no resource named";
  EXPECT_EQ(own_clerk->get("/v1/blobs/" + material_ + "?filing=" + filing_).status, 200u);
  EXPECT_EQ(own_clerk->get("/v1/blobs/" + summons_ + "?filing=" + filing_).status, 403u)
      << "a file the filing does not hold";
  EXPECT_EQ(cms_->get("/v1/blobs/" + summons_ + "?service=" + service_).status, 200u);
  EXPECT_EQ(judge_->get("/v1/blobs/" + summons_).status, 200u) << "their own upload";
  EXPECT_EQ(person("auditor01")->get("/v1/blobs/" + material_).status, 200u);
  EXPECT_EQ(lawyer_->get("/v1/blobs/" + material_).status, 200u);
  auto co_agent = person(std::string(kCoAgent));
  EXPECT_EQ(co_agent->get("/v1/blobs/" + material_).status, 404u);
  EXPECT_EQ(co_agent->get("/v1/blobs/" + material_ + "?filing=" + filing_).status, 200u);
}

// Regression: "<licence>\0" logged in as <licence>, each extra NUL with its own failure counter,
// so the lockout never triggered.
TEST_F(ScopeTest, ALoginWithANulIsRefusedAndCountsNowhere) {
  auto c = anonymous();
  const std::string licence(kFiler);
  for (int nuls = 1; nuls <= 3; ++nuls) {
    auto r = c->post("/v1/sessions", json::object{{"login", licence + std::string(nuls, '\0')},
                                                  {"password", "changed-" + licence}});
    EXPECT_EQ(r.status, 422u) << r;
    EXPECT_TRUE(r.text("token").empty());
  }
  for (int i = 0; i < 5; ++i) {
    auto r = c->post("/v1/sessions", json::object{{"login", licence}, {"password", "wrong"}});
    EXPECT_EQ(r.status, 401u) << r;
  }
  // Locked: no spelling of the login gets another try.
  auto locked =
      c->post("/v1/sessions", json::object{{"login", licence}, {"password", "changed-" + licence}});
  EXPECT_EQ(locked.status, 429u) << locked;
  auto aliased = c->post("/v1/sessions", json::object{{"login", licence + std::string(1, '\0')},
                                                      {"password", "changed-" + licence}});
  EXPECT_EQ(aliased.status, 422u) << aliased;
  for (const auto& bad : {licence + " ", " " + licence, licence + "\n", licence + "/x"}) {
    auto r = c->post("/v1/sessions", json::object{{"login", bad}, {"password", "x"}});
    EXPECT_EQ(r.status, 422u) << r;
  }
}

// Regression: GET /v1/filings/{id}%00/status answered 200 with the filing's status.
TEST_F(ScopeTest, IdsWithControlBytesAreRefusedAtTheDoor) {
  auto clerk = person("clerk01");
  for (const auto& suffix : {"%00", "%00%00", "%0A", "%7F", "%20", "%2Fx"}) {
    auto r = clerk->get("/v1/filings/" + filing_ + suffix + "/status");
    EXPECT_EQ(r.status, 400u) << suffix << ": " << r;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    auto c = clerk->get(case_path_ + suffix);
    EXPECT_EQ(c.status, 400u) << suffix << ": " << c;
  }
  EXPECT_EQ(clerk->get("/v1/filings/" + filing_ + "/status").status, 200u);
  EXPECT_EQ(clerk->get(case_path_).status, 200u) << "case numbers keep their CJK and brackets";
  // Ids the server makes, named in a body: 422, nothing written.
  const auto before = last();
  auto party = judge_->post(case_path_ + "/hearings",
                            json::object{{"hearing_id", std::string("h2\0", 3)},
                                         {"starts_at_us", clock_.now_us() + 6 * kDayUs},
                                         {"length_minutes", 60}});
  EXPECT_EQ(party.status, 422u) << party;
  auto message = lawyer_->post(case_path_ + "/messages",
                               json::object{{"message_id", "m 1"}, {"title", "t"}, {"body", "b"}});
  EXPECT_EQ(message.status, 422u) << message;
  EXPECT_EQ(last(), before);
}

// Regression: a filing id was derived from the licence and the Idempotency-Key, so another lawyer
// could start a filing under someone's next id, after which the owner's POST /v1/filings
// answered 403 forever.
TEST_F(ScopeTest, FilingIdsAreUnguessableAndNeverSquatted) {
  const std::string key = "my-next-filing";
  // The id the old derivation gave, and any id the squatter names: the route never creates one.
  const auto digest = engine::to_hex(engine::sha256(std::string(kFiler) + '\n' + key + "\nfiling"));
  const std::string predicted = "f" + digest.substr(0, 20);
  auto squatter = person(std::string(kOutsider));
  const auto before = last();
  auto squat = squatter->post("/v1/filings/" + predicted + "/notice");
  EXPECT_EQ(squat.status, 404u) << squat;
  EXPECT_EQ(last(), before) << "naming an id created a filing";
  auto mine = lawyer_->post("/v1/filings", json::object{}, {{"Idempotency-Key", key}});
  ASSERT_EQ(mine.status, 201u) << mine;
  const auto id = mine.text("created_id");
  EXPECT_NE(id, predicted);
  ASSERT_EQ(id.size(), 33u) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 1), std::string::npos) << id;
  auto again = lawyer_->post("/v1/filings", json::object{}, {{"Idempotency-Key", key}});
  ASSERT_EQ(again.status, 201u) << again;
  EXPECT_EQ(again.text("created_id"), id) << "a repeat names the first draft";
  EXPECT_TRUE(again.json().as_object()["deduplicated"].as_bool());
  auto theirs = squatter->post("/v1/filings", json::object{}, {{"Idempotency-Key", key}});
  ASSERT_EQ(theirs.status, 201u) << theirs;
  EXPECT_NE(theirs.text("created_id"), id) << "one key, two callers, two filings";
  auto other_key = lawyer_->post("/v1/filings", json::object{}, {{"Idempotency-Key", key + "2"}});
  ASSERT_EQ(other_key.status, 201u);
  EXPECT_NE(other_key.text("created_id"), id);
}

// Service ids are the server's too: a body naming one is refused, and each is unguessable.
TEST_F(ScopeTest, ServiceIdsAreChosenByTheServer) {
  const auto before = last();
  auto named =
      judge_->post(case_path_ + "/services", json::object{{"service_id", "mine"},
                                                          {"document_type", "summons"},
                                                          {"title", "传票"},
                                                          {"blob_hash", summons_},
                                                          {"recipient_licence_number", kFiler}});
  EXPECT_EQ(named.status, 422u) << named;
  EXPECT_EQ(last(), before);
  ASSERT_EQ(service_.size(), 33u) << service_;
  EXPECT_EQ(service_.front(), 's');
}

// Manual §3.3.7: "根据律师证件号、身份证号自动关联律师代理的所有案件". Regression: an agent without
// a licence number was refused (422), and one with an unknown licence beside the right identity
// number never reached the lawyer.
TEST_F(ScopeTest, ACaseRecordedWithALawyersIdentityNumberReachesThatLawyer) {
  const std::string number = "(2026)渝0103民初7001号";
  const std::string path = "/v1/cases/" + url_encode(number);
  auto docketed = cms_->post(
      "/v1/cases",
      json::object{
          {"case_number", number},
          {"category", "civil_first_instance"},
          {"accepted_on_us", clock_.now_us()},
          {"judge", "judge01"},
          {"parties",
           json::array{
               json::object{{"party_id", "p1"}, {"name", "甲"}, {"standing", "plaintiff"}},
               json::object{{"party_id", "p2"}, {"name", "乙"}, {"standing", "defendant"}}}},
          {"agents", json::array{json::object{{"id_number", "500103198502020022"},
                                              {"name", "李华"},
                                              {"represents", json::array{"p1"}}},
                                 json::object{{"licence_number", "15009999999999999"},
                                              {"id_number", "500103199003030043"},
                                              {"name", "王芳"},
                                              {"represents", json::array{"p2"}}}}}});
  ASSERT_EQ(docketed.status, 201u) << docketed;
  auto hearing =
      judge_->post(path + "/hearings", json::object{{"starts_at_us", clock_.now_us() + 6 * kDayUs},
                                                    {"length_minutes", 60},
                                                    {"place", "第二法庭"}});
  ASSERT_EQ(hearing.status, 201u) << hearing;
  settle();
  const auto after = "?after=" + std::to_string(last());
  for (auto licence : {kCoAgent, kOutsider}) {
    auto lawyer = person(std::string(licence));
    auto cases = lawyer->get("/v1/cases" + after);
    ASSERT_EQ(cases.status, 200u) << cases;
    bool listed = false;
    const auto listing = cases.json();
    for (const auto& c : listing.at("items").as_array())
      listed = listed || c.at("case_number").as_string() == number;
    EXPECT_TRUE(listed) << licence << ": " << cases;
    EXPECT_EQ(lawyer->get(path).status, 200u) << licence;
    auto hearings = lawyer->get("/v1/me/hearings");
    ASSERT_EQ(hearings.status, 200u) << hearings;
    bool upcoming = false;
    const auto mine = hearings.json();
    for (const auto& h : mine.at("upcoming").at("items").as_array())
      upcoming = upcoming || h.at("case_number").as_string() == number;
    EXPECT_TRUE(upcoming) << licence << ": " << hearings;
    // And acts on it as its agent.
    auto applied = lawyer->post(path + "/file-reviews", json::object{{"reason", "准备庭审"}});
    EXPECT_EQ(applied.status, 201u) << licence << ": " << applied;
    // Its events are in the lawyer's feed.
    auto feed = lawyer->get("/v1/events?category=case&limit=1000");
    ASSERT_EQ(feed.status, 200u) << feed;
    bool seen = false;
    const auto events = feed.json();
    for (const auto& e : events.at("events").as_array())
      seen = seen || e.at("stream").as_string() == "case-" + number;
    EXPECT_TRUE(seen) << licence << ": " << feed;
  }
  // The judge in charge sees both among the lawyers of their cases, with their schedules.
  auto schedules = judge_->get("/v1/judges/me/lawyer-schedules?after=" + std::to_string(last()));
  ASSERT_EQ(schedules.status, 200u) << schedules;
  for (auto licence : {kCoAgent, kOutsider}) {
    bool listed = false;
    const auto all = schedules.json();
    for (const auto& l : all.at("items").as_array()) {
      if (l.at("licence_number").as_string() != licence)
        continue;
      for (const auto& c : l.at("cases").as_array())
        listed = listed || c.as_string() == number;
    }
    EXPECT_TRUE(listed) << licence << ": " << schedules;
  }
  // A lawyer whose identity the case does not name reaches nothing of it.
  EXPECT_EQ(lawyer_->get(path).status, 404u);
  auto refused = lawyer_->post(path + "/file-reviews", json::object{{"reason", "准备庭审"}});
  EXPECT_EQ(refused.status, 404u) << refused;
}

// An agent needs a licence number or an identity number.
TEST_F(ScopeTest, AnAgentWithNeitherLicenceNorIdentityNumberIsRefused) {
  const auto before = last();
  auto docketed = cms_->post(
      "/v1/cases",
      json::object{
          {"case_number", "(2026)渝0103民初7002号"},
          {"category", "civil_first_instance"},
          {"accepted_on_us", clock_.now_us()},
          {"parties",
           json::array{
               json::object{{"party_id", "p1"}, {"name", "甲"}, {"standing", "plaintiff"}},
               json::object{{"party_id", "p2"}, {"name", "乙"}, {"standing", "defendant"}}}},
          {"agents", json::array{json::object{{"name", "无名"}}}}});
  EXPECT_EQ(docketed.status, 422u) << docketed;
  EXPECT_NE(docketed.body.find("agents[0].licence_number"), std::string::npos) << docketed;
  EXPECT_EQ(last(), before);
}

}  // namespace
}  // namespace docket::api::testing
