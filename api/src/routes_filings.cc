// Online filing (module 2): the wizard's steps by the filer, the clerks' review, and the filing's
// status for court systems (GetFilingStatus, CancelFiling).
#include "docket/domain/filing.h"
#include "identifiers.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"
#include "scope.h"

namespace docket::api {

namespace {

std::string filing_stream_of_call(const Call& call) {
  return domain::filing_stream(call.param("filing_id"));
}

}  // namespace

void Service::add_filing_routes() {
  const auto lawyer = roles({Role::kLawyer});
  const auto clerk = roles({Role::kClerk});

  add({.method = http::verb::post,
       .path = "/v1/filings",
       .operation = "StartFiling",
       .summary = "A lawyer reads and accepts the filing notice, which starts a draft filing. The "
                  "server makes the filing id (\"f\" and 128 unguessable bits in hex, never "
                  "derived from the caller or the Idempotency-Key) and returns it as created_id "
                  "and in Location; a repeat with the same Idempotency-Key returns the same "
                  "draft.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      [this](Call& call) -> Result {
        // A repeat makes the same id as its first; one answered from an older idempotency record
        // names the first draft by its stream.
        std::string id = call.made_id(made::kFiling);
        auto outcome = platform_.execute<domain::FilingAggregate>(
            domain::filing_stream(id), domain::AcceptFilingNotice{}, app_request(call));
        if (outcome && outcome->stream.starts_with(domain::filing_stream("")))
          id = outcome->stream.substr(domain::filing_stream("").size());
        auto reply =
            accepted(call, outcome, http::status::created, json::object{{"created_id", id}});
        if (reply)
          std::get<Response>(*reply).set(http::field::location, "/v1/filings/" + id);
        return reply;
      });

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/notice",
       .operation = "AcceptFilingNotice",
       .summary = "The filer records reading the filing notice again.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate>(*this, filing_stream_of_call, [](NoBody, const Call&) {
        return domain::AcceptFilingNotice{};
      }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/category",
       .operation = "ChooseCaseCategory",
       .summary = "Wizard step: the case category and application type.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ChooseCaseCategoryBody>(
          *this, filing_stream_of_call, [](requests::ChooseCaseCategoryBody in, const Call&) {
            return domain::ChooseCaseCategory{std::move(in.category),
                                              std::move(in.application_type)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/case-information",
       .operation = "SaveCaseInformation",
       .summary = "Wizard step: claims, facts and reasons, amount in dispute.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SaveCaseInformationBody>(
          *this, filing_stream_of_call, [](requests::SaveCaseInformationBody in, const Call&) {
            return domain::SaveCaseInformation{
                std::move(in.claims), std::move(in.facts_and_reasons), in.amount_in_dispute_fen};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/parties",
       .operation = "SaveParties",
       .summary = "Wizard step: the parties (natural persons, legal persons, other "
                  "organisations), replacing the list.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SavePartiesBody>(
          *this, filing_stream_of_call, [](requests::SavePartiesBody in, const Call&) {
            domain::SaveParties command;
            for (auto& p : in.parties) {
              domain::FilingParty party;
              party.party_id = std::move(p.party_id);
              party.position = to_domain<domain::FilingPartyPosition>(p.standing);
              party.kind = to_domain<domain::FilingPartyKind>(p.kind);
              party.name = std::move(p.name);
              party.id_number = p.id_number.value_or("");
              party.minor = p.minor.value_or(false);
              party.phone = p.phone.value_or("");
              party.address = p.address.value_or("");
              party.legal_representative = p.legal_representative.value_or("");
              party.legal_representative_id_number = p.legal_representative_id_number.value_or("");
              command.parties.push_back(std::move(party));
            }
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/agents",
       .operation = "SaveAgents",
       .summary = "Wizard step: the agents (lawyers by licence number; name, firm and phone come "
                  "from their accounts), replacing the list. The filer must be one of them.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SaveAgentsBody>(
          *this, filing_stream_of_call, [](requests::SaveAgentsBody in, const Call&) {
            domain::SaveAgents command;
            for (auto& a : in.agents) {
              domain::FilingAgent agent;
              agent.licence_number = std::move(a.licence_number);
              agent.represents = texts(a.represents.value_or(std::vector<Id>{}));
              command.agents.push_back(std::move(agent));
            }
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/service-address-notice",
       .operation = "AcceptServiceAddressNotice",
       .summary = "Wizard step: the filer read the service-address notice.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate>(*this, filing_stream_of_call, [](NoBody, const Call&) {
        return domain::AcceptServiceAddressNotice{};
      }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/service-addresses",
       .operation = "SaveServiceAddresses",
       .summary = "Wizard step: a service address per party, with consent to electronic "
                  "service, replacing the list.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SaveServiceAddressesBody>(
          *this, filing_stream_of_call, [](requests::SaveServiceAddressesBody in, const Call&) {
            domain::SaveServiceAddresses command;
            for (auto& a : in.addresses)
              command.addresses.push_back({std::move(a.party_id), a.address.value_or(""),
                                           a.phone.value_or(""), a.email.value_or(""),
                                           a.electronic_service_consent.value_or(false)});
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/court",
       .operation = "ChooseCourt",
       .summary = "Wizard step: the court (by code).",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ChooseCourtBody>(
          *this, filing_stream_of_call, [](requests::ChooseCourtBody in, const Call&) {
            domain::ChooseCourt command;
            command.court = std::move(in.court);
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/materials",
       .operation = "SaveMaterials",
       .summary = "Wizard step: litigation materials (uploaded blobs by hash), replacing the "
                  "list. Every blob must have been uploaded by the caller.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SaveMaterialsBody>(
          *this, filing_stream_of_call,
          [this](requests::SaveMaterialsBody in,
                 const Call& call) -> Expected<domain::SaveMaterials, Problem> {
            domain::SaveMaterials command;
            std::vector<std::pair<std::string, std::string>> blobs;
            for (auto& m : in.materials) {
              domain::FilingMaterial material;
              material.material_id = std::move(m.material_id);
              material.material_type = std::move(m.material_type);
              material.title = m.title.value_or("");
              material.blob_hashes = texts(m.blob_hashes);
              for (std::size_t i = 0; i < material.blob_hashes.size(); ++i)
                blobs.emplace_back("materials[" + std::to_string(command.materials.size()) +
                                       "].blob_hashes[" + std::to_string(i) + "]",
                                   material.blob_hashes[i]);
              command.materials.push_back(std::move(material));
            }
            if (auto ok = check_blobs(*this, blobs, &call.principal); !ok)
              return unexpected(ok.error());
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/identity-papers",
       .operation = "SaveIdentityPapers",
       .summary = "Wizard step: real-name identity papers per party (uploaded blobs), replacing "
                  "the list.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::SaveIdentityPapersBody>(
          *this, filing_stream_of_call,
          [this](requests::SaveIdentityPapersBody in,
                 const Call& call) -> Expected<domain::SaveIdentityPapers, Problem> {
            domain::SaveIdentityPapers command;
            std::vector<std::pair<std::string, std::string>> blobs;
            for (auto& p : in.papers) {
              domain::IdentityPaper paper;
              paper.party_id = std::move(p.party_id);
              paper.kind = to_domain<domain::IdentityPaperKind>(p.kind);
              paper.blob_hash = std::move(p.blob_hash);
              blobs.emplace_back("papers[" + std::to_string(command.papers.size()) + "].blob_hash",
                                 paper.blob_hash);
              command.papers.push_back(std::move(paper));
            }
            if (auto ok = check_blobs(*this, blobs, &call.principal); !ok)
              return unexpected(ok.error());
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/mediation",
       .operation = "ChooseMediation",
       .summary = "Wizard step: opt in or out of mediation.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ChooseMediationBody>(
          *this, filing_stream_of_call, [](requests::ChooseMediationBody in, const Call&) {
            return domain::ChooseMediation{in.mediation};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/submit",
       .operation = "SubmitFiling",
       .summary = "Submit the filing for review; every missing item is listed at once (422). A "
                  "resubmission answers a correction notice.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate>(*this, filing_stream_of_call,
                                       [](NoBody, const Call&) { return domain::SubmitFiling{}; }));

  add({.method = http::verb::delete_,
       .path = "/v1/filings/{filing_id}",
       .operation = "DeleteDraft",
       .summary = "Delete a draft that was never submitted.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        return execute<domain::FilingAggregate>(call, filing_stream_of_call(call),
                                                domain::DeleteDraft{});
      });

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/cancel",
       .operation = "CancelFiling",
       .summary = "The filer withdraws a draft, submitted or correction-requested filing.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ReasonBody>(
          *this, filing_stream_of_call, [](requests::ReasonBody in, const Call&) {
            return domain::CancelFiling{std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/accept",
       .operation = "AcceptFiling",
       .summary = "A clerk of the filing's court accepts it: a case number is allocated, the case "
                  "is registered and the payment notice issued. Where the court's policy "
                  "requires real-name verification, every party's identity must have been "
                  "verified (RecordIdentityCheck), else 409 (policy) unless the body gives "
                  "identity_override_reason, which is recorded. The body is optional.",
       .tag = "filings",
       .roles = clerk,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      with_body<requests::AcceptFilingBody>([this](Call& call, requests::AcceptFilingBody in) {
        return accepted(call, platform_.accept_filing(call.param("filing_id"), app_request(call),
                                                      in.identity_override_reason.value_or("")));
      }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/identity-checks",
       .operation = "RecordIdentityCheck",
       .summary = "The court's system records its identity service's real-name verification of a "
                  "party (document comparison or real-name phone): verified or failed. The latest "
                  "result per party counts; recording the same result again changes nothing.",
       .tag = "filings",
       .roles = roles({Role::kCourtSystem}),
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::RecordIdentityCheckBody>(
          *this, filing_stream_of_call, [](requests::RecordIdentityCheckBody in, const Call&) {
            return domain::RecordIdentityCheck{std::move(in.party_id), in.method, in.result,
                                               in.note.value_or("")};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/correction",
       .operation = "RequestCorrection",
       .summary = "A clerk sends the one-time correction notice listing every item; the deadline "
                  "follows the court's policy.",
       .tag = "filings",
       .roles = clerk,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::RequestCorrectionBody>(
          *this, filing_stream_of_call, [](requests::RequestCorrectionBody in, const Call&) {
            domain::RequestCorrection command;
            for (auto& i : in.items)
              command.items.push_back({std::move(i.field), std::move(i.message)});
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/reject",
       .operation = "RejectFiling",
       .summary = "A clerk rejects a submitted filing, with a reason.",
       .tag = "filings",
       .roles = clerk,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ReasonBody>(
          *this, filing_stream_of_call, [](requests::ReasonBody in, const Call&) {
            return domain::RejectFiling{std::move(in.reason)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/mediation-referral",
       .operation = "ReferToMediation",
       .summary = "A clerk refers a submitted filing whose parties chose mediation to online "
                  "mediation (notice §3), with a mediator or mediation organisation and a "
                  "deadline; 409 (policy) when the parties opted out, the court's policy excludes "
                  "the case category (no_mediation_case_categories) or it was referred before. "
                  "The review clock stops until the mediation ends.",
       .tag = "filings",
       .roles = clerk,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::ReferToMediationBody>(
          *this, filing_stream_of_call, [](requests::ReferToMediationBody in, const Call&) {
            return domain::ReferToMediation{in.mediator.value_or(""),
                                            in.mediation_organisation.value_or(""),
                                            in.deadline_at_us};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/mediation-outcome",
       .operation = "RecordMediationOutcome",
       .summary = "The court's system (relaying the mediation platform) or a clerk records how the "
                  "mediation ended: an agreement, with its document (uploaded first with POST "
                  "/v1/blobs), makes the filing mediated; a failure returns it to review with the "
                  "review period starting again. A mediation still open at its deadline fails "
                  "by itself.",
       .tag = "filings",
       .roles = roles({Role::kCourtSystem, Role::kClerk}),
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::RecordMediationOutcomeBody>(
          *this, filing_stream_of_call,
          [this](requests::RecordMediationOutcomeBody in,
                 const Call& call) -> Expected<domain::RecordMediationOutcome, Problem> {
            domain::RecordMediationOutcome command{in.outcome, in.agreement_blob_hash.value_or(""),
                                                   in.note.value_or("")};
            if (!command.agreement_blob_hash.empty()) {
              if (auto ok =
                      check_blobs(*this, {{"agreement_blob_hash", command.agreement_blob_hash}},
                                  &call.principal);
                  !ok)
                return unexpected(ok.error());
            }
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/judicial-confirmation",
       .operation = "ApplyForJudicialConfirmation",
       .summary = "The filer applies for judicial confirmation of the agreement reached in online "
                  "mediation, within 30 days of it (409 policy after), once.",
       .tag = "filings",
       .roles = lawyer,
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate>(*this, filing_stream_of_call, [](NoBody, const Call&) {
        return domain::ApplyForJudicialConfirmation{};
      }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/judicial-confirmation/decision",
       .operation = "DecideJudicialConfirmation",
       .summary = "A judge of the filing's court confirms the mediation agreement, or refuses to "
                  "with a reason; a refusal returns the filing to review, the review period "
                  "starting again.",
       .tag = "filings",
       .roles = roles({Role::kJudge}),
       .owner = Owner::kFiling,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::FilingAggregate, requests::DecideJudicialConfirmationBody>(
          *this, filing_stream_of_call,
          [](requests::DecideJudicialConfirmationBody in, const Call&) {
            return domain::DecideJudicialConfirmation{in.confirmed, in.reason.value_or("")};
          }));

  add({.method = http::verb::get,
       .path = "/v1/filings/{filing_id}",
       .operation = "GetFiling",
       .summary = "A filing in full: every step's data, the correction notice, its history.",
       .tag = "filings",
       .roles =
           roles({Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kFiling,
       .reads_projections = true,
       .response = schema::type<responses::Filing>()},
      [this](Call& call) -> Result {
        const auto id = call.param("filing_id");
        auto loaded = platform_.load<domain::FilingAggregate>(domain::filing_stream(id));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        if (loaded->state.exists) {
          if (auto ok = check_reach(call.principal, scope_of(loaded->state), "filing", id); !ok)
            return unexpected(ok.error());
        }
        return resource_reply(call, domain::filing_stream(id),
                              [&] { return read_models_.filing(id, call.now_us); });
      });

  add({.method = http::verb::get,
       .path = "/v1/filings/{filing_id}/status",
       .operation = "GetFilingStatus",
       .summary = "A filing's review status as ECF codes it (received, accepted, rejected, "
                  "cancelled; otherwise our own), with the case number once accepted.",
       .tag = "filings",
       .roles = roles({Role::kLawyer, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kFiling,
       .reads_projections = true,
       .response = schema::type<responses::FilingReviewStatus>()},
      [this](Call& call) -> Result {
        const auto id = call.param("filing_id");
        auto loaded = platform_.load<domain::FilingAggregate>(domain::filing_stream(id));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        const auto& s = loaded->state;
        if (!s.exists || s.status == domain::FilingStatus::kDeleted)
          return unexpected(not_found("Expected a filing " + id + ", but there is none"));
        if (auto ok = check_reach(call.principal, scope_of(s), "filing", id); !ok)
          return unexpected(ok.error());
        json::object out{{"filing_id", id},
                         {"status", domain::ecf_status(s)},
                         {"docket_status", domain::enum_name(s.status)},
                         {"court", s.court},
                         {"submissions", s.submissions},
                         {"review_due_at_us", s.review_due_at_us},
                         {"review_overdue", s.review_overdue},
                         {"case_number", s.case_number}};
        auto res = json_reply(call, http::status::ok, out);
        res.set(http::field::etag, "\"" + std::to_string(loaded->version) + "\"");
        return Reply{std::move(res)};
      });
}

}  // namespace docket::api
