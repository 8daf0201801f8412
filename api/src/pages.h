// Cursor pagination of list replies: the one place that reads ?limit= and ?cursor=, encodes and
// decodes cursors, and cuts a list into a page. Internal to docket_api.
//
// A list reply is {"items": [...], "next_cursor": "..."}; next_cursor is present only when more
// items follow, and passing it back as ?cursor= returns the items after the page's last one.
// ?limit= is 1 to 1000 (default 100). A list has a stable order, declared as the item fields it
// is sorted by (an Order); the cursor holds the order's values of the last item returned,
// base64url-encoded, so the next page starts right after it even when items were added or
// removed in between. A client treats the cursor as opaque. A limit out of range, or a cursor
// that does not decode or does not fit the list, is a 400 problem (code bad_request).
//
// Pure functions (list_handler's handler reads through the Service); thread-safe.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/problem.h"
#include "docket/api/routes.h"
#include "service.h"

namespace docket::api::pages {

namespace json = boost::json;

inline constexpr std::size_t kDefaultLimit = 100;
inline constexpr std::size_t kMaxLimit = 1000;

// One field of a list's order. An empty field is the item's place in the list as the read
// model gives it (for lists whose order is their own, e.g. a court's law links).
struct Order {
  std::string_view field;
  bool descending = false;
};

// What a request asks of a list: how many items, and after which (nullopt: from the start).
struct PageRequest {
  std::size_t limit = kDefaultLimit;
  std::optional<json::array> after;  // the order's values of the last item seen
};

// Reads ?limit= and ?cursor= from a query string's parameters. 400 when either is malformed.
Expected<PageRequest, Problem> read_request(std::optional<std::string> limit,
                                            std::optional<std::string> cursor);

// The cursor of an item's order values, and back (nullopt when `cursor` is not one).
std::string encode_cursor(const json::array& key);
std::optional<json::array> decode_cursor(std::string_view cursor);

// The page of `items` (each a JSON object) that `request` asks for, in `order`:
// {"items": [...], "next_cursor"?: "..."}. 400 when the cursor does not fit the order.
Expected<json::object, Problem> page(json::array items, std::span<const Order> order,
                                     const PageRequest& request);

// The query parameters of a list route (limit and cursor), for the route table.
std::vector<FieldDoc> query_docs();
// `query` and then limit and cursor.
std::vector<FieldDoc> with_query_docs(std::vector<FieldDoc> query);

// What a list route reads: the whole list, in any order, or a problem.
using ListRead = std::function<Expected<json::value, Problem>(const Call&)>;

// A read model's answer as a ListRead's (an engine error becomes its problem).
Expected<json::value, Problem> from_read_model(engine::Result<json::value> read);

// A list route's handler: reads ?limit= and ?cursor=, waits for ?after (the read models'
// read-your-writes), reads the list and answers the page asked for. `service` outlives it.
Handler list_handler(const Service& service, std::span<const Order> order, ListRead read);

}  // namespace docket::api::pages
