// The case aggregate: messages to the judge and their replies. Deciders and appliers; the shared
// guards are in case_detail.h.
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {

// ----- deciders ------------------------------------------------------------------------------

Outcome decide_one(const CaseState& state, const SendMessageToJudge& c, const Context& ctx) {
  if (auto rejection =
          first_of([&] { return check_exists(state); }, [&] { return check_agent(state, ctx); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.message_id.empty(), "message_id", "Expected a message id, but it is empty");
  v.require(!c.title.empty(), "title", "Expected a title, but it is empty");
  v.require(!c.body.empty(), "body", "Expected a message body, but it is empty");
  check_attachments(v, c.attachments, "attachments");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.messages.count(c.message_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new message id, but " + quoted(c.message_id) + " exists");
  }
  fb::MessageSentToJudgeT sent;
  sent.message_id = c.message_id;
  sent.licence = ctx.actor.id;
  sent.title = c.title;
  sent.body = c.body;
  sent.attachments = to_fb(c.attachments);
  sent.sent_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageSentToJudge, sent)});
}

Expected<const JudgeMessage*, Rejection> message_for_judge(const CaseState& state,
                                                           const Context& ctx,
                                                           std::string_view message_id) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.messages.find(std::string(message_id));
  if (it == state.messages.end()) {
    return unexpected(reject(RejectionCode::kNotFound, "Expected message " + quoted(message_id) +
                                                           ", but the case has none such"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const MarkMessageRead& c, const Context& ctx) {
  auto message = message_for_judge(state, ctx, c.message_id);
  if (!message)
    return unexpected(message.error());
  if ((*message)->status != JudgeMessageStatus::kSent)
    return Decision{};
  fb::MessageReadT read;
  read.message_id = c.message_id;
  read.read_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageRead, read)});
}

Outcome decide_one(const CaseState& state, const ReplyToMessage& c, const Context& ctx) {
  auto message = message_for_judge(state, ctx, c.message_id);
  if (!message)
    return unexpected(message.error());
  if ((*message)->status == JudgeMessageStatus::kReplied) {
    return fail(RejectionCode::kInvalidState,
                "Expected an unanswered message, but " + quoted(c.message_id) + " was replied to");
  }
  Violations v;
  v.require(!c.body.empty(), "body", "Expected a reply body, but it is empty");
  check_attachments(v, c.attachments, "attachments");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::MessageRepliedT replied;
  replied.message_id = c.message_id;
  replied.body = c.body;
  replied.attachments = to_fb(c.attachments);
  replied.replied_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageReplied, replied)});
}

// ----- appliers ------------------------------------------------------------------------------

void add_message_appliers(ApplierTable<CaseState>& a) {
  on<fb::MessageSentToJudge>(a, event_type::kMessageSentToJudge, 1,
                             [](CaseState& s, const fb::MessageSentToJudgeT& e) {
                               JudgeMessage message;
                               message.message_id = e.message_id;
                               message.licence = e.licence;
                               message.title = e.title;
                               message.body = e.body;
                               message.attachments = from_fb(e.attachments);
                               message.sent_at_us = e.sent_at_us;
                               s.messages[e.message_id] = std::move(message);
                             });
  on<fb::MessageRead>(a, event_type::kMessageRead, 1, [](CaseState& s, const fb::MessageReadT& e) {
    if (auto* message = entry_of(s.messages, e.message_id)) {
      message->status = JudgeMessageStatus::kRead;
      message->read_at_us = e.read_at_us;
    }
  });
  on<fb::MessageReplied>(a, event_type::kMessageReplied, 1,
                         [](CaseState& s, const fb::MessageRepliedT& e) {
                           if (auto* message = entry_of(s.messages, e.message_id)) {
                             message->status = JudgeMessageStatus::kReplied;
                             message->reply_body = e.body;
                             message->reply_attachments = from_fb(e.attachments);
                             message->replied_at_us = e.replied_at_us;
                           }
                         });
}

}  // namespace docket::domain::case_detail
