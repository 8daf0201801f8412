// Who may reach a court's resource (a filing, case, payment notice, served document, file): the
// one rule every route applies, at the edge before a handler runs and again where a handler
// reads. Internal to docket_api.
//
// A lawyer reaches a resource only when they are among its lawyers (the filer and agents of a
// filing, the agents of a case, the payers of a notice, the recipient of a service). A clerk,
// judge or court system reaches it only when it belongs to their court (domain::acts_for_court);
// where a resource names one judge (the judge in charge), only that judge of the court. Auditors
// read everything; admins reach no court's resource.
//
// What a refused caller hears: a lawyer gets 404 with exactly the body a missing resource gives
// (so a lawyer cannot tell which case numbers, filings or services exist); staff get 403.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/problem.h"
#include "docket/app/platform.h"
#include "docket/domain/case.h"
#include "docket/domain/core.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/engine/types.h"

namespace docket::api {

struct ResourceScope {
  std::string court;                 // the owning court ("" while a draft has none: staff never)
  std::vector<std::string> lawyers;  // licence numbers of the lawyers it belongs to
  // Set: only this judge of the court reaches it ("" while none is assigned: no judge does).
  // Unset: any judge of the court.
  std::optional<std::string> judge;
  // Identity numbers of the agents the court's system recorded by one (a case's): a lawyer whose
  // account has one of them reaches it as if it named their licence (link_by_identity).
  std::vector<std::string> lawyer_identities;
};

// The scope of each resource as its aggregate's state holds it. A case's judge is left unset (any
// judge of its court); a read that only the judge in charge may make sets it.
ResourceScope scope_of(const domain::FilingState& filing);
ResourceScope scope_of(const domain::CaseState& kase);
ResourceScope scope_of(const domain::PaymentNoticeState& notice);
ResourceScope scope_of(const domain::ServiceState& service);
// A hotline request: its court's clerks and court system, the lawyer who filed it online, and the
// judge it was forwarded to (no judge before).
ResourceScope scope_of(const domain::HotlineRequestState& request);

// Whether `caller` may reach `resource`.
bool may_reach(const domain::Principal& caller, const ResourceScope& resource);

// Adds `caller` to `resource`'s lawyers when they are a lawyer whose account's identity number is
// among its lawyer_identities (manual §3.3.7: cases are linked by licence number and identity
// number). The account is read only when the licence is not already there.
engine::Result<void> link_by_identity(app::Platform& platform, const domain::Principal& caller,
                                      ResourceScope& resource);

// The 404 a lawyer gets for a `what` named `id` they may not see, and for one that does not
// exist: the same status and body either way.
Problem hidden(std::string_view what, std::string_view id);

// {} when `caller` may reach `resource`; else hidden(what, id) for a lawyer, 403 for anyone else.
Expected<void, Problem> check_reach(const domain::Principal& caller, const ResourceScope& resource,
                                    std::string_view what, std::string_view id);

}  // namespace docket::api
