// The published contract, held against what the server really answers: a reply is matched to its
// route in the OpenAPI document (method and path template) and its JSON body validated against
// the schema declared for its status (problem+json against Problem). A 2xx status the route does
// not declare is a breach too. The API tests' client runs every reply it gets through this.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/schema.h"

namespace docket::api::testing {

class ContractCheck {
 public:
  explicit ContractCheck(boost::json::value document) : document_(std::move(document)) {}

  const boost::json::value& document() const { return document_; }
  // Replies checked against a declared schema so far.
  std::size_t checked() const { return checked_.load(); }

  // The breaches of the contract by one reply (empty when it keeps it).
  std::vector<std::string> check(boost::beast::http::verb method, std::string_view target,
                                 unsigned status, std::string_view content_type,
                                 std::string_view body) const {
    namespace json = boost::json;
    std::vector<std::string> out;
    const auto* operation = find_operation(method, target);
    if (operation == nullptr)
      return out;  // no such route: the 404/405 problem is checked below only by its type
    const std::string where = std::string(boost::beast::http::to_string(method)) + " " +
                              std::string(target) + " (" + std::to_string(status) + ")";
    auto parse = [&](json::value& into) {
      json::error_code ec;
      into = json::parse(body, ec);
      if (ec)
        out.push_back(where + ": the body is not JSON: " + std::string(body.substr(0, 200)));
      return !ec;
    };
    if (content_type.starts_with("application/problem+json")) {
      json::value v;
      if (!parse(v))
        return out;
      for (auto& e :
           schema::validate(json::object{{"$ref", "#/components/schemas/Problem"}}, v, document_))
        out.push_back(where + ": " + e);
      ++checked_;
      return out;
    }
    const auto& responses = operation->at("responses").as_object();
    const auto* response = responses.if_contains(std::to_string(status));
    if (response == nullptr) {
      if (status / 100 == 2)
        out.push_back(where + ": the route does not declare this success status");
      return out;
    }
    const auto* content = response->as_object().if_contains("content");
    const auto* media = content ? content->as_object().if_contains("application/json") : nullptr;
    if (media == nullptr)
      return out;
    if (!content_type.starts_with("application/json")) {
      out.push_back(where + ": declared application/json, but answered " +
                    std::string(content_type));
      return out;
    }
    json::value v;
    if (!parse(v))
      return out;
    for (auto& e : schema::validate(media->as_object().at("schema"), v, document_))
      out.push_back(where + ": " + e);
    ++checked_;
    return out;
  }

 private:
  const boost::json::object* find_operation(boost::beast::http::verb method,
                                            std::string_view target) const {
    auto path = target.substr(0, target.find('?'));
    const auto segments = split(path);
    std::string verb(boost::beast::http::to_string(method));
    for (auto& c : verb)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const boost::json::object* best = nullptr;
    int best_literals = -1;
    for (const auto& [templ, item] : document_.at("paths").as_object()) {
      const auto parts = split(templ);
      if (parts.size() != segments.size())
        continue;
      int literals = 0;
      bool match = true;
      for (std::size_t i = 0; i < parts.size() && match; ++i) {
        if (parts[i].starts_with("{"))
          continue;
        match = parts[i] == segments[i];
        ++literals;
      }
      const auto* op = item.as_object().if_contains(verb);
      if (match && op != nullptr && literals > best_literals) {
        best = &op->as_object();
        best_literals = literals;
      }
    }
    return best;
  }

  static std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
      if (path.front() == '/') {
        path.remove_prefix(1);
        continue;
      }
      const auto slash = path.find('/');
      out.push_back(path.substr(0, slash));
      if (slash == std::string_view::npos)
        break;
      path.remove_prefix(slash);
    }
    return out;
  }

  boost::json::value document_;
  mutable std::atomic<std::size_t> checked_{0};
};

}  // namespace docket::api::testing
