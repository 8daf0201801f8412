// Payloads rendered by reflection over the embedded binary schemas.
#include "docket/replay/payload_json.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "case_generated.h"
#include "case_number_generated.h"
#include "court_fixture.h"

namespace docket::replay {
namespace {

namespace json = boost::json;

template <class NativeT>
std::string pack(const NativeT& value) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

TEST(PayloadJsonTest, EveryDomainSchemaIsEmbedded) {
  auto names = PayloadRenderer::domain().schema_names();
  for (const char* expected : {"case", "case_number", "court", "filing", "lawyer", "payment",
                               "service", "staff", "hotline"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(PayloadJsonTest, RendersAPayloadByItsFieldNames) {
  domain::fb::CaseNumberAllocatedT e;
  e.filing_id = "f1";
  e.court = "渝0103";
  e.year = 2026;
  e.category = "civil_first_instance";
  e.case_number_code = "民初";
  e.serial = 7;
  e.case_number = "(2026)渝0103民初7号";
  auto rendered =
      PayloadRenderer::domain().render("case_number", "CaseNumberAllocated", 1, pack(e));
  ASSERT_TRUE(rendered) << rendered.error().message;
  const auto& o = rendered->as_object();
  EXPECT_EQ(o.at("filing_id"), "f1");
  EXPECT_EQ(o.at("court"), "渝0103");
  EXPECT_EQ(o.at("year").as_int64(), 2026);
  EXPECT_EQ(o.at("serial").as_int64(), 7);
  EXPECT_EQ(o.at("case_number"), "(2026)渝0103民初7号");
}

TEST(PayloadJsonTest, AnOlderSchemaVersionRendersWithItsOwnTable) {
  const auto& r = PayloadRenderer::domain();
  EXPECT_EQ(r.table_for("case", "HearingScheduled", 1), "docket.domain.fb.HearingScheduledV1");
  EXPECT_EQ(r.table_for("case", "HearingScheduled", 2), "docket.domain.fb.HearingScheduled");

  domain::fb::HearingScheduledV1T v1;
  v1.hearing_id = "h1";
  v1.length_minutes = 90;
  auto rendered = r.render("case", "HearingScheduled", 1, pack(v1));
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->as_object().at("length_minutes").as_int64(), 90);
}

TEST(PayloadJsonTest, EnumsRenderByNameAndNestedTablesAsObjects) {
  domain::fb::CaseRegisteredT e;
  e.case_number = "(2026)渝0103民初1号";
  auto party = std::make_unique<domain::fb::CasePartyT>();
  party->party_id = "p2";
  party->name = "重庆某某有限公司";
  party->kind = domain::fb::CasePartyKind::LegalPerson;
  party->role = domain::fb::CasePartyRole::Defendant;
  e.parties.push_back(std::move(party));
  auto rendered = PayloadRenderer::domain().render("case", "CaseRegistered", 2, pack(e));
  ASSERT_TRUE(rendered) << rendered.error().message;
  const auto& p = rendered->as_object().at("parties").as_array().at(0).as_object();
  EXPECT_EQ(p.at("kind"), "LegalPerson");
  EXPECT_EQ(p.at("role"), "Defendant");
  EXPECT_EQ(p.at("name"), "重庆某某有限公司");
  EXPECT_EQ(p.at("electronic_service_consent"), false) << "scalars render at their default";
}

TEST(PayloadJsonTest, ATypeWithoutATableIsNotFound) {
  auto rendered = PayloadRenderer::domain().render("case", "NoSuchEvent", 1, "x");
  ASSERT_FALSE(rendered);
  EXPECT_EQ(rendered.error().code, engine::ErrorCode::kNotFound);
}

TEST(PayloadJsonTest, BytesThatAreNotTheTableAreRefusedNotRead) {
  domain::fb::CaseNumberAllocatedT e;
  e.case_number = "(2026)渝0103民初7号";
  auto bytes = pack(e);
  for (std::string bad : {std::string("garbage"), bytes.substr(0, bytes.size() / 2),
                          std::string(4, '\xff') + bytes.substr(4)}) {
    auto rendered = PayloadRenderer::domain().render("case_number", "CaseNumberAllocated", 1, bad);
    ASSERT_FALSE(rendered);
    EXPECT_EQ(rendered.error().code, engine::ErrorCode::kCorruption);
  }
}

TEST(PayloadJsonTest, AnEmptyPayloadIsAnEmptyObject) {
  auto rendered = PayloadRenderer::domain().render("filing", "FilingDeleted", 1, "");
  ASSERT_TRUE(rendered);
  EXPECT_TRUE(rendered->as_object().empty());
}

TEST(PayloadJsonTest, CredentialFieldsAreNeverRendered) {
  domain::fb::CaseRegisteredV1T e;  // schema version 1 still held the digests
  e.case_number = "(2026)渝0103民初1号";
  e.query_code_digest = "a-digest-of-the-query-code";
  e.password_digest = "a-digest-of-the-password";
  bool held = false;
  auto rendered = PayloadRenderer::domain().render("case", "CaseRegistered", 1, pack(e), &held);
  ASSERT_TRUE(rendered) << rendered.error().message;
  const auto& o = rendered->as_object();
  EXPECT_EQ(o.at("case_number"), "(2026)渝0103民初1号");
  EXPECT_FALSE(o.contains("query_code_digest"));
  EXPECT_FALSE(o.contains("password_digest"));
  EXPECT_EQ(json::serialize(*rendered).find("a-digest"), std::string::npos);
  EXPECT_TRUE(held) << "the caller learns that a credential was left out";

  e.query_code_digest.clear();
  e.password_digest.clear();
  rendered = PayloadRenderer::domain().render("case", "CaseRegistered", 1, pack(e), &held);
  ASSERT_TRUE(rendered);
  EXPECT_FALSE(held) << "empty credential fields hold nothing";
}

TEST(PayloadJsonTest, CredentialFieldsAreKnownByName) {
  for (const char* name :
       {"password_hash", "password_digest", "api_key_digest", "key_digest", "query_code_digest",
        "server_secret", "session_token", "sms_key", "key", "api_key"})
    EXPECT_TRUE(payloads::is_credential_field(name)) << name;
  for (const char* name : {"blob_hash", "sms_key_validity_us", "case_number", "keyword",
                           "licence_number", "id_number"})
    EXPECT_FALSE(payloads::is_credential_field(name)) << name;
}

class EveryEventRendersTest : public testing::CourtHistoryTest {};

TEST_F(EveryEventRendersTest, EveryEventOfARealHistoryRenders) {
  build_history();
  std::size_t events = 0;
  std::set<std::string> types;
  for (std::uint64_t from = 1;;) {
    auto page = store().read_all(from, 500);
    ASSERT_TRUE(page);
    if (page->empty())
      break;
    for (const auto& e : *page) {
      auto rendered = PayloadRenderer::domain().render(e);
      EXPECT_TRUE(rendered) << e.position << " " << e.type << ": " << rendered.error().message;
      ++events;
      types.insert(e.type);
    }
    from = page->back().position + 1;
  }
  EXPECT_GT(events, 30u);
  EXPECT_GT(types.size(), 25u) << "the history covers most kinds of event";
}

}  // namespace
}  // namespace docket::replay
