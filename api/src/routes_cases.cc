// Cases: registration by the court's system (RecordDocketing), the judge in charge, legacy
// binding, hearings and avoidance, evidence, evidence exchange, the case file and file review,
// messages to the judge, withdrawal and closing; GetCase.
#include "docket/domain/case.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"

namespace docket::api {

namespace {

std::string case_stream_of_call(const Call& call) {
  return domain::case_stream(call.param("case_number"));
}

// The attachments of a message, with the field path of each blob (checked by check_blobs).
std::vector<domain::CaseAttachment> attachments_of(
    std::optional<std::vector<requests::AttachmentInput>> in,
    std::vector<std::pair<std::string, std::string>>& blobs) {
  std::vector<domain::CaseAttachment> out;
  for (auto& a : in.value_or(std::vector<requests::AttachmentInput>{})) {
    blobs.emplace_back("attachments[" + std::to_string(out.size()) + "].blob_hash", a.blob_hash);
    out.push_back({std::move(a.name), std::move(a.blob_hash)});
  }
  return out;
}

// The command adding `in` to the evidence batch `batch_id` as a new item (its id the server's);
// its blob must be the caller's upload.
Expected<domain::AddEvidenceItem, Problem> evidence_item(Service& service,
                                                         requests::AddEvidenceItemBody in,
                                                         const Call& call, std::string batch_id) {
  domain::AddEvidenceItem command;
  command.batch_id = std::move(batch_id);
  command.item_id = call.made_id(made::kEvidenceItem);
  command.name = std::move(in.name);
  command.blob_hash = std::move(in.blob_hash);
  command.purpose = in.purpose.value_or("");
  if (auto ok = check_blobs(service, {{"blob_hash", command.blob_hash}}, &call.principal); !ok)
    return unexpected(ok.error());
  return command;
}

}  // namespace

void Service::add_case_routes() {
  const auto lawyer = roles({Role::kLawyer});
  const auto judge_side = roles({Role::kJudge, Role::kCourtSystem});
  const auto court_system = roles({Role::kCourtSystem});

  add({.method = http::verb::post,
       .path = "/v1/cases",
       .operation = "RecordDocketing",
       .summary = "The court's system registers a case with its parties and agents (cases "
                  "accepted before 2018-09-01 carry the acceptance notice's query code and "
                  "password for binding).",
       .tag = "cases",
       .roles = court_system,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      with_body<requests::RecordDocketingBody>(
          [this](Call& call, requests::RecordDocketingBody in) -> Result {
            domain::RegisterCase command;
            command.case_number = std::move(in.case_number);
            command.category = std::move(in.category);
            command.court = in.court.value_or("");
            if (command.court.empty())
              command.court = call.principal.court;
            command.judge = in.judge.value_or("");
            command.accepted_on_us = in.accepted_on_us;
            for (auto& p : in.parties) {
              domain::CaseParty party;
              party.party_id = std::move(p.party_id);
              party.name = std::move(p.name);
              party.kind = to_domain<domain::CasePartyKind>(
                  p.kind.value_or(responses::PartyKind::kNaturalPerson));
              party.role = to_domain<domain::CasePartyRole>(p.standing);
              party.id_number = p.id_number.value_or("");
              party.electronic_service_consent = p.electronic_service_consent.value_or(false);
              command.parties.push_back(std::move(party));
            }
            for (auto& a : in.agents.value_or(std::vector<requests::CaseAgentInput>{})) {
              domain::CaseAgent agent;
              agent.licence = a.licence_number.value_or("");
              agent.identity_number = a.id_number.value_or("");
              agent.name = a.name.value_or("");
              agent.firm = a.firm.value_or("");
              agent.represents = texts(a.represents.value_or(std::vector<Id>{}));
              command.agents.push_back(std::move(agent));
            }
            command.query_code = in.query_code.value_or("");
            command.password = in.password.value_or("");
            const auto number = command.case_number;
            auto reply = execute<domain::CaseAggregate>(call, domain::case_stream(number),
                                                        std::move(command), http::status::created);
            if (reply)
              std::get<Response>(*reply).set(http::field::location,
                                             "/v1/cases/" + percent_encode(number));
            return reply;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/judge",
       .operation = "AssignJudge",
       .summary = "The court's system sets or changes the judge in charge.",
       .tag = "cases",
       .roles = court_system,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::AssignJudgeBody>(
          *this, case_stream_of_call, [](requests::AssignJudgeBody in, const Call&) {
            return domain::AssignJudge{std::move(in.judge)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/binding",
       .operation = "BindLegacyCase",
       .summary = "A lawyer binds a case accepted before 2018-09-01 with the acceptance notice's "
                  "query code and password. A wrong attempt answers 403 and is counted for that "
                  "lawyer only: five in 24 hours hold that lawyer back (409, policy) until the "
                  "oldest is 24 hours old, while other lawyers still bind.",
       .tag = "cases",
       .roles = lawyer,
       .owner = Owner::kCaseToBind,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::BindLegacyCaseBody>(
          *this, case_stream_of_call, [](requests::BindLegacyCaseBody in, const Call&) {
            domain::BindLegacyCase command;
            command.query_code = std::move(in.query_code);
            command.password = std::move(in.password);
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/online-hearing-consent",
       .operation = "RecordOnlineHearingConsent",
       .summary = "Record a party's choice of online hearing (by an agent of the party, or the "
                  "judge side).",
       .tag = "hearings",
       .roles = roles({Role::kLawyer, Role::kJudge, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::OnlineHearingConsentBody>(
          *this, case_stream_of_call, [](requests::OnlineHearingConsentBody in, const Call&) {
            return domain::RecordOnlineHearingConsent{std::move(in.party_id), in.consent};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings",
       .operation = "ScheduleHearing",
       .summary = "The judge in charge or the court's system schedules a hearing at least three "
                  "days ahead (online only with every party's consent).",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::ScheduleHearingBody>(
          *this, case_stream_of_call,
          [](requests::ScheduleHearingBody in, const Call& call) {
            domain::ScheduleHearing command;
            command.hearing_id = call.made_id(made::kHearing);
            command.starts_at_us = in.starts_at_us;
            command.length_minutes = in.length_minutes;
            command.place = in.place.value_or("");
            command.online = in.online.value_or(false);
            command.video_room = in.video_room.value_or("");
            return command;
          },
          http::status::created, made::kHearing));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/reschedule",
       .operation = "RescheduleHearing",
       .summary = "Move a scheduled hearing (same rules as scheduling).",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RescheduleHearingBody>(
          *this, case_stream_of_call, [](requests::RescheduleHearingBody in, const Call& call) {
            domain::RescheduleHearing command;
            command.hearing_id = call.param("hearing_id");
            command.starts_at_us = in.starts_at_us;
            command.length_minutes = in.length_minutes;
            command.place = in.place.value_or("");
            command.online = in.online.value_or(false);
            command.video_room = in.video_room.value_or("");
            command.reason = std::move(in.reason);
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/hold",
       .operation = "HoldHearing",
       .summary = "Record that a hearing took place.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate>(*this, case_stream_of_call, [](NoBody, const Call& call) {
        return domain::HoldHearing{call.param("hearing_id")};
      }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/cancel",
       .operation = "CancelHearing",
       .summary = "Cancel a scheduled hearing, with a reason.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReasonBody>(
          *this, case_stream_of_call, [](requests::ReasonBody in, const Call& call) {
            return domain::CancelHearing{call.param("hearing_id"), std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/online-hearing-exclusions",
       .operation = "RecordOnlineHearingExclusions",
       .summary = "The judge side records what rules an online hearing out for the case (identity "
                  "to check in person, originals to compare, physical evidence to examine, no "
                  "technical means), replacing the last record; while any is recorded an online "
                  "hearing is refused (409 policy).",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RecordOnlineHearingExclusionsBody>(
          *this, case_stream_of_call,
          [](requests::RecordOnlineHearingExclusionsBody in, const Call&) {
            return domain::RecordOnlineHearingExclusions{std::move(in.exclusions),
                                                         in.note.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/outside-courtroom",
       .operation = "RequestHearingOutsideCourtroom",
       .summary = "The judge asks to hold a scheduled online hearing outside the courtroom, at a "
                  "place and with a reason; the hearing is held only once the court president "
                  "approves. An empty judge_location withdraws the request.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RequestHearingOutsideCourtroomBody>(
          *this, case_stream_of_call,
          [](requests::RequestHearingOutsideCourtroomBody in, const Call& call) {
            return domain::RequestHearingOutsideCourtroom{
                call.param("hearing_id"), std::move(in.judge_location), in.reason.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/outside-courtroom/decision",
       .operation = "DecideHearingOutsideCourtroom",
       .summary = "The court president (the judge the court's policy names as president), or the "
                  "court's system relaying the president's decision, approves a judge holding the "
                  "online hearing outside the courtroom or refuses with a reason.",
       .tag = "hearings",
       .roles = roles({Role::kJudge, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::DecideHearingOutsideCourtroomBody>(
          *this, case_stream_of_call,
          [](requests::DecideHearingOutsideCourtroomBody in, const Call& call) {
            return domain::DecideHearingOutsideCourtroom{call.param("hearing_id"), in.approved,
                                                         in.reason.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/transcript",
       .operation = "RecordHearingTranscript",
       .summary = "The judge side records a held hearing's electronic transcript (made by speech "
                  "recognition, uploaded first with POST /v1/blobs); a new one replaces the last "
                  "and its confirmations start again.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RecordHearingTranscriptBody>(
          *this, case_stream_of_call,
          [this](requests::RecordHearingTranscriptBody in,
                 const Call& call) -> Expected<domain::RecordHearingTranscript, Problem> {
            if (auto ok = check_blobs(*this, {{"blob_hash", in.blob_hash}}, &call.principal); !ok)
              return unexpected(ok.error());
            return domain::RecordHearingTranscript{call.param("hearing_id"),
                                                   std::move(in.blob_hash)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/transcript/confirmations",
       .operation = "ConfirmHearingTranscript",
       .summary = "A participant confirms the hearing's transcript online: an agent of the case, "
                  "the judge in charge or a clerk of the court as themselves; the court's system "
                  "for a party (party_id). Confirming again changes nothing; the hearing's record "
                  "lists who confirmed and who has not.",
       .tag = "hearings",
       .roles = roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ConfirmHearingTranscriptBody>(
          *this, case_stream_of_call,
          [](requests::ConfirmHearingTranscriptBody in, const Call& call) {
            return domain::ConfirmHearingTranscript{call.param("hearing_id"),
                                                    in.party_id.value_or("")};
          }));

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/transcript",
       .operation = "DownloadHearingTranscript",
       .summary = "The hearing's current transcript document, for the case's agents and the "
                  "court's staff (404 until one is recorded).",
       .tag = "hearings",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kCase,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        const auto hearing_id = call.param("hearing_id");
        auto hash = platform_.inspect<domain::CaseAggregate>(
            case_stream_of_call(call), [&](const auto& loaded) {
              const auto it = loaded.state.hearings.find(hearing_id);
              return it != loaded.state.hearings.end() && it->second.transcript
                         ? it->second.transcript->blob_hash
                         : std::string();
            });
        if (!hash)
          return unexpected(from_engine_error(hash.error()));
        if (hash->empty()) {
          return unexpected(not_found("Expected a transcript of hearing " + hearing_id +
                                      ", but none is recorded"));
        }
        return blob_reply(call, *hash);
      });

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/absences",
       .operation = "RecordHearingAbsence",
       .summary = "Record a party's no-show or leaving midway, with its cause. At an online "
                  "hearing the party consented to, it is found a refusal to appear or leaving "
                  "without leave unless a network, device or power failure or force majeure "
                  "excuses it; otherwise it is recorded with the finding none.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RecordHearingAbsenceBody>(
          *this, case_stream_of_call, [](requests::RecordHearingAbsenceBody in, const Call& call) {
            domain::RecordHearingAbsence command;
            command.hearing_id = call.param("hearing_id");
            command.party_id = std::move(in.party_id);
            command.kind = to_domain<domain::HearingAbsenceKind>(in.kind);
            command.cause = to_domain<domain::HearingAbsenceCause>(
                in.cause.value_or(responses::AbsenceCause::kNone));
            command.note = in.note.value_or("");
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests",
       .operation = "RequestHearingAvoidance",
       .summary = "An agent asks the judge, with a reason, to move or excuse a hearing (the "
                  "lawyer's phone comes from their profile).",
       .tag = "hearings",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::RequestHearingAvoidanceBody>(
          *this, case_stream_of_call,
          [](requests::RequestHearingAvoidanceBody in, const Call& call) {
            domain::RequestHearingAvoidance command;
            command.hearing_id = call.param("hearing_id");
            command.request_id = call.made_id(made::kAvoidanceRequest);
            command.reason = std::move(in.reason);
            return command;
          },
          http::status::created, made::kAvoidanceRequest));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests/{request_id}/"
               "grant",
       .operation = "GrantHearingAvoidance",
       .summary = "The judge grants an avoidance request and moves the hearing.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::GrantHearingAvoidanceBody>(
          *this, case_stream_of_call, [](requests::GrantHearingAvoidanceBody in, const Call& call) {
            domain::GrantHearingAvoidance command;
            command.hearing_id = call.param("hearing_id");
            command.request_id = call.param("request_id");
            command.starts_at_us = in.starts_at_us;
            command.length_minutes = in.length_minutes;
            command.place = in.place.value_or("");
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests/{request_id}/"
               "refuse",
       .operation = "RefuseHearingAvoidance",
       .summary = "The judge refuses an avoidance request, with a reason.",
       .tag = "hearings",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReasonBody>(
          *this, case_stream_of_call, [](requests::ReasonBody in, const Call& call) {
            return domain::RefuseHearingAvoidance{call.param("hearing_id"),
                                                  call.param("request_id"), std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence",
       .operation = "OpenEvidenceBatch",
       .summary = "An agent opens an evidence batch with its first item (an uploaded blob). The "
                  "server makes the batch's and the item's ids and returns the batch's as "
                  "created_id.",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::AddEvidenceItemBody>(
          *this, case_stream_of_call,
          [this](requests::AddEvidenceItemBody in, const Call& call) {
            return evidence_item(*this, std::move(in), call, call.made_id(made::kEvidenceBatch));
          },
          http::status::created, made::kEvidenceBatch));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/items",
       .operation = "AddEvidenceItem",
       .summary = "An agent adds an evidence item (an uploaded blob) to their open batch; the "
                  "server makes the item's id and returns it as created_id.",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::AddEvidenceItemBody>(
          *this, case_stream_of_call,
          [this](requests::AddEvidenceItemBody in, const Call& call) {
            return evidence_item(*this, std::move(in), call, call.param("batch_id"));
          },
          http::status::created, made::kEvidenceItem));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/removal",
       .operation = "RemoveEvidenceItems",
       .summary = "An agent removes unsubmitted items from their open batch (batch delete).",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::RemoveEvidenceItemsBody>(
          *this, case_stream_of_call, [](requests::RemoveEvidenceItemsBody in, const Call& call) {
            return domain::RemoveEvidenceItems{call.param("batch_id"), texts(in.item_ids)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/submit",
       .operation = "SubmitEvidenceBatch",
       .summary = "An agent submits their open batch.",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate>(*this, case_stream_of_call, [](NoBody, const Call& call) {
        return domain::SubmitEvidenceBatch{call.param("batch_id")};
      }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/items/{item_id}/mark",
       .operation = "MarkEvidenceItem",
       .summary = "The court marks a submitted item received, accepted or rejected (with a "
                  "note).",
       .tag = "evidence",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::MarkEvidenceItemBody>(
          *this, case_stream_of_call, [](requests::MarkEvidenceItemBody in, const Call& call) {
            return domain::MarkEvidenceItem{call.param("batch_id"), call.param("item_id"),
                                            to_domain<domain::EvidenceItemMark>(in.mark),
                                            in.note.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges",
       .operation = "PushEvidenceExchange",
       .summary = "The judge or the court's system sends case-file materials to an agent for "
                  "their opinion by a deadline.",
       .tag = "evidence",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::PushEvidenceExchangeBody>(
          *this, case_stream_of_call,
          [this](requests::PushEvidenceExchangeBody in,
                 const Call& call) -> Expected<domain::SendEvidenceForExchange, Problem> {
            domain::SendEvidenceForExchange command;
            command.exchange_id = call.made_id(made::kExchange);
            command.recipient_licence = std::move(in.recipient_licence_number);
            std::vector<std::pair<std::string, std::string>> blobs;
            for (auto& i : in.items) {
              domain::EvidenceExchangeItemToSend item{std::move(i.item_id), std::move(i.title),
                                                      std::move(i.blob_hash)};
              blobs.emplace_back("items[" + std::to_string(command.items.size()) + "].blob_hash",
                                 item.blob_hash);
              command.items.push_back(std::move(item));
            }
            command.respond_by_us = in.respond_by_us;
            if (auto ok = check_blobs(*this, blobs, nullptr); !ok)
              return unexpected(ok.error());
            return command;
          },
          http::status::created, made::kExchange));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges/{exchange_id}/open",
       .operation = "OpenEvidenceExchange",
       .summary = "The recipient opens an evidence exchange.",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate>(*this, case_stream_of_call, [](NoBody, const Call& call) {
        return domain::OpenEvidenceExchange{call.param("exchange_id")};
      }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges/{exchange_id}/answer",
       .operation = "AnswerEvidenceExchange",
       .summary = "The recipient answers every item once (agree, disagree with an opinion, "
                  "partly agree with an opinion).",
       .tag = "evidence",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::AnswerEvidenceExchangeBody>(
          *this, case_stream_of_call,
          [](requests::AnswerEvidenceExchangeBody in, const Call& call) {
            domain::AnswerEvidenceExchange command;
            command.exchange_id = call.param("exchange_id");
            for (auto& a : in.answers)
              command.answers.push_back({std::move(a.item_id),
                                         to_domain<domain::EvidenceExchangeResult>(a.result),
                                         a.opinion.value_or("")});
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-materials",
       .operation = "PushFileReviewMaterial",
       .summary = "The judge or the court's system adds a material to the case file (what file "
                  "review shows).",
       .tag = "file-review",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::PushFileReviewMaterialBody>(
          *this, case_stream_of_call,
          [this](requests::PushFileReviewMaterialBody in,
                 const Call& call) -> Expected<domain::AddCaseFileMaterial, Problem> {
            domain::AddCaseFileMaterial command{call.made_id(made::kCaseFileMaterial),
                                                std::move(in.title), std::move(in.blob_hash)};
            if (!command.blob_hash.empty()) {
              if (auto ok = check_blobs(*this, {{"blob_hash", command.blob_hash}}, nullptr); !ok)
                return unexpected(ok.error());
            }
            return command;
          },
          http::status::created, made::kCaseFileMaterial));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews",
       .operation = "ApplyForFileReview",
       .summary = "An agent applies, with a reason, to read the case file.",
       .tag = "file-review",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::ApplyForFileReviewBody>(
          *this, case_stream_of_call,
          [](requests::ApplyForFileReviewBody in, const Call& call) {
            return domain::ApplyForFileReview{call.made_id(made::kFileReview),
                                              std::move(in.reason)};
          },
          http::status::created, made::kFileReview));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews/{application_id}/approve",
       .operation = "ApproveFileReview",
       .summary = "The judge approves a file-review application for chosen materials and a time "
                  "window.",
       .tag = "file-review",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ApproveFileReviewBody>(
          *this, case_stream_of_call, [](requests::ApproveFileReviewBody in, const Call& call) {
            return domain::ApproveFileReview{call.param("application_id"), texts(in.material_ids),
                                             in.from_us, in.until_us};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews/{application_id}/refuse",
       .operation = "RefuseFileReview",
       .summary = "The judge refuses a file-review application, with a reason.",
       .tag = "file-review",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReasonBody>(
          *this, case_stream_of_call, [](requests::ReasonBody in, const Call& call) {
            return domain::RefuseFileReview{call.param("application_id"), std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages",
       .operation = "SendMessageToJudge",
       .summary = "An agent writes to the judge in charge: a title, a body, attachments "
                  "(uploaded blobs).",
       .tag = "messages",
       .roles = lawyer,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command<domain::CaseAggregate, requests::SendMessageToJudgeBody>(
          *this, case_stream_of_call,
          [this](requests::SendMessageToJudgeBody in,
                 const Call& call) -> Expected<domain::SendMessageToJudge, Problem> {
            domain::SendMessageToJudge command;
            command.message_id = call.made_id(made::kMessage);
            command.title = std::move(in.title);
            command.body = std::move(in.body);
            std::vector<std::pair<std::string, std::string>> blobs;
            command.attachments = attachments_of(std::move(in.attachments), blobs);
            if (auto ok = check_blobs(*this, blobs, &call.principal); !ok)
              return unexpected(ok.error());
            return command;
          },
          http::status::created, made::kMessage));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages/{message_id}/read",
       .operation = "MarkMessageRead",
       .summary = "The judge side marks a message read.",
       .tag = "messages",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate>(*this, case_stream_of_call, [](NoBody, const Call& call) {
        return domain::MarkMessageRead{call.param("message_id")};
      }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages/{message_id}/reply",
       .operation = "ReplyToMessage",
       .summary = "The judge side replies once to a message.",
       .tag = "messages",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReplyToMessageBody>(
          *this, case_stream_of_call,
          [this](requests::ReplyToMessageBody in,
                 const Call& call) -> Expected<domain::ReplyToMessage, Problem> {
            domain::ReplyToMessage command;
            command.message_id = call.param("message_id");
            command.body = std::move(in.body);
            std::vector<std::pair<std::string, std::string>> blobs;
            command.attachments = attachments_of(std::move(in.attachments), blobs);
            if (auto ok = check_blobs(*this, blobs, nullptr); !ok)
              return unexpected(ok.error());
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/withdrawal",
       .operation = "WithdrawCase",
       .summary = "The court's system records that the case is treated as withdrawn.",
       .tag = "cases",
       .roles = court_system,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReasonBody>(
          *this, case_stream_of_call, [](requests::ReasonBody in, const Call&) {
            return domain::WithdrawCase{std::move(in.reason), {}};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/close",
       .operation = "CloseCase",
       .summary = "The judge side closes the case, with a reason.",
       .tag = "cases",
       .roles = judge_side,
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::CaseAggregate, requests::ReasonBody>(
          *this, case_stream_of_call, [](requests::ReasonBody in, const Call&) {
            return domain::CloseCase{std::move(in.reason)};
          }));

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}",
       .operation = "GetCase",
       .summary = "A case in full: parties, agents, judge, hearings, evidence, exchanges, file "
                  "reviews, messages, documents served, its payment notice.",
       .tag = "cases",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kCase,
       .reads_projections = true,
       .response = schema::type<responses::Case>()},
      [this](Call& call) -> Result {
        const auto number = call.param("case_number");
        auto head = store_.read_stream(domain::case_stream(number), UINT64_MAX, 1,
                                       engine::Direction::kBackward);
        if (!head)
          return unexpected(from_engine_error(head.error()));
        if (auto w = wait_for_projections(
                std::max(call.after, head->empty() ? 0 : head->front().position));
            !w)
          return unexpected(w.error());
        auto access = case_access(call, number);
        if (!access)
          return unexpected(access.error());
        if (auto ok = may_read_case(call, *access); !ok)
          return unexpected(ok.error());
        return resource_reply(call, domain::case_stream(number), [&] {
          return read_models_.case_detail(number, call.now_us,
                                          call.is(Role::kLawyer)
                                              ? std::optional<std::string_view>(call.principal.id)
                                              : std::nullopt);
        });
      });
}

}  // namespace docket::api
