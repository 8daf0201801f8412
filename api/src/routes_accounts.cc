// Sessions (log in, log out, first password), the lawyer's own profile and schedule, and the
// admin's account routes (roster import, staff accounts).
#include "docket/api/login_throttle.h"
#include "docket/app/hashing_limit.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/staff.h"
#include "docket/engine/sha256.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"

namespace docket::api {

namespace {

const std::vector<Role> kPeople = {Role::kLawyer, Role::kClerk, Role::kJudge, Role::kAuditor,
                                   Role::kAdmin};

json::object principal_json(const domain::Principal& p) {
  return json::object{{"id", p.id}, {"role", domain::enum_name(p.role)}, {"court", p.court}};
}

// 429 for a source (or a session) with too many failed password checks (logins and wrong old
// passwords), as LoginThrottle counts them.
Problem throttled_problem(const LoginThrottle::Refusal& refusal, std::int64_t window_us) {
  const auto minutes = std::to_string(window_us / 60'000'000);
  std::string what;
  switch (refusal.scope) {
    case LoginThrottle::Refusal::Scope::kAccount:
      what = "failed password checks of this account from this address";
      break;
    case LoginThrottle::Refusal::Scope::kSource:
      what = "failed password checks from this address, whatever the account";
      break;
    case LoginThrottle::Refusal::Scope::kHolder:
      what = "wrong old passwords in this session";
      break;
  }
  auto p =
      make_problem(http::status::too_many_requests, problem_code::kTooManyRequests,
                   "Expected fewer than " + std::to_string(refusal.limit) + " " + what + " in " +
                       minutes + " minutes, but there were " + std::to_string(refusal.limit) +
                       "; try again in " + std::to_string(refusal.wait_s) + " s");
  p.retry_after_s = refusal.wait_s;
  return p;
}

// What the throttle counts a session by: a digest of its token, never the token.
std::string holder_of(const Call& call) {
  return call.token.empty() ? std::string() : engine::to_hex(engine::sha256(call.token));
}

// 503 when no password-hashing slot freed within app::kHashingSlotWait.
Problem hashing_busy() {
  auto p = make_problem(http::status::service_unavailable, problem_code::kUnavailable,
                        "Expected a free password-hashing slot within " +
                            std::to_string(app::kHashingSlotWait.count()) +
                            " ms, but every one was busy; try again shortly");
  p.retry_after_s = 1;
  return p;
}

}  // namespace

void Service::add_session_routes() {
  add({.method = http::verb::post,
       .path = "/v1/sessions",
       .operation = "LogIn",
       .summary =
           "Log in with a licence number (lawyers) or a staff id, and a password; returns a "
           "bearer token. Failed password checks (failed logins and wrong old passwords alike) "
           "are counted per client address, never per account alone: five of one account from "
           "one address in 15 minutes refuse that account to that address, and twenty from one "
           "address (any accounts, known or not) refuse every account to it, for the rest of "
           "the window (429 with Retry-After). The owner logging in from another address is "
           "never refused because of someone else's guesses. The address is the connection's "
           "peer (an IPv6 address counts by its /64); X-Forwarded-For is not read. The counters "
           "live in memory (16 MiB at most, the least recently failed dropped first) and a "
           "restart forgets them.",
       .tag = "sessions",
       .access = Access::kPublic,
       .blocking = true,
       .before_password_change = true,
       .response = schema::type<responses::Session>(),
       .success = {201}},
      with_body<requests::LogInBody>([this](Call& call, requests::LogInBody in) -> Result {
        const auto& login = in.login;
        const auto& password = in.password;
        if (auto ok = check_identifier(IdKind::kId, "login", login); !ok)
          return unexpected(ok.error());  // before the lockout counter or any lookup
        auto& throttle = sessions_.throttle();
        const auto source = LoginThrottle::source_of(call.client_address);
        const auto attempt = throttle.attempt(source, login);
        if (!attempt)
          return unexpected(throttled_problem(attempt.error(), throttle.options().window_us));
        const auto slot = app::HashingSlot::reserve(app::kHashingSlotWait);
        if (!slot) {
          throttle.forgive(source, login, {}, *attempt);
          return unexpected(hashing_busy());
        }
        auto verified = platform_.verify_password(login, password);
        if (!verified) {
          if (const auto* e = std::get_if<engine::Error>(&verified.error())) {
            throttle.forgive(source, login, {}, *attempt);
            return unexpected(from_engine_error(*e));
          }
          return unexpected(unauthenticated(  // counted when the attempt began
              "Expected a known login and its password, but they do not match an active "
              "account"));
        }
        throttle.succeeded(source, login, {}, *attempt);
        Session session;
        session.principal = verified->principal;
        session.must_change_password = verified->must_change_password;
        auto token = sessions_.create(session);
        if (!token)
          return unexpected(from_engine_error(token.error()));
        auto stored = sessions_.find(*token);
        json::object out;
        out["token"] = *token;
        out["token_type"] = "Bearer";
        out["expires_at_us"] = stored ? stored->expires_at_us : 0;
        out["principal"] = principal_json(session.principal);
        out["must_change_password"] = session.must_change_password;
        return Reply{json_reply(call, http::status::created, out)};
      }));

  add({.method = http::verb::delete_,
       .path = "/v1/sessions/current",
       .operation = "LogOut",
       .summary = "End the session of the bearer token used.",
       .tag = "sessions",
       .roles = kPeople,
       .blocking = true,  // a synced delete
       .before_password_change = true,
       .success = {204}},
      [this](Call& call) -> Result {
        if (call.token.empty())
          return unexpected(bad_request(
              "Expected a bearer token to end, but the call authenticated with an API key"));
        if (auto r = sessions_.revoke(call.token); !r)
          return unexpected(from_engine_error(r.error()));
        Response res{http::status::no_content, call.request.version()};
        return Reply{std::move(res)};
      });

  add({.method = http::verb::get,
       .path = "/v1/me",
       .operation = "WhoAmI",
       .summary = "The caller: id, role, court, and whether the first password must be changed.",
       .tag = "sessions",
       .roles = kAllRoles,
       .before_password_change = true,
       .response = schema::type<responses::Me>()},
      [this](Call& call) -> Result {
        auto out = principal_json(call.principal);
        bool must_change = false;
        if (!call.token.empty()) {
          if (auto s = sessions_.find(call.token))
            must_change = s->must_change_password;
        }
        out["must_change_password"] = must_change;
        return Reply{json_reply(call, http::status::ok, out)};
      });

  add({.method = http::verb::post,
       .path = "/v1/me/password",
       .operation = "ChangePassword",
       .summary =
           "Change the caller's password (lawyers and staff people). The first password "
           "must be changed before anything else. Every other session of the account "
           "ends; the one that made the change stays. A wrong old password counts as a failed "
           "login of the account from the caller's address (the limits of LogIn), and five in "
           "15 minutes also refuse the session itself, from any address (429 with "
           "Retry-After).",
       .tag = "sessions",
       .roles = kPeople,
       .writes = true,
       .blocking = true,
       .before_password_change = true,
       .response = schema::type<responses::Accepted>()},
      with_body<requests::ChangePasswordBody>(
          [this](Call& call, requests::ChangePasswordBody in) -> Result {
            const auto& old_password = in.old_password;
            const auto& new_password = in.new_password;
            // A wrong old password counts as a failed login of the account from this address, and
            // of this session wherever it is used: a stolen session cannot guess the password
            // faster than a login could.
            const auto& login = call.principal.id;
            auto& throttle = sessions_.throttle();
            const auto source = LoginThrottle::source_of(call.client_address);
            const auto holder = holder_of(call);
            const auto attempt = throttle.attempt(source, login, holder);
            if (!attempt)
              return unexpected(throttled_problem(attempt.error(), throttle.options().window_us));
            const auto slot = app::HashingSlot::reserve(app::kHashingSlotWait);
            if (!slot) {
              throttle.forgive(source, login, holder, *attempt);
              return unexpected(hashing_busy());
            }
            auto outcome = platform_.change_password(old_password, new_password, app_request(call));
            if (!outcome) {
              // Only a wrong old password stays counted; any other refusal checked no password.
              const auto* rejection = std::get_if<domain::Rejection>(&outcome.error());
              if (rejection == nullptr || rejection->code != domain::RejectionCode::kForbidden)
                throttle.forgive(source, login, holder, *attempt);
            }
            if (outcome) {
              throttle.succeeded(source, login, holder, *attempt);
              // Whoever held the old password holds no session any more; this one stays.
              if (auto ended = sessions_.end_other_sessions(call.principal, call.token); !ended)
                return unexpected(from_engine_error(ended.error()));
              if (!call.token.empty())
                (void)sessions_.clear_must_change_password(call.token);
            }
            return accepted(call, outcome);
          }));
}

void Service::add_account_routes() {
  auto own_lawyer_stream = [](const Call& call) {
    return domain::lawyer_stream(call.principal.id);
  };

  add({.method = http::verb::post,
       .path = "/v1/me/profile",
       .operation = "UpdateProfile",
       .summary = "A lawyer edits their phone and e-mail.",
       .tag = "lawyers",
       .roles = {Role::kLawyer},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::LawyerAggregate, requests::UpdateProfileBody>(
          *this, own_lawyer_stream, [](requests::UpdateProfileBody in, const Call&) {
            return domain::UpdateProfile{std::move(in.phone), std::move(in.email)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/me/schedule",
       .operation = "AddScheduleEntry",
       .summary = "A lawyer adds a schedule entry (a time range, whether they can appear in "
                  "court then, a note); it is shown to the judges of their cases.",
       .tag = "lawyers",
       .roles = {Role::kLawyer},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      CommandHandler{
          [this](Call& call) -> Result {
            auto in = read_body<requests::AddScheduleEntryBody>(call.request.body());
            if (!in)
              return unexpected(std::move(in).error());
            domain::AddScheduleEntry command{in->starts_at_us, in->ends_at_us,
                                             in->can_appear_in_court, in->text.value_or("")};
            const auto stream = domain::lawyer_stream(call.principal.id);
            // The entry this command added (a repeat: the one its first added), named from the
            // stream as it stood right after it, whatever was written since.
            return submit<domain::LawyerAggregate>(
                call, stream, std::move(command), http::status::created, {},
                [this, stream](const app::Accepted& accepted, const domain::LawyerState* after)
                    -> Expected<json::object, Problem> {
                  json::object extra;
                  auto added = after != nullptr ? after->entries_added : 0;
                  if (after == nullptr) {
                    const auto version = accepted.stream_version;
                    auto then = platform_.runner<domain::LawyerAggregate>().load_until(
                        stream,
                        [version](const engine::RecordedEvent& e) { return e.version <= version; });
                    if (!then)
                      return unexpected(from_engine_error(then.error()));
                    added = then->state.entries_added;
                  }
                  if (added > 0)
                    extra["created_id"] = "e" + std::to_string(added);
                  return extra;
                });
          },
          body_type<requests::AddScheduleEntryBody>()});

  add({.method = http::verb::delete_,
       .path = "/v1/me/schedule/{entry_id}",
       .operation = "RemoveScheduleEntry",
       .summary = "A lawyer removes one of their schedule entries.",
       .tag = "lawyers",
       .roles = {Role::kLawyer},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        return execute<domain::LawyerAggregate>(
            call, domain::lawyer_stream(call.principal.id),
            domain::RemoveScheduleEntry{call.param("entry_id")});
      });

  add({.method = http::verb::post,
       .path = "/v1/roster",
       .operation = "ImportRoster",
       .summary = "An admin imports a law firm's roster: each lawyer's account is created (first "
                  "password: the licence number), updated or reactivated. 200 when every lawyer "
                  "went through; 207 with each lawyer's status when only some did; when none did, "
                  "the failure as a problem (each lawyer in violations) and nothing is written.",
       .tag = "accounts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::RosterImport>(),
       .success = {200, 207}},
      with_body<requests::ImportRosterBody>([this](Call& call,
                                                   requests::ImportRosterBody in) -> Result {
        std::vector<domain::RegisterFromRoster> lawyers;
        for (auto& l : in.lawyers) {
          domain::RegisterFromRoster r;
          r.firm = in.firm;
          r.name = std::move(l.name);
          r.licence_number = std::move(l.licence_number);
          r.id_number = std::move(l.id_number);
          r.phone = std::move(l.phone);
          r.email = std::move(l.email);
          r.practitioner = l.practitioner.value_or(domain::Practitioner::kLawyer);
          lawyers.push_back(std::move(r));
        }
        if (lawyers.empty())
          return unexpected(invalid("lawyers", "Expected at least one lawyer, but got none"));
        std::vector<domain::Violation> bad;
        for (std::size_t i = 0; i < lawyers.size(); ++i) {
          const auto& l = lawyers[i];
          bool digits = !l.licence_number.empty();
          for (char c : l.licence_number)
            digits = digits && c >= '0' && c <= '9';
          if (!digits)
            bad.push_back(
                {"lawyers[" + std::to_string(i) + "].licence_number",
                 "Expected a licence number of digits, but got \"" + l.licence_number + "\""});
          for (std::size_t j = 0; j < i; ++j) {
            if (lawyers[j].licence_number == l.licence_number)
              bad.push_back(
                  {"lawyers[" + std::to_string(i) + "].licence_number",
                   "Expected each licence number once, but " + l.licence_number + " repeats"});
          }
        }
        if (!bad.empty())
          return unexpected(make_problem(
              http::status::unprocessable_entity, problem_code::kValidation,
              "Expected a roster of distinct licence numbers, but " + bad.front().message, bad));
        json::array results;
        std::uint64_t last = 0;
        std::vector<domain::Violation> failed;
        std::optional<Problem> first_failure;
        for (std::size_t i = 0; i < lawyers.size(); ++i) {
          auto& l = lawyers[i];
          const auto licence = l.licence_number;
          auto outcome = platform_.execute<domain::LawyerAggregate>(
              domain::lawyer_stream(licence), std::move(l), app_request(call, licence));
          json::object r{{"licence_number", licence}};
          if (outcome) {
            r["status"] = 200;
            r["position"] = outcome->position;
            r["stream_version"] = outcome->stream_version;
            r["deduplicated"] = outcome->deduplicated;
            last = std::max(last, outcome->position);
          } else {
            const auto& failure = outcome.error();
            const auto* rejection = std::get_if<domain::Rejection>(&failure);
            auto problem = rejection != nullptr
                               ? from_rejection(*rejection)
                               : from_engine_error(std::get<engine::Error>(failure));
            r["status"] = static_cast<unsigned>(problem.status);
            r["code"] = app::failure_code(failure);
            r["detail"] = app::failure_message(failure);
            failed.push_back({"lawyers[" + std::to_string(i) + "]", problem.detail});
            if (!first_failure)
              first_failure = std::move(problem);
          }
          results.push_back(std::move(r));
        }
        if (failed.size() == lawyers.size()) {
          // Nothing was imported: the failure itself, as for any command.
          auto problem = std::move(*first_failure);
          problem.detail = "Expected the roster's lawyers to be imported, but none was: " +
                           failed.front().field + ": " + failed.front().message;
          problem.violations = std::move(failed);
          return unexpected(std::move(problem));
        }
        // Some imported, some not: 207 Multi-Status, each lawyer with its own status.
        const bool all_ok = failed.empty();
        json::object out{{"position", last}, {"results", std::move(results)}, {"ok", all_ok}};
        auto res = json_reply(call, all_ok ? http::status::ok : http::status::multi_status, out);
        res.set("Docket-Position", std::to_string(last));
        return Reply{std::move(res)};
      }));

  add({.method = http::verb::post,
       .path = "/v1/lawyers/{licence}/deactivate",
       .operation = "DeactivateLawyer",
       .summary = "An admin closes the account of a lawyer who left the roster.",
       .tag = "accounts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        auto reply = execute<domain::LawyerAggregate>(
            call, domain::lawyer_stream(call.param("licence")), domain::Deactivate{});
        if (reply)
          (void)sessions_.revoke_principal(call.param("licence"));
        return reply;
      });

  add({.method = http::verb::post,
       .path = "/v1/staff",
       .operation = "RegisterStaff",
       .summary = "An admin registers a clerk, judge, court system, auditor or admin. A court "
                  "system's API key is generated and returned this once.",
       .tag = "accounts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      with_body<requests::RegisterStaffBody>(
          [this](Call& call, requests::RegisterStaffBody in) -> Result {
            domain::RegisterStaff command;
            command.staff_id = std::move(in.staff_id);
            command.name = std::move(in.name);
            command.role = to_domain<domain::Role>(in.role);
            command.court = in.court.value_or("");
            command.initial_password = in.initial_password.value_or("");
            return accepted(call, platform_.register_staff(std::move(command), app_request(call)),
                            http::status::created);
          }));

  add({.method = http::verb::post,
       .path = "/v1/staff/{staff_id}/api-key",
       .operation = "RotateApiKey",
       .summary = "An admin replaces a court system's API key; the new key is returned once.",
       .tag = "accounts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        return accepted(call, platform_.rotate_api_key(call.param("staff_id"), app_request(call)));
      });

  add({.method = http::verb::post,
       .path = "/v1/staff/{staff_id}/deactivate",
       .operation = "DeactivateStaff",
       .summary = "An admin closes a staff account.",
       .tag = "accounts",
       .roles = {Role::kAdmin},
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        auto reply = execute<domain::StaffAggregate>(
            call, domain::staff_stream(call.param("staff_id")), domain::DeactivateStaff{});
        if (reply)
          (void)sessions_.revoke_principal(call.param("staff_id"));
        return reply;
      });
}

}  // namespace docket::api
