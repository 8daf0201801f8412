#include "docket/api/problem.h"

#include <boost/json.hpp>

namespace docket::api {

namespace json = boost::json;

namespace {

std::string title_of(http::status status) {
  return std::string(http::obsolete_reason(status));
}

}  // namespace

Problem make_problem(http::status status, std::string_view code, std::string detail,
                     std::vector<domain::Violation> violations) {
  Problem p;
  p.status = status;
  p.code = std::string(code);
  p.title = title_of(status);
  p.detail = std::move(detail);
  p.violations = std::move(violations);
  return p;
}

Problem bad_request(std::string detail, std::vector<domain::Violation> violations) {
  return make_problem(http::status::bad_request, problem_code::kBadRequest, std::move(detail),
                      std::move(violations));
}

Problem unauthenticated(std::string detail) {
  return make_problem(http::status::unauthorized, problem_code::kUnauthenticated,
                      std::move(detail));
}

Problem forbidden(std::string detail) {
  return make_problem(http::status::forbidden, problem_code::kForbidden, std::move(detail));
}

Problem not_found(std::string detail) {
  return make_problem(http::status::not_found, problem_code::kNotFound, std::move(detail));
}

http::status status_of(domain::RejectionCode code) {
  switch (code) {
    case domain::RejectionCode::kNotFound:
      return http::status::not_found;
    case domain::RejectionCode::kForbidden:
      return http::status::forbidden;
    case domain::RejectionCode::kValidation:
      return http::status::unprocessable_entity;
    case domain::RejectionCode::kInvalidState:
    case domain::RejectionCode::kConflict:
    case domain::RejectionCode::kPolicy:
      return http::status::conflict;
  }
  return http::status::unprocessable_entity;
}

Problem from_rejection(const domain::Rejection& rejection) {
  return make_problem(status_of(rejection.code), domain::enum_name(rejection.code),
                      rejection.message, rejection.violations);
}

Problem from_engine_error(const engine::Error& error, bool if_match) {
  using engine::ErrorCode;
  switch (error.code) {
    case ErrorCode::kWrongExpectedVersion:
      if (if_match)
        return make_problem(http::status::precondition_failed, problem_code::kPreconditionFailed,
                            error.message);
      return make_problem(http::status::conflict, problem_code::kConflict, error.message);
    case ErrorCode::kInvalidArgument:
      return bad_request(error.message);
    case ErrorCode::kNotFound:
      return not_found(error.message);
    case ErrorCode::kTooLarge:
      return make_problem(http::status::payload_too_large, problem_code::kTooLarge, error.message);
    case ErrorCode::kOverloaded:
    case ErrorCode::kClosed: {
      auto p = make_problem(http::status::service_unavailable, problem_code::kUnavailable,
                            error.message);
      p.retry_after_s = 1;
      return p;
    }
    case ErrorCode::kUnavailable: {
      // The store refuses writes for now (a full disk): /healthz says why; it resumes by itself.
      auto p = make_problem(http::status::service_unavailable, problem_code::kUnavailable,
                            error.message);
      p.retry_after_s = 30;
      return p;
    }
    case ErrorCode::kIo:
    case ErrorCode::kCorruption:
      break;
  }
  return make_problem(http::status::internal_server_error, problem_code::kInternal,
                      "Expected the store to work, but it failed: " + error.message);
}

Response to_response(const Problem& problem, unsigned version) {
  json::object body;
  body["type"] = "urn:docket:problem:" + problem.code;
  body["title"] = problem.title;
  body["status"] = static_cast<unsigned>(problem.status);
  body["detail"] = problem.detail;
  body["code"] = problem.code;
  json::array violations;
  for (const auto& v : problem.violations)
    violations.push_back(json::object{{"field", v.field}, {"message", v.message}});
  body["violations"] = std::move(violations);
  Response res{problem.status, version};
  res.set(http::field::content_type, "application/problem+json");
  if (problem.retry_after_s > 0)
    res.set(http::field::retry_after, std::to_string(problem.retry_after_s));
  if (problem.status == http::status::unauthorized)
    res.set(http::field::www_authenticate, "Bearer realm=\"docket\", ApiKey realm=\"docket\"");
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

}  // namespace docket::api
