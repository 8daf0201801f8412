// The electronic-service aggregate (stream "service-<service id>"): one court document served on
// one lawyer agent of a case, the SMS signing key, signing for receipt and the downloads after it.
//
// Status follows the ECF service codes — sent, delivered, opened — plus our own "signed":
//  - sent: DocumentServed; the first SMS key is issued and queued for the outbox;
//  - delivered: the outbox reports the SMS key delivered to the recipient's phone;
//  - opened: the recipient opened the service notice (title and type, not the document);
//  - signed: the recipient signed for receipt with the current SMS key.
// The document itself is read and downloaded only after signing; every download is recorded.
//
// SMS keys: the key number `serial` (1, 2, … per resend) is Secrets::sms_key(stream, serial). The
// log holds only its serial, when it was issued and its expiry, never the key nor a digest of it
// (SmsKeyIssued, schema version 3; version 1 carried a digest, version 2 no issue time, and both
// are read, never written); the outbox event SmsKeyNotificationQueued{phone, serial,
// expires_at_us} carries no key either — the sender re-derives it, and so does SignForReceipt to
// check the key given. A resend voids the current key, issues the next serial and unlocks signing.
// Since each key gives kMaxSigningAttempts guesses, keys are bounded too: at most
// kMaxSmsKeysPerWindow keys of one service in any kSmsKeyWindowUs (the first, sent with the
// service, included; keys issued by version-2 events are not counted), whoever asks; past it a
// resend is refused (policy) and changes nothing. A wrong key is recorded and rejected: the
// decision holds SigningAttemptFailed (and, at the fifth wrong key in a row, SigningLocked) so
// attempts survive, and Decision::rejection (forbidden) for the caller. An expired key is refused
// (policy) without counting an attempt.
//
// The case, the recipient's account and the court's policy are read as facts (facts.h).
// No timers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/common/expected.h"
#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

enum class ServiceStatus : std::uint8_t { kSent, kDelivered, kOpened, kSigned };
BOOST_DESCRIBE_ENUM(ServiceStatus, kSent, kDelivered, kOpened, kSigned)

// Wire names (enum_names.h): "sent", "delivered", "opened" (the ECF service codes), "signed".

struct SmsKey {
  std::uint32_t serial = 0;
  std::int64_t expires_at_us = 0;

  friend bool operator==(const SmsKey&, const SmsKey&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(serial, expires_at_us);
  }
};

struct DocumentDownload {
  std::string licence;
  std::int64_t at_us = 0;

  friend bool operator==(const DocumentDownload&, const DocumentDownload&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(licence, at_us);
  }
};

struct ServiceState {
  bool exists = false;  // false: no stream yet
  std::string service_id;
  std::string case_number;
  std::string court;
  std::string document_type;
  std::string title;
  std::string blob_hash;
  std::string recipient_licence;
  std::string recipient_phone;
  std::string served_by;
  std::int64_t served_at_us = 0;
  ServiceStatus status = ServiceStatus::kSent;
  std::optional<SmsKey> sms_key;  // the current key; older serials are void
  // When the keys of the last kSmsKeyWindowUs were issued (at most kMaxSmsKeysPerWindow), oldest
  // first.
  std::vector<std::int64_t> keys_issued_at_us;
  std::uint32_t failed_attempts = 0;  // wrong keys since the current key was issued
  bool signing_locked = false;
  std::int64_t signed_at_us = 0;
  std::vector<DocumentDownload> downloads;

  friend bool operator==(const ServiceState&, const ServiceState&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, service_id, case_number, court, document_type, title, blob_hash, recipient_licence,
       recipient_phone, served_by, served_at_us, status, sms_key, keys_issued_at_us,
       failed_attempts, signing_locked, signed_at_us, downloads);
  }
};

// Serves a document on a lawyer agent who consented to electronic service. By the judge in charge
// or the court system of the case's court. Errors: conflict (already served), forbidden (actor),
// validation (every failing field; a recipient who is not an agent), policy (a document type the
// court forbids serving electronically; no consent).
struct ServeDocument {
  std::string service_id;  // the stream's id ("service-<service_id>"), chosen by the app
  std::string case_number;
  std::string document_type;  // a code from the court's document types
  std::string title;
  std::string blob_hash;  // lower-hex SHA-256 of the stored document
  std::string recipient_licence;
  // Read as facts (facts.h): the case (its court, judge, agents and each party's consent to
  // electronic service), the recipient's account (the phone for the SMS key) and the court's
  // policy (the document types it forbids serving electronically, the key's validity).
};

// The outbox reports SMS key `serial` delivered. Role::kSystem only; a report about a void key,
// or after the service moved past "sent", changes nothing.
struct RecordSmsDelivery {
  std::uint32_t serial = 0;
};

// The recipient opens the service notice (recorded once; nothing after signing).
struct OpenServiceNotice {};

// Sends a new SMS key, voiding the current one and unlocking signing. By the recipient or the
// court system. Errors: invalid_state (already signed), policy (kMaxSmsKeysPerWindow keys were
// issued in the last kSmsKeyWindowUs). The key's validity is the court's policy, and it goes to
// the recipient's phone as their account says now (facts; the old phone when it has none).
struct ResendSmsKey {};

// The recipient signs for receipt with the SMS key. Errors: forbidden (not the recipient),
// invalid_state (already signed), policy (locked after 5 wrong keys; key expired), validation
// (empty key). A wrong key is recorded, not rejected (see above).
struct SignForReceipt {
  std::string sms_key;
};

// The recipient downloads (or reads) the document; only after signing (invalid_state before).
struct DownloadDocument {};

using ServiceCommand = std::variant<ServeDocument, RecordSmsDelivery, OpenServiceNotice,
                                    ResendSmsKey, SignForReceipt, DownloadDocument>;

struct ServiceAggregate : Aggregate<ServiceAggregate, ServiceState, ServiceCommand> {
  static constexpr std::string_view kCategory = category::kService;
  static constexpr std::uint32_t kStateVersion = 3;
  // Wrong keys in a row that lock signing until a resend.
  static constexpr std::uint32_t kMaxSigningAttempts = 5;
  // Keys issued for one service in any window of kSmsKeyWindowUs, at most.
  static constexpr std::uint32_t kMaxSmsKeysPerWindow = 3;
  static constexpr std::int64_t kSmsKeyWindowUs = 24LL * 3600 * 1'000'000;

  // Decides a command against the service. Never throws; every business failure is a Rejection.
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  // The appliers of the service's events (aggregate.h: an unknown pair throws EventFoldError).
  static const ApplierTable<State>& appliers();
};

}  // namespace docket::domain
