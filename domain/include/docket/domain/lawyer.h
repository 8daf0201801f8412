// The lawyer account aggregate (stream "lawyer-<licence number>"): an account created from a law
// firm's roster (律师名册), its password, profile and schedule (日程).
//
// The login is the licence number; the first password is the licence number and must be changed
// before anything else: while `must_change_password` holds, the deciders for profile and schedule
// refuse with `policy` (and the API refuses everything but ChangePassword).
// The roster owns firm, name and identity number; the lawyer's profile owns phone and e-mail
// (taken from the roster only when the account is created).
//
// The password's Argon2id hash lives in the credential store outside the log, under
// credential_key(stream, CredentialKind::kPassword): the deciders set it with the decision's
// credential writes, and the deciders that check the current hash read it as a fact (facts.h).
//
// Events (payloads in schema/lawyer.fbs): LawyerRegistered (schema version 3; 1 and 2 are read,
// never written), LawyerRosterDataUpdated, LawyerReactivated, LawyerDeactivated, PasswordChanged
// (version 2; 1 is read, never written), ProfileUpdated, ScheduleEntryAdded,
// ScheduleEntryRemoved. No timers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

struct ScheduleEntry {
  std::string entry_id;  // "e1", "e2", … inside the account
  std::int64_t start_us = 0;
  std::int64_t end_us = 0;
  bool can_appear_in_court = false;
  std::string text;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(entry_id, start_us, end_us, can_appear_in_court, text);
  }
  friend bool operator==(const ScheduleEntry&, const ScheduleEntry&) = default;
};

// Who practises on the platform: a lawyer, or a basic-level legal service worker
// (基层法律服务工作者), who acts as a lawyer does with their practising-certificate number as the
// licence number.
enum class Practitioner : std::uint8_t { kLawyer, kLegalServiceWorker };
BOOST_DESCRIBE_ENUM(Practitioner, kLawyer, kLegalServiceWorker)

struct LawyerState {
  bool exists = false;
  bool active = false;
  Practitioner practitioner = Practitioner::kLawyer;
  std::string licence_number;
  std::string firm;
  std::string name;
  std::string id_number;
  std::string phone;
  std::string email;
  bool must_change_password = false;
  std::vector<ScheduleEntry> schedule;  // in the order added
  std::uint32_t entries_added = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, active, practitioner, licence_number, firm, name, id_number, phone, email,
       must_change_password, schedule, entries_added);
  }
  friend bool operator==(const LawyerState&, const LawyerState&) = default;
};

// Imports one lawyer of a firm's roster. Actor: kAdmin.
// A new account gets the password hash ctx.secrets->hash_password(licence_number) in the
// credential store and must change it. An active account with the same firm, name and identity
// number decides nothing; with other roster data, LawyerRosterDataUpdated; a deactivated account is
// reactivated (its password kept). Errors: validation listing every empty field, a malformed
// e-mail, or a licence number other than the stream's.
// A practitioner is registered as one kind for good: another kind under the same number is a
// validation error (a new practice gets a new number).
struct RegisterFromRoster {
  std::string firm;
  std::string name;
  std::string licence_number;
  std::string id_number;
  std::string phone;
  std::string email;
  Practitioner practitioner = Practitioner::kLawyer;
};

// The lawyer left the roster. Actor: kAdmin. Already inactive: decides nothing.
struct Deactivate {};

// Actor: the lawyer. Errors: forbidden when `old_password` does not verify; validation when
// `new_password` fails the password policy (password_policy.h).
// The decision sets ctx.secrets->hash_password(new_password) in the credential store; the event
// records only that the password changed.
struct ChangePassword {
  std::string old_password;
  std::string new_password;
};

// Actor: the lawyer, after the first password is changed (else policy).
struct UpdateProfile {
  std::string phone;
  std::string email;
};

// Actor: the lawyer, after the first password is changed. Errors: validation unless start < end.
struct AddScheduleEntry {
  std::int64_t start_us = 0;
  std::int64_t end_us = 0;
  bool can_appear_in_court = false;
  std::string text;
};

// Actor: the lawyer, after the first password is changed. Errors: not_found for an unknown id.
struct RemoveScheduleEntry {
  std::string entry_id;
};

using LawyerCommand = std::variant<RegisterFromRoster, Deactivate, ChangePassword, UpdateProfile,
                                   AddScheduleEntry, RemoveScheduleEntry>;

struct LawyerAggregate : Aggregate<LawyerAggregate, LawyerState, LawyerCommand> {
  static constexpr std::string_view kCategory = category::kLawyer;
  static constexpr std::uint32_t kStateVersion = 3;  // 3: the practitioner
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static const ApplierTable<State>& appliers();
};

}  // namespace docket::domain
