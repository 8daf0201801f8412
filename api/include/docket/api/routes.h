// The route table's public description: what each route is, who may call it, what it takes.
// The server dispatches from this table and /v1/openapi.json is generated from it, so the
// documentation cannot drift from the routes; tests walk it (every role against every route).
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "docket/api/http_server.h"
#include "docket/domain/core.h"

namespace docket::api {

namespace schema {
struct Type;  // schema.h
}

// One query parameter.
struct FieldDoc {
  std::string name;
  std::string type;  // "string", "integer", "boolean"
  bool required = false;
  std::string description;
};

// The court's resource a route touches, named by one of its path parameters. The scope guard
// loads it once, before the handler runs, and lets through only a caller who may reach it (its
// lawyers, the staff of its court, auditors); a lawyer hears of a resource they may not reach
// exactly what they would hear of one that does not exist. Declared on every route whose path
// names such a resource, so that who owns what is read from the table, not guessed.
enum class Owner {
  kNone,            // the route touches no court resource named in its path
  kCase,            // {case_number}: the case
  kCaseToBind,      // {case_number}: an old case the caller is not yet on (the decider checks the
                    // acceptance notice's codes)
  kFiling,          // {filing_id}: the filing
  kPayment,         // {filing_id}: the payment notice of the filing (its payers are its agents)
  kPaymentCode,     // {code}: the payment notice with that code
  kService,         // {service_id}: the served document
  kHotlineRequest,  // {hotline_request_id}: the hotline request
};

// The path parameter that names the resource of `owner` ("" for kNone).
std::string_view owner_parameter(Owner owner);

enum class Access {
  kPublic,         // no credentials (health, metrics, OpenAPI, login, signed callbacks)
  kAuthenticated,  // a bearer token or an API key of one of `roles`
};

struct RouteSpec {
  http::verb method = http::verb::get;
  std::string path;       // "/v1/filings/{filing_id}/parties"; {name} matches one segment
  std::string operation;  // unique operationId (ECF names for the court-system operations)
  std::string summary;
  std::string description;  // longer prose for the OpenAPI document; may be empty
  std::string tag;          // OpenAPI tag: the module of the platform
  Access access = Access::kAuthenticated;
  std::vector<domain::Role> roles;  // who may call (kAuthenticated routes)
  Owner owner = Owner::kNone;       // the resource the route touches (see Owner)
  // Appends events. A POST that writes needs an Idempotency-Key; the reply carries the
  // committed position (Docket-Position) and the stream's version (ETag).
  bool writes = false;
  // Reads the read models: honours ?after=P / Docket-After (wait until they reached P).
  bool reads_projections = false;
  // May take long (password hashing, uploads, a command run synchronously): runs on the worker
  // pool (a GET on a pool of its own, so that a read never holds a command's thread). A command
  // route whose handler hands its command to the engine asynchronously (a CommandHandler in
  // api/src, e.g. command_handler) runs on the io thread whatever this says: it is decided there
  // and answered when its group commit completes; only a command that hashes a password or takes
  // several commits goes to the worker pool.
  bool blocking = false;
  // Allowed while the first password is still in use (otherwise 403 until it is changed).
  bool before_password_change = false;
  // The JSON body's type (a described struct, api/src/body.h): its reader and this schema
  // follow from one declaration. nullptr: the route takes no JSON body.
  const schema::Type* request = nullptr;
  std::vector<FieldDoc> query;                    // query parameters
  std::string request_type = "application/json";  // "*/*" for raw uploads
  std::string response_type = "application/json";
  // The JSON success body's type (schema.h; responses.h names them), required for every route
  // whose response_type is application/json and that answers with a body.
  const schema::Type* response = nullptr;
  // The success statuses (the first is the usual one); empty: 200, or 204 for a DELETE that
  // does not write.
  std::vector<unsigned> success = {};

  bool allows(domain::Role role) const {
    for (auto r : roles) {
      if (r == role)
        return true;
    }
    return false;
  }
};

// The OpenAPI 3.1 document of a route table (GET /v1/openapi.json serves the server's own):
// every route with its parameters, body, success responses with their schemas (schema.h) and
// problem+json for everything else.
boost::json::value openapi_document(const std::vector<RouteSpec>& specs);

// A route's success statuses: `success`, or 200 (204 for a DELETE that does not write).
std::vector<unsigned> success_statuses(const RouteSpec& spec);

}  // namespace docket::api
