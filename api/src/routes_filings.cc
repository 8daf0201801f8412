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

const std::initializer_list<std::pair<std::string_view, domain::FilingPartyKind>> kPartyKinds = {
    {"natural_person", domain::FilingPartyKind::kNaturalPerson},
    {"legal_person", domain::FilingPartyKind::kLegalPerson},
    {"other_organisation", domain::FilingPartyKind::kOtherOrganisation}};

const std::initializer_list<std::pair<std::string_view, domain::FilingPartyPosition>>
    kPartyPositions = {{"plaintiff", domain::FilingPartyPosition::kPlaintiff},
                       {"defendant", domain::FilingPartyPosition::kDefendant},
                       {"third_party", domain::FilingPartyPosition::kThirdParty}};

const std::initializer_list<std::pair<std::string_view, domain::IdentityPaperKind>> kPaperKinds = {
    {"id_card_front", domain::IdentityPaperKind::kIdCardFront},
    {"id_card_back", domain::IdentityPaperKind::kIdCardBack},
    {"household_register", domain::IdentityPaperKind::kHouseholdRegister},
    {"legal_representative_certificate",
     domain::IdentityPaperKind::kLegalRepresentativeCertificate},
    {"legal_representative_id_card", domain::IdentityPaperKind::kLegalRepresentativeIdCard},
    {"business_licence", domain::IdentityPaperKind::kBusinessLicence}};

}  // namespace

void Service::add_filing_routes() {
  const auto lawyer = roles({Role::kLawyer});
  const auto clerk = roles({Role::kClerk});

  add({.method = http::verb::post,
       .path = "/v1/filings",
       .operation = "StartFiling",
       .summary = "A lawyer reads and accepts the filing notice, which starts a draft filing. The "
                  "server chooses the filing id (\"f\" and 128 random bits in hex, never derived "
                  "from the caller or the Idempotency-Key); a repeat with the same "
                  "Idempotency-Key returns the same draft.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::FilingStarted>(),
       .success = {201}},
      [this](Call& call) -> Result {
        // A fresh id each time; a repeat is answered from the idempotency record with the
        // first request's stream, so it names the first draft.
        std::string id = new_server_id("f");
        auto outcome = platform_.execute<domain::FilingAggregate>(
            domain::filing_stream(id), domain::AcceptFilingNotice{}, app_request(call));
        if (outcome && outcome->stream.starts_with(domain::filing_stream("")))
          id = outcome->stream.substr(domain::filing_stream("").size());
        auto reply =
            accepted(call, outcome, http::status::created, json::object{{"filing_id", id}});
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
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [](Fields&, const Call&) { return domain::AcceptFilingNotice{}; }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/category",
       .operation = "ChooseCaseCategory",
       .summary = "Wizard step: the case category and application type.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("category", "string", true), f("application_type", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            return domain::ChooseCaseCategory{in.str("category", kReq),
                                              in.str("application_type", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/case-information",
       .operation = "SaveCaseInformation",
       .summary = "Wizard step: claims, facts and reasons, amount in dispute.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("claims", "string[]", true), f("facts_and_reasons", "string", true),
                f("amount_in_dispute_fen", "integer", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            return domain::SaveCaseInformation{in.strings("claims", kReq),
                                               in.str("facts_and_reasons", kReq),
                                               in.i64("amount_in_dispute_fen", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/parties",
       .operation = "SaveParties",
       .summary = "Wizard step: the parties (natural persons, legal persons, other "
                  "organisations), replacing the list.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("parties", schema::type<requests::FilingPartyInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            domain::SaveParties command;
            in.each("parties", kReq, [&](Fields& p) {
              domain::FilingParty party;
              party.party_id = p.id("party_id", kReq);
              party.position = p.choice("position", kPartyPositions, kReq);
              party.kind = p.choice("kind", kPartyKinds, kReq);
              party.name = p.str("name", kReq);
              party.id_number = p.str("id_number");
              party.minor = p.boolean("minor");
              party.phone = p.str("phone");
              party.address = p.str("address");
              party.legal_representative = p.str("legal_representative");
              party.legal_representative_id_number = p.str("legal_representative_id_number");
              command.parties.push_back(std::move(party));
            });
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/agents",
       .operation = "SaveAgents",
       .summary = "Wizard step: the agents (lawyers by licence number; name, firm and phone come "
                  "from their accounts), replacing the list. The filer must be one of them.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("agents", schema::type<requests::FilingAgentInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            domain::SaveAgents command;
            in.each("agents", kReq, [&](Fields& a) {
              domain::FilingAgent agent;
              agent.licence_number = a.id("licence_number", kReq);
              agent.represents = a.ids("represents");
              command.agents.push_back(std::move(agent));
            });
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/service-address-notice",
       .operation = "AcceptServiceAddressNotice",
       .summary = "Wizard step: the filer read the service-address notice.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [](Fields&, const Call&) { return domain::AcceptServiceAddressNotice{}; }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/service-addresses",
       .operation = "SaveServiceAddresses",
       .summary = "Wizard step: a service address per party, with consent to electronic "
                  "service, replacing the list.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("addresses", schema::type<requests::ServiceAddressInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            domain::SaveServiceAddresses command;
            in.each("addresses", kReq, [&](Fields& a) {
              command.addresses.push_back({a.id("party_id", kReq), a.str("address"), a.str("phone"),
                                           a.str("email"),
                                           a.boolean("electronic_service_consent")});
            });
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/court",
       .operation = "ChooseCourt",
       .summary = "Wizard step: the court (by code).",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("court", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            domain::ChooseCourt command;
            command.court = in.id("court", kReq, IdKind::kCaseNumber);
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/materials",
       .operation = "SaveMaterials",
       .summary = "Wizard step: litigation materials (uploaded blobs by hash), replacing the "
                  "list. Every blob must have been uploaded by the caller.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .body = {f("materials", schema::type<requests::FilingMaterialInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [this](Fields& in, const Call& call) -> Expected<domain::SaveMaterials, Problem> {
            domain::SaveMaterials command;
            std::vector<std::pair<std::string, std::string>> blobs;
            in.each("materials", kReq, [&](Fields& m) {
              domain::FilingMaterial material;
              material.material_id = m.id("material_id", kReq);
              material.material_type = m.str("material_type", kReq);
              material.title = m.str("title");
              material.blob_hashes = m.ids("blob_hashes", kReq);
              for (std::size_t i = 0; i < material.blob_hashes.size(); ++i)
                blobs.emplace_back("materials[" + std::to_string(command.materials.size()) +
                                       "].blob_hashes[" + std::to_string(i) + "]",
                                   material.blob_hashes[i]);
              command.materials.push_back(std::move(material));
            });
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
       .writes = true,
       .blocking = true,
       .body = {f("papers", schema::type<requests::IdentityPaperInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [this](Fields& in, const Call& call) -> Expected<domain::SaveIdentityPapers, Problem> {
            domain::SaveIdentityPapers command;
            std::vector<std::pair<std::string, std::string>> blobs;
            in.each("papers", kReq, [&](Fields& p) {
              domain::IdentityPaper paper;
              paper.party_id = p.id("party_id", kReq);
              paper.kind = p.choice("kind", kPaperKinds, kReq);
              paper.blob_hash = p.id("blob_hash", kReq);
              blobs.emplace_back("papers[" + std::to_string(command.papers.size()) + "].blob_hash",
                                 paper.blob_hash);
              command.papers.push_back(std::move(paper));
            });
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
       .writes = true,
       .blocking = true,
       .body = {f("mediation", "boolean", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            return domain::ChooseMediation{in.boolean("mediation", kReq)};
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/submit",
       .operation = "SubmitFiling",
       .summary = "Submit the filing for review; every missing item is listed at once (422). A "
                  "resubmission answers a correction notice.",
       .tag = "filings",
       .roles = lawyer,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [](Fields&, const Call&) { return domain::SubmitFiling{}; }));

  add({.method = http::verb::delete_,
       .path = "/v1/filings/{filing_id}",
       .operation = "DeleteDraft",
       .summary = "Delete a draft that was never submitted.",
       .tag = "filings",
       .roles = lawyer,
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
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [](Fields& in, const Call&) { return domain::CancelFiling{in.str("reason", kReq)}; }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/accept",
       .operation = "AcceptFiling",
       .summary = "A clerk of the filing's court accepts it: a case number is allocated, the case "
                  "is registered and the payment notice issued.",
       .tag = "filings",
       .roles = clerk,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      [this](Call& call) -> Result {
        return accepted(call, platform_.accept_filing(call.param("filing_id"), app_request(call)));
      });

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/correction",
       .operation = "RequestCorrection",
       .summary = "A clerk sends the one-time correction notice listing every item; the deadline "
                  "follows the court's policy.",
       .tag = "filings",
       .roles = clerk,
       .writes = true,
       .blocking = true,
       .body = {f("items", schema::type<requests::CorrectionItemInput>(), true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call, [](Fields& in, const Call&) {
            domain::RequestCorrection command;
            in.each("items", kReq, [&](Fields& i) {
              command.items.push_back({i.str("field", kReq), i.str("message", kReq)});
            });
            return command;
          }));

  add({.method = http::verb::post,
       .path = "/v1/filings/{filing_id}/reject",
       .operation = "RejectFiling",
       .summary = "A clerk rejects a submitted filing, with a reason.",
       .tag = "filings",
       .roles = clerk,
       .writes = true,
       .blocking = true,
       .body = {f("reason", "string", true)},
       .response = schema::type<responses::Accepted>()},
      command_handler<domain::FilingAggregate>(
          *this, filing_stream_of_call,
          [](Fields& in, const Call&) { return domain::RejectFiling{in.str("reason", kReq)}; }));

  add({.method = http::verb::get,
       .path = "/v1/filings/{filing_id}",
       .operation = "GetFiling",
       .summary = "A filing in full: every step's data, the correction notice, its history.",
       .tag = "filings",
       .roles = roles({Role::kLawyer, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
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
                         {"docket_status", domain::to_string(s.status)},
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
