// The items of the JSON bodies' arrays, as C++ types: the route table names them (FieldDoc::items)
// and /v1/openapi.json states their schemas (schema.h). A member is required unless
// std::optional. tests/api/schema_test.cc sends every documented field to each route's reader and
// checks that the reader reads exactly these. Internal to docket_api.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/schema.h"
#include "responses.h"

namespace docket::api::requests {

using responses::AbsenceCause;
using responses::ExchangeResult;
using responses::PaperKind;
using responses::PartyKind;
using responses::PartyPosition;
using Strings = std::vector<std::string>;

struct FilingPartyInput {
  static constexpr std::string_view kSchemaName = "FilingPartyInput";
  std::string party_id;
  PartyPosition position = PartyPosition::kPlaintiff;
  PartyKind kind = PartyKind::kNaturalPerson;
  std::string name;
  std::optional<std::string> id_number;
  std::optional<bool> minor;
  std::optional<std::string> phone;
  std::optional<std::string> address;
  std::optional<std::string> legal_representative;
  std::optional<std::string> legal_representative_id_number;
};
BOOST_DESCRIBE_STRUCT(FilingPartyInput, (),
                      (party_id, position, kind, name, id_number, minor, phone, address,
                       legal_representative, legal_representative_id_number))

struct FilingAgentInput {
  static constexpr std::string_view kSchemaName = "FilingAgentInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"represents", "the party ids the agent represents"}};
  std::string licence_number;
  std::optional<Strings> represents;
};
BOOST_DESCRIBE_STRUCT(FilingAgentInput, (), (licence_number, represents))

struct ServiceAddressInput {
  static constexpr std::string_view kSchemaName = "ServiceAddressInput";
  std::string party_id;
  std::optional<std::string> address;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<bool> electronic_service_consent;
};
BOOST_DESCRIBE_STRUCT(ServiceAddressInput, (),
                      (party_id, address, phone, email, electronic_service_consent))

struct FilingMaterialInput {
  static constexpr std::string_view kSchemaName = "FilingMaterialInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"blob_hashes", "SHA-256 hex of blobs the caller uploaded"}};
  std::string material_id;
  std::string material_type;
  std::optional<std::string> title;
  Strings blob_hashes;
};
BOOST_DESCRIBE_STRUCT(FilingMaterialInput, (), (material_id, material_type, title, blob_hashes))

struct IdentityPaperInput {
  static constexpr std::string_view kSchemaName = "IdentityPaperInput";
  std::string party_id;
  PaperKind kind = PaperKind::kIdCardFront;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(IdentityPaperInput, (), (party_id, kind, blob_hash))

struct CorrectionItemInput {
  static constexpr std::string_view kSchemaName = "CorrectionItemInput";
  std::string field;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(CorrectionItemInput, (), (field, message))

struct RosterLawyerInput {
  static constexpr std::string_view kSchemaName = "RosterLawyerInput";
  std::string name;
  std::string licence_number;
  std::string id_number;
  std::string phone;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(RosterLawyerInput, (), (name, licence_number, id_number, phone, email))

struct CasePartyInput {
  static constexpr std::string_view kSchemaName = "CasePartyInput";
  std::string party_id;
  std::string name;
  std::optional<PartyKind> kind;  // natural_person when absent
  PartyPosition role = PartyPosition::kPlaintiff;
  std::optional<std::string> id_number;
  std::optional<bool> electronic_service_consent;
};
BOOST_DESCRIBE_STRUCT(CasePartyInput, (),
                      (party_id, name, kind, role, id_number, electronic_service_consent))

struct CaseAgentInput {
  static constexpr std::string_view kSchemaName = "CaseAgentInput";
  std::string licence;
  std::optional<std::string> identity_number;
  std::optional<std::string> name;
  std::optional<std::string> firm;
  std::optional<Strings> represents;
};
BOOST_DESCRIBE_STRUCT(CaseAgentInput, (), (licence, identity_number, name, firm, represents))

struct ExchangeItemInput {
  static constexpr std::string_view kSchemaName = "ExchangeItemInput";
  std::string item_id;
  std::string title;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(ExchangeItemInput, (), (item_id, title, blob_hash))

struct ExchangeAnswerInput {
  static constexpr std::string_view kSchemaName = "ExchangeAnswerInput";
  std::string item_id;
  ExchangeResult result = ExchangeResult::kAgree;
  std::optional<std::string> opinion;
};
BOOST_DESCRIBE_STRUCT(ExchangeAnswerInput, (), (item_id, result, opinion))

struct AttachmentInput {
  static constexpr std::string_view kSchemaName = "AttachmentInput";
  std::string name;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(AttachmentInput, (), (name, blob_hash))

}  // namespace docket::api::requests
