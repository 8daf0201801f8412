// Cursor pagination (api/src/pages.h): the cursor codec and the page cut, then every list route
// over HTTP — ?limit= and ?cursor= checked, the pages walking the whole list in order, and the
// OpenAPI document declaring both parameters for every list route.
#include "pages.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api_fixture.h"

namespace docket::api::testing {
namespace {

using pages::Order;

constexpr Order kByNumber[] = {{"n"}};
constexpr Order kNewestFirst[] = {{"at", true}, {"id"}};

json::array numbered(std::initializer_list<int> numbers) {
  json::array out;
  for (int n : numbers)
    out.push_back(json::object{{"n", n}});
  return out;
}

std::vector<int> numbers_of(const json::object& page) {
  std::vector<int> out;
  for (const auto& item : page.at("items").as_array())
    out.push_back(static_cast<int>(item.at("n").as_int64()));
  return out;
}

TEST(PagesTest, LimitIsOneToAThousandAndDefaultsToAHundred) {
  auto none = pages::read_request(std::nullopt, std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->limit, 100u);
  EXPECT_FALSE(none->after);
  auto most = pages::read_request("1000", std::nullopt);
  ASSERT_TRUE(most);
  EXPECT_EQ(most->limit, 1000u);
  for (const char* bad : {"0", "1001", "-1", "", "ten", "5x", "99999999999999999999"}) {
    auto r = pages::read_request(std::string(bad), std::nullopt);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, http::status::bad_request) << bad;
    EXPECT_EQ(r.error().code, "bad_request") << bad;
    EXPECT_EQ(r.error().detail.rfind("Expected `limit`", 0), 0u) << r.error().detail;
  }
}

TEST(PagesTest, CursorRoundTripsAndAnythingElseIsRefused) {
  const json::array key{42, "案-1", true, nullptr};
  const auto cursor = pages::encode_cursor(key);
  EXPECT_EQ(
      cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << cursor;
  auto back = pages::decode_cursor(cursor);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, key);
  for (const char* bad : {"", "!!!!", "e30", "WzFd=", "A", "eyJhIjoxfQ", "W1tdXQ"}) {
    EXPECT_FALSE(pages::decode_cursor(bad)) << bad;  // not base64url, not an array of scalars
    auto r = pages::read_request(std::nullopt, std::string(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, http::status::bad_request);
  }
}

TEST(PagesTest, PagesWalkTheListInOrderAndTheLastHasNoNextCursor) {
  pages::PageRequest request;
  request.limit = 2;
  auto first = pages::page(numbered({5, 1, 4, 2, 3}), kByNumber, request);
  ASSERT_TRUE(first);
  EXPECT_EQ(numbers_of(*first), (std::vector<int>{1, 2}));
  ASSERT_TRUE(first->contains("next_cursor"));
  request.after = pages::decode_cursor(first->at("next_cursor").as_string());
  auto second = pages::page(numbered({5, 1, 4, 2, 3}), kByNumber, request);
  ASSERT_TRUE(second);
  EXPECT_EQ(numbers_of(*second), (std::vector<int>{3, 4}));
  request.after = pages::decode_cursor(second->at("next_cursor").as_string());
  auto last = pages::page(numbered({5, 1, 4, 2, 3}), kByNumber, request);
  ASSERT_TRUE(last);
  EXPECT_EQ(numbers_of(*last), (std::vector<int>{5}));
  EXPECT_FALSE(last->contains("next_cursor"));
  // Exactly a page's worth: no next cursor either.
  request.after.reset();
  auto exact = pages::page(numbered({1, 2}), kByNumber, request);
  ASSERT_TRUE(exact);
  EXPECT_FALSE(exact->contains("next_cursor"));
  auto empty = pages::page(json::array{}, kByNumber, request);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->at("items").as_array().empty());
}

TEST(PagesTest, ACursorStaysRightWhenItemsComeAndGoBetweenPages) {
  pages::PageRequest request;
  request.limit = 2;
  auto first = pages::page(numbered({1, 2, 3, 4}), kByNumber, request);
  ASSERT_TRUE(first);
  request.after = pages::decode_cursor(first->at("next_cursor").as_string());
  // 2 went away and 0 and 5 came: the next page starts after 2 all the same, with nothing twice.
  auto second = pages::page(numbered({0, 1, 3, 4, 5}), kByNumber, request);
  ASSERT_TRUE(second);
  EXPECT_EQ(numbers_of(*second), (std::vector<int>{3, 4}));
}

TEST(PagesTest, DescendingFieldsAndTiesFollowTheOrder) {
  json::array items;
  items.push_back(json::object{{"at", 1}, {"id", "a"}});
  items.push_back(json::object{{"at", 3}, {"id", "b"}});
  items.push_back(json::object{{"at", 3}, {"id", "a"}});
  pages::PageRequest request;
  request.limit = 2;
  auto page = pages::page(items, kNewestFirst, request);
  ASSERT_TRUE(page);
  const auto& got = page->at("items").as_array();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].at("id").as_string(), "a");
  EXPECT_EQ(got[1].at("id").as_string(), "b");
  EXPECT_EQ(got[1].at("at").as_int64(), 3);
  // A cursor of another list (another number of fields) is refused.
  request.after = json::array{1};
  auto wrong = pages::page(items, kNewestFirst, request);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().status, http::status::bad_request);
}

class PagesRouteTest : public ApiTest {};

TEST_F(PagesRouteTest, AListRoutePagesWithLimitAndCursorAndRefusesBadOnes) {
  auto lawyer = person(std::string(kFiler));
  const auto first = submitted_filing(*lawyer, "filing-1");
  const auto second = submitted_filing(*lawyer, "filing-2");
  const auto third = submitted_filing(*lawyer, "filing-3");
  settle();
  std::set<std::string> seen;
  std::string target = "/v1/me/filings?limit=2";
  int pages_read = 0;
  for (;;) {
    auto reply = lawyer->get(target);
    ASSERT_EQ(reply.status, 200u) << reply;
    const auto body = reply.json();
    for (const auto& item : body.at("items").as_array())
      EXPECT_TRUE(seen.insert(std::string(item.at("filing_id").as_string())).second) << reply;
    ++pages_read;
    const auto* next = body.as_object().if_contains("next_cursor");
    if (next == nullptr)
      break;
    target = "/v1/me/filings?limit=2&cursor=" + std::string(next->as_string());
  }
  EXPECT_EQ(pages_read, 2);
  EXPECT_EQ(seen, (std::set<std::string>{first, second, third}));

  for (const char* bad : {"limit=0", "limit=1001", "limit=many", "cursor=%21%21", "cursor=e30"}) {
    auto reply = lawyer->get(std::string("/v1/me/filings?") + bad);
    EXPECT_EQ(reply.status, 400u) << bad << ": " << reply;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << bad;
  }
}

TEST_F(PagesRouteTest, EachListOfAReplyOfSeveralPagesAtItsOwnRoute) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  submitted_filing(*lawyer, "filing-1");
  submitted_filing(*lawyer, "filing-2");
  settle();
  const std::string queue = "/v1/courts/" + url_encode(kCourt) + "/review-queue";
  auto whole = clerk->get(queue + "?limit=1");
  ASSERT_EQ(whole.status, 200u) << whole;
  const auto pending = whole.json().at("pending");
  EXPECT_EQ(pending.at("items").as_array().size(), 1u) << whole;
  ASSERT_TRUE(pending.as_object().contains("next_cursor")) << whole;
  auto rest = clerk->get(
      queue + "/pending?limit=1&cursor=" + std::string(pending.at("next_cursor").as_string()));
  ASSERT_EQ(rest.status, 200u) << rest;
  EXPECT_EQ(rest.json().at("items").as_array().size(), 1u) << rest;
  EXPECT_FALSE(rest.json().as_object().contains("next_cursor")) << rest;
  EXPECT_NE(rest.json().at("items").at(0).at("filing_id"),
            pending.at("items").at(0).at("filing_id"));
  EXPECT_EQ(clerk->get(queue + "?limit=0").status, 400u);
}

TEST_F(PagesRouteTest, TheOpenApiDocumentDeclaresLimitAndCursorForEveryListRoute) {
  const auto document = openapi_document(server().routes());
  const auto& schemas = document.at("components").at("schemas").as_object();
  std::size_t lists = 0;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const auto* ok = op.at("responses").as_object().if_contains("200");
      if (ok == nullptr || !ok->as_object().contains("content"))
        continue;
      const auto* content = ok->at("content").as_object().if_contains("application/json");
      if (content == nullptr)
        continue;
      const auto& schema = content->at("schema").as_object();
      EXPECT_FALSE(schema.contains("type") && schema.at("type") == "array")
          << path << " answers a bare array";
      const auto* ref = schema.if_contains("$ref");
      if (ref == nullptr)
        continue;
      std::string_view name = ref->as_string();
      name.remove_prefix(name.rfind('/') + 1);
      // The event feed pages by log position (?after=, next_after), as its stream resumes by
      // Last-Event-ID.
      if (!name.ends_with("Page") || name == "EventPage")
        continue;
      ++lists;
      EXPECT_TRUE(schemas.at(name).at("properties").as_object().contains("next_cursor")) << name;
      std::set<std::string> parameters;
      if (const auto* ps = op.as_object().if_contains("parameters")) {
        for (const auto& p : ps->as_array())
          parameters.insert(std::string(p.at("name").as_string()));
      }
      EXPECT_TRUE(parameters.contains("limit")) << path;
      EXPECT_TRUE(parameters.contains("cursor")) << path;
    }
  }
  EXPECT_GE(lists, 20u);
}

}  // namespace
}  // namespace docket::api::testing
