// The route table's public description: what each route is, who may call it, what it takes.
// The server dispatches from this table and /v1/openapi.json is generated from it, so the
// documentation cannot drift from the routes; tests walk it (every role against every route).
#pragma once

#include <string>
#include <vector>

#include "docket/api/http_server.h"
#include "docket/domain/core.h"

namespace docket::api {

// One documented field of a JSON body, or one query parameter.
struct FieldDoc {
  std::string name;
  // "string", "integer", "boolean", "object", "array", "string[]" (an array of strings),
  // "object[]" (an array of objects)
  std::string type;
  bool required = false;
  std::string description;
};

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
  std::vector<FieldDoc> body;                     // JSON body fields
  std::vector<FieldDoc> query;                    // query parameters
  std::string request_type = "application/json";  // "*/*" for raw uploads
  std::string response_type = "application/json";

  bool allows(domain::Role role) const {
    for (auto r : roles) {
      if (r == role)
        return true;
    }
    return false;
  }
};

}  // namespace docket::api
