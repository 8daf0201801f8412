#include "docket/domain/core.h"

#include <algorithm>
#include <array>
#include <utility>

namespace docket::domain {
namespace {
constexpr std::array<std::pair<Role, std::string_view>, 7> kRoleNames{{
    {Role::kLawyer, "lawyer"},
    {Role::kClerk, "clerk"},
    {Role::kJudge, "judge"},
    {Role::kCourtSystem, "court_system"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
    {Role::kSystem, "system"},
}};
}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role)
      return name;
  }
  return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (const auto& [r, name] : kRoleNames) {
    if (name == text)
      return r;
  }
  return std::nullopt;
}

std::string_view to_string(CredentialKind kind) {
  switch (kind) {
    case CredentialKind::kPassword:
      return "password";
    case CredentialKind::kApiKey:
      return "api_key";
    case CredentialKind::kLegacyBinding:
      return "legacy_binding";
  }
  return "unknown";
}

std::string credential_key(std::string_view stream, CredentialKind kind) {
  std::string key(stream);
  key.push_back('\0');
  key.append(to_string(kind));
  return key;
}

std::string_view to_string(RejectionCode code) {
  switch (code) {
    case RejectionCode::kNotFound:
      return "not_found";
    case RejectionCode::kInvalidState:
      return "invalid_state";
    case RejectionCode::kForbidden:
      return "forbidden";
    case RejectionCode::kValidation:
      return "validation";
    case RejectionCode::kConflict:
      return "conflict";
    case RejectionCode::kPolicy:
      return "policy";
  }
  return "unknown";
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
                    std::string(to_string(actor.role)) + " \"" + actor.id + "\" of court \"" +
                    actor.court + "\" acted");
}

}  // namespace docket::domain
