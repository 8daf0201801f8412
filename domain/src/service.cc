#include "docket/domain/service.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "deciding.h"
#include "docket/domain/facts.h"
#include "service_generated.h"

namespace docket::domain {
namespace {

using deciding::decided;
using deciding::fail;
using deciding::is_sha256_hex;
using deciding::make_event;
using deciding::on;
using deciding::payload_of;
using deciding::Violations;

// Whether two codes are equal, taking the same time whatever the first differing byte.
bool same_in_constant_time(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::optional<Rejection> check_served(const ServiceState& state) {
  if (!state.exists) {
    return reject(RejectionCode::kNotFound, "Expected a served document, but there is none");
  }
  return std::nullopt;
}

std::optional<Rejection> check_recipient(const ServiceState& state, const Principal& actor) {
  if (actor.role != Role::kLawyer || actor.id != state.recipient_licence) {
    return reject(RejectionCode::kForbidden, "Expected the recipient " + state.recipient_licence +
                                                 ", but " + actor.id + " (" +
                                                 std::string(enum_name(actor.role)) + ") acts");
  }
  return std::nullopt;
}

// The events that issue key `serial` and queue its SMS.
std::vector<EventData> issue_key(const ServiceState& state, std::uint32_t serial,
                                 std::int64_t validity_us, const std::string& phone,
                                 const Context& ctx) {
  fb::SmsKeyIssuedT issued;
  issued.serial = serial;
  issued.issued_at_us = ctx.now_us;
  issued.expires_at_us = ctx.now_us + validity_us;
  fb::SmsKeyNotificationQueuedT queued;
  queued.phone = phone;
  queued.serial = serial;
  queued.expires_at_us = issued.expires_at_us;
  std::vector<EventData> events;
  if (state.sms_key) {
    fb::SmsKeyVoidedT voided;
    voided.serial = state.sms_key->serial;
    events.push_back(make_event(event_type::kSmsKeyVoided, voided));
  }
  events.push_back(make_event(event_type::kSmsKeyIssued, issued, 3));
  events.push_back(make_event(event_type::kSmsKeyNotificationQueued, queued));
  return events;
}

// What a service needs to know of its case, its recipient and its court (facts.h).
struct ServiceFacts {
  std::string court;
  std::string judge;
  bool recipient_is_agent = false;
  bool recipient_consents = false;  // every party the agent represents chose electronic service
  std::string recipient_phone;      // the account's, when it is active
  CourtPolicy policy;
};

ServiceFacts service_facts(const CaseState& kase, std::string_view recipient, const Facts& facts) {
  ServiceFacts out;
  out.court = kase.court;
  out.judge = kase.judge;
  const CaseAgent* agent = agent_for(kase, recipient, facts);
  out.recipient_is_agent = agent != nullptr;
  if (agent != nullptr && !agent->represents.empty()) {
    out.recipient_consents =
        std::all_of(agent->represents.begin(), agent->represents.end(), [&](const auto& id) {
          return std::any_of(kase.parties.begin(), kase.parties.end(), [&](const auto& party) {
            return party.party_id == id && party.electronic_service_consent;
          });
        });
  }
  const LawyerState& lawyer = facts.lawyer(recipient);
  out.recipient_phone = lawyer.exists && lawyer.active ? lawyer.phone : std::string();
  out.policy = policy_of(facts, kase.court);
  return out;
}

Outcome decide_one(const ServiceState& state, const ServeDocument& c, const Context& ctx) {
  if (c.case_number.empty()) {
    return unexpected(
        reject(RejectionCode::kValidation, "Expected the case number to serve in, but it is empty",
               {{"case_number", "Expected the case number to serve in, but it is empty"}}));
  }
  const CaseState& kase = facts_of(ctx).case_state(c.case_number);
  if (!kase.exists) {
    const std::string message =
        "Expected a registered case to serve in, but there is no case " + quoted(c.case_number);
    return unexpected(reject(RejectionCode::kNotFound, message, {{"case_number", message}}));
  }
  if (state.exists) {
    return fail(RejectionCode::kConflict,
                "Expected a new service, but " + quoted(state.service_id) + " was already served");
  }
  const ServiceFacts f = service_facts(kase, c.recipient_licence, facts_of(ctx));
  const bool by_judge = !f.judge.empty() && ctx.actor.id == f.judge &&
                        acts_for_court(ctx.actor, f.court, {Role::kJudge});
  const bool by_court_system = acts_for_court(ctx.actor, f.court, {Role::kCourtSystem});
  if (!by_judge && !by_court_system) {
    return fail(RejectionCode::kForbidden, "Expected the judge in charge or the court system of " +
                                               quoted(f.court) + ", but " + ctx.actor.id + " (" +
                                               std::string(enum_name(ctx.actor.role)) + ") serves");
  }
  Violations v;
  v.require(!c.service_id.empty(), "service_id", "Expected a service id, but it is empty");
  v.require(!c.case_number.empty(), "case_number", "Expected a case number, but it is empty");
  v.require(!c.document_type.empty(), "document_type", "Expected a document type, but it is empty");
  v.require(!c.title.empty(), "title", "Expected the document's title, but it is empty");
  v.require(is_sha256_hex(c.blob_hash), "blob_hash",
            "Expected a lower-hex SHA-256 blob hash, but got " + quoted(c.blob_hash));
  v.require(!c.recipient_licence.empty(), "recipient_licence",
            "Expected the recipient's licence number, but it is empty");
  v.require(c.recipient_licence.empty() || f.recipient_is_agent, "recipient_licence",
            "Expected a lawyer who is an agent in case " + c.case_number + ", but " +
                c.recipient_licence + " is not");
  v.require(!f.recipient_phone.empty(), "recipient_phone",
            "Expected the recipient's phone for the SMS key, but it is empty");
  v.require(f.policy.sms_key_validity_us > 0, "sms_key_validity_us",
            "Expected a positive SMS key validity from the court's policy, but it is " +
                std::to_string(f.policy.sms_key_validity_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  if (!may_serve_electronically(f.policy, c.document_type)) {
    return fail(RejectionCode::kPolicy,
                "Expected a document type the court allows to serve electronically, but " +
                    quoted(c.document_type) + " may not be");
  }
  if (!f.recipient_consents) {
    return fail(RejectionCode::kPolicy,
                "Expected the recipient's consent to electronic service, but " +
                    c.recipient_licence + " has not consented");
  }
  fb::DocumentServedT served;
  served.service_id = c.service_id;
  served.case_number = c.case_number;
  served.court = f.court;
  served.document_type = c.document_type;
  served.title = c.title;
  served.blob_hash = c.blob_hash;
  served.recipient_licence = c.recipient_licence;
  served.recipient_phone = f.recipient_phone;
  served.served_by = ctx.actor.id;
  served.served_at_us = ctx.now_us;
  std::vector<EventData> events{make_event(event_type::kDocumentServed, served)};
  for (auto& event : issue_key(state, 1, f.policy.sms_key_validity_us, f.recipient_phone, ctx)) {
    events.push_back(std::move(event));
  }
  return decided(std::move(events));
}

Outcome decide_one(const ServiceState& state, const RecordSmsDelivery& c, const Context& ctx) {
  if (auto rejection = check_served(state))
    return unexpected(*rejection);
  if (ctx.actor.role != Role::kSystem) {
    return fail(RejectionCode::kForbidden, "Expected the system's SMS outbox, but " + ctx.actor.id +
                                               " (" + std::string(enum_name(ctx.actor.role)) +
                                               ") acts");
  }
  if (state.status != ServiceStatus::kSent || !state.sms_key || state.sms_key->serial != c.serial) {
    return Decision{};
  }
  fb::ServiceDeliveredT delivered;
  delivered.serial = c.serial;
  delivered.delivered_at_us = ctx.now_us;
  return decided({make_event(event_type::kServiceDelivered, delivered)});
}

Outcome decide_one(const ServiceState& state, const OpenServiceNotice&, const Context& ctx) {
  if (auto rejection = check_served(state))
    return unexpected(*rejection);
  if (auto rejection = check_recipient(state, ctx.actor))
    return unexpected(*rejection);
  if (state.status == ServiceStatus::kOpened || state.status == ServiceStatus::kSigned) {
    return Decision{};
  }
  fb::ServiceOpenedT opened;
  opened.opened_at_us = ctx.now_us;
  return decided({make_event(event_type::kServiceOpened, opened)});
}

Outcome decide_one(const ServiceState& state, const ResendSmsKey&, const Context& ctx) {
  if (auto rejection = check_served(state))
    return unexpected(*rejection);
  const bool by_court_system = acts_for_court(ctx.actor, state.court, {Role::kCourtSystem});
  if (!by_court_system) {
    if (auto rejection = check_recipient(state, ctx.actor))
      return unexpected(*rejection);
  }
  if (state.status == ServiceStatus::kSigned) {
    return fail(RejectionCode::kInvalidState,
                "Expected a document awaiting signature, but it was already signed");
  }
  // The court's key validity, and the recipient's phone as their account says now (facts).
  const Facts& facts = facts_of(ctx);
  const std::int64_t validity = policy_of(facts, state.court).sms_key_validity_us;
  if (validity <= 0) {
    Violations v;
    v.add("sms_key_validity_us",
          "Expected a positive SMS key validity from the court's policy, but it is " +
              std::to_string(validity) + " us");
    return unexpected(v.rejection());
  }
  const auto window_start = ctx.now_us - ServiceAggregate::kSmsKeyWindowUs;
  std::vector<std::int64_t> recent;
  for (auto at : state.keys_issued_at_us) {
    if (at > window_start)
      recent.push_back(at);
  }
  if (recent.size() >= ServiceAggregate::kMaxSmsKeysPerWindow) {
    const auto next_at = recent[recent.size() - ServiceAggregate::kMaxSmsKeysPerWindow] +
                         ServiceAggregate::kSmsKeyWindowUs;
    return fail(RejectionCode::kPolicy,
                "Expected at most " + std::to_string(ServiceAggregate::kMaxSmsKeysPerWindow) +
                    " SMS keys for a service in 24 hours, but " + std::to_string(recent.size()) +
                    " were sent since " + std::to_string(recent.front()) +
                    " us; the current key stays valid until it expires, and the next may be sent "
                    "after " +
                    std::to_string(next_at) + " us");
  }
  const std::uint32_t serial = state.sms_key ? state.sms_key->serial + 1 : 1;
  const LawyerState& recipient = facts.lawyer(state.recipient_licence);
  const std::string& phone =
      recipient.exists && !recipient.phone.empty() ? recipient.phone : state.recipient_phone;
  return decided(issue_key(state, serial, validity, phone, ctx));
}

Outcome decide_one(const ServiceState& state, const SignForReceipt& c, const Context& ctx) {
  if (auto rejection = check_served(state))
    return unexpected(*rejection);
  if (auto rejection = check_recipient(state, ctx.actor))
    return unexpected(*rejection);
  if (state.status == ServiceStatus::kSigned) {
    return fail(RejectionCode::kInvalidState,
                "Expected a document awaiting signature, but it was already signed");
  }
  if (state.signing_locked) {
    return fail(RejectionCode::kPolicy,
                "Expected fewer than 5 wrong SMS keys, but signing is locked until a new key is "
                "sent");
  }
  if (c.sms_key.empty()) {
    Violations v;
    v.add("sms_key", "Expected the SMS key, but it is empty");
    return unexpected(v.rejection());
  }
  if (!state.sms_key || ctx.now_us > state.sms_key->expires_at_us) {
    return fail(RejectionCode::kPolicy,
                "Expected an unexpired SMS key, but key " +
                    std::to_string(state.sms_key ? state.sms_key->serial : 0) + " expired at " +
                    std::to_string(state.sms_key ? state.sms_key->expires_at_us : 0) +
                    " us; ask for a new key");
  }
  const std::string expected =
      ctx.secrets->sms_key(service_stream(state.service_id), state.sms_key->serial);
  if (!same_in_constant_time(c.sms_key, expected)) {
    const std::uint32_t attempts = state.failed_attempts + 1;
    fb::SigningAttemptFailedT failed;
    failed.serial = state.sms_key->serial;
    failed.failed_attempts = attempts;
    std::vector<EventData> events{make_event(event_type::kSigningAttemptFailed, failed)};
    if (attempts >= ServiceAggregate::kMaxSigningAttempts) {
      fb::SigningLockedT locked;
      locked.failed_attempts = attempts;
      events.push_back(make_event(event_type::kSigningLocked, locked));
    }
    // The attempt counts (it is recorded) and is refused all the same.
    Decision decision;
    decision.events = std::move(events);
    decision.rejection = reject(RejectionCode::kForbidden,
                                "Expected the current SMS key, but the key given does not match");
    return decision;
  }
  fb::DocumentSignedT signed_event;
  signed_event.serial = state.sms_key->serial;
  signed_event.signed_at_us = ctx.now_us;
  return decided({make_event(event_type::kDocumentSigned, signed_event)});
}

Outcome decide_one(const ServiceState& state, const DownloadDocument&, const Context& ctx) {
  if (auto rejection = check_served(state))
    return unexpected(*rejection);
  if (auto rejection = check_recipient(state, ctx.actor))
    return unexpected(*rejection);
  if (state.status != ServiceStatus::kSigned) {
    return fail(RejectionCode::kInvalidState,
                "Expected a signed document, but it is awaiting the recipient's signature");
  }
  fb::DocumentDownloadedT downloaded;
  downloaded.licence = ctx.actor.id;
  downloaded.downloaded_at_us = ctx.now_us;
  return decided({make_event(event_type::kDocumentDownloaded, downloaded)});
}

// ----- appliers -------------------------------------------------------------------------------

ApplierTable<ServiceState> make_appliers() {
  ApplierTable<ServiceState> a("service");
  on<fb::DocumentServed>(a, event_type::kDocumentServed, 1,
                         [](ServiceState& s, const fb::DocumentServedT& e) {
                           s.exists = true;
                           s.service_id = e.service_id;
                           s.case_number = e.case_number;
                           s.court = e.court;
                           s.document_type = e.document_type;
                           s.title = e.title;
                           s.blob_hash = e.blob_hash;
                           s.recipient_licence = e.recipient_licence;
                           s.recipient_phone = e.recipient_phone;
                           s.served_by = e.served_by;
                           s.served_at_us = e.served_at_us;
                           s.status = ServiceStatus::kSent;
                         });
  // Version 1 also carried an unkeyed digest of the key, which the state no longer holds.
  on<fb::SmsKeyIssuedV1>(a, event_type::kSmsKeyIssued, 1,
                         [](ServiceState& s, const fb::SmsKeyIssuedV1T& e) {
                           s.sms_key = SmsKey{e.serial, e.expires_at_us};
                           s.failed_attempts = 0;
                           s.signing_locked = false;
                         });
  // Version 2 had no issue time: its keys do not count toward the resend limit.
  on<fb::SmsKeyIssuedV2>(a, event_type::kSmsKeyIssued, 2,
                         [](ServiceState& s, const fb::SmsKeyIssuedV2T& e) {
                           s.sms_key = SmsKey{e.serial, e.expires_at_us};
                           s.failed_attempts = 0;
                           s.signing_locked = false;
                         });
  on<fb::SmsKeyIssued>(a, event_type::kSmsKeyIssued, 3,
                       [](ServiceState& s, const fb::SmsKeyIssuedT& e) {
                         s.sms_key = SmsKey{e.serial, e.expires_at_us};
                         s.failed_attempts = 0;
                         s.signing_locked = false;
                         // Only the issues of the last window are kept (at most
                         // kMaxSmsKeysPerWindow of them).
                         std::erase_if(s.keys_issued_at_us, [&](std::int64_t at) {
                           return at <= e.issued_at_us - ServiceAggregate::kSmsKeyWindowUs;
                         });
                         s.keys_issued_at_us.push_back(e.issued_at_us);
                         if (s.keys_issued_at_us.size() > ServiceAggregate::kMaxSmsKeysPerWindow)
                           s.keys_issued_at_us.erase(s.keys_issued_at_us.begin());
                       });
  on<fb::SmsKeyVoided>(a, event_type::kSmsKeyVoided, 1,
                       [](ServiceState& s, const fb::SmsKeyVoidedT& e) {
                         if (s.sms_key && s.sms_key->serial == e.serial)
                           s.sms_key.reset();
                       });
  on<fb::SmsKeyNotificationQueued>(
      a, event_type::kSmsKeyNotificationQueued, 1,
      [](ServiceState& s, const fb::SmsKeyNotificationQueuedT& e) { s.recipient_phone = e.phone; });
  on<fb::ServiceDelivered>(a, event_type::kServiceDelivered, 1,
                           [](ServiceState& s, const fb::ServiceDeliveredT&) {
                             if (s.status == ServiceStatus::kSent) {
                               s.status = ServiceStatus::kDelivered;
                             }
                           });
  on<fb::ServiceOpened>(a, event_type::kServiceOpened, 1,
                        [](ServiceState& s, const fb::ServiceOpenedT&) {
                          if (s.status != ServiceStatus::kSigned)
                            s.status = ServiceStatus::kOpened;
                        });
  on<fb::SigningAttemptFailed>(a, event_type::kSigningAttemptFailed, 1,
                               [](ServiceState& s, const fb::SigningAttemptFailedT& e) {
                                 s.failed_attempts = e.failed_attempts;
                               });
  on<fb::SigningLocked>(
      a, event_type::kSigningLocked, 1,
      [](ServiceState& s, const fb::SigningLockedT&) { s.signing_locked = true; });
  on<fb::DocumentSigned>(a, event_type::kDocumentSigned, 1,
                         [](ServiceState& s, const fb::DocumentSignedT& e) {
                           s.status = ServiceStatus::kSigned;
                           s.signed_at_us = e.signed_at_us;
                         });
  on<fb::DocumentDownloaded>(
      a, event_type::kDocumentDownloaded, 1, [](ServiceState& s, const fb::DocumentDownloadedT& e) {
        s.downloads.push_back(DocumentDownload{e.licence, e.downloaded_at_us});
      });
  return a;
}

}  // namespace

Outcome ServiceAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_one(state, c, ctx); }, command);
}

const ApplierTable<ServiceAggregate::State>& ServiceAggregate::appliers() {
  static const ApplierTable<State> kTable = make_appliers();
  return kTable;
}

}  // namespace docket::domain
