#include "docket/app/outbox.h"

#include <chrono>
#include <cstdio>

#include "docket/domain/payload.h"
#include "payment_generated.h"
#include "service_generated.h"

namespace docket::app {
namespace {

constexpr std::int64_t kChinaStandardOffsetUs = 8LL * 3'600'000'000LL;

}  // namespace

std::string china_time_text(std::int64_t at_us) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  const sys_time<microseconds> local{microseconds{at_us + kChinaStandardOffsetUs}};
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{floor<minutes>(local - day)};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  return text;
}

std::string yuan_text(std::int64_t fen) {
  const bool negative = fen < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  std::string whole = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3)
    whole.insert(static_cast<std::size_t>(i), ",");
  char cents[4];
  std::snprintf(cents, sizeof cents, "%02u", static_cast<unsigned>(magnitude % 100));
  return (negative ? "-" : "") + whole + "." + cents;
}

std::optional<SmsMessage> SmsOutbox::compose(const engine::RecordedEvent& event,
                                             const domain::ServiceState* served) const {
  if (event.type != domain::event_type::kSmsKeyNotificationQueued || event.schema_version != 1 ||
      !domain::id_in_stream(event.stream, domain::category::kService)) {
    return std::nullopt;
  }
  auto queued = domain::read_payload<domain::fb::SmsKeyNotificationQueued>(event.payload);
  if (!queued)
    return std::nullopt;
  SmsMessage sms;
  sms.position = event.position;
  sms.stream = event.stream;
  sms.serial = queued->serial;
  sms.phone = queued->phone;
  sms.expires_at_us = queued->expires_at_us;
  sms.sms_key = secrets_.sms_key(event.stream, queued->serial);
  std::string what = "一份法院文书";
  if (served != nullptr && served->exists) {
    what = "案件" + served->case_number + "的文书《" + served->title + "》";
  }
  sms.text = "【法院电子送达】您有" + what + "待签收。签收密钥：" + sms.sms_key + "，" +
             china_time_text(sms.expires_at_us) + "前有效，请勿告知他人。";
  return sms;
}

std::optional<PaymentNoticeMessage> SmsOutbox::compose_payment_notice(
    const engine::RecordedEvent& event) {
  if (event.type != domain::event_type::kPaymentNoticeIssued || event.schema_version != 1)
    return std::nullopt;
  auto issued = domain::read_payload<domain::fb::PaymentNoticeIssued>(event.payload);
  if (!issued)
    return std::nullopt;
  PaymentNoticeMessage notice;
  notice.position = event.position;
  notice.stream = event.stream;
  notice.recipients = issued->payers;
  notice.case_number = issued->case_number;
  notice.code = issued->code;
  notice.amount_fen = issued->amount_fen;
  notice.due_at_us = issued->due_at_us;
  if (issued->amount_fen == 0) {
    notice.text = "【交费通知】案件" + issued->case_number + "免交诉讼费，无需交费。";
  } else {
    notice.text = "【交费通知】案件" + issued->case_number + "应交诉讼费" +
                  yuan_text(issued->amount_fen) + "元，交费编码" + issued->code + "，请于" +
                  china_time_text(issued->due_at_us) + "前在线交费，逾期未交按撤诉处理。";
  }
  return notice;
}

}  // namespace docket::app
