// The hotline aggregate (stream "hotline-<hotline request id>"): a request to a court's
// litigation-service hotline (诉讼服务热线 and 12368, notice §5): an enquiry, a case postponement,
// contacting the judge, a refund of fees, a petition or a complaint. A lawyer files one online; a
// clerk or the court's system records one taken on the phone, on behalf of the caller. The court's
// staff answer what they can at once; what they cannot, a clerk forwards to the judge in charge
// of the case (or, for a request about no case, to a named judge of the court), who answers.
//
// Lifecycle: FileHotlineRequest (open) -> [ForwardHotlineRequest (forwarded)] ->
//            AnswerHotlineRequest (answered). Unanswered at its due time (kAnswerPeriodUs after
//            filing), the request is recorded overdue (HotlineRequestOverdue) and stays open: it
//            is answered late, and the read models show it overdue meanwhile.
//
// Who acts:
//  - file: a lawyer (online; naming a case only where they are its agent, case.h agent_for), or a
//    clerk or court system of the court (a call, with the caller's name and phone);
//  - forward: a clerk of the court;
//  - answer: a clerk of the court while the request is not forwarded; once forwarded, only the
//    judge it was forwarded to;
//  - the due time: the system (the timer).
//
// Events (payloads in schema/hotline.fbs, all schema version 1): HotlineRequestFiled,
// HotlineRequestForwarded, HotlineRequestAnswered, HotlineRequestOverdue.
//
// Timer: "hotline-<id>/answer-due" on the request's own stream, command type
// "HotlineAnswerDueReached" (payload: a HotlineAnswerDueTimer table carrying the due time), set on
// filing and cancelled by the answer. A timer that fires after the answer decides nothing.
//
// Facts (facts.h): court(code) (filing: the court exists), case_state(number) (filing: the case,
// its court and agents; forwarding: its judge in charge), lawyer(actor) (filing: an agent recorded
// by identity number), staff(judge) (forwarding a request about no case: an active judge of the
// court).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

enum class HotlineRequestKind : std::uint8_t {
  kEnquiry,           // 查询咨询
  kCasePostponement,  // 案件延期
  kContactJudge,      // 联系法官
  kRefund,            // 交费退费
  kPetition,          // 申诉信访
  kComplaint,         // 举报投诉
};
BOOST_DESCRIBE_ENUM(HotlineRequestKind, kEnquiry, kCasePostponement, kContactJudge, kRefund,
                    kPetition, kComplaint)
// Wire names (enum_names.h): "enquiry", "case_postponement", "contact_judge", "refund",
// "petition", "complaint".

// How the request reached the court: filed online by a lawyer, or taken on the phone by staff.
enum class HotlineChannel : std::uint8_t { kOnline, kPhone };
BOOST_DESCRIBE_ENUM(HotlineChannel, kOnline, kPhone)

// kOpen until forwarded or answered; overdue is a flag beside it (HotlineRequestState::overdue).
enum class HotlineRequestStatus : std::uint8_t { kOpen, kForwarded, kAnswered };
BOOST_DESCRIBE_ENUM(HotlineRequestStatus, kOpen, kForwarded, kAnswered)

// Who called the hotline, for a request taken on the phone.
struct HotlineCaller {
  std::string name;
  std::string phone;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, phone);
  }
  friend bool operator==(const HotlineCaller&, const HotlineCaller&) = default;
};

struct HotlineRequestState {
  bool exists = false;
  std::string hotline_request_id;
  std::string court;
  HotlineRequestKind kind = HotlineRequestKind::kEnquiry;
  HotlineChannel channel = HotlineChannel::kOnline;
  std::string case_number;  // "" when it names no case
  std::string title;
  std::string body;
  std::string filer_licence_number;  // online: the lawyer who filed it
  HotlineCaller caller;              // a call: who called
  std::string recorded_by;           // a call: the staff id who took it
  std::int64_t filed_at_us = 0;
  std::int64_t answer_due_at_us = 0;
  HotlineRequestStatus status = HotlineRequestStatus::kOpen;
  bool overdue = false;      // recorded by the timer: not answered by answer_due_at_us
  std::string forwarded_to;  // the judge's staff id, once forwarded
  std::string forwarded_by;
  std::string forward_note;
  std::int64_t forwarded_at_us = 0;
  std::string answer;
  std::string answered_by;
  std::int64_t answered_at_us = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, hotline_request_id, court, kind, channel, case_number, title, body,
       filer_licence_number, caller, recorded_by, filed_at_us, answer_due_at_us, status, overdue,
       forwarded_to, forwarded_by, forward_note, forwarded_at_us, answer, answered_by,
       answered_at_us);
  }
  friend bool operator==(const HotlineRequestState&, const HotlineRequestState&) = default;
};

// Files a request. The id is the server's (the app checks it names the stream). Actor: a lawyer
// (online: `caller` must be absent) or a clerk or court system of `court` (a call: `caller` with
// name and phone required). Errors: conflict (the stream holds a request already); forbidden
// (staff of another court, or another role); validation listing every bad field: no id, an
// unknown court, an empty title or body, a caller missing or not wanted, a case that is not
// the court's or, for a lawyer, not one where they are an agent (the same words whether the case
// exists or not, so a lawyer learns nothing of others' cases).
struct FileHotlineRequest {
  std::string hotline_request_id;
  std::string court;
  HotlineRequestKind kind = HotlineRequestKind::kEnquiry;
  std::string case_number;  // optional
  std::string title;
  std::string body;
  std::optional<HotlineCaller> caller;
};

// A clerk forwards an open request to a judge: the judge in charge of its case (`judge`, when
// given, must be that judge), or for a request about no case the judge named by `judge` (an
// active judge of the court). Errors: not_found, forbidden, invalid_state (answered, forwarded
// already, or the case has no judge in charge), validation (no judge named, or not one of the
// court's, or not the case's judge).
struct ForwardHotlineRequest {
  std::string judge;
  std::string note;
};

// The answer. Actor: a clerk of the court while the request is not forwarded; once forwarded, the
// judge it was forwarded to. Errors: not_found, forbidden, invalid_state (answered already),
// validation (an empty body).
struct AnswerHotlineRequest {
  std::string body;
};

// The due-time timer fired. Actor: kSystem. Records HotlineRequestOverdue for an unanswered
// request whose due time this is and has come; decides nothing otherwise.
struct HotlineAnswerDueReached {
  std::int64_t answer_due_at_us = 0;
};

using HotlineCommand = std::variant<FileHotlineRequest, ForwardHotlineRequest, AnswerHotlineRequest,
                                    HotlineAnswerDueReached>;

struct HotlineAggregate : Aggregate<HotlineAggregate, HotlineRequestState, HotlineCommand> {
  static constexpr std::string_view kCategory = category::kHotline;
  static constexpr std::uint32_t kStateVersion = 1;
  // How long the court has to answer a request: 3 days from filing. The notice asks for prompt
  // answers; this is the platform's period, the same in every court.
  static constexpr std::int64_t kAnswerPeriodUs = 3 * 86'400'000'000LL;
  static constexpr std::string_view kAnswerDueCommand = timer_command::kHotlineAnswerDueReached;

  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static Expected<Command, Rejection> command_from_timer(std::string_view command_type,
                                                         std::string_view payload);
  static const ApplierTable<State>& appliers();
};

// The answer-due timer's id of a request: "hotline-<id>/answer-due".
std::string hotline_answer_due_timer_id(std::string_view hotline_request_id);

}  // namespace docket::domain
