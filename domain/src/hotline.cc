#include "docket/domain/hotline.h"

#include <memory>

#include "deciding.h"
#include "docket/domain/case.h"
#include "docket/domain/facts.h"
#include "docket/domain/staff.h"
#include "hotline_generated.h"

namespace docket::domain {
namespace {

using namespace deciding;  // NOLINT(google-build-using-namespace)

std::string actor_text(const Context& ctx) {
  return std::string(enum_name(ctx.actor.role)) + " " + quoted(ctx.actor.id);
}

TimerRequest answer_due_timer(std::string_view id, std::int64_t due_at_us) {
  fb::HotlineAnswerDueTimerT timer;
  timer.answer_due_at_us = due_at_us;
  return TimerRequest{hotline_answer_due_timer_id(id), due_at_us, hotline_stream(id),
                      std::string(HotlineAggregate::kAnswerDueCommand), pack(timer)};
}

std::optional<Rejection> require_request(const HotlineRequestState& s) {
  if (s.exists)
    return std::nullopt;
  return reject(RejectionCode::kNotFound, "Expected a hotline request, but there is none");
}

std::optional<Rejection> require_unanswered(const HotlineRequestState& s) {
  if (s.status != HotlineRequestStatus::kAnswered)
    return std::nullopt;
  return reject(
      RejectionCode::kInvalidState,
      "Expected an unanswered hotline request, but it was answered by " + quoted(s.answered_by));
}

// --- deciders --------------------------------------------------------------------------------

Outcome decide_step(const HotlineRequestState& s, const FileHotlineRequest& c, const Context& ctx) {
  const bool lawyer = ctx.actor.role == Role::kLawyer;
  if (!lawyer) {
    if (auto r = require_court_staff(ctx.actor, c.court, {Role::kClerk, Role::kCourtSystem},
                                     "a lawyer, or a clerk or court system"))
      return unexpected(*r);
  }
  if (s.exists) {
    return fail(RejectionCode::kConflict,
                "Expected a new hotline request, but " + quoted(s.hotline_request_id) + " exists");
  }
  const Facts& facts = facts_of(ctx);
  Violations v;
  v.require(!c.hotline_request_id.empty(), "hotline_request_id",
            "Expected the request's id, but it is empty");
  v.require(facts.court(c.court).exists, "court",
            "Expected a registered court, but " + quoted(c.court) + " is none");
  v.require(!c.title.empty(), "title", "Expected a title, but it is empty");
  v.require(!c.body.empty(), "body", "Expected the request's text, but it is empty");
  if (lawyer) {
    v.require(!c.caller.has_value(), "caller",
              "Expected no caller for a request a lawyer files online, but one is given");
  } else if (!c.caller) {
    v.add("caller", "Expected the caller of a request taken on the phone, but none is given");
  } else {
    v.require(!c.caller->name.empty(), "caller.name",
              "Expected the caller's name, but it is empty");
    v.require(!c.caller->phone.empty(), "caller.phone",
              "Expected the caller's phone, but it is empty");
  }
  if (!c.case_number.empty()) {
    const CaseState& kase = facts.case_state(c.case_number);
    // A lawyer hears the same of a case that does not exist and of one that is not theirs.
    if (lawyer) {
      v.require(kase.exists && kase.court == c.court && is_case_agent(kase, ctx.actor, facts),
                "case_number",
                "Expected a case of court " + quoted(c.court) +
                    " where the lawyer is an agent, but " + quoted(c.case_number) + " is none");
    } else {
      v.require(kase.exists && kase.court == c.court, "case_number",
                "Expected a case of court " + quoted(c.court) + ", but " + quoted(c.case_number) +
                    " is none");
    }
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::HotlineRequestFiledT e;
  e.hotline_request_id = c.hotline_request_id;
  e.court = c.court;
  e.kind = static_cast<fb::HotlineRequestKind>(c.kind);
  e.channel = lawyer ? fb::HotlineChannel::Online : fb::HotlineChannel::Phone;
  e.case_number = c.case_number;
  e.title = c.title;
  e.body = c.body;
  if (lawyer) {
    e.filer_licence_number = ctx.actor.id;
  } else {
    e.caller = std::make_unique<fb::HotlineCallerT>();
    e.caller->name = c.caller->name;
    e.caller->phone = c.caller->phone;
    e.recorded_by = ctx.actor.id;
  }
  e.filed_at_us = ctx.now_us;
  e.answer_due_at_us = ctx.now_us + HotlineAggregate::kAnswerPeriodUs;
  return decided({make_event(event_type::kHotlineRequestFiled, e)},
                 {answer_due_timer(c.hotline_request_id, e.answer_due_at_us)});
}

Outcome decide_step(const HotlineRequestState& s, const ForwardHotlineRequest& c,
                    const Context& ctx) {
  if (auto r = require_request(s))
    return unexpected(*r);
  if (auto r = require_court_staff(ctx.actor, s.court, {Role::kClerk}, "a clerk"))
    return unexpected(*r);
  if (auto r = require_unanswered(s))
    return unexpected(*r);
  if (s.status == HotlineRequestStatus::kForwarded) {
    return fail(RejectionCode::kInvalidState,
                "Expected a hotline request not yet forwarded, but it was forwarded to judge " +
                    quoted(s.forwarded_to));
  }
  const Facts& facts = facts_of(ctx);
  std::string judge = c.judge;
  if (!s.case_number.empty()) {
    const CaseState& kase = facts.case_state(s.case_number);
    if (kase.judge.empty()) {
      return fail(RejectionCode::kInvalidState, "Expected a judge in charge of case " +
                                                    quoted(s.case_number) +
                                                    " to forward the request to, but none is "
                                                    "assigned");
    }
    if (!judge.empty() && judge != kase.judge) {
      const std::string message = "Expected the judge in charge of case " + quoted(s.case_number) +
                                  ", " + quoted(kase.judge) + ", but got " + quoted(judge);
      return unexpected(reject(RejectionCode::kValidation, message, {{"judge", message}}));
    }
    judge = kase.judge;
  } else {
    if (judge.empty()) {
      const std::string message =
          "Expected the judge to forward a request about no case to, but none is named";
      return unexpected(reject(RejectionCode::kValidation, message, {{"judge", message}}));
    }
    const StaffState& staff = facts.staff(judge);
    if (!staff.exists || !staff.active || staff.role != Role::kJudge || staff.court != s.court) {
      const std::string message = "Expected an active judge of court " + quoted(s.court) +
                                  ", but " + quoted(judge) + " is none";
      return unexpected(reject(RejectionCode::kValidation, message, {{"judge", message}}));
    }
  }
  fb::HotlineRequestForwardedT e;
  e.judge = judge;
  e.forwarded_by = ctx.actor.id;
  e.note = c.note;
  e.forwarded_at_us = ctx.now_us;
  return decided({make_event(event_type::kHotlineRequestForwarded, e)});
}

Outcome decide_step(const HotlineRequestState& s, const AnswerHotlineRequest& c,
                    const Context& ctx) {
  if (auto r = require_request(s))
    return unexpected(*r);
  if (s.status == HotlineRequestStatus::kForwarded) {
    if (!acts_for_court(ctx.actor, s.court, {Role::kJudge}) || ctx.actor.id != s.forwarded_to) {
      return fail(RejectionCode::kForbidden, "Expected judge " + quoted(s.forwarded_to) +
                                                 ", to whom the request was forwarded, to answer "
                                                 "it, but " +
                                                 actor_text(ctx) + " did");
    }
  } else if (s.status == HotlineRequestStatus::kOpen) {
    if (auto r = require_court_staff(ctx.actor, s.court, {Role::kClerk}, "a clerk"))
      return unexpected(*r);
  } else {
    if (auto r = require_court_staff(ctx.actor, s.court, {Role::kClerk, Role::kJudge},
                                     "a clerk or judge"))
      return unexpected(*r);
    return unexpected(*require_unanswered(s));
  }
  if (c.body.empty()) {
    const std::string message = "Expected the answer's text, but it is empty";
    return unexpected(reject(RejectionCode::kValidation, message, {{"body", message}}));
  }
  fb::HotlineRequestAnsweredT e;
  e.body = c.body;
  e.answered_by = ctx.actor.id;
  e.answered_at_us = ctx.now_us;
  std::vector<std::string> cancel;
  if (!s.overdue)
    cancel.push_back(hotline_answer_due_timer_id(s.hotline_request_id));
  return decided({make_event(event_type::kHotlineRequestAnswered, e)}, {}, std::move(cancel));
}

Outcome decide_step(const HotlineRequestState& s, const HotlineAnswerDueReached& c,
                    const Context& ctx) {
  if (ctx.actor.role != Role::kSystem) {
    return fail(
        RejectionCode::kForbidden,
        "Expected the system to run the answer's due time, but " + actor_text(ctx) + " did");
  }
  // Answered, recorded already, another due time, or not yet: nothing to decide.
  if (!s.exists || s.status == HotlineRequestStatus::kAnswered || s.overdue ||
      c.answer_due_at_us != s.answer_due_at_us || ctx.now_us < s.answer_due_at_us) {
    return nothing();
  }
  fb::HotlineRequestOverdueT e;
  e.answer_due_at_us = s.answer_due_at_us;
  return decided({make_event(event_type::kHotlineRequestOverdue, e)});
}

// --- appliers --------------------------------------------------------------------------------

void apply_filed_v1(HotlineRequestState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::HotlineRequestFiled>(event);
  s.exists = true;
  s.hotline_request_id = p.hotline_request_id;
  s.court = p.court;
  s.kind = static_cast<HotlineRequestKind>(p.kind);
  s.channel = static_cast<HotlineChannel>(p.channel);
  s.case_number = p.case_number;
  s.title = p.title;
  s.body = p.body;
  s.filer_licence_number = p.filer_licence_number;
  s.caller = p.caller ? HotlineCaller{p.caller->name, p.caller->phone} : HotlineCaller{};
  s.recorded_by = p.recorded_by;
  s.filed_at_us = p.filed_at_us;
  s.answer_due_at_us = p.answer_due_at_us;
  s.status = HotlineRequestStatus::kOpen;
}

void apply_forwarded_v1(HotlineRequestState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::HotlineRequestForwarded>(event);
  s.status = HotlineRequestStatus::kForwarded;
  s.forwarded_to = p.judge;
  s.forwarded_by = p.forwarded_by;
  s.forward_note = p.note;
  s.forwarded_at_us = p.forwarded_at_us;
}

void apply_answered_v1(HotlineRequestState& s, const StoredEvent& event) {
  const auto p = payload_of<fb::HotlineRequestAnswered>(event);
  s.status = HotlineRequestStatus::kAnswered;
  s.answer = p.body;
  s.answered_by = p.answered_by;
  s.answered_at_us = p.answered_at_us;
}

void apply_overdue_v1(HotlineRequestState& s, const StoredEvent& event) {
  require_payload<fb::HotlineRequestOverdue>(event);
  s.overdue = true;
}

}  // namespace

std::string hotline_answer_due_timer_id(std::string_view hotline_request_id) {
  return hotline_stream(hotline_request_id) + "/answer-due";
}

Outcome HotlineAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_step(state, c, ctx); }, command);
}

const ApplierTable<HotlineAggregate::State>& HotlineAggregate::appliers() {
  static const ApplierTable<State> kTable = [] {
    ApplierTable<State> table("hotline request");
    table.on(event_type::kHotlineRequestFiled, 1, apply_filed_v1);
    table.on(event_type::kHotlineRequestForwarded, 1, apply_forwarded_v1);
    table.on(event_type::kHotlineRequestAnswered, 1, apply_answered_v1);
    table.on(event_type::kHotlineRequestOverdue, 1, apply_overdue_v1);
    return table;
  }();
  return kTable;
}

Expected<HotlineCommand, Rejection> HotlineAggregate::command_from_timer(
    std::string_view command_type, std::string_view payload) {
  if (command_type != kAnswerDueCommand) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected a hotline timer command, but got " + quoted(command_type)));
  }
  if (auto p = read_payload<fb::HotlineAnswerDueTimer>(payload))
    return HotlineCommand{HotlineAnswerDueReached{p->answer_due_at_us}};
  return unexpected(
      reject(RejectionCode::kValidation,
             "Expected a valid payload for " + quoted(command_type) + ", but it does not parse"));
}

}  // namespace docket::domain
