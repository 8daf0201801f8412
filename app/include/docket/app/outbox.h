// The outbox's message composers: turn outbox events into the text a sender delivers.
//
// Deciders never send anything; they record outbox events and a sender (the SMS gateway, a
// notifier) follows the log, composes each message here and delivers it. Nothing here reads the
// store: callers pass the event and, for a friendlier text, the state of its stream.
//
// SMS keys: SmsKeyNotificationQueued carries only the key's serial, never the key; the sender
// re-derives it with Secrets::sms_key(stream, serial) — the same derivation the decider used
// for the digest it recorded. Thread-safe (stateless apart from the Secrets reference).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docket/domain/core.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/engine/types.h"

namespace docket::app {

// One SMS to send.
struct SmsMessage {
  std::uint64_t position = 0;  // the outbox event's position (a sender's natural checkpoint)
  std::string stream;          // "service-<id>"
  std::uint32_t serial = 0;    // the key's serial (report delivery with RecordSmsDelivery)
  std::string phone;
  std::string sms_key;  // the six-digit key, re-derived
  std::int64_t expires_at_us = 0;
  std::string text;  // the message body, with the key
};

// A notice to the lawyers a payment notice names.
struct PaymentNoticeMessage {
  std::uint64_t position = 0;
  std::string stream;                   // "payment-<filing id>"
  std::vector<std::string> recipients;  // licence numbers (the payers)
  std::string case_number;
  std::string code;  // the payment code (交费编码)
  std::int64_t amount_fen = 0;
  std::int64_t due_at_us = 0;
  std::string text;
};

class SmsOutbox {
 public:
  explicit SmsOutbox(const domain::Secrets& secrets) : secrets_(secrets) {}

  // The SMS for an SmsKeyNotificationQueued (v1) event of a service stream; nullopt for any
  // other event or a payload that does not decode. `served`, when given, adds the case number
  // and the document's title to the text.
  std::optional<SmsMessage> compose(const engine::RecordedEvent& event,
                                    const domain::ServiceState* served = nullptr) const;

  // The notice for a PaymentNoticeIssued (v1) event; nullopt for any other event.
  static std::optional<PaymentNoticeMessage> compose_payment_notice(
      const engine::RecordedEvent& event);

 private:
  const domain::Secrets& secrets_;
};

// "YYYY-MM-DD HH:MM" in China Standard Time (UTC+8).
std::string china_time_text(std::int64_t at_us);
// "1,234.50" yuan from fen.
std::string yuan_text(std::int64_t fen);

}  // namespace docket::app
