#include "docket/domain/core.h"

#include <algorithm>
#include <utility>

#include "docket/domain/aggregate.h"

namespace docket::domain {
std::string credential_key(std::string_view stream, CredentialKind kind) {
  std::string key(stream);
  key.push_back('\0');
  key.append(enum_name(kind));
  return key;
}

Rejection reject(RejectionCode code, std::string message, std::vector<Violation> violations) {
  return Rejection{code, std::move(message), std::move(violations)};
}

bool acts_for_court(const Principal& actor, std::string_view court,
                    std::initializer_list<Role> roles) {
  if (court.empty() || actor.court.empty() || actor.court != court)
    return false;
  if (actor.role != Role::kClerk && actor.role != Role::kJudge &&
      actor.role != Role::kCourtSystem) {
    return false;
  }
  return std::find(roles.begin(), roles.end(), actor.role) != roles.end();
}

std::optional<Rejection> require_court_staff(const Principal& actor, std::string_view court,
                                             std::initializer_list<Role> roles,
                                             std::string_view who) {
  if (acts_for_court(actor, court, roles))
    return std::nullopt;
  return reject(RejectionCode::kForbidden,
                "Expected " + std::string(who) + " of court \"" + std::string(court) + "\", but " +
                    std::string(enum_name(actor.role)) + " \"" + actor.id + "\" of court \"" +
                    actor.court + "\" acted");
}

std::string describe_event(const StoredEvent& event) {
  return std::string(event.stream) + " version " + std::to_string(event.version) + " (position " +
         std::to_string(event.position) + "), " + std::string(event.type) + " v" +
         std::to_string(event.schema_version);
}

}  // namespace docket::domain
