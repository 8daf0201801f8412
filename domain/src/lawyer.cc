#include "docket/domain/lawyer.h"

#include <algorithm>
#include <array>

#include "deciding.h"
#include "docket/domain/facts.h"
#include "docket/domain/password_policy.h"
#include "lawyer_generated.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

std::string actor_text(const Context& ctx) {
  return std::string(enum_name(ctx.actor.role)) + " " + quoted(ctx.actor.id);
}

std::optional<Rejection> require_admin(const Context& ctx) {
  if (ctx.actor.role == Role::kAdmin)
    return std::nullopt;
  return reject(RejectionCode::kForbidden,
                "Expected an admin to manage the roster, but " + actor_text(ctx) + " acted");
}

std::optional<Rejection> require_account(const LawyerState& s) {
  if (s.exists)
    return std::nullopt;
  return reject(RejectionCode::kNotFound, "Expected a lawyer account, but there is none");
}

// The lawyer themself, on an active account, with the first password changed when `settled`.
std::optional<Rejection> require_own_account(const LawyerState& s, const Context& ctx,
                                             bool settled) {
  if (auto r = require_account(s))
    return r;
  if (ctx.actor.role != Role::kLawyer || ctx.actor.id != s.licence_number) {
    return reject(RejectionCode::kForbidden, "Expected the lawyer " + s.licence_number +
                                                 " to act on their account, but " +
                                                 actor_text(ctx) + " did");
  }
  if (!s.active) {
    return reject(RejectionCode::kInvalidState,
                  "Expected an active account, but it was deactivated");
  }
  if (settled && s.must_change_password) {
    return reject(RejectionCode::kPolicy,
                  "Expected the first password changed before anything else, but it is still "
                  "the initial one");
  }
  return std::nullopt;
}

std::optional<Rejection> require_secrets(const Context& ctx) {
  if (ctx.secrets != nullptr)
    return std::nullopt;
  return reject(RejectionCode::kInvalidState,
                "Expected secret handling in the context, but none was supplied");
}

bool plausible_email(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size();
}

Outcome decide_step(const LawyerState& s, const RegisterFromRoster& c, const Context& ctx) {
  if (auto r = require_admin(ctx))
    return unexpected(*r);
  Violations v;
  v.require(!c.firm.empty(), "firm", "Expected the law firm, but it is empty");
  v.require(!c.name.empty(), "name", "Expected the lawyer's name, but it is empty");
  v.require(!c.licence_number.empty(), "licence_number",
            "Expected the practising-licence number, but it is empty");
  v.require(!s.exists || c.licence_number == s.licence_number, "licence_number",
            "Expected the licence number of this account, " + s.licence_number + ", but got " +
                quoted(c.licence_number));
  v.require(!s.exists || c.practitioner == s.practitioner, "practitioner",
            "Expected the kind of practitioner of this account, " +
                std::string(enum_name(s.practitioner)) + ", but got " +
                std::string(enum_name(c.practitioner)));
  v.require(!c.id_number.empty(), "id_number", "Expected the identity number, but it is empty");
  v.require(!c.phone.empty(), "phone", "Expected a phone number, but it is empty");
  v.require(plausible_email(c.email), "email",
            "Expected an e-mail address, but got " + quoted(c.email));
  if (!v.empty())
    return unexpected(v.rejection());

  if (!s.exists) {
    if (auto r = require_secrets(ctx))
      return unexpected(*r);
    fb::LawyerRegisteredT e;
    e.firm = c.firm;
    e.name = c.name;
    e.licence_number = c.licence_number;
    e.id_number = c.id_number;
    e.phone = c.phone;
    e.email = c.email;
    e.practitioner = static_cast<fb::Practitioner>(c.practitioner);
    Decision d{{make_event(event_type::kLawyerRegistered, e, 3)}, {}, {}, {}};
    d.credentials.push_back(
        {credential_key(lawyer_stream(c.licence_number), CredentialKind::kPassword),
         ctx.secrets->hash_password(c.licence_number)});
    return d;
  }
  if (!s.active) {
    fb::LawyerReactivatedT e;
    e.firm = c.firm;
    e.name = c.name;
    e.id_number = c.id_number;
    return decided({make_event(event_type::kLawyerReactivated, e)});
  }
  if (s.firm == c.firm && s.name == c.name && s.id_number == c.id_number)
    return nothing();
  fb::LawyerRosterDataUpdatedT e;
  e.firm = c.firm;
  e.name = c.name;
  e.id_number = c.id_number;
  return decided({make_event(event_type::kLawyerRosterDataUpdated, e)});
}

Outcome decide_step(const LawyerState& s, const Deactivate&, const Context& ctx) {
  if (auto r = require_admin(ctx))
    return unexpected(*r);
  if (auto r = require_account(s))
    return unexpected(*r);
  if (!s.active)
    return nothing();
  return decided({make_event(event_type::kLawyerDeactivated, fb::LawyerDeactivatedT{})});
}

Outcome decide_step(const LawyerState& s, const ChangePassword& c, const Context& ctx) {
  if (auto r = require_own_account(s, ctx, false))
    return unexpected(*r);
  if (auto r = require_secrets(ctx))
    return unexpected(*r);
  // The current hash, from the credential store (facts).
  const std::string current =
      facts_of(ctx).credential(lawyer_stream(s.licence_number), CredentialKind::kPassword);
  if (current.empty() || !ctx.secrets->verify_password(current, c.old_password)) {
    return fail(RejectionCode::kForbidden,
                "Expected the current password, but the old password given does not match");
  }
  Violations v;
  const auto problem = password_problem(c.new_password, s.licence_number);
  v.require(!problem, "new_password", problem.value_or(""));
  if (!v.empty())
    return unexpected(v.rejection());
  fb::PasswordChangedT e;
  e.changed_by = ctx.actor.id;
  Decision d{{make_event(event_type::kPasswordChanged, e, 2)}, {}, {}, {}};
  d.credentials.push_back(
      {credential_key(lawyer_stream(s.licence_number), CredentialKind::kPassword),
       ctx.secrets->hash_password(c.new_password)});
  return d;
}

Outcome decide_step(const LawyerState& s, const UpdateProfile& c, const Context& ctx) {
  if (auto r = require_own_account(s, ctx, true))
    return unexpected(*r);
  Violations v;
  v.require(!c.phone.empty(), "phone", "Expected a phone number, but it is empty");
  v.require(plausible_email(c.email), "email",
            "Expected an e-mail address, but got " + quoted(c.email));
  if (!v.empty())
    return unexpected(v.rejection());
  if (s.phone == c.phone && s.email == c.email)
    return nothing();
  fb::ProfileUpdatedT e;
  e.phone = c.phone;
  e.email = c.email;
  return decided({make_event(event_type::kProfileUpdated, e)});
}

Outcome decide_step(const LawyerState& s, const AddScheduleEntry& c, const Context& ctx) {
  if (auto r = require_own_account(s, ctx, true))
    return unexpected(*r);
  if (c.start_us >= c.end_us) {
    const std::string message = "Expected the start before the end, but it starts at " +
                                std::to_string(c.start_us) + " and ends at " +
                                std::to_string(c.end_us);
    return unexpected(reject(RejectionCode::kValidation, message, {{"end_us", message}}));
  }
  fb::ScheduleEntryAddedT e;
  e.entry_id = "e" + std::to_string(s.entries_added + 1);
  e.start_us = c.start_us;
  e.end_us = c.end_us;
  e.can_appear_in_court = c.can_appear_in_court;
  e.text = c.text;
  return decided({make_event(event_type::kScheduleEntryAdded, e)});
}

Outcome decide_step(const LawyerState& s, const RemoveScheduleEntry& c, const Context& ctx) {
  if (auto r = require_own_account(s, ctx, true))
    return unexpected(*r);
  const bool known = std::any_of(s.schedule.begin(), s.schedule.end(),
                                 [&](const ScheduleEntry& e) { return e.entry_id == c.entry_id; });
  if (!known) {
    return fail(RejectionCode::kNotFound,
                "Expected a schedule entry, but there is none with id " + quoted(c.entry_id));
  }
  fb::ScheduleEntryRemovedT e;
  e.entry_id = c.entry_id;
  return decided({make_event(event_type::kScheduleEntryRemoved, e)});
}

// --- appliers --------------------------------------------------------------------------------

// Both versions of LawyerRegistered set the same state; version 1 also carried the password
// hash, which the state no longer holds (a store with such events is refused at open; the
// applier stays for reading them).
template <class Registered>
void apply_lawyer_registered(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<Registered>(event);
  s.exists = true;
  s.active = true;
  s.firm = p.firm;
  s.name = p.name;
  s.licence_number = p.licence_number;
  s.id_number = p.id_number;
  s.phone = p.phone;
  s.email = p.email;
  s.must_change_password = true;
}

void apply_lawyer_registered_v1(LawyerState& s, const StoredEvent& event) {
  apply_lawyer_registered<fb::LawyerRegisteredV1>(s, event);
}

void apply_lawyer_registered_v2(LawyerState& s, const StoredEvent& event) {
  apply_lawyer_registered<fb::LawyerRegisteredV2>(s, event);
}

void apply_lawyer_registered_v3(LawyerState& s, const StoredEvent& event) {
  apply_lawyer_registered<fb::LawyerRegistered>(s, event);
  s.practitioner = static_cast<Practitioner>(payload_of<fb::LawyerRegistered>(event).practitioner);
}

void apply_lawyer_roster_data_updated_v1(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::LawyerRosterDataUpdated>(event);
  s.firm = p.firm;
  s.name = p.name;
  s.id_number = p.id_number;
}

void apply_lawyer_reactivated_v1(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::LawyerReactivated>(event);
  s.active = true;
  s.firm = p.firm;
  s.name = p.name;
  s.id_number = p.id_number;
}

void apply_lawyer_deactivated_v1(LawyerState& s, const StoredEvent&) {
  s.active = false;
}

void apply_password_changed_v1(LawyerState& s, const StoredEvent& event) {
  require_payload<fb::PasswordChangedV1>(event);
  s.must_change_password = false;
}

void apply_password_changed_v2(LawyerState& s, const StoredEvent& event) {
  require_payload<fb::PasswordChanged>(event);
  s.must_change_password = false;
}

void apply_profile_updated_v1(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::ProfileUpdated>(event);
  s.phone = p.phone;
  s.email = p.email;
}

void apply_schedule_entry_added_v1(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::ScheduleEntryAdded>(event);
  s.schedule.push_back(
      ScheduleEntry{p.entry_id, p.start_us, p.end_us, p.can_appear_in_court, p.text});
  ++s.entries_added;
}

void apply_schedule_entry_removed_v1(LawyerState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::ScheduleEntryRemoved>(event);
  std::erase_if(s.schedule, [&](const ScheduleEntry& e) { return e.entry_id == p.entry_id; });
}

}  // namespace

Outcome LawyerAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<LawyerAggregate::State>& LawyerAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("lawyer");
    table.on(event_type::kLawyerRegistered, 1, apply_lawyer_registered_v1);
    table.on(event_type::kLawyerRegistered, 2, apply_lawyer_registered_v2);
    table.on(event_type::kLawyerRegistered, 3, apply_lawyer_registered_v3);
    table.on(event_type::kLawyerRosterDataUpdated, 1, apply_lawyer_roster_data_updated_v1);
    table.on(event_type::kLawyerReactivated, 1, apply_lawyer_reactivated_v1);
    table.on(event_type::kLawyerDeactivated, 1, apply_lawyer_deactivated_v1);
    table.on(event_type::kPasswordChanged, 1, apply_password_changed_v1);
    table.on(event_type::kPasswordChanged, 2, apply_password_changed_v2);
    table.on(event_type::kProfileUpdated, 1, apply_profile_updated_v1);
    table.on(event_type::kScheduleEntryAdded, 1, apply_schedule_entry_added_v1);
    table.on(event_type::kScheduleEntryRemoved, 1, apply_schedule_entry_removed_v1);
    return table;
  }();
  return kTable;
}

}  // namespace docket::domain
