// A lawyer's whole journey over HTTP, against the real server: first login, schedule, a filing
// through every step, the clerk's correction notice, resubmission, acceptance, the fee paid
// through a signed callback, the case and its hearing, an avoidance request, evidence, an
// exchange, file review, a message, and a document served, signed with the SMS key from the
// outbox and downloaded.
#include <set>
#include <string>

#include "api_fixture.h"
#include "docket/app/secrets.h"

namespace docket::api::testing {
namespace {

// The first element of list `key` in `reply`'s JSON object whose `field` equals `value`; a list
// is an array, or a page of one ({items, next_cursor}).
json::object find_in(const json::value& v, std::string_view key, std::string_view field,
                     std::string_view value) {
  const auto* o = v.if_object();
  const auto* a = o ? o->if_contains(key) : nullptr;
  if (a != nullptr && a->is_object())
    a = a->get_object().if_contains("items");
  if (a == nullptr || !a->is_array())
    return {};
  for (const auto& item : a->get_array()) {
    const auto* io = item.if_object();
    const auto* f = io ? io->if_contains(field) : nullptr;
    if (f && f->is_string() && f->get_string() == value)
      return *io;
  }
  return {};
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

class JourneyTest : public ApiTest {};

// Journeys across days on the manual clock: sessions outlive the jumps.
class LongJourneyTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto options = ApiTest::server_options();
    options.session_ttl_us = 30 * kDayUs;
    return options;
  }
};

TEST_F(JourneyTest, ALawyersWholeJourneyFromFirstLoginToASignedDocument) {
  const std::int64_t now = clock_.now_us();
  const std::string filer_login(kFiler);

  // --- first login: the first password must be changed before anything else ---------------
  Client lawyer(port());
  auto login =
      lawyer.post("/v1/sessions", json::object{{"login", filer_login}, {"password", filer_login}});
  ASSERT_EQ(login.status, 201u) << login;
  EXPECT_TRUE(login.json().as_object()["must_change_password"].as_bool());
  lawyer.bearer = login.text("token");
  EXPECT_EQ(lawyer.get("/v1/me/home").status, 403u) << "nothing before the password change";
  auto changed = lawyer.post(
      "/v1/me/password",
      json::object{{"old_password", filer_login}, {"new_password", "a-better-password"}});
  ASSERT_EQ(changed.status, 200u) << changed;
  EXPECT_EQ(lawyer.get("/v1/me/home").status, 200u);
  auto relogin = anonymous()->post(
      "/v1/sessions", json::object{{"login", filer_login}, {"password", "a-better-password"}});
  ASSERT_EQ(relogin.status, 201u) << relogin;
  EXPECT_FALSE(relogin.json().as_object()["must_change_password"].as_bool());

  // --- schedule (module 1) -------------------------------------------------------------------
  auto entry =
      lawyer.post("/v1/me/schedule", json::object{{"starts_at_us", now + 10 * kDayUs},
                                                  {"ends_at_us", now + 10 * kDayUs + 2 * kHourUs},
                                                  {"can_appear_in_court", false},
                                                  {"text", "仲裁开庭"}});
  ASSERT_EQ(entry.status, 201u) << entry;
  EXPECT_EQ(entry.text("created_id"), "e1");
  auto home = lawyer.get("/v1/me/home?after=" + std::to_string(entry.number("position")));
  ASSERT_EQ(home.status, 200u) << home;
  ASSERT_EQ(home.json().at("schedule").at("items").as_array().size(), 1u) << home;

  // --- a filing through every step, then the clerk's correction notice -----------------------
  const std::string filing = submitted_filing(lawyer);
  ASSERT_FALSE(filing.empty());
  auto clerk = person("clerk01");
  auto queue = clerk->get("/v1/courts/" + url_encode(kCourt) +
                          "/review-queue?after=" + std::to_string(last()));
  ASSERT_EQ(queue.status, 200u) << queue;
  EXPECT_FALSE(find_in(queue.json(), "pending", "filing_id", filing).empty()) << queue;
  auto correction = clerk->post(
      "/v1/filings/" + filing + "/correction",
      json::object{
          {"items", json::array{json::object{{"field", "parties[1].id_number"},
                                             {"message", "请核对被告的统一社会信用代码"}}}}});
  ASSERT_EQ(correction.status, 200u) << correction;

  auto seen = lawyer.get("/v1/filings/" + filing);
  ASSERT_EQ(seen.status, 200u) << seen;
  EXPECT_EQ(seen.text("status"), "correction_requested");
  const std::string etag = seen.header("etag");
  ASSERT_FALSE(etag.empty());

  // --- resubmission (with If-Match on the version the lawyer saw) and acceptance ------------
  json::object fixed_parties{
      {"parties", json::array{json::object{{"party_id", "p1"},
                                           {"standing", "plaintiff"},
                                           {"kind", "natural_person"},
                                           {"name", "李四"},
                                           {"id_number", "500103199001011234"},
                                           {"phone", "13900000001"},
                                           {"address", "重庆市渝中区解放碑1号"}},
                              json::object{{"party_id", "p2"},
                                           {"standing", "defendant"},
                                           {"kind", "legal_person"},
                                           {"name", "重庆某某有限公司"},
                                           {"id_number", "91500103MA5U00001X"},
                                           {"address", "重庆市渝中区某路2号"},
                                           {"legal_representative", "王五"}}}}};
  auto fixed =
      lawyer.post("/v1/filings/" + filing + "/parties", fixed_parties, {{"If-Match", etag}});
  ASSERT_EQ(fixed.status, 200u) << fixed;
  ASSERT_EQ(lawyer.post("/v1/filings/" + filing + "/submit").status, 200u);
  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  const std::string number = accepted.text("case_number");
  ASSERT_FALSE(number.empty()) << accepted;
  const std::string c = "/v1/cases/" + url_encode(number);
  settle();  // the case is registered and the payment notice issued by the reactions
  auto reissued = clerk->post("/v1/payments/" + filing + "/notice");
  EXPECT_EQ(reissued.status, 200u) << "issuing the notice again changes nothing: " << reissued;
  EXPECT_EQ(lawyer.post("/v1/payments/" + filing + "/notice").status, 403u);

  // --- the court system assigns the judge ----------------------------------------------------
  auto cms = court_system();
  ASSERT_EQ(cms->post(c + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
  auto judge = person("judge01");

  // --- the payment notice, paid through the provider's signed callback (module 3) ----------
  auto payments = lawyer.get("/v1/me/payments?after=" + std::to_string(last()));
  ASSERT_EQ(payments.status, 200u) << payments;
  auto notice = find_in(payments.json(), "notices", "filing_id", filing);
  ASSERT_FALSE(notice.empty()) << payments;
  const std::string code = text_of(notice, "code");
  EXPECT_EQ(notice["amount_fen"].to_number<std::int64_t>(), 230'000);
  ASSERT_EQ(lawyer.get("/v1/payment-notices/" + code).status, 200u);
  auto started =
      lawyer.post("/v1/payment-notices/" + code + "/payments", json::object{{"channel", "wechat"}});
  ASSERT_EQ(started.status, 201u) << started;
  const std::string callback = json::serialize(json::object{{"filing_id", filing},
                                                            {"attempt", started.number("attempt")},
                                                            {"transaction_id", "wx-4200001234"},
                                                            {"amount_fen", 230'000},
                                                            {"receipt_number", "渝财电票-0001"}});
  auto provider = anonymous();
  auto paid = provider->send(beast::http::verb::post, "/v1/payments/callback", callback,
                             {{"X-Payment-Signature", app::SodiumSecrets::hmac_sha256_hex(
                                                          std::string(kPaymentSecret), callback)}});
  ASSERT_EQ(paid.status, 200u) << paid;
  // The reply counts both events written, the confirmation and the receipt.
  EXPECT_EQ(paid.number("event_count"), 2u) << paid;
  auto payment = lawyer.get("/v1/payments/" + filing + "?after=" + std::to_string(last()));
  ASSERT_EQ(payment.status, 200u) << payment;
  EXPECT_EQ(payment.text("status"), "paid");
  EXPECT_EQ(payment.text("receipt_number"), "渝财电票-0001");
  // The receipt document, recorded by the court's system after the number (manual §3.3.3).
  EXPECT_EQ(lawyer.get("/v1/payments/" + filing + "/receipt/document").status, 404u)
      << "none recorded yet";
  const std::string receipt_bytes = "%PDF-1.7 财政电子票据 渝财电票-0001";
  const auto receipt_hash = cms->upload(receipt_bytes);
  auto receipt =
      cms->post("/v1/payments/" + filing + "/receipt",
                json::object{{"receipt_number", "渝财电票-0001"}, {"blob_hash", receipt_hash}});
  ASSERT_EQ(receipt.status, 200u) << receipt;
  EXPECT_EQ(receipt.number("event_count"), 1u) << receipt;
  auto again =
      cms->post("/v1/payments/" + filing + "/receipt",
                json::object{{"receipt_number", "渝财电票-0001"}, {"blob_hash", receipt_hash}});
  EXPECT_EQ(again.number("event_count"), 0u) << "recording it again changes nothing: " << again;
  auto receipt_document = lawyer.get("/v1/payments/" + filing + "/receipt/document");
  ASSERT_EQ(receipt_document.status, 200u) << receipt_document;
  EXPECT_EQ(receipt_document.body, receipt_bytes);
  auto receipts = lawyer.get("/v1/me/payments/receipts?after=" + std::to_string(last()));
  ASSERT_EQ(receipts.status, 200u) << receipts;
  EXPECT_EQ(text_of(find_in(receipts.json(), "items", "filing_id", filing), "receipt_blob_hash"),
            receipt_hash)
      << receipts;
  EXPECT_EQ(
      person(std::string(kOutsider))->get("/v1/payments/" + filing + "/receipt/document").status,
      404u)
      << "another lawyer's receipt";

  // --- the case and its hearing listed (modules 7, 8) ----------------------------------------
  auto hearing = judge->post(c + "/hearings", json::object{{"starts_at_us", now + 5 * kDayUs},
                                                           {"length_minutes", 120},
                                                           {"place", "第一法庭"}});
  ASSERT_EQ(hearing.status, 201u) << hearing;
  const auto h = hearing.text("created_id");
  ASSERT_TRUE(h.starts_with("h")) << hearing;
  auto cases =
      lawyer.get("/v1/cases?plaintiff=" + url_encode("李四") + "&after=" + std::to_string(last()));
  ASSERT_EQ(cases.status, 200u) << cases;
  ASSERT_EQ(cases.json().at("items").as_array().size(), 1u) << cases;
  auto hearings = lawyer.get("/v1/me/hearings");
  ASSERT_EQ(hearings.status, 200u) << hearings;
  EXPECT_FALSE(find_in(hearings.json(), "upcoming", "hearing_id", h).empty()) << hearings;

  // --- an avoidance request decided (module 6) -----------------------------------------------
  auto avoidance = lawyer.post(c + "/hearings/" + h + "/avoidance-requests",
                               json::object{{"reason", "同日另有开庭"}});
  ASSERT_EQ(avoidance.status, 201u) << avoidance;
  const auto r = avoidance.text("created_id");
  auto inbox = judge->get("/v1/judges/me/inbox?after=" + std::to_string(last()));
  ASSERT_EQ(inbox.status, 200u) << inbox;
  EXPECT_FALSE(find_in(inbox.json(), "avoidance_requests", "request_id", r).empty()) << inbox;
  auto granted = judge->post(
      c + "/hearings/" + h + "/avoidance-requests/" + r + "/grant",
      json::object{
          {"starts_at_us", now + 8 * kDayUs}, {"length_minutes", 120}, {"place", "第二法庭"}});
  ASSERT_EQ(granted.status, 200u) << granted;

  // --- evidence submitted (module 4) ---------------------------------------------------------
  const auto iou = lawyer.upload(png("借条扫描件"), "image/png");
  auto batch =
      lawyer.post(c + "/evidence",
                  json::object{{"name", "借条"}, {"blob_hash", iou}, {"purpose", "证明借款事实"}});
  ASSERT_EQ(batch.status, 201u) << batch;
  const auto b = batch.text("created_id");
  ASSERT_TRUE(b.starts_with("eb")) << batch;
  ASSERT_EQ(lawyer.post(c + "/evidence/" + b + "/submit").status, 200u);

  // --- an exchange answered (module 5) -------------------------------------------------------
  const std::string exchanged_bytes = "被告提交的证据材料";
  const auto exchanged = judge->upload(exchanged_bytes, "text/plain");
  auto exchange = judge->post(
      c + "/exchanges", json::object{{"recipient_licence_number", kFiler},
                                     {"items", json::array{json::object{{"item_id", "x1-1"},
                                                                        {"title", "被告证据"},
                                                                        {"blob_hash", exchanged}}}},
                                     {"respond_by_us", now + 7 * kDayUs}});
  ASSERT_EQ(exchange.status, 201u) << exchange;
  const auto x = exchange.text("created_id");
  auto item = lawyer.get(c + "/exchanges/" + x + "/items/x1-1/content");
  ASSERT_EQ(item.status, 200u) << item;
  EXPECT_EQ(item.body, exchanged_bytes);
  ASSERT_EQ(lawyer.post(c + "/exchanges/" + x + "/open").status, 200u);
  auto answered = lawyer.post(
      c + "/exchanges/" + x + "/answer",
      json::object{{"answers", json::array{json::object{{"item_id", "x1-1"},
                                                        {"result", "disagree"},
                                                        {"opinion", "真实性有异议"}}}}});
  ASSERT_EQ(answered.status, 200u) << answered;

  // --- a file review approved and read (module 11) -------------------------------------------
  const std::string transcript = "庭前会议笔录";
  const auto material = cms->upload(transcript, "text/plain");
  auto pushed = cms->post(c + "/file-materials",
                          json::object{{"title", "庭前会议笔录"}, {"blob_hash", material}});
  ASSERT_EQ(pushed.status, 201u) << pushed;
  const auto fm = pushed.text("created_id");
  auto deliberation = cms->post(
      c + "/file-materials",
      json::object{{"title", "合议庭评议笔录"}, {"blob_hash", cms->upload("评议", "text/plain")}});
  ASSERT_EQ(deliberation.status, 201u) << deliberation;
  // The case file's titles are the judge's to show: none before an approval, then only what the
  // judge chose (regression: a lawyer saw every material's title at once).
  auto materials_seen = [&](Client& reader) {
    std::vector<std::string> ids;
    auto r = reader.get(c + "?after=" + std::to_string(last()));
    EXPECT_EQ(r.status, 200u) << r;
    const auto body = r.json();
    for (const auto& m : body.at("file_materials").as_array())
      ids.push_back(text_of(m.as_object(), "material_id"));
    return ids;
  };
  EXPECT_TRUE(materials_seen(lawyer).empty());
  EXPECT_EQ(materials_seen(*judge).size(), 2u);
  auto applied = lawyer.post(c + "/file-reviews", json::object{{"reason", "准备庭审"}});
  ASSERT_EQ(applied.status, 201u) << applied;
  const auto a = applied.text("created_id");
  ASSERT_EQ(judge
                ->post(c + "/file-reviews/" + a + "/approve",
                       json::object{{"material_ids", json::array{json::value(fm)}},
                                    {"from_us", now},
                                    {"until_us", now + 3 * kDayUs}})
                .status,
            200u);
  EXPECT_EQ(materials_seen(lawyer), std::vector<std::string>{fm});
  auto read = lawyer.get(c + "/file-reviews/" + a + "/materials/" + fm);
  ASSERT_EQ(read.status, 200u) << read;
  EXPECT_EQ(read.body, transcript);

  // --- a message replied to (module 10) ------------------------------------------------------
  auto sent = lawyer.post(
      c + "/messages", json::object{{"title", "关于开庭时间"}, {"body", "请问能否调整开庭时间？"}});
  ASSERT_EQ(sent.status, 201u) << sent;
  const auto m = sent.text("created_id");
  ASSERT_EQ(judge->post(c + "/messages/" + m + "/read").status, 200u);
  ASSERT_EQ(
      judge->post(c + "/messages/" + m + "/reply", json::object{{"body", "已调整，请查收通知"}})
          .status,
      200u);
  auto detail = lawyer.get(c);
  ASSERT_EQ(detail.status, 200u) << detail;
  EXPECT_EQ(text_of(find_in(detail.json(), "messages", "message_id", m), "status"), "replied")
      << detail;

  // --- the same work across all the lawyer's cases, as the manual's list screens show it ------
  auto work = lawyer.get("/v1/me/case-work?after=" + std::to_string(last()));
  ASSERT_EQ(work.status, 200u) << work;
  const auto listed = work.json();
  const auto opened = find_in(listed, "evidence_batches", "batch_id", b);
  EXPECT_EQ(text_of(opened, "case_number"), number) << work;
  EXPECT_EQ(text_of(opened, "status"), "submitted") << work;
  ASSERT_TRUE(opened.contains("items") && !opened.at("items").as_array().empty()) << work;
  EXPECT_FALSE(text_of(opened.at("items").as_array()[0].as_object(), "status").empty()) << work;
  EXPECT_EQ(text_of(find_in(listed, "exchanges", "exchange_id", x), "status"), "answered") << work;
  EXPECT_EQ(text_of(find_in(listed, "messages", "message_id", m), "reply_body"),
            "已调整，请查收通知")
      << work;
  EXPECT_EQ(text_of(find_in(listed, "file_reviews", "application_id", a), "status"), "approved")
      << work;
  auto messages = lawyer.get("/v1/me/case-work/messages?limit=1");
  ASSERT_EQ(messages.status, 200u) << messages;
  EXPECT_EQ(messages.json().at("items").as_array().size(), 1u) << messages;
  // Another agent of the case reads the case but none of the lawyer's own correspondence.
  auto co_agent = person(std::string(kCoAgent))->get(c + "?after=" + std::to_string(last()));
  ASSERT_EQ(co_agent.status, 200u) << co_agent;
  EXPECT_TRUE(find_in(co_agent.json(), "messages", "message_id", m).empty()) << co_agent;
  EXPECT_TRUE(find_in(co_agent.json(), "file_reviews", "application_id", a).empty()) << co_agent;
  EXPECT_TRUE(find_in(co_agent.json(), "evidence_batches", "batch_id", b).empty()) << co_agent;
  EXPECT_TRUE(find_in(co_agent.json(), "evidence_exchanges", "exchange_id", x).empty()) << co_agent;
  // Nor in their event feed, where the case's common events still are.
  auto types_in_feed = [&](Client& reader) {
    std::set<std::string> types;
    auto feed = reader.get("/v1/events?category=case&limit=1000");
    EXPECT_EQ(feed.status, 200u) << feed;
    const auto events = feed.json();
    for (const auto& e : events.at("events").as_array()) {
      if (e.at("stream").as_string() == "case-" + number)
        types.insert(std::string(e.at("type").as_string()));
    }
    return types;
  };
  const auto co_agent_types = types_in_feed(*person(std::string(kCoAgent)));
  for (const auto* own :
       {"MessageSentToJudge", "MessageReplied", "FileReviewApplied", "FileReviewApproved",
        "EvidenceBatchOpened", "EvidenceItemAdded", "EvidenceSentForExchange",
        "EvidenceExchangeAnswered", "HearingAvoidanceRequested"})
    EXPECT_EQ(co_agent_types.count(own), 0u) << own;
  EXPECT_EQ(co_agent_types.count("HearingScheduled"), 1u);
  const auto filer_types = types_in_feed(lawyer);
  EXPECT_EQ(filer_types.count("MessageSentToJudge"), 1u);
  EXPECT_EQ(filer_types.count("EvidenceBatchOpened"), 1u);
  // Another lawyer's lists hold none of it.
  auto others = person(std::string(kOutsider))->get("/v1/me/case-work");
  ASSERT_EQ(others.status, 200u) << others;
  EXPECT_TRUE(find_in(others.json(), "messages", "message_id", m).empty()) << others;
  EXPECT_TRUE(find_in(others.json(), "evidence_batches", "batch_id", b).empty()) << others;

  // --- a document served, its SMS key taken from the outbox, signed, downloaded (module 9) ---
  const std::string summons_bytes = "%PDF-1.7 开庭传票";
  const auto summons = judge->upload(summons_bytes);
  auto served = judge->post(c + "/services", json::object{{"document_type", "summons"},
                                                          {"title", "开庭传票"},
                                                          {"blob_hash", summons},
                                                          {"recipient_licence_number", kFiler}});
  ASSERT_EQ(served.status, 201u) << served;
  const std::string service = served.text("created_id");
  ASSERT_FALSE(service.empty());
  const std::string s = "/v1/services/" + url_encode(service);
  EXPECT_EQ(lawyer.get(s + "/document").status, 409u) << "not before it is signed";

  auto admin = person("admin");
  settle();  // the SMS gateway's cursor is its own, so wait until the outbox holds the serve
  auto outbox = admin->get("/v1/outbox/sms?after=0&limit=1000");
  ASSERT_EQ(outbox.status, 200u) << outbox;
  std::string key;
  const auto rows = outbox.json();
  for (const auto& row : rows.at("items").as_array()) {
    if (text_of(row.as_object(), "service_id") == service)
      key = text_of(row.as_object(), "sms_key");
  }
  ASSERT_EQ(key.size(), 6u) << outbox;
  ASSERT_EQ(lawyer.post(s + "/open").status, 200u);
  auto signed_ = lawyer.post(s + "/signature", json::object{{"sms_key", key}});
  ASSERT_EQ(signed_.status, 200u) << signed_;
  auto document = lawyer.get(s + "/document");
  ASSERT_EQ(document.status, 200u) << document;
  EXPECT_EQ(document.body, summons_bytes);
  EXPECT_EQ(document.header("content-type"), "application/pdf");
  auto documents = lawyer.get("/v1/me/documents?after=" + std::to_string(last()));
  ASSERT_EQ(documents.status, 200u) << documents;
  EXPECT_FALSE(find_in(documents.json(), "signed", "service_id", service).empty()) << documents;

  // --- log out: the token stops working ------------------------------------------------------
  EXPECT_EQ(lawyer.del("/v1/sessions/current").status, 204u);
  EXPECT_EQ(lawyer.get("/v1/me/home").status, 401u);
}

// Notice §1: real-name verification. Where the court requires it, a clerk accepts a filing only
// once the court's identity service (through the court's system) verified every party, or with a
// reason that is recorded.
TEST_F(JourneyTest, AFilingIsAcceptedOnlyOnceEveryPartysIdentityIsVerifiedOrWithAReason) {
  auto admin = person("admin");
  auto policy = admin->post("/v1/courts/" + url_encode(kCourt) + "/policy",
                            json::object{{"identity_verification_required", true}});
  ASSERT_EQ(policy.status, 200u) << policy;
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  auto cms = court_system();
  const auto first = submitted_filing(*lawyer, "first");
  const auto before = last();
  auto refused = clerk->post("/v1/filings/" + first + "/accept");
  ASSERT_EQ(refused.status, 409u) << refused;
  EXPECT_NE(refused.body.find("(p1) is unverified"), std::string::npos) << refused;
  EXPECT_EQ(last(), before) << "a refused acceptance allocates and writes nothing";

  const std::string checks = "/v1/filings/" + first + "/identity-checks";
  EXPECT_EQ(lawyer
                ->post(checks, json::object{{"party_id", "p1"},
                                            {"method", "document_comparison"},
                                            {"result", "verified"}})
                .status,
            403u)
      << "only the court's system records them";
  for (const auto* party : {"p1", "p2"}) {
    auto recorded = cms->post(checks, json::object{{"party_id", party},
                                                   {"method", "document_comparison"},
                                                   {"result", "verified"}});
    ASSERT_EQ(recorded.status, 200u) << recorded;
  }
  auto accepted = clerk->post("/v1/filings/" + first + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  auto shown = lawyer->get("/v1/filings/" + first + "?after=" + std::to_string(last()));
  ASSERT_EQ(shown.status, 200u) << shown;
  EXPECT_EQ(text_of(find_in(shown.json(), "identity_checks", "party_id", "p2"), "result"),
            "verified")
      << shown;

  // Another, whose party failed, is accepted with the clerk's reason, which is recorded.
  const auto second = submitted_filing(*lawyer, "second");
  ASSERT_EQ(cms->post("/v1/filings/" + second + "/identity-checks",
                      json::object{{"party_id", "p1"},
                                   {"method", "real_name_phone"},
                                   {"result", "failed"},
                                   {"note", "手机号未实名"}})
                .status,
            200u);
  auto failed = clerk->post("/v1/filings/" + second + "/accept");
  ASSERT_EQ(failed.status, 409u) << failed;
  EXPECT_NE(failed.body.find("(p1) failed real_name_phone"), std::string::npos) << failed;
  auto overridden = clerk->post("/v1/filings/" + second + "/accept",
                                json::object{{"identity_override_reason", "当事人到庭核验身份"}});
  ASSERT_EQ(overridden.status, 200u) << overridden;
  auto second_shown = clerk->get("/v1/filings/" + second + "?after=" + std::to_string(last()));
  ASSERT_EQ(second_shown.status, 200u) << second_shown;
  EXPECT_EQ(second_shown.text("identity_override_reason"), "当事人到庭核验身份") << second_shown;
}

TEST_F(JourneyTest, AFilingIsMediatedOnlineAndItsAgreementJudiciallyConfirmed) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  auto judge = person("judge01");
  auto cms = court_system();
  const std::string court = std::string(kCourt);
  const auto opted_out = submitted_filing(*lawyer, "opted-out");
  const std::int64_t deadline = 1'767'225'600'000'000 + 30 * kDayUs;
  const json::object referral{{"mediator", "陈调解员"},
                              {"mediation_organisation", "渝中区人民调解委员会"},
                              {"deadline_at_us", deadline}};
  const auto before = last();
  auto refused = clerk->post("/v1/filings/" + opted_out + "/mediation-referral", referral);
  ASSERT_EQ(refused.status, 409u) << refused;
  EXPECT_EQ(last(), before) << "a refused referral writes nothing";

  const auto id = submitted_filing(*lawyer, "mediation", court, true);
  const std::string base = "/v1/filings/" + id;
  EXPECT_EQ(lawyer->post(base + "/mediation-referral", referral).status, 403u);
  EXPECT_EQ(
      clerk->post(base + "/mediation-referral", json::object{{"deadline_at_us", deadline}}).status,
      422u)
      << "a mediator or an organisation is required";
  auto referred = clerk->post(base + "/mediation-referral", referral);
  ASSERT_EQ(referred.status, 200u) << referred;
  const std::string after = "?after=" + std::to_string(last());
  auto queue = clerk->get("/v1/courts/" + url_encode(court) + "/review-queue" + after);
  ASSERT_EQ(queue.status, 200u) << queue;
  EXPECT_TRUE(find_in(queue.json(), "pending", "filing_id", id).empty()) << queue;
  EXPECT_EQ(find_in(queue.json(), "in_mediation", "filing_id", id)["mediation_deadline_at_us"],
            json::value(deadline))
      << queue;
  auto mine = lawyer->get("/v1/filings/" + id + after);
  ASSERT_EQ(mine.status, 200u) << mine;
  EXPECT_EQ(mine.text("status"), "in_mediation") << mine;
  EXPECT_EQ(clerk->post(base + "/accept").status, 409u) << "not while in mediation";

  // The mediation platform's agreement, relayed by the court's system with its document.
  const std::string agreement_bytes = "调解协议书：被告于2026年2月1日前偿还借款十万元。";
  const auto agreement = cms->upload(agreement_bytes, "text/plain");
  EXPECT_EQ(cms->post(base + "/mediation-outcome", json::object{{"outcome", "agreement"}}).status,
            422u)
      << "an agreement needs its document";
  auto concluded =
      cms->post(base + "/mediation-outcome", json::object{{"outcome", "agreement"},
                                                          {"agreement_blob_hash", agreement},
                                                          {"note", "双方自愿达成协议"}});
  ASSERT_EQ(concluded.status, 200u) << concluded;
  auto shown = lawyer->get(base + "?after=" + std::to_string(last()));
  ASSERT_EQ(shown.status, 200u) << shown;
  EXPECT_EQ(shown.text("status"), "mediated") << shown;
  EXPECT_EQ(shown.text("ecf_status"), "mediated") << shown;
  const auto m = shown.json().as_object().at("mediation_referral").as_object();
  EXPECT_EQ(text_of(m, "outcome"), "agreement");
  EXPECT_EQ(text_of(m, "agreement_blob_hash"), agreement);
  EXPECT_EQ(text_of(m, "mediation_organisation"), "渝中区人民调解委员会");
  auto document = lawyer->get("/v1/blobs/" + agreement + "?filing=" + id);
  ASSERT_EQ(document.status, 200u) << document;
  EXPECT_EQ(document.body, agreement_bytes);

  // The filer applies for judicial confirmation; a judge of the court confirms.
  EXPECT_EQ(judge->post(base + "/judicial-confirmation/decision", json::object{{"confirmed", true}})
                .status,
            409u)
      << "nothing applied for yet";
  auto applied = lawyer->post(base + "/judicial-confirmation");
  ASSERT_EQ(applied.status, 200u) << applied;
  auto inbox = judge->get("/v1/courts/" + url_encode(court) +
                          "/review-queue?after=" + std::to_string(last()));
  ASSERT_EQ(inbox.status, 200u) << inbox;
  EXPECT_FALSE(find_in(inbox.json(), "awaiting_confirmation", "filing_id", id).empty()) << inbox;
  EXPECT_EQ(clerk->post(base + "/judicial-confirmation/decision", json::object{{"confirmed", true}})
                .status,
            403u);
  auto confirmed =
      judge->post(base + "/judicial-confirmation/decision", json::object{{"confirmed", true}});
  ASSERT_EQ(confirmed.status, 200u) << confirmed;
  auto final_view = lawyer->get(base + "?after=" + std::to_string(last()));
  EXPECT_EQ(text_of(final_view.json().as_object().at("mediation_referral").as_object(),
                    "judicial_confirmation"),
            "confirmed")
      << final_view;
  auto listed = lawyer->get("/v1/me/filings");
  ASSERT_EQ(listed.status, 200u) << listed;
  EXPECT_NE(listed.body.find("\"judicial_confirmation\":\"confirmed\""), std::string::npos)
      << listed;
}

// Notice §4: an online hearing needs the parties' consent and nothing ruling it out; a judge
// outside the courtroom needs the president's approval; each participant confirms the transcript
// online; the online no-show rule holds only those who consented to an online hearing.
TEST_F(LongJourneyTest, AnOnlineHearingIsHeldByTheRulesAndItsTranscriptConfirmedByEachParticipant) {
  auto cms = court_system();
  auto judge = person("judge01");
  auto president = person("president01");
  auto lawyer = person(std::string(kFiler));
  const std::string number = "(2026)渝0103民初8001号";
  const std::string c = "/v1/cases/" + url_encode(number);
  auto docketed = cms->post(
      "/v1/cases",
      json::object{
          {"case_number", number},
          {"category", "civil_first_instance"},
          {"accepted_on_us", 1'767'225'600'000'000},
          {"judge", "judge01"},
          {"parties",
           json::array{
               json::object{{"party_id", "p1"}, {"name", "甲"}, {"standing", "plaintiff"}},
               json::object{{"party_id", "p2"}, {"name", "乙"}, {"standing", "defendant"}}}},
          {"agents", json::array{json::object{{"licence_number", kFiler},
                                              {"name", "张律师"},
                                              {"represents", json::array{"p1"}}}}}});
  ASSERT_EQ(docketed.status, 201u) << docketed;
  ASSERT_EQ(
      lawyer
          ->post(c + "/online-hearing-consent", json::object{{"party_id", "p1"}, {"consent", true}})
          .status,
      200u);
  ASSERT_EQ(
      judge
          ->post(c + "/online-hearing-consent", json::object{{"party_id", "p2"}, {"consent", true}})
          .status,
      200u);
  const std::int64_t starts = 1'767'225'600'000'000 + 5 * kDayUs;
  const json::object online{
      {"starts_at_us", starts}, {"length_minutes", 60}, {"place", "第三法庭"}, {"online", true}};

  // An exclusion recorded by the judge rules an online hearing out; cleared, it is scheduled.
  EXPECT_EQ(lawyer
                ->post(c + "/online-hearing-exclusions",
                       json::object{{"exclusions", json::array{"originals_to_compare"}}})
                .status,
            403u);
  EXPECT_EQ(judge
                ->post(c + "/online-hearing-exclusions",
                       json::object{{"exclusions", json::array{"a_reason_we_do_not_know"}}})
                .status,
            400u);
  ASSERT_EQ(judge
                ->post(c + "/online-hearing-exclusions",
                       json::object{{"exclusions", json::array{"originals_to_compare"}},
                                    {"note", "借条原件需当庭核对"}})
                .status,
            200u);
  auto refused = judge->post(c + "/hearings", online);
  ASSERT_EQ(refused.status, 409u) << refused;
  EXPECT_NE(refused.body.find("originals_to_compare"), std::string::npos) << refused;
  ASSERT_EQ(
      judge->post(c + "/online-hearing-exclusions", json::object{{"exclusions", json::array{}}})
          .status,
      200u);
  auto scheduled = judge->post(c + "/hearings", online);
  ASSERT_EQ(scheduled.status, 201u) << scheduled;
  const std::string h = c + "/hearings/" + scheduled.text("created_id");

  // The judge sits elsewhere: held only once the court president approves.
  ASSERT_EQ(judge
                ->post(h + "/outside-courtroom",
                       json::object{{"judge_location", "万州区人民法庭"}, {"reason", "巡回审判"}})
                .status,
            200u);
  clock_.advance(5 * kDayUs + 60'000'000);
  auto unapproved = judge->post(h + "/hold");
  ASSERT_EQ(unapproved.status, 409u) << unapproved;
  EXPECT_EQ(judge->post(h + "/outside-courtroom/decision", json::object{{"approved", true}}).status,
            403u)
      << "the judge in charge is not the president";
  auto approved =
      president->post(h + "/outside-courtroom/decision", json::object{{"approved", true}});
  ASSERT_EQ(approved.status, 200u) << approved;
  ASSERT_EQ(judge->post(h + "/hold").status, 200u);

  // p2 consented, did not attend, and no failure excuses it: refused to appear.
  auto absent = judge->post(h + "/absences", json::object{{"party_id", "p2"}, {"kind", "no_show"}});
  ASSERT_EQ(absent.status, 200u) << absent;

  // The transcript arrives from speech recognition; each participant confirms it online.
  const std::string transcript_bytes = "庭审笔录：审判员：现在开庭……";
  const auto transcript = cms->upload(transcript_bytes, "text/plain");
  EXPECT_EQ(lawyer->post(h + "/transcript/confirmations").status, 409u) << "none recorded yet";
  ASSERT_EQ(cms->post(h + "/transcript", json::object{{"blob_hash", transcript}}).status, 200u);
  auto to_confirm = lawyer->get("/v1/me/hearings/held?after=" + std::to_string(last()));
  ASSERT_EQ(to_confirm.status, 200u) << to_confirm;
  EXPECT_NE(to_confirm.body.find("\"transcript_to_confirm\":true"), std::string::npos)
      << to_confirm;
  ASSERT_EQ(lawyer->post(h + "/transcript/confirmations").status, 200u);
  ASSERT_EQ(judge->post(h + "/transcript/confirmations").status, 200u);
  ASSERT_EQ(cms->post(h + "/transcript/confirmations", json::object{{"party_id", "p1"}}).status,
            200u);
  auto download = lawyer->get(h + "/transcript");
  ASSERT_EQ(download.status, 200u) << download;
  EXPECT_EQ(download.body, transcript_bytes);

  auto shown = lawyer->get(c + "?after=" + std::to_string(last()));
  ASSERT_EQ(shown.status, 200u) << shown;
  const auto hearing =
      find_in(shown.json(), "hearings", "hearing_id", scheduled.text("created_id"));
  ASSERT_FALSE(hearing.empty()) << shown;
  EXPECT_EQ(text_of(hearing, "outside_courtroom"), "approved");
  EXPECT_EQ(text_of(hearing, "judge_location"), "万州区人民法庭");
  EXPECT_EQ(text_of(hearing.at("absences").as_array().at(0).as_object(), "finding"),
            "refused_to_appear");
  const auto& record = hearing.at("transcript").as_object();
  EXPECT_EQ(record.at("confirmations").as_array().size(), 3u) << shown;
  const auto& awaiting = record.at("awaiting").as_array();
  ASSERT_EQ(awaiting.size(), 1u) << shown;
  EXPECT_EQ(text_of(awaiting.at(0).as_object(), "participant"), "p2");
  EXPECT_EQ(text_of(awaiting.at(0).as_object(), "kind"), "party");
  auto mine = lawyer->get("/v1/me/hearings/held?after=" + std::to_string(last()));
  ASSERT_EQ(mine.status, 200u) << mine;
  EXPECT_NE(mine.body.find("\"transcript_to_confirm\":false"), std::string::npos)
      << "confirmed already: " << mine;
}

}  // namespace
}  // namespace docket::api::testing
