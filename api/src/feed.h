// The event feed: who may read which event, how the feed's pages are read from the log, and how
// each event is shown. Both feed routes (GET /v1/events and GET /v1/events/stream) go through
// FeedScope, so there is one rule, in one place. Internal to docket_api.
//
// The rule follows the resource routes: a caller reads the events of a stream exactly when they
// may read the resource that stream holds (GetFiling, GetPaymentNotice, GetCase, GetService, …).
// Who owns a stream is read from its aggregate's current state (the state every command and the
// lawyer guard decide from), so a filing's events are its court's from the moment a court is
// chosen, and a case's are its judge's once one is assigned:
//
//   stream        lawyer            clerk, court system   judge                  auditor admin
//   court-        -                 its court             its court              all     all
//   case_number-  -                 its court             -                      all     -
//   filing-       filer, agents     its court             -                      all     -
//   payment-      payers            its court             its court              all     -
//   case-         agents            its court             in charge, its court   all     -
//   service-      recipient         its court             in charge of the case  all     -
//   lawyer-       that lawyer       -                     -                      all     all
//   staff-        -                 -                     -                      all     all
//   any other     -                 -                     -                      all     -
//
// "its court" means the stream's court equals the caller's court (never when either is empty);
// accounts (lawyer-, staff-) belong to no court, so no court system, clerk or judge reads them.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docket/app/platform.h"
#include "docket/domain/core.h"
#include "docket/engine/event_store.h"
#include "docket/engine/format.h"
#include "scope.h"

namespace docket::api {

// Who a stream belongs to, as its aggregate's state says now.
struct StreamOwners {
  std::string category;  // the stream's category ("filing", "case", …)
  // A court's resource (filing, payment, case, service): its scope as the resource routes read
  // it, with the judge in charge set for cases and services.
  std::optional<ResourceScope> resource;
  std::string court;   // court- and case_number- streams: their court
  std::string lawyer;  // lawyer- streams: the account's licence number
};

// Whether `reader` may read the events of a stream with these owners (the table above): for a
// court's resource, exactly may_reach of scope.h, the rule of the resource routes.
bool may_read(const domain::Principal& reader, const StreamOwners& owners);

// One reader's scope. Caches each stream's decision until forget(): call forget() before each
// pass over the log (a page, an SSE poll), so an owner who changes (a filing moved to another
// court, an agent added) is seen by the next pass. Not thread-safe.
class FeedScope {
 public:
  FeedScope(app::Platform& platform, domain::Principal reader)
      : platform_(platform), reader_(std::move(reader)) {}

  engine::Result<bool> allows(std::string_view stream);
  // Whether the reader sees `event`, of a stream they may read. A lawyer sees neither a case
  // file's materials (their titles are the judge's to show, through an approved file review) nor
  // another lawyer's own items of the case: their evidence, the exchanges sent to them, their file
  // reviews, messages, avoidance requests and binding attempts — as GetCase shows a case.
  engine::Result<bool> shows(const engine::RecordedEvent& event);
  void forget() {
    decided_.clear();
    cases_.clear();
  }
  const domain::Principal& reader() const { return reader_; }

 private:
  app::Platform& platform_;
  domain::Principal reader_;
  // Bounded without a byte count: forget() empties it before each pass, and a pass looks at a
  // bounded number of log records (read_feed), so it holds at most that many streams.
  std::unordered_map<std::string, bool> decided_;
  // The case states a pass looked at, for the owners of their items (bounded as decided_ is).
  std::unordered_map<std::string, std::shared_ptr<const domain::CaseState>> cases_;
};

// An event as the feed gives it: the recorded event, the exact envelope bytes that enter the
// chain hash, and the hash of the record before it.
struct FeedEvent {
  engine::RecordedEvent event;
  std::string envelope;
  engine::format::Hash previous_hash{};
};

struct FeedPage {
  std::vector<FeedEvent> events;
  std::uint64_t scanned_to = 0;  // the last position looked at: resume after it
};

// The next events after `after` that `scope` allows, of the given categories (all when empty),
// at most `limit`, looking at a bounded number of log records per call (so a reader who may
// read little of the log still gets an answer soon; scanned_to says how far it got).
engine::Result<FeedPage> read_feed(const engine::EventStore& store, FeedScope& scope,
                                   std::uint64_t after, const std::vector<std::string>& categories,
                                   std::size_t limit);

// An event as JSON: its envelope fields, its payload rendered by field name (credential fields
// never), its schema version, and what a verifier needs to recompute its chain hash:
// previous_hash, hash and envelope_base64 (withheld, with "envelope_withheld": true, for an event
// whose payload holds a credential or does not render).
boost::json::object feed_event_json(const FeedEvent& e);

}  // namespace docket::api
