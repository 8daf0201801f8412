#include "docket/domain/staff.h"

#include <array>

#include "deciding.h"
#include "docket/domain/facts.h"
#include "docket/domain/password_policy.h"
#include "staff_generated.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

std::string actor_text(const Context& ctx) {
  return std::string(enum_name(ctx.actor.role)) + " " + quoted(ctx.actor.id);
}

bool needs_court(Role role) {
  return role == Role::kClerk || role == Role::kJudge || role == Role::kCourtSystem;
}

bool is_person(Role role) {
  return role != Role::kCourtSystem;
}

std::optional<Rejection> require_secrets(const Context& ctx) {
  if (ctx.secrets != nullptr)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected secret handling in the context, but none was supplied");
}

std::optional<Rejection> require_admin(const Context& ctx, bool or_system) {
  if (ctx.actor.role == Role::kAdmin || (or_system && ctx.actor.role == Role::kSystem))
    return std::nullopt;
  return reject(RejectionCode::kForbidden,
                "Expected an admin to manage staff accounts, but " + actor_text(ctx) + " acted");
}

std::optional<Rejection> require_account(const StaffState& s) {
  if (s.exists)
    return std::nullopt;
  return reject(RejectionCode::kNotFound, "Expected a staff account, but there is none");
}

Outcome decide_step(const StaffState& s, const RegisterStaff& c, const Context& ctx) {
  if (auto r = require_admin(ctx, true))
    return unexpected(*r);
  if (s.exists) {
    return fail(RejectionCode::kConflict, "Expected a new staff account, but " +
                                              quoted(s.staff_id) + " is already registered");
  }
  Violations v;
  v.require(is_staff_id(c.staff_id), "staff_id",
            "Expected a staff id that starts with a letter and holds only letters, digits, '.', "
            "'_' or '-', but got " +
                quoted(c.staff_id));
  v.require(is_staff_role(c.role), "role",
            "Expected a staff role (clerk, judge, court_system, auditor, admin), but got " +
                std::string(enum_name(c.role)));
  if (is_staff_role(c.role)) {
    if (needs_court(c.role)) {
      v.require(!c.court.empty(), "court",
                "Expected the court a " + std::string(enum_name(c.role)) +
                    " belongs to, but it is empty");
    } else {
      v.require(c.court.empty(), "court",
                "Expected no court for a " + std::string(enum_name(c.role)) + ", but got " +
                    quoted(c.court));
    }
  }
  v.require(!c.name.empty(), "name", "Expected the staff member's name, but it is empty");
  if (is_person(c.role)) {
    const auto problem = password_problem(c.initial_password, c.staff_id);
    v.require(!problem, "initial_password", problem.value_or(""));
  } else {
    v.require(c.api_key.size() >= kMinApiKeyLength, "api_key",
              "Expected an API key of at least " + std::to_string(kMinApiKeyLength) +
                  " characters, but it has " + std::to_string(c.api_key.size()));
  }
  if (!v.empty())
    return unexpected(v.rejection());
  if (auto r = require_secrets(ctx))
    return unexpected(*r);
  fb::StaffRegisteredT e;
  e.staff_id = c.staff_id;
  e.name = c.name;
  e.role = std::string(enum_name(c.role));
  e.court = c.court;
  e.registered_by = ctx.actor.id;
  Decision d{{make_event(event_type::kStaffRegistered, e, 2)}, {}, {}, {}};
  const std::string stream = staff_stream(c.staff_id);
  if (is_person(c.role)) {
    d.credentials.push_back({credential_key(stream, CredentialKind::kPassword),
                             ctx.secrets->hash_password(c.initial_password)});
  } else {
    d.credentials.push_back({credential_key(stream, CredentialKind::kApiKey),
                             ctx.secrets->keyed_digest(kApiKeyPurpose, c.api_key)});
  }
  return d;
}

Outcome decide_step(const StaffState& s, const ChangeStaffPassword& c, const Context& ctx) {
  if (auto r = require_account(s))
    return unexpected(*r);
  if (ctx.actor.role != s.role || ctx.actor.id != s.staff_id) {
    return fail(RejectionCode::kForbidden, "Expected " + quoted(s.staff_id) +
                                               " to change their own password, but " +
                                               actor_text(ctx) + " did");
  }
  if (!s.active) {
    return fail(RejectionCode::kInvalidState, "Expected an active account, but it was deactivated");
  }
  if (!is_person(s.role)) {
    return fail(RejectionCode::kInvalidState,
                "Expected a person's account with a password, but a court system uses an API key");
  }
  if (auto r = require_secrets(ctx))
    return unexpected(*r);
  // The current hash, from the credential store (facts).
  const std::string current =
      facts_of(ctx).credential(staff_stream(s.staff_id), CredentialKind::kPassword);
  if (current.empty() || !ctx.secrets->verify_password(current, c.old_password)) {
    return fail(RejectionCode::kForbidden,
                "Expected the current password, but the old password given does not match");
  }
  Violations v;
  const auto problem = password_problem(c.new_password, s.staff_id);
  v.require(!problem, "new_password", problem.value_or(""));
  v.require(c.new_password != c.old_password, "new_password",
            "Expected a new password other than the old one, but they are the same");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::StaffPasswordChangedT e;
  e.changed_by = ctx.actor.id;
  Decision d{{make_event(event_type::kStaffPasswordChanged, e, 2)}, {}, {}, {}};
  d.credentials.push_back({credential_key(staff_stream(s.staff_id), CredentialKind::kPassword),
                           ctx.secrets->hash_password(c.new_password)});
  return d;
}

Outcome decide_step(const StaffState& s, const RotateStaffApiKey& c, const Context& ctx) {
  if (auto r = require_admin(ctx, false))
    return unexpected(*r);
  if (auto r = require_account(s))
    return unexpected(*r);
  if (s.role != Role::kCourtSystem) {
    return fail(RejectionCode::kInvalidState, "Expected a court system's account, but " +
                                                  quoted(s.staff_id) + " is a " +
                                                  std::string(enum_name(s.role)));
  }
  if (!s.active) {
    return fail(RejectionCode::kInvalidState, "Expected an active account, but it was deactivated");
  }
  if (c.api_key.size() < kMinApiKeyLength) {
    const std::string message = "Expected an API key of at least " +
                                std::to_string(kMinApiKeyLength) + " characters, but it has " +
                                std::to_string(c.api_key.size());
    return unexpected(reject(RejectionCode::kValidation, message, {{"api_key", message}}));
  }
  if (auto r = require_secrets(ctx))
    return unexpected(*r);
  fb::StaffApiKeyRotatedT e;
  e.rotated_by = ctx.actor.id;
  Decision d{{make_event(event_type::kStaffApiKeyRotated, e, 2)}, {}, {}, {}};
  d.credentials.push_back({credential_key(staff_stream(s.staff_id), CredentialKind::kApiKey),
                           ctx.secrets->keyed_digest(kApiKeyPurpose, c.api_key)});
  return d;
}

Outcome decide_step(const StaffState& s, const DeactivateStaff&, const Context& ctx) {
  if (auto r = require_admin(ctx, false))
    return unexpected(*r);
  if (auto r = require_account(s))
    return unexpected(*r);
  if (!s.active)
    return nothing();
  fb::StaffDeactivatedT e;
  e.deactivated_by = ctx.actor.id;
  return decided({make_event(event_type::kStaffDeactivated, e)});
}

// --- appliers --------------------------------------------------------------------------------

// The version-1 events carried hashes and digests, which the state no longer holds (a store
// with such events is refused at open; the appliers stay for reading them).
void apply_staff_registered_v1(StaffState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::StaffRegisteredV1>(event);
  s.exists = true;
  s.active = true;
  s.staff_id = p.staff_id;
  s.name = p.name;
  s.role = enum_from_name<Role>(p.role).value_or(Role::kAuditor);
  s.court = p.court;
  s.must_change_password = !p.password_hash.empty();
}

void apply_staff_registered_v2(StaffState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::StaffRegistered>(event);
  s.exists = true;
  s.active = true;
  s.staff_id = p.staff_id;
  s.name = p.name;
  s.role = enum_from_name<Role>(p.role).value_or(Role::kAuditor);
  s.court = p.court;
  s.must_change_password = is_person(s.role);
}

void apply_staff_password_changed_v1(StaffState& s, const StoredEvent& event) {
  require_payload<fb::StaffPasswordChangedV1>(event);
  s.must_change_password = false;
}

void apply_staff_password_changed_v2(StaffState& s, const StoredEvent& event) {
  require_payload<fb::StaffPasswordChanged>(event);
  s.must_change_password = false;
}

// The key itself is in the credential store; nothing of the state changes.
void apply_staff_api_key_rotated(StaffState&, const StoredEvent&) {}

void apply_staff_deactivated_v1(StaffState& s, const StoredEvent&) {
  s.active = false;
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

bool is_staff_role(Role role) {
  return role == Role::kClerk || role == Role::kJudge || role == Role::kCourtSystem ||
         role == Role::kAuditor || role == Role::kAdmin;
}

bool is_staff_id(std::string_view staff_id) {
  if (staff_id.empty() || staff_id.size() > 64 || !is_ascii_letter(staff_id.front()))
    return false;
  for (char c : staff_id) {
    const bool ok =
        is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

Principal staff_principal(const StaffState& state) {
  return Principal{state.staff_id, state.role, state.court};
}

Outcome StaffAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<StaffAggregate::State>& StaffAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("staff");
    table.on(event_type::kStaffRegistered, 1, apply_staff_registered_v1);
    table.on(event_type::kStaffRegistered, 2, apply_staff_registered_v2);
    table.on(event_type::kStaffPasswordChanged, 1, apply_staff_password_changed_v1);
    table.on(event_type::kStaffPasswordChanged, 2, apply_staff_password_changed_v2);
    table.on(event_type::kStaffApiKeyRotated, 1, apply_staff_api_key_rotated);
    table.on(event_type::kStaffApiKeyRotated, 2, apply_staff_api_key_rotated);
    table.on(event_type::kStaffDeactivated, 1, apply_staff_deactivated_v1);
    return table;
  }();
  return kTable;
}

}  // namespace docket::domain
