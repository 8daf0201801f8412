// The API under test: a DocketServer over a real store in a temporary directory, on a manual
// clock, with the demo court bootstrapped, listening on 127.0.0.1 on an ephemeral port; and a
// small synchronous keep-alive HTTP client (Beast) to talk to it.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../engine/temp_dir.h"
#include "contract_check.h"
#include "docket/api/routes.h"
#include "docket/api/server.h"
#include "docket/app/demo.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"

namespace docket::api::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

inline constexpr std::int64_t kDayUs = 86'400'000'000LL;
inline constexpr std::int64_t kHourUs = 3'600'000'000LL;
inline constexpr std::string_view kCourt = "渝0103";
inline constexpr std::string_view kFiler = "15001201810010001";
inline constexpr std::string_view kCoAgent = "15001201810010002";
inline constexpr std::string_view kOutsider = "15001201810010003";
inline constexpr std::string_view kPaymentSecret = "payment-provider-secret";
inline constexpr std::string_view kCourtSystemKey = "test-court-system-key-0123456789abcdef0123";

using Headers = std::vector<std::pair<std::string, std::string>>;

// Bytes of a file of the given type (its signature, then `text`), as uploads must be.
inline std::string pdf(std::string_view text) {
  return "%PDF-1.7\n" + std::string(text);
}
inline std::string jpeg(std::string_view text) {
  return "\xFF\xD8\xFF\xE0" + std::string(text);
}
inline std::string png(std::string_view text) {
  return "\x89PNG\r\n\x1A\n" + std::string(text);
}

// A reply as the client saw it.
struct Reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  json::value json() const {
    json::error_code ec;
    auto v = json::parse(body, ec);
    return ec ? json::value() : v;
  }
  // A string member of the JSON body ("" when absent).
  std::string text(std::string_view key) const {
    auto v = json();
    const auto* o = v.if_object();
    const auto* m = o ? o->if_contains(key) : nullptr;
    return m && m->is_string() ? std::string(m->get_string()) : std::string();
  }
  std::uint64_t number(std::string_view key) const {
    auto v = json();
    const auto* o = v.if_object();
    const auto* m = o ? o->if_contains(key) : nullptr;
    return m && m->is_number() ? m->to_number<std::uint64_t>() : 0;
  }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline std::ostream& operator<<(std::ostream& out, const Reply& r) {
  return out << r.status << " " << r.body;
}

inline std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// The route's path with each parameter ("{name}") replaced by value_of(name).
inline std::string target(const RouteSpec& route,
                          const std::function<std::string(std::string_view)>& value_of) {
  std::string out;
  std::string_view path = route.path;
  while (!path.empty()) {
    const auto open = path.find('{');
    if (open == std::string_view::npos) {
      out += path;
      break;
    }
    out += path.substr(0, open);
    const auto close = path.find('}', open);
    out += value_of(path.substr(open + 1, close - open - 1));
    path.remove_prefix(close + 1);
  }
  return out;
}

// A synchronous HTTP/1.1 client on one keep-alive connection (reconnects when the server
// closed it). Carries the caller's credentials. Every reply is held against the published
// contract (contract_check.h) while a test server is open: a breach fails the test.
class Client {
 public:
  explicit Client(std::uint16_t port) : port_(port) {}

  // The contract of the server under test (set by ApiTest while it is open).
  static inline std::shared_ptr<const ContractCheck> contract;

  std::string bearer;   // sent as Authorization: Bearer
  std::string api_key;  // sent as X-Api-Key
  // The local address to connect from (another loopback address such as 127.0.0.2 stands for
  // another client machine); empty: the system's choice.
  std::string source_address;

  Reply send(beast::http::verb method, const std::string& target, const std::string& body = {},
             const Headers& headers = {}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!stream_)
        connect();
      beast::http::request<beast::http::string_body> req{method, target, 11};
      req.set(beast::http::field::host, "127.0.0.1");
      req.keep_alive(true);
      bool has_type = false;
      for (const auto& [k, v] : headers) {
        req.set(k, v);
        has_type = has_type || beast::iequals(k, "Content-Type");
      }
      if (!bearer.empty())
        req.set(beast::http::field::authorization, "Bearer " + bearer);
      if (!api_key.empty())
        req.set("X-Api-Key", api_key);
      if (!body.empty() && !has_type)
        req.set(beast::http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
      beast::error_code ec;
      stream_->expires_after(std::chrono::seconds(60));
      beast::http::write(*stream_, req, ec);
      if (ec) {
        stream_.reset();
        continue;
      }
      beast::http::response_parser<beast::http::string_body> parser;
      parser.body_limit(256u << 20);
      beast::http::read(*stream_, buffer_, parser, ec);
      if (ec) {
        stream_.reset();
        buffer_.clear();
        if (attempt == 0 && (ec == beast::http::error::end_of_stream ||
                             ec == net::error::connection_reset || ec == net::error::eof))
          continue;
        ADD_FAILURE() << "HTTP read failed: " << ec.message();
        return {};
      }
      auto res = parser.release();
      Reply reply;
      reply.status = res.result_int();
      for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
      }
      reply.body = std::move(res.body());
      if (auto checker = contract) {
        for (const auto& breach :
             checker->check(method, target, reply.status, reply.header("content-type"), reply.body))
          ADD_FAILURE() << "the reply breaks the OpenAPI contract: " << breach;
      }
      if (!res.keep_alive()) {
        stream_.reset();
        buffer_.clear();
      }
      return reply;
    }
    ADD_FAILURE() << "HTTP request failed twice: " << target;
    return {};
  }

  Reply get(const std::string& target, const Headers& headers = {}) {
    return send(beast::http::verb::get, target, {}, headers);
  }
  // A POST with a fresh Idempotency-Key (unless one is given in headers).
  Reply post(const std::string& target, const json::value& body = json::object{},
             Headers headers = {}) {
    bool keyed = false;
    for (const auto& [k, v] : headers)
      keyed = keyed || beast::iequals(k, "Idempotency-Key");
    if (!keyed)
      headers.emplace_back("Idempotency-Key", "k-" + std::to_string(++counter_));
    return send(beast::http::verb::post, target, json::serialize(body), headers);
  }
  Reply del(const std::string& target, const Headers& headers = {}) {
    return send(beast::http::verb::delete_, target, {}, headers);
  }
  // Uploads bytes as a blob; returns its hash.
  std::string upload(const std::string& bytes, const std::string& type = "application/pdf") {
    auto r = send(beast::http::verb::post, "/v1/blobs", bytes, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 201u) << r;
    return r.text("hash");
  }

  void close() { stream_.reset(); }
  bool connected() const { return stream_ != nullptr; }

 private:
  void connect() {
    net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port_);
    stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    stream_->expires_after(std::chrono::seconds(10));
    beast::error_code ec;
    if (!source_address.empty()) {
      auto& socket = stream_->socket();
      socket.open(endpoint.protocol(), ec);
      if (!ec)
        socket.bind(tcp::endpoint(net::ip::make_address(source_address), 0), ec);
      if (ec)
        ADD_FAILURE() << "bind to " << source_address << " failed: " << ec.message();
    }
    stream_->connect(endpoint, ec);
    if (ec)
      ADD_FAILURE() << "connect failed: " << ec.message();
    buffer_.clear();
  }

  std::uint16_t port_;
  net::io_context ioc_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::uint64_t counter_ = 0;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void TearDown() override { close(); }

  virtual ServerOptions server_options() {
    ServerOptions options;
    options.http.host = "127.0.0.1";
    options.http.port = 0;
    options.http.threads = 2;
    options.workers = 8;
    options.payment_secret = std::string(kPaymentSecret);
    options.run_platform = false;  // the manual clock: tests settle() instead
    options.max_wait = std::chrono::milliseconds(10'000);
    return options;
  }

  // Lets a test change how the store is opened (e.g. inject a file system).
  virtual void adjust_store_options(engine::StoreOptions&) {}

  void open() {
    engine::StoreOptions store_options;
    store_options.path = dir_.sub("store");
    store_options.clock = &clock_;
    store_options.sync = false;  // logic tests: durability is the engine's own tests' subject
    adjust_store_options(store_options);
    auto opened = engine::EventStore::open(store_options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    platform_ = std::make_unique<app::Platform>(*store_, secrets_);
    app::DemoOptions demo;
    demo.court_system_api_key = std::string(kCourtSystemKey);
    auto logins = app::bootstrap_demo(*platform_, demo);
    ASSERT_TRUE(logins) << app::failure_message(logins.error());
    for (const auto& l : *logins)
      logins_[l.login] = l;
    server_ = std::make_unique<DocketServer>(*store_, *platform_, server_options());
    auto started = server_->start();
    ASSERT_TRUE(started) << started.error();
    Client::contract = std::make_shared<const ContractCheck>(openapi_document(server_->routes()));
  }

  void close() {
    Client::contract.reset();
    if (server_)
      server_->stop();
    server_.reset();
    platform_.reset();
    store_.reset();
  }

  std::uint16_t port() const { return server_->port(); }
  std::uint64_t last() const { return store_->last_position(); }
  DocketServer& server() { return *server_; }
  app::Platform& platform() { return *platform_; }

  void settle() {
    auto settled = server_->settle();
    ASSERT_TRUE(settled) << settled.error().message;
  }

  // A client logged in as `login` with its first password changed (to "changed-<login>").
  std::unique_ptr<Client> person(const std::string& login) {
    auto c = std::make_unique<Client>(port());
    const auto it = logins_.find(login);
    EXPECT_NE(it, logins_.end()) << login;
    if (it == logins_.end())
      return c;
    std::string password = it->second.secret;
    const std::string changed = "changed-" + login;
    auto r = c->post("/v1/sessions", json::object{{"login", login}, {"password", password}});
    if (r.status == 401) {  // changed earlier in this test
      password = changed;
      r = c->post("/v1/sessions", json::object{{"login", login}, {"password", password}});
    }
    EXPECT_EQ(r.status, 201u) << r;
    c->bearer = r.text("token");
    auto v = r.json();
    if (v.is_object() && v.as_object()["must_change_password"].as_bool()) {
      auto changed_reply = c->post(
          "/v1/me/password", json::object{{"old_password", password}, {"new_password", changed}});
      EXPECT_EQ(changed_reply.status, 200u) << changed_reply;
    }
    return c;
  }

  // The court's case-management system, by API key.
  std::unique_ptr<Client> court_system() {
    auto c = std::make_unique<Client>(port());
    c->api_key = "cms0103." + std::string(kCourtSystemKey);
    return c;
  }

  std::unique_ptr<Client> anonymous() { return std::make_unique<Client>(port()); }

  ::docket::testing::TempDir dir_;
  engine::ManualClock clock_;  // 2026-01-01T00:00:00Z
  app::SodiumSecrets secrets_{std::string(32, 's'), app::PasswordHashing::minimal()};
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<DocketServer> server_;
  std::map<std::string, app::DemoLogin> logins_;
};

// A filing driven through the wizard and submitted by `filer` (with kCoAgent as second agent) to
// `court`; returns the filing id.
inline std::string submitted_filing(Client& filer, const std::string& key = "filing-1",
                                    const std::string& court = std::string(kCourt),
                                    bool mediation = false) {
  auto started = filer.post("/v1/filings", json::object{}, {{"Idempotency-Key", key}});
  EXPECT_EQ(started.status, 201u) << started;
  const std::string id = started.text("created_id");
  const std::string base = "/v1/filings/" + id;
  auto ok = [](const Reply& r) { EXPECT_EQ(r.status / 100, 2u) << r; };
  ok(filer.post(base + "/category", json::object{{"category", "civil_first_instance"},
                                                 {"application_type", "complaint"}}));
  ok(filer.post(base + "/case-information",
                json::object{{"claims", json::array{"判令被告偿还借款10万元"}},
                             {"facts_and_reasons", "事实与理由……"},
                             {"amount_in_dispute_fen", 10'000'000}}));
  ok(filer.post(
      base + "/parties",
      json::object{{"parties", json::array{json::object{{"party_id", "p1"},
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
                                                        {"id_number", "91500103MA5U000000"},
                                                        {"address", "重庆市渝中区某路2号"},
                                                        {"legal_representative", "王五"}}}}}));
  ok(filer.post(
      base + "/agents",
      json::object{{"agents", json::array{json::object{{"licence_number", kFiler},
                                                       {"represents", json::array{"p1"}}},
                                          json::object{{"licence_number", kCoAgent},
                                                       {"represents", json::array{"p1"}}}}}}));
  ok(filer.post(base + "/service-address-notice"));
  ok(filer.post(base + "/service-addresses",
                json::object{{"addresses",
                              json::array{json::object{{"party_id", "p1"},
                                                       {"address", "重庆市渝中区解放碑1号"},
                                                       {"phone", "13900000001"},
                                                       {"email", "p1@example.com"},
                                                       {"electronic_service_consent", true}}}}}));
  ok(filer.post(base + "/court", json::object{{"court", court}}));
  const auto complaint = filer.upload(pdf("complaint of " + key));
  ok(filer.post(base + "/materials",
                json::object{{"materials", json::array{json::object{
                                               {"material_id", "m1"},
                                               {"material_type", "complaint"},
                                               {"title", "起诉状"},
                                               {"blob_hashes", json::array{complaint}}}}}}));
  const auto front = filer.upload(jpeg("id front " + key), "image/jpeg");
  const auto back = filer.upload(jpeg("id back " + key), "image/jpeg");
  ok(filer.post(
      base + "/identity-papers",
      json::object{
          {"papers",
           json::array{
               json::object{{"party_id", "p1"}, {"kind", "id_card_front"}, {"blob_hash", front}},
               json::object{{"party_id", "p1"}, {"kind", "id_card_back"}, {"blob_hash", back}}}}}));
  ok(filer.post(base + "/mediation", json::object{{"mediation", mediation}}));
  ok(filer.post(base + "/submit"));
  return id;
}

}  // namespace docket::api::testing
