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

const std::initializer_list<std::pair<std::string_view, domain::CasePartyKind>> kKinds = {
    {"natural_person", domain::CasePartyKind::kNaturalPerson},
    {"legal_person", domain::CasePartyKind::kLegalPerson},
    {"other_organisation", domain::CasePartyKind::kOtherOrganisation}};

const std::initializer_list<std::pair<std::string_view, domain::CasePartyRole>> kPartyRoles = {
    {"plaintiff", domain::CasePartyRole::kPlaintiff},
    {"defendant", domain::CasePartyRole::kDefendant},
    {"third_party", domain::CasePartyRole::kThirdParty}};

const std::initializer_list<std::pair<std::string_view, domain::HearingAbsenceKind>> kAbsenceKinds =
    {{"no_show", domain::HearingAbsenceKind::kNoShow},
     {"left_midway", domain::HearingAbsenceKind::kLeftMidway}};

const std::initializer_list<std::pair<std::string_view, domain::HearingAbsenceCause>>
    kAbsenceCauses = {{"none", domain::HearingAbsenceCause::kNone},
                      {"network_failure", domain::HearingAbsenceCause::kNetworkFailure},
                      {"device_failure", domain::HearingAbsenceCause::kDeviceFailure},
                      {"power_failure", domain::HearingAbsenceCause::kPowerFailure},
                      {"force_majeure", domain::HearingAbsenceCause::kForceMajeure},
                      {"other", domain::HearingAbsenceCause::kOther}};

const std::initializer_list<std::pair<std::string_view, domain::EvidenceItemMark>> kMarks = {
    {"received", domain::EvidenceItemMark::kReceived},
    {"accepted", domain::EvidenceItemMark::kAccepted},
    {"rejected", domain::EvidenceItemMark::kRejected}};

const std::initializer_list<std::pair<std::string_view, domain::EvidenceExchangeResult>> kResults =
    {{"agree", domain::EvidenceExchangeResult::kAgree},
     {"disagree", domain::EvidenceExchangeResult::kDisagree},
     {"partly_agree", domain::EvidenceExchangeResult::kPartlyAgree}};

std::vector<domain::CaseAttachment> read_attachments(
    Fields& in, std::string_view key, std::vector<std::pair<std::string, std::string>>& blobs) {
  std::vector<domain::CaseAttachment> out;
  in.each(key, kOpt, [&](Fields& a) {
    domain::CaseAttachment attachment{a.str("name", kReq), a.id("blob_hash", kReq)};
    blobs.emplace_back(std::string(key) + "[" + std::to_string(out.size()) + "].blob_hash",
                       attachment.blob_hash);
    out.push_back(std::move(attachment));
  });
  return out;
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
       .body = {f("case_number", "string", true), f("category", "string", true),
                f("court", "string", false, "defaults to the caller's court"), f("judge", "string"),
                f("accepted_on_us", "integer", true),
                f("parties", schema::type<requests::CasePartyInput>(), true),
                f("agents", schema::type<requests::CaseAgentInput>(), false),
                f("query_code", "string"), f("password", "string")},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      [this](Call& call) -> Result {
        auto body = call.body();
        if (!body)
          return unexpected(body.error());
        auto in = Fields::over(*body);
        domain::RegisterCase command;
        command.case_number = in.id("case_number", kReq, IdKind::kCaseNumber);
        command.category = in.str("category", kReq);
        command.court = in.id("court", kOpt, IdKind::kCaseNumber);
        if (command.court.empty())
          command.court = call.principal.court;
        command.judge = in.id("judge");
        command.accepted_on_us = in.i64("accepted_on_us", kReq);
        in.each("parties", kReq, [&](Fields& p) {
          domain::CaseParty party;
          party.party_id = p.id("party_id", kReq);
          party.name = p.str("name", kReq);
          party.kind = p.choice("kind", kKinds, kOpt, domain::CasePartyKind::kNaturalPerson);
          party.role = p.choice("role", kPartyRoles, kReq);
          party.id_number = p.str("id_number");
          party.electronic_service_consent = p.boolean("electronic_service_consent");
          command.parties.push_back(std::move(party));
        });
        in.each("agents", kOpt, [&](Fields& a) {
          domain::CaseAgent agent;
          agent.licence = a.id("licence", kReq);
          agent.identity_number = a.str("identity_number");
          agent.name = a.str("name");
          agent.firm = a.str("firm");
          agent.represents = a.ids("represents");
          command.agents.push_back(std::move(agent));
        });
        command.query_code = in.str("query_code");
        command.password = in.str("password");
        if (auto p = in.problem())
          return unexpected(*p);
        const auto number = command.case_number;
        auto reply = execute<domain::CaseAggregate>(call, domain::case_stream(number),
                                                    std::move(command), http::status::created);
        if (reply)
          std::get<Response>(*reply).set(http::field::location,
                                         "/v1/cases/" + percent_encode(number));
        return reply;
      });

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/judge",
       .operation = "AssignJudge",
       .summary = "The court's system sets or changes the judge in charge.",
       .tag = "cases",
       .roles = court_system,
       .writes = true,
       .blocking = true,
       .body = {f("judge", "string", true, "the judge's staff id")},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields& in, const Call&) { return domain::AssignJudge{in.id("judge", kReq)}; }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/binding",
       .operation = "BindLegacyCase",
       .summary = "A lawyer binds a case accepted before 2018-09-01 with the acceptance notice's "
                  "query code and password. A wrong attempt answers 403 and is counted for that "
                  "lawyer only: five in 24 hours hold that lawyer back (409, policy) until the "
                  "oldest is 24 hours old, while other lawyers still bind.",
       .tag = "cases",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("query_code", "string", true), f("password", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(*this, case_stream_of_call,
                                             [](Fields& in, const Call&) {
                                               domain::BindLegacyCase command;
                                               command.query_code = in.str("query_code", kReq);
                                               command.password = in.str("password", kReq);
                                               return command;
                                             }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/online-hearing-consent",
       .operation = "RecordOnlineHearingConsent",
       .summary = "Record a party's choice of online hearing (by an agent of the party, or the "
                  "judge side).",
       .tag = "hearings",
       .roles = roles({Role::kLawyer, Role::kJudge, Role::kCourtSystem}),
       .writes = true,
       .blocking = true,
       .body = {f("party_id", "string", true), f("consent", "boolean", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call&) {
            return domain::RecordOnlineHearingConsent{in.id("party_id", kReq),
                                                      in.boolean("consent", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings",
       .operation = "ScheduleHearing",
       .summary = "The judge in charge or the court's system schedules a hearing at least three "
                  "days ahead (online only with every party's consent).",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("hearing_id", "string", true), f("starts_at_us", "integer", true),
                f("length_minutes", "integer", true), f("place", "string"), f("online", "boolean"),
                f("video_room", "string")},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields& in, const Call&) {
            domain::ScheduleHearing command;
            command.hearing_id = in.id("hearing_id", kReq);
            command.starts_at_us = in.i64("starts_at_us", kReq);
            command.length_minutes = in.u32("length_minutes", kReq);
            command.place = in.str("place");
            command.online = in.boolean("online");
            command.video_room = in.str("video_room");
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/reschedule",
       .operation = "RescheduleHearing",
       .summary = "Move a scheduled hearing (same rules as scheduling).",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("starts_at_us", "integer", true), f("length_minutes", "integer", true),
                f("place", "string"), f("online", "boolean"), f("video_room", "string"),
                f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            domain::RescheduleHearing command;
            command.hearing_id = call.param("hearing_id");
            command.starts_at_us = in.i64("starts_at_us", kReq);
            command.length_minutes = in.u32("length_minutes", kReq);
            command.place = in.str("place");
            command.online = in.boolean("online");
            command.video_room = in.str("video_room");
            command.reason = in.str("reason", kReq);
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/hold",
       .operation = "HoldHearing",
       .summary = "Record that a hearing took place.",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields&, const Call& call) { return domain::HoldHearing{call.param("hearing_id")}; }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/cancel",
       .operation = "CancelHearing",
       .summary = "Cancel a scheduled hearing, with a reason.",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::CancelHearing{call.param("hearing_id"), in.str("reason", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/absences",
       .operation = "RecordHearingAbsence",
       .summary = "Record a party's no-show or leaving midway, with its cause (a network, device "
                  "or power failure or force majeure excuses it).",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("party_id", "string", true), f("kind", names_of(kAbsenceKinds), true),
                f("cause", names_of(kAbsenceCauses), false), f("note", "string")},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            domain::RecordHearingAbsence command;
            command.hearing_id = call.param("hearing_id");
            command.party_id = in.id("party_id", kReq);
            command.kind = in.choice("kind", kAbsenceKinds, kReq);
            command.cause = in.choice("cause", kAbsenceCauses, kOpt);
            command.note = in.str("note");
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests",
       .operation = "RequestHearingAvoidance",
       .summary = "An agent asks the judge, with a reason, to move or excuse a hearing (the "
                  "lawyer's phone comes from their profile).",
       .tag = "hearings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("request_id", "string", true), f("reason", "string", true)},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields& in, const Call& call) {
            domain::RequestHearingAvoidance command;
            command.hearing_id = call.param("hearing_id");
            command.request_id = in.id("request_id", kReq);
            command.reason = in.str("reason", kReq);
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests/{request_id}/"
               "grant",
       .operation = "GrantHearingAvoidance",
       .summary = "The judge grants an avoidance request and moves the hearing.",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("starts_at_us", "integer", true), f("length_minutes", "integer", true),
                f("place", "string")},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            domain::GrantHearingAvoidance command;
            command.hearing_id = call.param("hearing_id");
            command.request_id = call.param("request_id");
            command.starts_at_us = in.i64("starts_at_us", kReq);
            command.length_minutes = in.u32("length_minutes", kReq);
            command.place = in.str("place");
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/hearings/{hearing_id}/avoidance-requests/{request_id}/"
               "refuse",
       .operation = "RefuseHearingAvoidance",
       .summary = "The judge refuses an avoidance request, with a reason.",
       .tag = "hearings",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::RefuseHearingAvoidance{call.param("hearing_id"),
                                                  call.param("request_id"), in.str("reason", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/items",
       .operation = "AddEvidenceItem",
       .summary = "An agent adds an evidence item (an uploaded blob) to a batch; a new batch id "
                  "opens a batch.",
       .tag = "evidence",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("item_id", "string", true), f("name", "string", true),
                f("blob_hash", "string", true), f("purpose", "string")},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [this](Fields& in, const Call& call) -> Expected<domain::AddEvidenceItem, Problem> {
            domain::AddEvidenceItem command;
            command.batch_id = call.param("batch_id");
            command.item_id = in.id("item_id", kReq);
            command.name = in.str("name", kReq);
            command.blob_hash = in.id("blob_hash", kReq);
            command.purpose = in.str("purpose");
            if (!command.blob_hash.empty()) {
              if (auto ok = check_blobs(*this, {{"blob_hash", command.blob_hash}}, &call.principal);
                  !ok)
                return unexpected(ok.error());
            }
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/removal",
       .operation = "RemoveEvidenceItems",
       .summary = "An agent removes unsubmitted items from their open batch (batch delete).",
       .tag = "evidence",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("item_ids", "string[]", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::RemoveEvidenceItems{call.param("batch_id"), in.ids("item_ids", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/submit",
       .operation = "SubmitEvidenceBatch",
       .summary = "An agent submits their open batch.",
       .tag = "evidence",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields&, const Call& call) {
            return domain::SubmitEvidenceBatch{call.param("batch_id")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/evidence/{batch_id}/items/{item_id}/mark",
       .operation = "MarkEvidenceItem",
       .summary = "The court marks a submitted item received, accepted or rejected (with a "
                  "note).",
       .tag = "evidence",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("mark", names_of(kMarks), true), f("note", "string")},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::MarkEvidenceItem{call.param("batch_id"), call.param("item_id"),
                                            in.choice("mark", kMarks, kReq), in.str("note")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges",
       .operation = "PushEvidenceExchange",
       .summary = "The judge or the court's system sends case-file materials to an agent for "
                  "their opinion by a deadline.",
       .tag = "evidence",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("exchange_id", "string", true), f("recipient_licence", "string", true),
                f("items", schema::type<requests::ExchangeItemInput>(), true),
                f("respond_by_us", "integer", true)},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [this](Fields& in, const Call&) -> Expected<domain::SendEvidenceForExchange, Problem> {
            domain::SendEvidenceForExchange command;
            command.exchange_id = in.id("exchange_id", kReq);
            command.recipient_licence = in.id("recipient_licence", kReq);
            std::vector<std::pair<std::string, std::string>> blobs;
            in.each("items", kReq, [&](Fields& i) {
              domain::EvidenceExchangeItemToSend item{i.id("item_id", kReq), i.str("title", kReq),
                                                      i.id("blob_hash", kReq)};
              blobs.emplace_back("items[" + std::to_string(command.items.size()) + "].blob_hash",
                                 item.blob_hash);
              command.items.push_back(std::move(item));
            });
            command.respond_by_us = in.i64("respond_by_us", kReq);
            if (auto ok = check_blobs(*this, blobs, nullptr); !ok)
              return unexpected(ok.error());
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges/{exchange_id}/open",
       .operation = "OpenEvidenceExchange",
       .summary = "The recipient opens an evidence exchange.",
       .tag = "evidence",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields&, const Call& call) {
            return domain::OpenEvidenceExchange{call.param("exchange_id")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/exchanges/{exchange_id}/answer",
       .operation = "AnswerEvidenceExchange",
       .summary = "The recipient answers every item once (agree, disagree with an opinion, "
                  "partly agree with an opinion).",
       .tag = "evidence",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("answers", schema::type<requests::ExchangeAnswerInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            domain::AnswerEvidenceExchange command;
            command.exchange_id = call.param("exchange_id");
            in.each("answers", kReq, [&](Fields& a) {
              command.answers.push_back(
                  {a.id("item_id", kReq), a.choice("result", kResults, kReq), a.str("opinion")});
            });
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-materials",
       .operation = "PushFileReviewMaterial",
       .summary = "The judge or the court's system adds a material to the case file (what file "
                  "review shows).",
       .tag = "file-review",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("material_id", "string", true), f("title", "string", true),
                f("blob_hash", "string", true)},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [this](Fields& in, const Call&) -> Expected<domain::AddCaseFileMaterial, Problem> {
            domain::AddCaseFileMaterial command{in.id("material_id", kReq), in.str("title", kReq),
                                                in.id("blob_hash", kReq)};
            if (!command.blob_hash.empty()) {
              if (auto ok = check_blobs(*this, {{"blob_hash", command.blob_hash}}, nullptr); !ok)
                return unexpected(ok.error());
            }
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews",
       .operation = "ApplyForFileReview",
       .summary = "An agent applies, with a reason, to read the case file.",
       .tag = "file-review",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("application_id", "string", true), f("reason", "string", true)},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields& in, const Call&) {
            return domain::ApplyForFileReview{in.id("application_id", kReq),
                                              in.str("reason", kReq)};
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews/{application_id}/approve",
       .operation = "ApproveFileReview",
       .summary = "The judge approves a file-review application for chosen materials and a time "
                  "window.",
       .tag = "file-review",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("material_ids", "string[]", true), f("from_us", "integer", true),
                f("until_us", "integer", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::ApproveFileReview{call.param("application_id"),
                                             in.ids("material_ids", kReq), in.i64("from_us", kReq),
                                             in.i64("until_us", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/file-reviews/{application_id}/refuse",
       .operation = "RefuseFileReview",
       .summary = "The judge refuses a file-review application, with a reason.",
       .tag = "file-review",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call& call) {
            return domain::RefuseFileReview{call.param("application_id"), in.str("reason", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages",
       .operation = "SendMessageToJudge",
       .summary = "An agent writes to the judge in charge: a title, a body, attachments "
                  "(uploaded blobs).",
       .tag = "messages",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("message_id", "string", true), f("title", "string", true),
                f("body", "string", true),
                f("attachments", schema::type<requests::AttachmentInput>(), false)},
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [this](Fields& in, const Call& call) -> Expected<domain::SendMessageToJudge, Problem> {
            domain::SendMessageToJudge command;
            command.message_id = in.id("message_id", kReq);
            command.title = in.str("title", kReq);
            command.body = in.str("body", kReq);
            std::vector<std::pair<std::string, std::string>> blobs;
            command.attachments = read_attachments(in, "attachments", blobs);
            if (auto ok = check_blobs(*this, blobs, &call.principal); !ok)
              return unexpected(ok.error());
            return command;
          },
          http::status::created));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages/{message_id}/read",
       .operation = "MarkMessageRead",
       .summary = "The judge side marks a message read.",
       .tag = "messages",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields&, const Call& call) {
            return domain::MarkMessageRead{call.param("message_id")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/messages/{message_id}/reply",
       .operation = "ReplyToMessage",
       .summary = "The judge side replies once to a message.",
       .tag = "messages",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("body", "string", true),
                f("attachments", schema::type<requests::AttachmentInput>(), false)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [this](Fields& in, const Call& call) -> Expected<domain::ReplyToMessage, Problem> {
            domain::ReplyToMessage command;
            command.message_id = call.param("message_id");
            command.body = in.str("body", kReq);
            std::vector<std::pair<std::string, std::string>> blobs;
            command.attachments = read_attachments(in, "attachments", blobs);
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
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call, [](Fields& in, const Call&) {
            return domain::WithdrawCase{in.str("reason", kReq), {}};
          }));

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/close",
       .operation = "CloseCase",
       .summary = "The judge side closes the case, with a reason.",
       .tag = "cases",
       .roles = judge_side,
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::CaseAggregate>(
          *this, case_stream_of_call,
          [](Fields& in, const Call&) { return domain::CloseCase{in.str("reason", kReq)}; }));

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}",
       .operation = "GetCase",
       .summary = "A case in full: parties, agents, judge, hearings, evidence, exchanges, file "
                  "reviews, messages, documents served, its payment notice.",
       .tag = "cases",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
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
        return resource_reply(call, domain::case_stream(number),
                              [&] { return read_models_.case_detail(number, call.now_us); });
      });
}

}  // namespace docket::api
