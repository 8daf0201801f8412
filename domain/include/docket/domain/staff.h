// The staff account aggregate (stream "staff-<staff id>"): the court's and the platform's own
// people and machines — clerks, judges, court systems (machine clients of a court's
// case-management system), auditors and admins.
//
// People log in with their staff id and a password; the first password is set by the admin who
// registers them and must be changed before anything else (the API refuses everything but the
// password change while `must_change_password` holds). A court system authenticates with an API
// key instead: the app generates the key, passes it in RegisterStaff (or RotateStaffApiKey) and
// returns it to the admin once. Neither the password's hash nor the key is in the log: the
// credential store outside it holds the Argon2id hash (CredentialKind::kPassword) or
// Secrets::keyed_digest(kApiKeyPurpose, key) (CredentialKind::kApiKey), set by the decisions'
// credential writes; the deciders that check the current hash read it as a fact (facts.h).
//
// Staff ids start with an ASCII letter and hold only letters, digits, '.', '_' and '-' (so they
// never collide with a lawyer's licence number, which is all digits). Clerks, judges and court
// systems belong to one court; auditors and admins to none.
//
// Events (payloads in schema/staff.fbs): StaffRegistered, StaffPasswordChanged and
// StaffApiKeyRotated (schema version 2; 1 is read, never written), StaffDeactivated. No timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

struct StaffState {
  bool exists = false;
  bool active = false;
  std::string staff_id;
  std::string name;
  Role role = Role::kClerk;
  std::string court;  // empty for auditors and admins
  bool must_change_password = false;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, active, staff_id, name, role, court, must_change_password);
  }
  friend bool operator==(const StaffState&, const StaffState&) = default;
};

// Whether `role` is a staff role: clerk, judge, court system, auditor or admin.
bool is_staff_role(Role role);

// Whether `staff_id` is a well-formed staff id (see the file comment).
bool is_staff_id(std::string_view staff_id);

// The principal a staff account acts as.
Principal staff_principal(const StaffState& state);

// The minimum length of an API key, in characters.
inline constexpr std::size_t kMinApiKeyLength = 32;

// Registers a staff account. Actor: kAdmin, or kSystem (the platform's bootstrap).
// People (clerk, judge, auditor, admin) get the password hash ctx.secrets->hash_password(
// initial_password) in the credential store and must change it; a court system gets
// ctx.secrets->keyed_digest(kApiKeyPurpose, api_key) there and no password.
// Errors: conflict when the account exists; validation listing every bad field (a malformed
// staff id, an empty name, a role that is not a staff role, a
// court missing for a clerk, judge or court system or given for an auditor or admin, an initial
// password failing the password policy (password_policy.h) for a person, an API key shorter than
// kMinApiKeyLength for a court system). The app runs it on staff-<staff_id> only.
struct RegisterStaff {
  std::string staff_id;
  std::string name;
  Role role = Role::kClerk;
  std::string court;
  std::string initial_password;  // people only; chosen by the admin
  std::string api_key;           // court systems only; generated and filled by the app
};

// Actor: the staff member themself, a person, on an active account. Errors: forbidden when
// `old_password` does not verify; validation when `new_password` fails the password policy
// (password_policy.h) or equals the old one (all listed); invalid_state for a
// court system (it has no password) or a deactivated account. Sets the new hash in the
// credential store; the event records only that the password changed.
struct ChangeStaffPassword {
  std::string old_password;
  std::string new_password;
};

// Replaces a court system's API key (the old one stops working). Actor: kAdmin. Errors:
// invalid_state for a person's account or a deactivated one; validation for a short key.
struct RotateStaffApiKey {
  std::string api_key;  // generated and filled by the app
};

// The account is closed; it no longer logs in. Actor: kAdmin. Already inactive: decides nothing.
struct DeactivateStaff {};

using StaffCommand =
    std::variant<RegisterStaff, ChangeStaffPassword, RotateStaffApiKey, DeactivateStaff>;

struct StaffAggregate : Aggregate<StaffAggregate, StaffState, StaffCommand> {
  static constexpr std::string_view kCategory = category::kStaff;
  static constexpr std::uint32_t kStateVersion = 2;
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static const ApplierTable<State>& appliers();
};

}  // namespace docket::domain
