// Problem: an HTTP error as application/problem+json (RFC 9457), carrying Docket's stable
// rejection code and the failing fields. The only place where rejection codes and engine errors
// become HTTP statuses:
//
//   rejection not_found      -> 404        engine kWrongExpectedVersion -> 412 with If-Match,
//   rejection forbidden      -> 403                                        409 without
//   rejection validation     -> 422        engine kInvalidArgument      -> 400
//   rejection invalid_state  -> 409        engine kNotFound             -> 404
//   rejection conflict       -> 409        engine kTooLarge             -> 413
//   rejection policy         -> 409        engine kOverloaded, kClosed  -> 503, Retry-After 1
//                                          engine kUnavailable          -> 503, Retry-After 30
//   unauthenticated          -> 401        engine kIo, kCorruption      -> 500
//   malformed JSON, wrong types -> 400 (code "bad_request")
//
// A body is {"type", "title", "status", "detail", "code", "violations": [{"field", "message"}]}.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/http_server.h"
#include "docket/domain/core.h"
#include "docket/engine/types.h"

namespace docket::api {

struct Problem {
  http::status status = http::status::bad_request;
  std::string code;    // rejection code or one of the API's own (see problem.h)
  std::string title;   // short, the same for every problem of a code
  std::string detail;  // "Expected …, but …"
  std::vector<domain::Violation> violations;
  std::int64_t retry_after_s = 0;  // Retry-After in seconds (0: none), for 503s and rate limits
};

// The API's own problem codes besides the domain's rejection codes.
namespace problem_code {
inline constexpr std::string_view kBadRequest = "bad_request";  // malformed JSON, wrong types
inline constexpr std::string_view kUnauthenticated = "unauthenticated";
inline constexpr std::string_view kForbidden = "forbidden";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kValidation = "validation";
inline constexpr std::string_view kConflict = "conflict";
inline constexpr std::string_view kPolicy = "policy";
inline constexpr std::string_view kPreconditionFailed = "precondition_failed";  // stale If-Match
inline constexpr std::string_view kMethodNotAllowed = "method_not_allowed";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kUnsupportedMediaType = "unsupported_media_type";
inline constexpr std::string_view kTooManyRequests = "too_many_requests";
inline constexpr std::string_view kUnavailable = "unavailable";
inline constexpr std::string_view kInternal = "internal";
inline constexpr std::string_view kTimeout = "timeout";
// An Idempotency-Key sent again with another request (method, route, path or body): 422.
inline constexpr std::string_view kIdempotencyKeyReused = "idempotency_key_reused";
}  // namespace problem_code

Problem make_problem(http::status status, std::string_view code, std::string detail,
                     std::vector<domain::Violation> violations = {});
Problem bad_request(std::string detail, std::vector<domain::Violation> violations = {});
Problem unauthenticated(std::string detail);
Problem forbidden(std::string detail);
Problem not_found(std::string detail);

// The HTTP status of a domain rejection code (see the table above).
http::status status_of(domain::RejectionCode code);
Problem from_rejection(const domain::Rejection& rejection);
// `if_match`: whether the request carried If-Match (a wrong version is then 412, else 409).
Problem from_engine_error(const engine::Error& error, bool if_match = false);

// The problem as a response (Content-Type application/problem+json).
Response to_response(const Problem& problem, unsigned version = 11);

}  // namespace docket::api
