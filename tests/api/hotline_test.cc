// The litigation-service hotline and refunds over HTTP: a lawyer's request forwarded to the judge
// in charge and answered, a call taken by a clerk that runs overdue, the lists of each reader
// with ?status=, who may see what; a paid fee refunded through the provider's signed callback.
// Bad input is a 4xx that writes nothing.
#include <string>

#include "api_fixture.h"
#include "docket/app/secrets.h"

namespace docket::api::testing {
namespace {

// The items of a page ({items, next_cursor}).
json::array items_of(const Reply& r) {
  const auto v = r.json();
  const auto* o = v.if_object();
  if (o == nullptr || !o->contains("items") || !o->at("items").is_array())
    return {};
  return o->at("items").as_array();
}

std::vector<std::string> ids_in(const Reply& r) {
  std::vector<std::string> out;
  for (const auto& item : items_of(r))
    out.emplace_back(item.at("hotline_request_id").as_string());
  return out;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class HotlineTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    lawyer_ = person(std::string(kFiler));
    filing_ = submitted_filing(*lawyer_);
    clerk_ = person("clerk01");
    auto accepted = clerk_->post("/v1/filings/" + filing_ + "/accept");
    ASSERT_EQ(accepted.status, 200u) << accepted;
    number_ = accepted.text("case_number");
    settle();
    auto cms = court_system();
    ASSERT_EQ(
        cms->post("/v1/cases/" + url_encode(number_) + "/judge", json::object{{"judge", "judge01"}})
            .status,
        200u);
    judge_ = person("judge01");
  }

  std::string court_list(const std::string& status = "") {
    return "/v1/courts/" + url_encode(kCourt) +
           "/hotline-requests?after=" + std::to_string(last()) +
           (status.empty() ? "" : "&status=" + status);
  }
  std::string after() { return "?after=" + std::to_string(last()); }

  // Refused with `status`, and nothing written.
  void refused(Client& client, const std::string& target, const json::value& body, unsigned status,
               const std::string& what) {
    const auto before = last();
    auto r = client.post(target, body);
    EXPECT_EQ(r.status, status) << what << ": " << r;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << what;
    EXPECT_EQ(last(), before) << what << " wrote something";
  }

  json::object postponement() {
    return json::object{{"court", kCourt},
                        {"kind", "case_postponement"},
                        {"case_number", number_},
                        {"title", "申请延期开庭"},
                        {"body", "代理人另有庭审，申请延期开庭。"}};
  }

  std::unique_ptr<Client> lawyer_;
  std::unique_ptr<Client> clerk_;
  std::unique_ptr<Client> judge_;
  std::string filing_;
  std::string number_;
};

TEST_F(HotlineTest, ALawyersRequestIsForwardedToTheJudgeInChargeAndAnswered) {
  auto filed = lawyer_->post("/v1/hotline-requests", postponement());
  ASSERT_EQ(filed.status, 201u) << filed;
  const std::string id = filed.text("created_id");
  ASSERT_TRUE(id.starts_with("hr")) << filed;
  EXPECT_EQ(filed.text("stream"), "hotline-" + id);
  const std::string at = "/v1/hotline-requests/" + id;

  auto mine = lawyer_->get("/v1/me/hotline-requests" + after());
  ASSERT_EQ(mine.status, 200u) << mine;
  ASSERT_EQ(ids_in(mine), std::vector<std::string>{id}) << mine;
  const auto row = items_of(mine).at(0).as_object();
  EXPECT_EQ(row.at("status").as_string(), "open");
  EXPECT_EQ(row.at("kind").as_string(), "case_postponement");
  EXPECT_EQ(row.at("channel").as_string(), "online");
  EXPECT_EQ(row.at("case_number").as_string(), number_);
  EXPECT_EQ(row.at("filer_licence_number").as_string(), kFiler);
  EXPECT_EQ(row.at("answer_due_at_us").as_int64(), clock_.now_us() + 3 * kDayUs);
  EXPECT_FALSE(row.at("overdue").as_bool());

  // The court's staff see it; the judge does not until it is forwarded to them.
  EXPECT_TRUE(contains(ids_in(clerk_->get(court_list("open"))), id));
  EXPECT_TRUE(contains(ids_in(court_system()->get(court_list())), id));
  EXPECT_EQ(judge_->get(at).status, 403u);
  EXPECT_TRUE(ids_in(judge_->get("/v1/judges/me/hotline-requests" + after())).empty());

  auto forwarded = clerk_->post(at + "/forward", json::object{{"note", "请承办法官答复"}});
  ASSERT_EQ(forwarded.status, 200u) << forwarded;
  auto inbox = judge_->get("/v1/judges/me/hotline-requests" + after());
  ASSERT_EQ(ids_in(inbox), std::vector<std::string>{id}) << inbox;
  EXPECT_EQ(items_of(inbox).at(0).at("forwarded_to").as_string(), "judge01");
  EXPECT_EQ(items_of(inbox).at(0).at("status").as_string(), "forwarded");
  ASSERT_EQ(judge_->get(at + after()).status, 200u);

  // Forwarded: the clerk no longer answers; the judge does, once.
  refused(*clerk_, at + "/answer", json::object{{"body", "已处理"}}, 403, "the clerk's answer");
  refused(*judge_, at + "/answer", json::object{{"body", ""}}, 422, "an empty answer");
  auto answered = judge_->post(at + "/answer", json::object{{"body", "同意延期，另行通知。"}});
  ASSERT_EQ(answered.status, 200u) << answered;
  refused(*judge_, at + "/answer", json::object{{"body", "again"}}, 409, "a second answer");

  auto seen = lawyer_->get(at + after());
  ASSERT_EQ(seen.status, 200u) << seen;
  EXPECT_EQ(seen.text("status"), "answered");
  EXPECT_EQ(seen.text("answer"), "同意延期，另行通知。");
  EXPECT_EQ(seen.text("answered_by"), "judge01");
  EXPECT_FALSE(seen.json().at("answered_late").as_bool()) << seen;
  EXPECT_FALSE(seen.header("etag").empty());
  EXPECT_TRUE(ids_in(lawyer_->get("/v1/me/hotline-requests?status=open")).empty());
  EXPECT_EQ(ids_in(lawyer_->get("/v1/me/hotline-requests?status=answered")),
            std::vector<std::string>{id});
}

TEST_F(HotlineTest, ACallTakenByAClerkRunsOverdueAndIsVisibleAsSuch) {
  auto filed = clerk_->post(
      "/v1/hotline-requests",
      json::object{{"court", kCourt},
                   {"kind", "enquiry"},
                   {"title", "立案进度查询"},
                   {"body", "来电询问网上立案何时审查。"},
                   {"caller", json::object{{"name", "李四"}, {"phone", "13900000001"}}}});
  ASSERT_EQ(filed.status, 201u) << filed;
  const std::string call = filed.text("created_id");
  auto online = lawyer_->post("/v1/hotline-requests", postponement());
  ASSERT_EQ(online.status, 201u) << online;
  const std::string request = online.text("created_id");

  auto got = clerk_->get("/v1/hotline-requests/" + call + after());
  ASSERT_EQ(got.status, 200u) << got;
  EXPECT_EQ(got.text("channel"), "phone");
  EXPECT_EQ(got.json().at("caller").at("phone").as_string(), "13900000001");
  EXPECT_EQ(got.text("recorded_by"), "clerk01");
  EXPECT_TRUE(got.json().at("filer_licence_number").is_null());
  EXPECT_TRUE(ids_in(clerk_->get(court_list("overdue"))).empty());

  // Three days on, the timer records both overdue; the staff list puts them first.
  clock_.advance(3 * kDayUs);
  settle();
  clerk_ = person("clerk01");  // sessions last 12 hours
  judge_ = person("judge01");
  lawyer_ = person(std::string(kFiler));
  auto overdue = clerk_->get(court_list("overdue"));
  ASSERT_EQ(overdue.status, 200u) << overdue;
  EXPECT_EQ(ids_in(overdue).size(), 2u) << overdue;
  EXPECT_TRUE(items_of(overdue).at(0).at("overdue").as_bool());
  auto mine = lawyer_->get("/v1/me/hotline-requests?status=overdue");
  EXPECT_EQ(ids_in(mine), std::vector<std::string>{request}) << "only their own: " << mine;

  // A call about no case goes to a named judge of the court, who answers late.
  refused(*clerk_, "/v1/hotline-requests/" + call + "/forward", json::object{}, 422, "no judge");
  refused(*clerk_, "/v1/hotline-requests/" + call + "/forward", json::object{{"judge", "clerk01"}},
          422, "not a judge");
  ASSERT_EQ(
      clerk_->post("/v1/hotline-requests/" + call + "/forward", json::object{{"judge", "judge01"}})
          .status,
      200u);
  auto inbox =
      judge_->get("/v1/judges/me/hotline-requests?status=overdue&after=" + std::to_string(last()));
  EXPECT_EQ(ids_in(inbox), std::vector<std::string>{call}) << inbox;
  ASSERT_EQ(judge_
                ->post("/v1/hotline-requests/" + call + "/answer",
                       json::object{{"body", "已于本周审查。"}})
                .status,
            200u);
  auto remaining = clerk_->get(court_list("overdue"));
  EXPECT_EQ(ids_in(remaining), std::vector<std::string>{request}) << remaining;
  auto late = clerk_->get("/v1/hotline-requests/" + call + after());
  ASSERT_EQ(late.status, 200u) << late;
  EXPECT_FALSE(late.json().at("overdue").as_bool()) << late;
  EXPECT_TRUE(late.json().at("answered_late").as_bool()) << "answered after its due time: " << late;
  EXPECT_EQ(clerk_->get(court_list("bogus")).status, 400u);
}

TEST_F(HotlineTest, BadRequestsAreRefusedAndWriteNothing) {
  const std::string path = "/v1/hotline-requests";
  auto without = [&](std::string_view field) {
    auto body = postponement();
    body.erase(field);
    return body;
  };
  refused(*lawyer_, path, without("title"), 422, "no title");
  refused(*lawyer_, path, without("body"), 422, "no text");
  refused(*lawyer_, path, without("court"), 422, "no court");
  auto unknown_court = postponement();
  unknown_court["court"] = "渝9999";
  unknown_court.erase("case_number");
  refused(*lawyer_, path, unknown_court, 422, "an unknown court");
  auto bad_kind = postponement();
  bad_kind["kind"] = "gossip";
  refused(*lawyer_, path, bad_kind, 400, "an unknown kind");
  auto with_caller = postponement();
  with_caller["caller"] = json::object{{"name", "x"}, {"phone", "1"}};
  refused(*lawyer_, path, with_caller, 422, "a caller from a lawyer");
  auto own_id = postponement();
  own_id["hotline_request_id"] = "hr-mine";
  refused(*lawyer_, path, own_id, 422, "a client's own id");
  // A case where the lawyer is no agent reads as one that does not exist.
  auto outsider = person(std::string(kOutsider));
  auto theirs = outsider->post(path, postponement());
  auto nothing = postponement();
  nothing["case_number"] = "(2026)渝0103民初999号";
  auto none = outsider->post(path, nothing);
  EXPECT_EQ(theirs.status, 422u) << theirs;
  EXPECT_EQ(none.status, 422u) << none;
  // A call needs its caller.
  auto no_caller = postponement();
  refused(*clerk_, path, no_caller, 422, "a call without its caller");
  // Staff only of their court; a judge files nothing.
  refused(*judge_, path, postponement(), 403, "a judge");
}

TEST_F(HotlineTest, EachReaderSeesOnlyTheRequestsTheyMay) {
  auto filed = lawyer_->post("/v1/hotline-requests", postponement());
  ASSERT_EQ(filed.status, 201u) << filed;
  const std::string at = "/v1/hotline-requests/" + filed.text("created_id");
  auto outsider = person(std::string(kOutsider));
  auto hidden = outsider->get(at + after());
  auto missing = outsider->get("/v1/hotline-requests/hr-none");
  EXPECT_EQ(hidden.status, 404u) << hidden;
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(hidden.text("title"), missing.text("title"));
  EXPECT_TRUE(ids_in(outsider->get("/v1/me/hotline-requests")).empty());
  // Not forwarded: no judge reads it, nor answers or forwards it.
  EXPECT_EQ(judge_->get(at).status, 403u);
  refused(*judge_, at + "/answer", json::object{{"body", "x"}}, 403, "a judge it is not with");
  refused(*lawyer_, at + "/forward", json::object{}, 403, "the lawyer forwarding");
  refused(*outsider, at + "/answer", json::object{{"body", "x"}}, 403, "a lawyer answering");
  EXPECT_EQ(person("auditor01")->get(at + after()).status, 200u);
  EXPECT_EQ(
      person("auditor01")->get("/v1/courts/" + url_encode(kCourt) + "/hotline-requests").status,
      200u);
  EXPECT_EQ(clerk_->get("/v1/courts/" + url_encode("渝0105") + "/hotline-requests").status, 403u);
  // The feed shows the lawyer their request's events and the outsider none.
  auto feed = outsider->get("/v1/events?after=0&category=hotline");
  ASSERT_EQ(feed.status, 200u) << feed;
  EXPECT_TRUE(feed.json().at("events").as_array().empty()) << feed;
  auto theirs = lawyer_->get("/v1/events?after=0&category=hotline");
  ASSERT_EQ(theirs.status, 200u) << theirs;
  EXPECT_EQ(theirs.json().at("events").as_array().size(), 1u) << theirs;
}

// --- refunds ---------------------------------------------------------------------------------

class RefundTest : public HotlineTest {
 protected:
  // The notice paid through the provider's signed callback.
  void pay() {
    auto payments = lawyer_->get("/v1/me/payments?after=" + std::to_string(last()));
    const std::string code(payments.json().at("notices").at("items").at(0).at("code").as_string());
    auto started = lawyer_->post("/v1/payment-notices/" + code + "/payments",
                                 json::object{{"channel", "wechat"}});
    ASSERT_EQ(started.status, 201u) << started;
    auto paid =
        signed_post("/v1/payments/callback", json::object{{"filing_id", filing_},
                                                          {"attempt", started.number("attempt")},
                                                          {"transaction_id", "wx-4200001234"},
                                                          {"amount_fen", 230'000}});
    ASSERT_EQ(paid.status, 200u) << paid;
  }

  Reply signed_post(const std::string& target, const json::value& body,
                    const std::string& secret = std::string(kPaymentSecret)) {
    const std::string text = json::serialize(body);
    return anonymous()->send(
        beast::http::verb::post, target, text,
        {{"X-Payment-Signature", app::SodiumSecrets::hmac_sha256_hex(secret, text)}});
  }

  json::object notice() {
    return lawyer_->get("/v1/payments/" + filing_ + "?after=" + std::to_string(last()))
        .json()
        .as_object();
  }
};

TEST_F(RefundTest, AClerkOrdersARefundAndTheProvidersSignedCallbackCompletesIt) {
  pay();
  auto request =
      lawyer_->post("/v1/hotline-requests", json::object{{"court", kCourt},
                                                         {"kind", "refund"},
                                                         {"case_number", number_},
                                                         {"title", "申请退还多交的诉讼费"},
                                                         {"body", "诉讼请求变更，申请退还差额。"}});
  ASSERT_EQ(request.status, 201u) << request;
  const std::string hotline_id = request.text("created_id");
  const std::string refunds = "/v1/payments/" + filing_ + "/refunds";

  refused(*clerk_, refunds, json::object{{"amount_fen", 230'001}, {"reason", "x"}}, 422,
          "more than was paid");
  refused(*clerk_, refunds, json::object{{"amount_fen", 1'000}, {"reason", ""}}, 422, "no reason");
  refused(*clerk_, refunds,
          json::object{{"amount_fen", 1'000}, {"reason", "x"}, {"hotline_request_id", "hr-none"}},
          422, "an unknown hotline request");
  refused(*lawyer_, refunds, json::object{{"amount_fen", 1'000}, {"reason", "x"}}, 403,
          "a lawyer ordering a refund");

  auto ordered = clerk_->post(refunds, json::object{{"amount_fen", 30'000},
                                                    {"reason", "变更诉讼请求，退还差额"},
                                                    {"hotline_request_id", hotline_id}});
  ASSERT_EQ(ordered.status, 201u) << ordered;
  const std::string refund_id = ordered.text("created_id");
  ASSERT_TRUE(refund_id.starts_with("rf")) << ordered;
  // The provider's relay finds it in the refund outbox, with the payment to refund from.
  auto admin = person("admin");
  auto queued = admin->get("/v1/outbox/refunds?after=" + std::to_string(last()));
  ASSERT_EQ(queued.status, 200u) << queued;
  ASSERT_EQ(items_of(queued).size(), 1u) << queued;
  EXPECT_EQ(items_of(queued).at(0).at("refund_id").as_string(), refund_id);
  EXPECT_EQ(items_of(queued).at(0).at("amount_fen").as_int64(), 30'000);
  EXPECT_FALSE(items_of(queued).at(0).at("payment_transaction_id").as_string().empty()) << queued;
  EXPECT_EQ(clerk_->get("/v1/outbox/refunds").status, 403u);
  auto seen = notice();
  ASSERT_EQ(seen.at("refunds").as_array().size(), 1u) << seen;
  EXPECT_EQ(seen.at("refunds").at(0).at("status").as_string(), "requested");
  EXPECT_EQ(seen.at("refunds").at(0).at("hotline_request_id").as_string(), hotline_id);
  EXPECT_EQ(seen.at("refundable_fen").as_int64(), 200'000);
  EXPECT_EQ(seen.at("refunded_amount_fen").as_int64(), 0);

  // A bad signature, or none, changes nothing.
  const json::object completed{{"filing_id", filing_},
                               {"refund_id", refund_id},
                               {"result", "completed"},
                               {"transaction_id", "wx-refund-1"},
                               {"amount_fen", 30'000}};
  auto before = last();
  EXPECT_EQ(signed_post("/v1/payments/refund-callback", completed, "wrong-secret").status, 401u);
  EXPECT_EQ(anonymous()
                ->send(beast::http::verb::post, "/v1/payments/refund-callback",
                       json::serialize(completed))
                .status,
            401u);
  auto wrong_amount = completed;
  wrong_amount["amount_fen"] = 29'999;
  EXPECT_EQ(signed_post("/v1/payments/refund-callback", wrong_amount).status, 422u);
  EXPECT_EQ(last(), before);

  auto done = signed_post("/v1/payments/refund-callback", completed);
  ASSERT_EQ(done.status, 200u) << done;
  EXPECT_EQ(done.number("event_count"), 1u);
  auto again = signed_post("/v1/payments/refund-callback", completed);
  ASSERT_EQ(again.status, 200u) << "a repeated callback is harmless: " << again;
  EXPECT_EQ(again.number("event_count"), 0u) << again;
  auto failed = completed;
  failed["result"] = "failed";
  failed.erase("transaction_id");
  EXPECT_EQ(signed_post("/v1/payments/refund-callback", failed).status, 409u)
      << "another result for a settled refund";

  seen = notice();
  auto drained = admin->get("/v1/outbox/refunds?after=" + std::to_string(last()));
  ASSERT_EQ(drained.status, 200u) << drained;
  EXPECT_TRUE(items_of(drained).empty()) << "a completed refund leaves the queue: " << drained;
  EXPECT_EQ(seen.at("refunds").at(0).at("status").as_string(), "completed");
  EXPECT_EQ(seen.at("refunds").at(0).at("transaction_id").as_string(), "wx-refund-1");
  EXPECT_EQ(seen.at("refunded_amount_fen").as_int64(), 30'000);
  EXPECT_EQ(seen.at("status").as_string(), "paid");
  // The lawyer's payments list shows it too.
  auto mine = lawyer_->get("/v1/me/payments/notices?after=" + std::to_string(last()));
  ASSERT_EQ(mine.status, 200u) << mine;
  EXPECT_EQ(items_of(mine).at(0).at("refunded_amount_fen").as_int64(), 30'000);
}

TEST_F(RefundTest, AFailedRefundFreesItsAmountAndTheCourtSystemMayRelayAResult) {
  const std::string refunds = "/v1/payments/" + filing_ + "/refunds";
  refused(*clerk_, refunds, json::object{{"amount_fen", 1'000}, {"reason", "x"}}, 409,
          "a notice not paid");
  pay();
  auto ordered = judge_->post(refunds, json::object{{"amount_fen", 230'000}, {"reason", "撤诉"}});
  ASSERT_EQ(ordered.status, 201u) << ordered;
  const std::string refund_id = ordered.text("created_id");
  refused(*clerk_, refunds, json::object{{"amount_fen", 1}, {"reason", "x"}}, 422,
          "nothing left to refund");
  auto failed = signed_post("/v1/payments/refund-callback",
                            json::object{{"filing_id", filing_},
                                         {"refund_id", refund_id},
                                         {"result", "failed"},
                                         {"failure_reason", "原支付账户已注销"}});
  ASSERT_EQ(failed.status, 200u) << failed;
  auto seen = notice();
  EXPECT_EQ(seen.at("refunds").at(0).at("status").as_string(), "failed");
  EXPECT_EQ(seen.at("refunds").at(0).at("failure_reason").as_string(), "原支付账户已注销");
  EXPECT_EQ(seen.at("refundable_fen").as_int64(), 230'000);
  auto second = clerk_->post(refunds, json::object{{"amount_fen", 230'000}, {"reason", "撤诉"}});
  ASSERT_EQ(second.status, 201u) << second;
  auto cms = court_system();
  auto relayed = cms->post(
      refunds + "/" + second.text("created_id") + "/result",
      json::object{
          {"result", "completed"}, {"transaction_id", "bank-refund-7"}, {"amount_fen", 230'000}});
  ASSERT_EQ(relayed.status, 200u) << relayed;
  EXPECT_EQ(notice().at("refunded_amount_fen").as_int64(), 230'000);
  EXPECT_EQ(cms->post(refunds + "/rf-none/result", json::object{{"result", "failed"}}).status,
            404u);
}

}  // namespace
}  // namespace docket::api::testing
