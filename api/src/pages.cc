#include "pages.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

namespace docket::api::pages {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// base64url without padding (RFC 4648, section 5).
std::string base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2)
      v |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (rest == 2)
      out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  if (text.size() % 4 == 1)
    return std::nullopt;
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0)
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // The bits left over must be zero, so that one cursor has one spelling.
  if ((acc & ((1u << bits) - 1)) != 0)
    return std::nullopt;
  return out;
}

// The value of one order field of an item.
json::value key_part(const json::value& item, std::string_view field, std::size_t index) {
  if (field.empty())
    return json::value(static_cast<std::uint64_t>(index));
  if (!item.is_object())
    return nullptr;
  const auto* found = item.as_object().if_contains(field);
  return found != nullptr ? *found : json::value(nullptr);
}

// The rank of a scalar's kind: null < bool < number < string.
int kind_rank(const json::value& v) {
  if (v.is_null())
    return 0;
  if (v.is_bool())
    return 1;
  if (v.is_number())
    return 2;
  if (v.is_string())
    return 3;
  return 4;
}

int compare_values(const json::value& a, const json::value& b) {
  const int ra = kind_rank(a);
  const int rb = kind_rank(b);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (a.is_bool())
    return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
  if (a.is_number()) {
    if (a.is_int64() && b.is_int64())
      return a.as_int64() < b.as_int64() ? -1 : (a.as_int64() > b.as_int64() ? 1 : 0);
    const double x = a.to_number<double>();
    const double y = b.to_number<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string()) {
    const int c = std::string_view(a.as_string()).compare(std::string_view(b.as_string()));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

// Compares two keys in `order` (descending fields reversed).
int compare_keys(const json::array& a, const json::array& b, std::span<const Order> order) {
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int c = compare_values(a[i], b[i]);
    if (c != 0)
      return order[i].descending ? -c : c;
  }
  return 0;
}

bool scalar(const json::value& v) {
  return v.is_null() || v.is_bool() || v.is_number() || v.is_string();
}

}  // namespace

Expected<PageRequest, Problem> read_request(std::optional<std::string> limit,
                                            std::optional<std::string> cursor) {
  PageRequest request;
  if (limit) {
    std::size_t n = 0;
    const auto* end = limit->data() + limit->size();
    auto [ptr, ec] = std::from_chars(limit->data(), end, n);
    if (limit->empty() || ec != std::errc() || ptr != end || n < 1 || n > kMaxLimit) {
      return unexpected(
          bad_request("Expected `limit` to be a whole number from 1 to " +
                          std::to_string(kMaxLimit) + ", but got \"" + *limit + "\"",
                      {domain::Violation{"limit", "Expected 1 to " + std::to_string(kMaxLimit)}}));
    }
    request.limit = n;
  }
  if (cursor) {
    auto key = decode_cursor(*cursor);
    if (!key) {
      return unexpected(bad_request(
          "Expected `cursor` to be a next_cursor this list gave, but it does not decode",
          {domain::Violation{"cursor", "Expected a next_cursor of this list"}}));
    }
    request.after = std::move(*key);
  }
  return request;
}

std::string encode_cursor(const json::array& key) {
  return base64url(json::serialize(key));
}

std::optional<json::array> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > 4096)
    return std::nullopt;
  auto bytes = from_base64url(cursor);
  if (!bytes)
    return std::nullopt;
  boost::system::error_code ec;
  auto parsed = json::parse(*bytes, ec);
  if (ec || !parsed.is_array())
    return std::nullopt;
  for (const auto& part : parsed.as_array()) {
    if (!scalar(part))
      return std::nullopt;
  }
  return std::move(parsed.as_array());
}

Expected<json::object, Problem> page(json::array items, std::span<const Order> order,
                                     const PageRequest& request) {
  if (request.after && request.after->size() != order.size()) {
    return unexpected(bad_request(
        "Expected `cursor` to be a next_cursor this list gave, but it belongs to another list",
        {domain::Violation{"cursor", "Expected a next_cursor of this list"}}));
  }
  struct Keyed {
    json::array key;
    json::value item;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    json::array key;
    key.reserve(order.size());
    for (const auto& o : order)
      key.push_back(key_part(items[i], o.field, i));
    keyed.push_back(Keyed{std::move(key), std::move(items[i])});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    return compare_keys(a.key, b.key, order) < 0;
  });
  auto first = keyed.begin();
  if (request.after) {
    first = std::upper_bound(keyed.begin(), keyed.end(), *request.after,
                             [&](const json::array& after, const Keyed& k) {
                               return compare_keys(after, k.key, order) < 0;
                             });
  }
  json::array out;
  const auto left = static_cast<std::size_t>(keyed.end() - first);
  const auto take = std::min(left, request.limit);
  out.reserve(take);
  for (auto it = first; it != first + static_cast<std::ptrdiff_t>(take); ++it)
    out.push_back(std::move(it->item));
  json::object reply{{"items", std::move(out)}};
  if (take < left)
    reply["next_cursor"] = encode_cursor((first + static_cast<std::ptrdiff_t>(take) - 1)->key);
  return reply;
}

std::vector<FieldDoc> with_query_docs(std::vector<FieldDoc> query) {
  for (auto& doc : query_docs())
    query.push_back(std::move(doc));
  return query;
}

Expected<json::value, Problem> from_read_model(engine::Result<json::value> read) {
  if (!read)
    return unexpected(from_engine_error(read.error()));
  return std::move(*read);
}

Handler list_handler(const Service& service, std::span<const Order> order, ListRead read) {
  return [&service, order, read = std::move(read)](Call& call) -> Result {
    auto request = read_request(call.query_param("limit"), call.query_param("cursor"));
    if (!request)
      return unexpected(request.error());
    if (auto w = service.wait_for_projections(call.after); !w)
      return unexpected(w.error());
    auto all = read(call);
    if (!all)
      return unexpected(all.error());
    auto items = all->is_array() ? std::move(all->as_array()) : json::array{};
    auto reply = page(std::move(items), order, *request);
    if (!reply)
      return unexpected(reply.error());
    return Reply{service.json_reply(call, http::status::ok, *reply)};
  };
}

std::vector<FieldDoc> query_docs() {
  return {FieldDoc{"limit", "integer", false,
                   "how many items at most, 1 to " + std::to_string(kMaxLimit) + " (default " +
                       std::to_string(kDefaultLimit) + ")"},
          FieldDoc{"cursor", "string", false,
                   "the next_cursor of the previous page (opaque); absent: the first page"}};
}

}  // namespace docket::api::pages
