#include "scope.h"

#include <algorithm>

#include "identifiers.h"
#include "service.h"

namespace docket::api {

using domain::Role;

ResourceScope scope_of(const domain::FilingState& filing) {
  ResourceScope out{filing.court, {filing.filer}, std::nullopt, {}};
  for (const auto& a : filing.agents)
    out.lawyers.push_back(a.licence_number);
  return out;
}

ResourceScope scope_of(const domain::CaseState& kase) {
  ResourceScope out{kase.court, {}, std::nullopt, {}};
  for (const auto& a : kase.agents) {
    if (!a.licence.empty())
      out.lawyers.push_back(a.licence);
    if (!a.identity_number.empty())
      out.lawyer_identities.push_back(a.identity_number);
  }
  return out;
}

engine::Result<void> link_by_identity(app::Platform& platform, const domain::Principal& caller,
                                      ResourceScope& resource) {
  if (caller.role != Role::kLawyer || caller.id.empty() || resource.lawyer_identities.empty() ||
      std::find(resource.lawyers.begin(), resource.lawyers.end(), caller.id) !=
          resource.lawyers.end())
    return {};
  auto identity = platform.inspect<domain::LawyerAggregate>(
      domain::lawyer_stream(caller.id), [](const auto& loaded) {
        return loaded.state.exists ? loaded.state.id_number : std::string();
      });
  if (!identity)
    return unexpected(identity.error());
  const auto& ids = resource.lawyer_identities;
  if (!identity->empty() && std::find(ids.begin(), ids.end(), *identity) != ids.end())
    resource.lawyers.push_back(caller.id);
  return {};
}

ResourceScope scope_of(const domain::PaymentNoticeState& notice) {
  return ResourceScope{notice.court, notice.payers, std::nullopt, {}};
}

ResourceScope scope_of(const domain::ServiceState& service) {
  return ResourceScope{service.court, {service.recipient_licence}, std::nullopt, {}};
}

ResourceScope scope_of(const domain::HotlineRequestState& request) {
  ResourceScope out{request.court, {}, request.forwarded_to, {}};
  if (!request.filer_licence_number.empty())
    out.lawyers.push_back(request.filer_licence_number);
  return out;
}

bool may_reach(const domain::Principal& caller, const ResourceScope& resource) {
  switch (caller.role) {
    case Role::kLawyer:
      return !caller.id.empty() && std::find(resource.lawyers.begin(), resource.lawyers.end(),
                                             caller.id) != resource.lawyers.end();
    case Role::kJudge:
      if (resource.judge && *resource.judge != caller.id)
        return false;
      return domain::acts_for_court(caller, resource.court, {Role::kJudge});
    case Role::kClerk:
    case Role::kCourtSystem:
      return domain::acts_for_court(caller, resource.court, {Role::kClerk, Role::kCourtSystem});
    case Role::kAuditor:
      return true;
    case Role::kAdmin:
    case Role::kSystem:
      return false;
  }
  return false;
}

Problem hidden(std::string_view what, std::string_view id) {
  return not_found("Expected a " + std::string(what) + " \"" + std::string(id) +
                   "\" that the caller may see, but there is none");
}

Expected<void, Problem> check_reach(const domain::Principal& caller, const ResourceScope& resource,
                                    std::string_view what, std::string_view id) {
  if (may_reach(caller, resource))
    return {};
  if (caller.role == Role::kLawyer)
    return unexpected(hidden(what, id));
  std::string who =
      resource.court.empty() ? std::string("no court yet") : "court \"" + resource.court + "\"";
  return unexpected(forbidden("Expected " + std::string(what) + " \"" + std::string(id) +
                              "\" to be reached by its lawyers or by staff of " + who + ", but " +
                              std::string(domain::enum_name(caller.role)) + " \"" + caller.id +
                              "\" of court \"" + caller.court + "\" asked"));
}

namespace {

bool holds_blob(const domain::FilingState& f, std::string_view hash) {
  if (f.mediation_referral && !hash.empty() && f.mediation_referral->agreement_blob_hash == hash)
    return true;
  for (const auto& m : f.materials) {
    if (std::find(m.blob_hashes.begin(), m.blob_hashes.end(), hash) != m.blob_hashes.end())
      return true;
  }
  return std::any_of(f.identity_papers.begin(), f.identity_papers.end(),
                     [&](const auto& p) { return p.blob_hash == hash; });
}

bool holds_blob(const domain::CaseState& c, std::string_view hash) {
  for (const auto& [id, hearing] : c.hearings) {
    if (hearing.transcript && hearing.transcript->blob_hash == hash)
      return true;
  }
  auto in = [&](const std::vector<domain::CaseAttachment>& list) {
    return std::any_of(list.begin(), list.end(),
                       [&](const auto& a) { return a.blob_hash == hash; });
  };
  for (const auto& [id, batch] : c.evidence_batches) {
    for (const auto& item : batch.items) {
      if (item.blob_hash == hash)
        return true;
    }
  }
  for (const auto& [id, exchange] : c.evidence_exchanges) {
    for (const auto& item : exchange.items) {
      if (item.blob_hash == hash)
        return true;
    }
  }
  for (const auto& [id, material] : c.file_materials) {
    if (material.blob_hash == hash)
      return true;
  }
  for (const auto& [id, message] : c.messages) {
    if (in(message.attachments) || in(message.reply_attachments))
      return true;
  }
  return false;
}

}  // namespace

Expected<void, Problem> Service::blob_reached(const Call& call, const std::string& hash) {
  for (const auto& [name, kind] :
       {std::pair{"filing", IdKind::kId}, std::pair{"case", IdKind::kCaseNumber},
        std::pair{"service", IdKind::kId}}) {
    if (auto value = call.query_param(name)) {
      if (auto error = identifier_error(kind, name, *value)) {
        std::string detail = *error;
        return unexpected(bad_request(std::move(detail), {{name, std::move(*error)}}));
      }
    }
  }
  const auto& me = call.principal;
  if (me.role == Role::kAuditor || uploaded_by(hash, me))
    return {};
  auto refuse = [&]() -> Expected<void, Problem> {
    if (me.role == Role::kLawyer)
      return unexpected(hidden("file", hash));
    return unexpected(
        forbidden("Expected a file the caller uploaded or one of a filing, case or "
                  "service of their court named by ?filing=, ?case= or ?service=, "
                  "but " +
                  hash + " is none of them for " + std::string(domain::enum_name(me.role)) + " \"" +
                  me.id + "\""));
  };
  if (auto id = call.query_param("filing")) {
    auto loaded = platform_.load<domain::FilingAggregate>(domain::filing_stream(*id));
    if (!loaded)
      return unexpected(from_engine_error(loaded.error()));
    const auto& f = loaded->state;
    if (f.exists && f.status != domain::FilingStatus::kDeleted && may_reach(me, scope_of(f)) &&
        holds_blob(f, hash))
      return {};
    return refuse();
  }
  if (me.role == Role::kLawyer)
    return refuse();
  if (auto number = call.query_param("case")) {
    auto loaded = platform_.load<domain::CaseAggregate>(domain::case_stream(*number));
    if (!loaded)
      return unexpected(from_engine_error(loaded.error()));
    auto scope = scope_of(loaded->state);
    scope.judge = loaded->state.judge;
    if (loaded->state.exists && may_reach(me, scope) && holds_blob(loaded->state, hash))
      return {};
    return refuse();
  }
  if (auto id = call.query_param("service")) {
    auto loaded = platform_.load<domain::ServiceAggregate>(domain::service_stream(*id));
    if (!loaded)
      return unexpected(from_engine_error(loaded.error()));
    const auto& sv = loaded->state;
    auto scope = scope_of(sv);
    scope.lawyers.clear();  // the recipient downloads through DownloadServedDocument
    auto kase = platform_.load<domain::CaseAggregate>(domain::case_stream(sv.case_number));
    if (!kase)
      return unexpected(from_engine_error(kase.error()));
    scope.judge = kase->state.judge;
    if (sv.exists && may_reach(me, scope) && sv.blob_hash == hash)
      return {};
    return refuse();
  }
  return refuse();
}

Expected<void, Problem> Service::may_read_case(const Call& call,
                                               const projections::CaseAccess& access) const {
  // Only the judge in charge reads a case of the judges.
  ResourceScope scope{access.court, access.agents, access.judge, access.agent_identity_numbers};
  if (auto linked = link_by_identity(platform_, call.principal, scope); !linked)
    return unexpected(from_engine_error(linked.error()));
  return check_reach(call.principal, scope, "case", access.case_number);
}

std::string_view owner_parameter(Owner owner) {
  switch (owner) {
    case Owner::kNone:
      return "";
    case Owner::kCase:
    case Owner::kCaseToBind:
      return "case_number";
    case Owner::kFiling:
    case Owner::kPayment:
      return "filing_id";
    case Owner::kPaymentCode:
      return "code";
    case Owner::kService:
      return "service_id";
    case Owner::kHotlineRequest:
      return "hotline_request_id";
  }
  return "";
}

Result Service::scope_guard(const Call& call) {
  if (auto reached = reach_owner(call); !reached)
    return unexpected(std::move(reached).error());
  return Reply{};
}

Expected<void, Problem> Service::reach_owner(const Call& call) {
  const auto& me = call.principal;
  const Owner owner = call.route.owner;
  if (owner == Owner::kNone || owner == Owner::kCaseToBind)
    return {};
  if (me.role != Role::kLawyer && me.role != Role::kClerk && me.role != Role::kJudge &&
      me.role != Role::kCourtSystem) {
    return {};  // auditors read all, admins reach no court's resource by role already
  }
  const std::string& id = call.param(owner_parameter(owner));
  // Who may reach the resource, read from its cached state in place (the state may be large:
  // only the scope is copied out).
  struct Found {
    bool exists = false;
    ResourceScope scope;
  };
  auto found = [](bool exists, ResourceScope scope) { return Found{exists, std::move(scope)}; };
  // A resource that does not exist: a lawyer hears what a hidden one gives; staff reach the
  // handler, which answers 404 or creates it.
  auto reach = [&](const Found& seen, std::string_view what) -> Expected<void, Problem> {
    if (!seen.exists) {
      if (me.role == Role::kLawyer)
        return unexpected(hidden(what, id));
      return {};
    }
    return check_reach(me, seen.scope, what, id);
  };
  switch (owner) {
    case Owner::kCase: {
      auto seen = platform_.inspect<domain::CaseAggregate>(
          domain::case_stream(id),
          [&](const auto& loaded) { return found(loaded.state.exists, scope_of(loaded.state)); });
      if (!seen)
        return unexpected(from_engine_error(seen.error()));
      if (auto linked = link_by_identity(platform_, me, seen->scope); !linked)
        return unexpected(from_engine_error(linked.error()));
      return reach(*seen, "case");
    }
    case Owner::kFiling:
    case Owner::kPayment: {
      // A payment notice's payers are its filing's agents: both are reached through the filing.
      auto seen = platform_.inspect<domain::FilingAggregate>(
          domain::filing_stream(id), [&](const auto& loaded) {
            const auto& f = loaded.state;
            return found(f.exists && f.status != domain::FilingStatus::kDeleted, scope_of(f));
          });
      if (!seen)
        return unexpected(from_engine_error(seen.error()));
      return reach(*seen, owner == Owner::kPayment ? "payment notice" : "filing");
    }
    case Owner::kService: {
      auto seen = platform_.inspect<domain::ServiceAggregate>(
          domain::service_stream(id),
          [&](const auto& loaded) { return found(loaded.state.exists, scope_of(loaded.state)); });
      if (!seen)
        return unexpected(from_engine_error(seen.error()));
      return reach(*seen, "served document");
    }
    case Owner::kHotlineRequest: {
      auto seen = platform_.inspect<domain::HotlineAggregate>(
          domain::hotline_stream(id),
          [&](const auto& loaded) { return found(loaded.state.exists, scope_of(loaded.state)); });
      if (!seen)
        return unexpected(from_engine_error(seen.error()));
      return reach(*seen, "hotline request");
    }
    case Owner::kPaymentCode: {
      auto filing = read_models_.payment_filing(id);
      if (!filing)
        return unexpected(from_engine_error(filing.error()));
      Found notice;
      if (*filing) {
        auto seen = platform_.inspect<domain::PaymentAggregate>(
            domain::payment_stream(**filing),
            [&](const auto& loaded) { return found(loaded.state.exists, scope_of(loaded.state)); });
        if (!seen)
          return unexpected(from_engine_error(seen.error()));
        notice = std::move(*seen);
      }
      return reach(notice, "payment notice");
    }
    case Owner::kNone:
    case Owner::kCaseToBind:
      break;
  }
  return {};
}

}  // namespace docket::api
