// The demo court: what `docketd --demo` sets up so a fresh server can be tried at once.
//
// bootstrap_demo registers, idempotently (a second run writes nothing): the court 渝0103
// (重庆市渝中区人民法院) with its code lists — among them the civil first-instance category
// 民事一审 whose case numbers read 民初 — and the default policy with the national property fee
// rule; a law firm's roster of three lawyers; a clerk and a judge of the court; the court's
// case-management system (an API key); an auditor and an admin. It returns the logins to print.
//
// Lawyers' first password is their licence number (the roster rule); staff get the demo
// passwords below; everyone must change the first password. Not thread-safe with itself.
#pragma once

#include <string>
#include <vector>

#include "docket/app/platform.h"

namespace docket::app {

inline constexpr std::string_view kDemoCourt = "渝0103";

struct DemoLogin {
  std::string role;   // "lawyer", "clerk", "judge", "court_system", "auditor", "admin"
  std::string login;  // licence number or staff id
  std::string name;
  std::string court;   // empty for lawyers, the auditor and the admin
  std::string secret;  // the initial password, or the court system's API key
  // False when the account already existed and its secret is not known any more: a person who
  // changed the initial password, or a court system's API key (shown only when it is issued,
  // unless DemoOptions pins it).
  bool secret_known = true;
};

struct DemoOptions {
  // The secret part of the court system's API key ("<staff id>.<secret>"). Empty: one is
  // generated at the first run (and cannot be shown again later). A secret derived from the
  // server secret (e.g. SodiumSecrets::hmac_sha256_hex(server secret, "demo/court-system")) keeps
  // the key the same across runs.
  std::string court_system_api_key;
  // Whether the demo court, when first registered, requires real-name verification before a
  // filing is accepted (CourtPolicy::identity_verification_required). docketd --demo turns it on
  // (a clerk then accepts with a reason, or the court system records the checks); the test
  // fixtures leave it off.
  bool identity_verification_required = false;
};

// Registers what is missing of the demo and returns every login. Failures of any step are
// returned as they are (a half-done bootstrap completes on the next run).
Outcome<std::vector<DemoLogin>> bootstrap_demo(Platform& platform, const DemoOptions& options = {});

}  // namespace docket::app
