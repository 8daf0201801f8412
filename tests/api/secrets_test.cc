// No secret ever enters an event. A whole journey over HTTP — an admin registers staff and a
// court system (with its API key), a lawyer is imported from a roster, logs in and changes the
// password, files, pays, is served a document and signs with the SMS key, binds an old case —
// and then every byte a reader of the record can see is scanned for credential material:
// every key and value of the store's families but the credential store and the sessions, every
// page of /v1/events, the SSE feed, `docket export` (with payloads) and `docket history` of
// every stream. A single password, hash, API key, token, SMS key or digest of one fails it.
#include <gtest/gtest-spi.h>
#include <rocksdb/db.h>

#include <boost/beast/core/detail/base64.hpp>

#include <set>
#include <sstream>

#include "api_fixture.h"
#include "docket/app/secrets.h"
#include "docket/domain/core.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "docket/replay/history.h"

namespace docket::api::testing {
namespace {

constexpr std::string_view kNewLawyer = "15001201810017777";
constexpr std::int64_t kOldCaseAcceptedUs = 1'500'000'000'000'000LL;  // 2017-07-14

std::string base64_decode(std::string_view text) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::decoded_size(text.size()), '\0');
  auto [written, read] = b64::decode(out.data(), text.data(), text.size());
  out.resize(written);
  (void)read;
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether `needle` occurs in `hay`; a needle of digits only counts when no digit adjoins it (a
// six-digit SMS key may well occur inside a longer number by chance).
bool occurs(std::string_view hay, std::string_view needle) {
  const bool digits = std::all_of(needle.begin(), needle.end(), is_digit);
  for (auto at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) {
    if (!digits)
      return true;
    const bool before = at > 0 && is_digit(hay[at - 1]);
    const bool after = at + needle.size() < hay.size() && is_digit(hay[at + needle.size()]);
    if (!before && !after)
      return true;
  }
  return false;
}

class SecretsTest : public ApiTest {
 protected:
  // A secret and every form of it that must not appear.
  void secret(const std::string& what, const std::string& value) {
    ASSERT_FALSE(value.empty()) << what;
    needles_.emplace_back(what, value);
    needles_.emplace_back("SHA-256 of " + what, engine::to_hex(engine::sha256(value)));
    for (const auto* purpose : {"api-key", "legacy-binding", "session-token"}) {
      needles_.emplace_back(std::string("keyed digest (") + purpose + ") of " + what,
                            secrets_.keyed_digest(purpose, value));
    }
  }

  // Every appearance of a secret in `bytes`, named by `where`.
  void scan(const std::string& where, std::string_view bytes) {
    ++scanned_;
    for (const auto& [what, value] : needles_) {
      if (occurs(bytes, value))
        ADD_FAILURE() << what << " found in " << where;
    }
    if (occurs(bytes, "$argon2"))
      ADD_FAILURE() << "an Argon2 hash found in " << where;
  }

  // The feed and the auditors' tools render payloads as base64 or JSON: scan both.
  void scan_json(const std::string& where, const json::value& v) {
    if (const auto* o = v.if_object()) {
      for (const auto& [k, member] : *o) {
        if (k == "payload_base64" && member.is_string())
          scan(where + " (decoded payload)", base64_decode(member.get_string()));
        scan_json(where, member);
      }
    } else if (const auto* a = v.if_array()) {
      for (const auto& item : *a)
        scan_json(where, item);
    }
  }

  void login_secret(const Reply& r) {
    const auto token = r.text("token");
    if (!token.empty())
      secret("a session token", token);
  }

  std::vector<std::pair<std::string, std::string>> needles_;
  std::size_t scanned_ = 0;
};

TEST_F(SecretsTest, NoCredentialOfAWholeJourneyIsInTheLogTheFeedTheExportOrTheHistory) {
  // --- the admin: first login, password change --------------------------------------------
  auto admin = anonymous();
  const std::string admin_first = logins_.at("admin").secret;
  auto r = admin->post("/v1/sessions", json::object{{"login", "admin"}, {"password", admin_first}});
  ASSERT_EQ(r.status, 201u) << r;
  admin->bearer = r.text("token");
  secret("the admin's first password", admin_first);
  login_secret(r);
  const std::string admin_password = "admin-Strong-Pass-4417";
  secret("the admin's password", admin_password);
  ASSERT_EQ(admin
                ->post("/v1/me/password", json::object{{"old_password", admin_first},
                                                       {"new_password", admin_password}})
                .status,
            200u);

  // Every demo login's first secret (but lawyers', which are their public licence numbers).
  for (const auto& [login, l] : logins_) {
    if (l.role != "lawyer" && !l.secret.empty())
      secret("the first secret of " + login, l.secret);
  }

  // --- staff and a court system registered by the admin ----------------------------------
  const std::string clerk_first = "clerk-Initial-Pass-2231";
  secret("the new clerk's first password", clerk_first);
  r = admin->post("/v1/staff", json::object{{"staff_id", "clerk-s9"},
                                            {"name", "书记员九"},
                                            {"role", "clerk"},
                                            {"court", kCourt},
                                            {"initial_password", clerk_first}});
  ASSERT_EQ(r.status, 201u) << r;
  r = admin->post("/v1/staff", json::object{{"staff_id", "cms-s9"},
                                            {"name", "审判系统九"},
                                            {"role", "court_system"},
                                            {"court", kCourt}});
  ASSERT_EQ(r.status, 201u) << r;
  const std::string cms_key = r.text("api_key");
  ASSERT_FALSE(cms_key.empty()) << r;
  secret("the new court system's API key", cms_key);
  secret("the secret part of the API key", cms_key.substr(cms_key.find('.') + 1));
  r = admin->post("/v1/staff/cms-s9/api-key");
  ASSERT_EQ(r.status, 200u) << r;
  const std::string rotated_key = r.text("api_key");
  ASSERT_FALSE(rotated_key.empty()) << r;
  secret("the rotated API key", rotated_key);
  secret("the demo court system's API key", "cms0103." + std::string(kCourtSystemKey));

  auto clerk = anonymous();
  r = clerk->post("/v1/sessions", json::object{{"login", "clerk-s9"}, {"password", clerk_first}});
  ASSERT_EQ(r.status, 201u) << r;
  login_secret(r);
  clerk->bearer = r.text("token");
  const std::string clerk_password = "clerk-Chosen-Pass-7719";
  secret("the new clerk's password", clerk_password);
  ASSERT_EQ(clerk
                ->post("/v1/me/password", json::object{{"old_password", clerk_first},
                                                       {"new_password", clerk_password}})
                .status,
            200u);

  // --- a lawyer from a roster: first login, password change --------------------------------
  r = admin->post(
      "/v1/roster",
      json::object{{"firm", "重庆某某律师事务所"},
                   {"lawyers", json::array{json::object{{"name", "赵六"},
                                                        {"licence_number", kNewLawyer},
                                                        {"id_number", "500103198502021234"},
                                                        {"phone", "13800000077"},
                                                        {"email", "zhao@example.com"}}}}});
  ASSERT_EQ(r.status / 100, 2u) << r;
  auto newcomer = anonymous();
  r = newcomer->post("/v1/sessions", json::object{{"login", kNewLawyer}, {"password", kNewLawyer}});
  ASSERT_EQ(r.status, 201u) << r;
  login_secret(r);
  newcomer->bearer = r.text("token");
  const std::string lawyer_password = "lawyer-Chosen-Pass-5520";
  secret("the new lawyer's password", lawyer_password);
  ASSERT_EQ(newcomer
                ->post("/v1/me/password", json::object{{"old_password", std::string(kNewLawyer)},
                                                       {"new_password", lawyer_password}})
                .status,
            200u);
  r = anonymous()->post("/v1/sessions",
                        json::object{{"login", kNewLawyer}, {"password", lawyer_password}});
  ASSERT_EQ(r.status, 201u) << r;
  login_secret(r);

  // --- a filing by the demo's lawyer, accepted and paid ------------------------------------
  auto filer = person(std::string(kFiler));
  secret("the filer's token", filer->bearer);
  secret("the filer's password", "changed-" + std::string(kFiler));
  const std::string filing = submitted_filing(*filer);
  auto demo_clerk = person("clerk01");
  secret("the demo clerk's token", demo_clerk->bearer);
  secret("the demo clerk's password", "changed-clerk01");
  r = demo_clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(r.status, 200u) << r;
  const std::string number = r.text("case_number");
  settle();
  auto payments = filer->get("/v1/me/payments?after=" + std::to_string(last()));
  std::string code;
  const auto payments_json = payments.json();
  for (const auto& n : payments_json.at("notices").at("items").as_array()) {
    if (n.as_object().at("filing_id").as_string() == filing)
      code = std::string(n.as_object().at("code").as_string());
  }
  ASSERT_FALSE(code.empty()) << payments;
  r = filer->post("/v1/payment-notices/" + code + "/payments", json::object{{"channel", "wechat"}});
  ASSERT_EQ(r.status, 201u) << r;
  const std::string callback = json::serialize(json::object{{"filing_id", filing},
                                                            {"attempt", r.number("attempt")},
                                                            {"transaction_id", "wx-4200009999"},
                                                            {"amount_fen", 230'000},
                                                            {"receipt_number", "渝财电票-0009"}});
  secret("the payment secret", std::string(kPaymentSecret));
  r = anonymous()->send(beast::http::verb::post, "/v1/payments/callback", callback,
                        {{"X-Payment-Signature", app::SodiumSecrets::hmac_sha256_hex(
                                                     std::string(kPaymentSecret), callback)}});
  ASSERT_EQ(r.status, 200u) << r;

  // --- a document served and signed with the SMS key ---------------------------------------
  const std::string c = "/v1/cases/" + url_encode(number);
  auto cms = court_system();
  ASSERT_EQ(cms->post(c + "/judge", json::object{{"judge", "judge01"}}).status, 200u);
  auto judge = person("judge01");
  secret("the judge's token", judge->bearer);
  secret("the judge's password", "changed-judge01");
  const auto summons = judge->upload("%PDF-1.7 传票");
  r = judge->post(c + "/services", json::object{{"document_type", "summons"},
                                                {"title", "开庭传票"},
                                                {"blob_hash", summons},
                                                {"recipient_licence_number", kFiler}});
  ASSERT_EQ(r.status, 201u) << r;
  const std::string service = r.text("created_id");
  const std::string s = "/v1/services/" + url_encode(service);
  ASSERT_EQ(filer->post(s + "/sms-key").status / 100, 2u) << "a second key, also secret";
  settle();
  auto outbox = admin->get("/v1/outbox/sms?after=0&limit=1000");
  ASSERT_EQ(outbox.status, 200u) << outbox;
  std::string key;
  const auto outbox_json = outbox.json();
  for (const auto& row : outbox_json.at("items").as_array()) {
    if (row.as_object().at("service_id").as_string() == service) {
      key = std::string(row.as_object().at("sms_key").as_string());
      secret("an SMS key", key);
    }
  }
  ASSERT_EQ(key.size(), 6u) << outbox;
  ASSERT_EQ(filer->post(s + "/signature", json::object{{"sms_key", key}}).status, 200u);

  // --- an old case registered by the court system and bound by a lawyer --------------------
  const std::string query_code = "Q-2017-LEGACY-8812";
  const std::string notice_password = "notice-pw-66120";
  secret("an old case's query code", query_code);
  secret("an old case's notice password", notice_password);
  secret("an old case's query code and password",
         query_code + std::string(1, '\0') + notice_password);
  const std::string old_number = "(2017)渝0103民初99号";
  r = cms->post(
      "/v1/cases",
      json::object{
          {"case_number", old_number},
          {"category", "民初"},
          {"accepted_on_us", kOldCaseAcceptedUs},
          {"parties",
           json::array{
               json::object{{"party_id", "p1"}, {"name", "甲"}, {"standing", "plaintiff"}},
               json::object{{"party_id", "p2"}, {"name", "乙"}, {"standing", "defendant"}}}},
          {"query_code", query_code},
          {"password", notice_password}});
  ASSERT_EQ(r.status, 201u) << r;
  const std::string bind = "/v1/cases/" + url_encode(old_number) + "/binding";
  r = newcomer->post(bind, json::object{{"query_code", query_code}, {"password", "wrong-guess"}});
  EXPECT_EQ(r.status, 403u) << r;
  r = newcomer->post(bind, json::object{{"query_code", query_code}, {"password", notice_password}});
  EXPECT_EQ(r.status, 200u) << r;
  settle();

  // The credentials the server keeps, in every form: they must be in no other family.
  auto* credentials = store_->column_family_if_exists(engine::format::kCfCredentials);
  ASSERT_NE(credentials, nullptr);
  {
    std::unique_ptr<rocksdb::Iterator> it(
        store_->db()->NewIterator(rocksdb::ReadOptions(), credentials));
    std::size_t kept = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++kept)
      needles_.emplace_back("the stored credential of " + it->key().ToString(),
                            it->value().ToString());
    EXPECT_GE(kept, 8u) << "passwords, API keys and the old case's digest are kept there";
  }
  {
    auto* sessions = store_->column_family_if_exists("api.sessions");
    ASSERT_NE(sessions, nullptr);
    std::unique_ptr<rocksdb::Iterator> it(
        store_->db()->NewIterator(rocksdb::ReadOptions(), sessions));
    for (it->Seek("s"); it->Valid() && it->key().starts_with("s"); it->Next()) {
      needles_.emplace_back("a stored session key", it->key().ToString().substr(1));
      // A session key is the token's keyed digest, not its bare SHA-256.
      EXPECT_EQ(it->key().size(), 65u);
    }
  }
  for (const auto& [what, value] : needles_) {
    if (what.starts_with("a session token") || what.ends_with("token")) {
      EXPECT_FALSE(store_->db()
                       ->Get(rocksdb::ReadOptions(),
                             store_->column_family_if_exists("api.sessions"),
                             "s" + engine::to_hex(engine::sha256(value)), &code)
                       .ok())
          << "a session stored under the bare SHA-256 of its token";
    }
  }

  // --- every family of the store but the two that hold credentials --------------------------
  for (const auto& name : store_->column_family_names()) {
    if (name == engine::format::kCfCredentials || name == "api.sessions")
      continue;
    auto* family = store_->column_family_if_exists(name);
    ASSERT_NE(family, nullptr) << name;
    std::unique_ptr<rocksdb::Iterator> it(
        store_->db()->NewIterator(rocksdb::ReadOptions(), family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      scan("a key of " + name, it->key().ToStringView());
      scan("a value of " + name + " under " + it->key().ToString(), it->value().ToStringView());
    }
  }

  // --- the event feed, paged and streamed ---------------------------------------------------
  auto auditor = person("auditor01");
  secret("the auditor's token", auditor->bearer);
  for (auto* reader : {admin.get(), auditor.get()}) {
    std::uint64_t after = 0;
    for (;;) {
      auto page = reader->get("/v1/events?after=" + std::to_string(after) + "&limit=1000");
      ASSERT_EQ(page.status, 200u) << page;
      scan("/v1/events", page.body);
      scan_json("/v1/events", page.json());
      const auto next = page.number("next_after");
      if (next <= after || next >= last())
        break;
      after = next;
    }
  }
  {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get,
                                                      "/v1/events/stream?after=0", 11};
    req.set(beast::http::field::host, "127.0.0.1");
    req.set(beast::http::field::authorization, "Bearer " + admin->bearer);
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(256u << 20);
    const std::string last_id = "id: " + std::to_string(last()) + "\n";
    auto complete = [&] {  // the last event's whole block arrived
      const auto& body = parser.get().body();
      const auto at = body.find(last_id);
      return at != std::string::npos && body.find("\n\n", at) != std::string::npos;
    };
    while (!complete()) {
      beast::error_code ec;
      beast::http::read_some(stream, buffer, parser, ec);
      ASSERT_FALSE(ec) << "the feed ended early: " << ec.message();
    }
    const auto& body = parser.get().body();
    scan("the SSE feed", body);
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("data: "))
        scan_json("the SSE feed", json::parse(line.substr(6)));
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  // --- docket export (with payloads) and docket history of every stream ----------------------
  {
    std::ostringstream out;
    replay::ExportOptions options;
    options.payloads = true;
    auto exported = replay::write_export(*store_, options, out);
    ASSERT_TRUE(exported) << exported.error().message;
    EXPECT_EQ(exported->records, last());
    scan("docket export", out.str());
  }
  std::set<std::string> streams;
  {
    std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(
        rocksdb::ReadOptions(), store_->column_family_if_exists(engine::format::kCfHeads)));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      streams.insert(it->key().ToString());
  }
  EXPECT_GT(streams.size(), 10u);
  for (const auto& stream : streams) {
    for (auto format : {replay::OutputFormat::kJsonLines, replay::OutputFormat::kTable}) {
      std::ostringstream out;
      replay::HistoryOptions options;
      options.format = format;
      auto written = replay::write_history(*store_, stream, options, out);
      ASSERT_TRUE(written) << stream << ": " << written.error().message;
      scan("docket history " + stream, out.str());
    }
  }
  EXPECT_GT(scanned_, 100u);
}

// The scanner itself finds what it looks for: a value planted in the log is named.
TEST_F(SecretsTest, TheScannerFindsAPlantedSecret) {
  secret("a planted password", "planted-Pass-0042");
  EXPECT_NONFATAL_FAILURE(scan("a test value", "...planted-Pass-0042..."), "a planted password");
  EXPECT_NONFATAL_FAILURE(scan("a test value", engine::to_hex(engine::sha256("planted-Pass-0042"))),
                          "SHA-256 of a planted password");
  EXPECT_NONFATAL_FAILURE(scan("a test value", "x$argon2id$v=19$m=8"), "Argon2");
  secret("a key", "123456");
  EXPECT_NONFATAL_FAILURE(scan("a test value", "key:123456."), "a key");
}

}  // namespace
}  // namespace docket::api::testing
