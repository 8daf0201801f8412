#include "docket/app/demo.h"

#include <utility>

#include "docket/domain/fee.h"

namespace docket::app {
namespace {

using domain::Role;

constexpr std::string_view kAdminId = "admin";

struct DemoLawyer {
  const char* licence;
  const char* name;
  const char* id_number;
  const char* phone;
  const char* email;
};

constexpr const char* kFirm = "重庆山城律师事务所";
constexpr DemoLawyer kLawyers[] = {
    {"15001201810010001", "张明", "500103198001010011", "13800000001", "zhangming@example.com"},
    {"15001201810010002", "李华", "500103198502020022", "13800000002", "lihua@example.com"},
    {"15001201810010003", "王芳", "500103199003030043", "13800000003", "wangfang@example.com"},
};

struct DemoStaff {
  const char* id;
  const char* name;
  Role role;
  bool of_court;
  const char* password;  // people only
};

constexpr DemoStaff kStaff[] = {
    {"clerk01", "陈立案", Role::kClerk, true, "demo-clerk-0103"},
    {"judge01", "刘承办", Role::kJudge, true, "demo-judge-0103"},
    {"president01", "王院长", Role::kJudge, true, "demo-president-0103"},
    {"cms0103", "渝中区法院案件管理系统", Role::kCourtSystem, true, ""},
    {"auditor01", "赵审计", Role::kAuditor, false, "demo-auditor-01"},
};

constexpr const char* kAdminName = "平台管理员";
constexpr const char* kAdminPassword = "demo-admin-2026";

domain::CourtCodeLists demo_code_lists() {
  domain::CourtCodeLists lists;
  lists.case_categories = {
      {"civil_first_instance", "民事一审", "民初"},
      {"civil_second_instance", "民事二审", "民终"},
      {"administrative_first_instance", "行政一审", "行初"},
      {"enforcement", "执行", "执"},
  };
  lists.application_types = {
      {"complaint", "起诉"},
      {"appeal", "上诉"},
      {"enforcement_application", "申请执行"},
  };
  lists.material_types = {
      {std::string(domain::kComplaintMaterialType), "起诉状"},
      {"evidence", "证据材料"},
      {"identity", "身份证明材料"},
      {"power_of_attorney", "授权委托书"},
      {"other", "其他材料"},
  };
  lists.document_types = {
      {"acceptance_notice", "受理通知书"}, {"payment_notice", "交费通知书"}, {"summons", "传票"},
      {"evidence_notice", "举证通知书"},   {"judgment", "判决书"},           {"ruling", "裁定书"},
      {"mediation_agreement", "调解书"},
  };
  return lists;
}

domain::CourtPolicy demo_policy(const DemoOptions& options) {
  domain::CourtPolicy policy;  // the platform's defaults
  policy.identity_verification_required = options.identity_verification_required;
  policy.president = "president01";
  policy.no_mediation_case_categories = {"enforcement"};
  policy.fee_schedule.rules_by_category["civil_first_instance"] =
      domain::national_property_fee_rule();
  policy.fee_schedule.rules_by_category["civil_second_instance"] =
      domain::national_property_fee_rule();
  policy.fee_schedule.rules_by_category["administrative_first_instance"] =
      domain::FeeRule{5'000, 0, {}};  // 50 yuan
  policy.fee_schedule.rules_by_category["enforcement"] = domain::FeeRule{5'000, 0, {}};
  policy.law_links = {
      {"国家法律法规数据库", "https://flk.npc.gov.cn"},
      {"中国裁判文书网", "https://wenshu.court.gov.cn"},
  };
  return policy;
}

Request as(domain::Principal actor, std::string key) {
  Request r;
  r.actor = std::move(actor);
  r.idempotency_key = std::move(key);
  return r;
}

}  // namespace

Outcome<std::vector<DemoLogin>> bootstrap_demo(Platform& platform, const DemoOptions& options) {
  std::vector<DemoLogin> logins;
  const domain::Principal admin{std::string(kAdminId), Role::kAdmin, ""};
  const std::string court(kDemoCourt);

  // The admin, registered by the platform itself.
  auto admin_account = platform.load<domain::StaffAggregate>(domain::staff_stream(kAdminId));
  if (!admin_account)
    return unexpected(Failure(admin_account.error()));
  if (!admin_account->state.exists) {
    domain::RegisterStaff reg{std::string(kAdminId), kAdminName, Role::kAdmin, "",
                              kAdminPassword,        ""};
    if (auto r = platform.register_staff(std::move(reg), Request::system("demo/admin")); !r)
      return unexpected(std::move(r).error());
  }
  logins.push_back({"admin", std::string(kAdminId), kAdminName, "", kAdminPassword, true});

  // The court. Registering it again with the same data decides nothing.
  domain::RegisterCourt register_court{court, "重庆市渝中区人民法院", demo_code_lists(),
                                       demo_policy(options)};
  auto court_state = platform.load<domain::CourtAggregate>(domain::court_stream(court));
  if (!court_state)
    return unexpected(Failure(court_state.error()));
  if (!court_state->state.exists) {
    if (auto r = platform.execute<domain::CourtAggregate>(
            domain::court_stream(court), std::move(register_court), as(admin, "demo/court"));
        !r) {
      return unexpected(std::move(r).error());
    }
  }

  // The law firm's roster: re-importing unchanged data decides nothing.
  for (const auto& l : kLawyers) {
    domain::RegisterFromRoster entry{kFirm, l.name, l.licence, l.id_number, l.phone, l.email};
    auto r = platform.execute<domain::LawyerAggregate>(domain::lawyer_stream(l.licence),
                                                       std::move(entry), as(admin, {}));
    if (!r)
      return unexpected(std::move(r).error());
    auto lawyer = platform.load<domain::LawyerAggregate>(domain::lawyer_stream(l.licence));
    if (!lawyer)
      return unexpected(Failure(lawyer.error()));
    // The initial password is shown only while it is still the account's password.
    const bool initial = lawyer->state.must_change_password;
    logins.push_back({"lawyer", l.licence, l.name, "",
                      initial ? std::string(l.licence) : std::string(), initial});
  }

  for (const auto& s : kStaff) {
    const std::string court_of = s.of_court ? court : std::string();
    auto existing = platform.load<domain::StaffAggregate>(domain::staff_stream(s.id));
    if (!existing)
      return unexpected(Failure(existing.error()));
    DemoLogin login{
        std::string(domain::enum_name(s.role)), s.id, s.name, court_of, s.password, true};
    std::string pinned;
    if (s.role == Role::kCourtSystem)
      pinned = options.court_system_api_key;
    if (!existing->state.exists) {
      domain::RegisterStaff reg{s.id, s.name, s.role, court_of, s.password, ""};
      auto r =
          platform.register_staff(std::move(reg), as(admin, std::string("demo/") + s.id), pinned);
      if (!r)
        return unexpected(std::move(r).error());
      if (s.role == Role::kCourtSystem)
        login.secret = r->api_key;
    } else if (s.role == Role::kCourtSystem) {
      // Only a pinned key can be shown again, and only while it still works.
      const std::string key = std::string(s.id) + "." + pinned;
      login.secret_known = !pinned.empty() && platform.verify_api_key(key).has_value();
      login.secret = login.secret_known ? key : std::string();
    } else if (!existing->state.must_change_password) {
      // A person who changed the initial password: it is not theirs any more.
      login.secret_known = false;
      login.secret.clear();
    }
    logins.push_back(std::move(login));
  }
  return logins;
}

}  // namespace docket::app
