#include "docket/projections/read_models.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <map>
#include <set>

#include "docket/projections/projector.h"
#include "entities.h"
#include "hotline_rows.h"
#include "render.h"

namespace docket::projections {

namespace json = boost::json;
using detail::row_key;
using detail::row_prefix;
using engine::Error;
using engine::ErrorCode;
using engine::Result;
using Json = ReadModels::Json;

namespace {

constexpr std::int64_t kDayUs = 86'400'000'000LL;

Error not_found(std::string what) {
  return Error{ErrorCode::kNotFound, "Expected " + std::move(what) + ", but there is none", {}, {}};
}

Error read_error(std::string_view projection, const rocksdb::Status& s) {
  return Error{ErrorCode::kIo,
               "Expected to read read model " + std::string(projection) + ", but " + s.ToString(),
               {},
               {}};
}

// Whole days from now until `at`, rounded up; 0 once it has passed.
std::int64_t days_left(std::int64_t at_us, std::int64_t now_us) {
  if (at_us <= now_us)
    return 0;
  return (at_us - now_us + kDayUs - 1) / kDayUs;
}

std::int64_t int_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_int64())
    return 0;
  return it->value().as_int64();
}

std::string_view string_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string())
    return {};
  return it->value().as_string();
}

// Leaves in the list `list` of `o` only the objects whose `field` is `value` (none there: nothing).
void keep_where(json::object& o, std::string_view list, std::string_view field,
                std::string_view value) {
  auto* items = o.if_contains(list);
  if (items == nullptr || !items->is_array())
    return;
  auto& all = items->as_array();
  all.erase(std::remove_if(all.begin(), all.end(),
                           [&](const json::value& item) {
                             return !item.is_object() ||
                                    string_field(item.as_object(), field) != value;
                           }),
            all.end());
}

bool bool_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().as_bool();
}

// Adds what a filing's deadlines mean at `now_us`.
void add_filing_deadlines(json::object& filing, std::int64_t now_us) {
  const auto status = string_field(filing, "status");
  const std::int64_t review_due = int_field(filing, "review_due_at_us");
  if (status == domain::enum_name(domain::FilingStatus::kSubmitted) && review_due != 0) {
    filing["review_days_left"] = days_left(review_due, now_us);
    filing["review_overdue"] = bool_field(filing, "review_overdue") || now_us >= review_due;
  } else {
    filing["review_days_left"] = nullptr;
  }
  const std::int64_t correction_due = int_field(filing, "correction_deadline_at_us");
  if (status == domain::enum_name(domain::FilingStatus::kCorrectionRequested) &&
      correction_due != 0) {
    filing["correction_days_left"] = days_left(correction_due, now_us);
    filing["correction_overdue"] = now_us >= correction_due;
  } else {
    filing["correction_days_left"] = nullptr;
    filing["correction_overdue"] = false;
  }
}

void add_payment_deadline(json::object& notice, std::int64_t now_us) {
  const bool unpaid =
      string_field(notice, "status") == domain::enum_name(domain::PaymentNoticeStatus::kUnpaid);
  const std::int64_t due = int_field(notice, "due_at_us");
  notice["days_left"] = unpaid ? json::value(days_left(due, now_us)) : json::value();
  notice["overdue"] = unpaid && now_us >= due;
}

bool overlaps(std::int64_t a_start, std::int64_t a_end, std::int64_t b_start, std::int64_t b_end) {
  return a_start < b_end && b_start < a_end;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

// One consistent view of every projection family: the Projector commits all families in one
// batch, so a query that reads several of them through one snapshot sees them at one position.
class StoreSnapshot {
 public:
  explicit StoreSnapshot(const engine::EventStore& store)
      : db_(store.db()), snapshot_(db_->GetSnapshot()) {}
  ~StoreSnapshot() {
    if (snapshot_ != nullptr)
      db_->ReleaseSnapshot(snapshot_);
  }
  StoreSnapshot(const StoreSnapshot&) = delete;
  StoreSnapshot& operator=(const StoreSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// Reads of one projection's family, at a snapshot when given. Families that do not exist yet
// read as empty.
class FamilyReader {
 public:
  // Without a shared snapshot the reader takes its own, so index rows and the documents they
  // name are read at one position.
  FamilyReader(const engine::EventStore& store, std::string_view projection,
               const StoreSnapshot* snapshot = nullptr)
      : store_(store),
        projection_(projection),
        family_(store.column_family_if_exists(Projector::family_name(projection))) {
    if (snapshot == nullptr) {
      own_snapshot_ = std::make_unique<StoreSnapshot>(store);
      snapshot = own_snapshot_.get();
    }
    options_.snapshot = snapshot->get();
  }

  bool exists() const { return family_ != nullptr; }

  Result<std::optional<std::string>> get(std::string_view key) const {
    if (family_ == nullptr)
      return std::optional<std::string>{};
    std::string value;
    auto s = store_.db()->Get(options_, family_, rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound())
      return std::optional<std::string>{};
    if (!s.ok())
      return unexpected(read_error(projection_, s));
    return std::optional<std::string>(std::move(value));
  }

  // Visits keys >= start that begin with `prefix`, in order; stops when visit returns false.
  template <class Visit>
  Result<void> scan(std::string_view prefix, Visit&& visit, std::string_view start = {}) const {
    if (family_ == nullptr)
      return {};
    std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(options_, family_));
    const std::string_view from = start.empty() ? prefix : start;
    for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
      auto key = it->key().ToStringView();
      if (!key.starts_with(prefix))
        break;
      if (!visit(key, it->value().ToStringView()))
        break;
    }
    if (!it->status().ok())
      return unexpected(read_error(projection_, it->status()));
    return {};
  }

  // The documents (d/<id>) named by the index rows under `prefix`, in key order. An index row
  // whose document is missing or does not parse is skipped.
  Result<std::vector<json::object>> documents(std::string_view prefix) const {
    std::vector<std::string> ids;
    auto scanned = scan(prefix, [&](std::string_view, std::string_view id) {
      ids.emplace_back(id);
      return true;
    });
    if (!scanned)
      return unexpected(std::move(scanned).error());
    std::vector<json::object> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
      auto text = get(row_key(detail::rows::kDocument, id));
      if (!text)
        return unexpected(std::move(text).error());
      if (!text->has_value())
        continue;
      boost::system::error_code ec;
      auto parsed = json::parse(**text, ec);
      if (!ec && parsed.is_object())
        out.push_back(std::move(parsed).as_object());
    }
    return out;
  }

  // The JSON values of every row under `prefix`, in key order.
  Result<std::vector<json::object>> objects(std::string_view prefix) const {
    std::vector<json::object> out;
    auto scanned = scan(prefix, [&](std::string_view, std::string_view value) {
      boost::system::error_code ec;
      auto parsed = json::parse(value, ec);
      if (!ec && parsed.is_object())
        out.push_back(std::move(parsed).as_object());
      return true;
    });
    if (!scanned)
      return unexpected(std::move(scanned).error());
    return out;
  }

  template <class E>
  Result<std::optional<E>> entity(std::string_view stream) const {
    auto bytes = get(detail::state_key(stream));
    if (!bytes)
      return unexpected(std::move(bytes).error());
    if (!bytes->has_value())
      return std::optional<E>{};
    auto decoded = detail::decode_entity<E>(**bytes);
    if (!decoded) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected a readable row for " + std::string(stream) + " in " +
                                  projection_ + ", but it does not decode",
                              {},
                              {}});
    }
    return decoded;
  }

 private:
  const engine::EventStore& store_;
  std::string projection_;
  rocksdb::ColumnFamilyHandle* family_;
  std::unique_ptr<StoreSnapshot> own_snapshot_;
  rocksdb::ReadOptions options_;
};

// A lawyer's schedule entries from their rows (entities.h), in the order they were added.
Result<std::vector<domain::ScheduleEntry>> schedule_of(const FamilyReader& lawyers,
                                                       std::string_view licence) {
  std::vector<detail::ScheduleEntryRow> rows;
  auto scanned =
      lawyers.scan(row_prefix(detail::rows::kScheduleEntry, licence),
                   [&](std::string_view, std::string_view value) {
                     if (auto row = detail::decode_entity<detail::ScheduleEntryRow>(value))
                       rows.push_back(std::move(*row));
                     return true;
                   });
  if (!scanned)
    return unexpected(std::move(scanned).error());
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.position < b.position; });
  std::vector<domain::ScheduleEntry> out;
  out.reserve(rows.size());
  for (auto& row : rows)
    out.push_back(std::move(row.entry));
  return out;
}

// The entries by start; entries starting together in the order they were added.
void sort_by_start(std::vector<domain::ScheduleEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.start_us < b.start_us; });
}

// The identity number on the account of the lawyer with `licence` ("" when none): the key of
// the rows of agents the court's system recorded by identity number.
Result<std::string> identity_of(const FamilyReader& lawyers, std::string_view licence) {
  auto lawyer = lawyers.entity<detail::LawyerEntity>(domain::lawyer_stream(licence));
  if (!lawyer)
    return unexpected(std::move(lawyer).error());
  if (!lawyer->has_value() || !(*lawyer)->state.exists)
    return std::string();
  return (*lawyer)->state.id_number;
}

// A lawyer's cases (their documents, by case number): those naming their licence and those
// naming their identity number, each once (manual §3.3.7).
Result<std::vector<json::object>> agent_cases(const FamilyReader& cases, std::string_view licence,
                                              std::string_view identity) {
  auto rows = cases.documents(row_prefix(detail::rows::kCasesByAgent, licence));
  if (!rows || identity.empty())
    return rows;
  auto more = cases.documents(row_prefix(detail::rows::kCasesByAgentIdentity, identity));
  if (!more)
    return unexpected(std::move(more).error());
  std::set<std::string, std::less<>> seen;
  for (const auto& row : *rows)
    seen.emplace(string_field(row, "case_number"));
  for (auto& row : *more) {
    if (seen.emplace(string_field(row, "case_number")).second)
      rows->push_back(std::move(row));
  }
  std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
    return string_field(a, "case_number") < string_field(b, "case_number");
  });
  return rows;
}

// A lawyer's hearing rows across their cases, by start time: those of their licence and those of
// their identity number (keeping only their own avoidance requests), each hearing once.
Result<std::vector<json::object>> agent_hearings(const FamilyReader& cases,
                                                 std::string_view licence,
                                                 std::string_view identity) {
  auto rows = cases.objects(row_prefix(detail::rows::kHearingsByAgent, licence));
  if (!rows || identity.empty())
    return rows;
  auto more = cases.objects(row_prefix(detail::rows::kHearingsByAgentIdentity, identity));
  if (!more)
    return unexpected(std::move(more).error());
  auto key = [](const json::object& row) {
    return std::string(string_field(row, "case_number")) + '\0' +
           std::string(string_field(row, "hearing_id"));
  };
  std::set<std::string> seen;
  for (const auto& row : *rows)
    seen.insert(key(row));
  for (auto& row : *more) {
    if (!seen.insert(key(row)).second)
      continue;
    keep_where(row, "avoidance_requests", "licence_number", licence);
    rows->push_back(std::move(row));
  }
  std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
    return int_field(a, "starts_at_us") < int_field(b, "starts_at_us");
  });
  return rows;
}

}  // namespace

ReadModels::ReadModels(const engine::EventStore& store) : store_(store) {}

// --- module 1 ------------------------------------------------------------------------------

Result<Json> ReadModels::lawyer_home(std::string_view licence, std::int64_t now_us) const {
  StoreSnapshot snapshot(store_);
  FamilyReader lawyers(store_, kLawyersProjection, &snapshot);
  auto lawyer = lawyers.entity<detail::LawyerEntity>(domain::lawyer_stream(licence));
  if (!lawyer)
    return unexpected(std::move(lawyer).error());
  if (!lawyer->has_value() || !(*lawyer)->state.exists)
    return unexpected(not_found("a lawyer with licence number " + std::string(licence)));
  const auto& state = (*lawyer)->state;
  auto out = detail::lawyer_json(state, /*with_identity=*/true);
  auto entries = schedule_of(lawyers, licence);
  if (!entries)
    return unexpected(std::move(entries).error());
  sort_by_start(*entries);
  json::array schedule;
  schedule.reserve(entries->size());
  for (const auto& e : *entries)
    schedule.emplace_back(detail::schedule_entry_json(e));
  out["schedule"] = std::move(schedule);

  FamilyReader cases(store_, kCasesProjection, &snapshot);
  auto rows = agent_hearings(cases, licence, state.id_number);
  if (!rows)
    return unexpected(std::move(rows).error());
  json::array upcoming;
  for (auto& row : *rows) {
    if (string_field(row, "status") == "scheduled" && int_field(row, "ends_at_us") > now_us)
      upcoming.emplace_back(std::move(row));
  }
  out["upcoming_hearings"] = std::move(upcoming);
  return Json(std::move(out));
}

Result<Json> ReadModels::judge_lawyer_schedules(std::string_view judge, std::int64_t now_us) const {
  StoreSnapshot snapshot(store_);
  FamilyReader cases(store_, kCasesProjection, &snapshot);
  auto summaries = cases.documents(row_prefix(detail::rows::kCasesByJudge, judge));
  if (!summaries)
    return unexpected(std::move(summaries).error());
  FamilyReader lawyers(store_, kLawyersProjection, &snapshot);
  // Each open case's agents: by licence, or by the account with the agent's identity number.
  std::map<std::string, std::set<std::string>> cases_by_licence;
  for (const auto& summary : *summaries) {
    if (string_field(summary, "status") != "open")
      continue;
    const std::string number(string_field(summary, "case_number"));
    auto entity = cases.entity<detail::CaseEntity>(domain::case_stream(number));
    if (!entity)
      return unexpected(std::move(entity).error());
    if (!entity->has_value())
      continue;
    for (const auto& agent : (*entity)->state.agents) {
      if (!agent.licence.empty())
        cases_by_licence[agent.licence].insert(number);
      if (agent.identity_number.empty())
        continue;
      auto linked = lawyers.get(row_key(detail::rows::kLawyerByIdentity, agent.identity_number));
      if (!linked)
        return unexpected(std::move(linked).error());
      if (linked->has_value())
        cases_by_licence[**linked].insert(number);
    }
  }
  json::array out;
  for (const auto& [licence, numbers] : cases_by_licence) {
    auto lawyer = lawyers.entity<detail::LawyerEntity>(domain::lawyer_stream(licence));
    if (!lawyer)
      return unexpected(std::move(lawyer).error());
    if (!lawyer->has_value() || !(*lawyer)->state.exists)
      continue;
    const auto& state = (*lawyer)->state;
    auto entries = schedule_of(lawyers, licence);
    if (!entries)
      return unexpected(std::move(entries).error());
    sort_by_start(*entries);
    json::array schedule;
    for (const auto& e : *entries) {
      if (e.end_us > now_us)
        schedule.emplace_back(detail::schedule_entry_json(e));
    }
    json::array case_numbers;
    for (const auto& n : numbers)
      case_numbers.emplace_back(json::string(n));
    out.emplace_back(json::object{{"licence_number", json::string(state.licence_number)},
                                  {"name", json::string(state.name)},
                                  {"firm", json::string(state.firm)},
                                  {"cases", std::move(case_numbers)},
                                  {"schedule", std::move(schedule)}});
  }
  return Json(std::move(out));
}

// --- module 2 ------------------------------------------------------------------------------

Result<Json> ReadModels::lawyer_filings(std::string_view licence, std::int64_t now_us) const {
  FamilyReader filings(store_, kFilingsProjection);
  auto rows = filings.documents(row_prefix(detail::rows::kFilingsByLawyer, licence));
  if (!rows)
    return unexpected(std::move(rows).error());
  for (auto& row : *rows) {
    row["role"] = string_field(row, "filer_licence_number") == licence ? "filer" : "agent";
    add_filing_deadlines(row, now_us);
  }
  std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
    return int_field(a, "created_at_us") > int_field(b, "created_at_us");
  });
  json::array out;
  for (auto& row : *rows)
    out.emplace_back(std::move(row));
  return Json(std::move(out));
}

Result<Json> ReadModels::filing(std::string_view filing_id, std::int64_t now_us) const {
  FamilyReader filings(store_, kFilingsProjection);
  auto entity = filings.entity<detail::FilingEntity>(domain::filing_stream(filing_id));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists ||
      (*entity)->state.status == domain::FilingStatus::kDeleted)
    return unexpected(not_found("a filing " + std::string(filing_id)));
  auto out = detail::filing_detail_json(**entity);
  add_filing_deadlines(out, now_us);
  return Json(std::move(out));
}

Result<Json> ReadModels::review_queue(std::string_view court, std::int64_t now_us) const {
  FamilyReader filings(store_, kFilingsProjection);
  auto pending = filings.documents(
      row_key(detail::rows::kReviewQueue, court, detail::rows::kQueuePending, ""));
  if (!pending)
    return unexpected(std::move(pending).error());
  auto correction = filings.documents(
      row_key(detail::rows::kReviewQueue, court, detail::rows::kQueueCorrection, ""));
  if (!correction)
    return unexpected(std::move(correction).error());
  auto mediation = filings.documents(
      row_key(detail::rows::kReviewQueue, court, detail::rows::kQueueMediation, ""));
  if (!mediation)
    return unexpected(std::move(mediation).error());
  auto confirmation = filings.documents(
      row_key(detail::rows::kReviewQueue, court, detail::rows::kQueueConfirmation, ""));
  if (!confirmation)
    return unexpected(std::move(confirmation).error());
  for (auto* list : {&*pending, &*correction, &*mediation, &*confirmation}) {
    for (auto& row : *list)
      add_filing_deadlines(row, now_us);
  }
  std::stable_sort(pending->begin(), pending->end(), [](const auto& a, const auto& b) {
    const bool a_over = bool_field(a, "review_overdue");
    const bool b_over = bool_field(b, "review_overdue");
    if (a_over != b_over)
      return a_over;
    return int_field(a, "review_due_at_us") < int_field(b, "review_due_at_us");
  });
  std::stable_sort(correction->begin(), correction->end(), [](const auto& a, const auto& b) {
    return int_field(a, "correction_deadline_at_us") < int_field(b, "correction_deadline_at_us");
  });
  std::stable_sort(mediation->begin(), mediation->end(), [](const auto& a, const auto& b) {
    return int_field(a, "mediation_deadline_at_us") < int_field(b, "mediation_deadline_at_us");
  });
  std::stable_sort(confirmation->begin(), confirmation->end(), [](const auto& a, const auto& b) {
    return int_field(a, "updated_at_us") < int_field(b, "updated_at_us");
  });
  auto array_of = [](std::vector<json::object>& rows) {
    json::array out;
    for (auto& row : rows)
      out.emplace_back(std::move(row));
    return out;
  };
  return Json(json::object{{"court", json::string(court)},
                           {"pending", array_of(*pending)},
                           {"awaiting_correction", array_of(*correction)},
                           {"in_mediation", array_of(*mediation)},
                           {"awaiting_confirmation", array_of(*confirmation)}});
}

// --- module 3 ------------------------------------------------------------------------------

Result<Json> ReadModels::payment_by_code(std::string_view code, std::int64_t now_us) const {
  auto filing_id = payment_filing(code);
  if (!filing_id)
    return unexpected(std::move(filing_id).error());
  if (!filing_id->has_value())
    return unexpected(not_found("a payment notice with code " + std::string(code)));
  return payment(**filing_id, now_us);
}

Result<Json> ReadModels::payment(std::string_view filing_id, std::int64_t now_us) const {
  FamilyReader payments(store_, kPaymentsProjection);
  auto entity = payments.entity<detail::PaymentEntity>(domain::payment_stream(filing_id));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return unexpected(not_found("a payment notice for filing " + std::string(filing_id)));
  auto out = detail::payment_json(**entity);
  add_payment_deadline(out, now_us);
  return Json(std::move(out));
}

Result<Json> ReadModels::lawyer_payments(std::string_view licence, std::int64_t now_us) const {
  FamilyReader payments(store_, kPaymentsProjection);
  auto rows = payments.documents(row_prefix(detail::rows::kPaymentsByPayer, licence));
  if (!rows)
    return unexpected(std::move(rows).error());
  std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
    return int_field(a, "issued_at_us") > int_field(b, "issued_at_us");
  });
  json::array notices;
  json::array receipts;
  for (auto& row : *rows) {
    add_payment_deadline(row, now_us);
    if (!string_field(row, "receipt_number").empty()) {
      receipts.emplace_back(json::object{
          {"code", json::string(string_field(row, "code"))},
          {"filing_id", json::string(string_field(row, "filing_id"))},
          {"case_number", json::string(string_field(row, "case_number"))},
          {"receipt_number", json::string(string_field(row, "receipt_number"))},
          {"paid_amount_fen", int_field(row, "paid_amount_fen")},
          {"paid_at_us", int_field(row, "paid_at_us")},
          {"receipt_at_us", int_field(row, "receipt_at_us")},
          {"receipt_blob_hash",
           row.contains("receipt_blob_hash") ? row.at("receipt_blob_hash") : json::value()}});
    }
    notices.emplace_back(std::move(row));
  }
  return Json(json::object{{"notices", std::move(notices)}, {"receipts", std::move(receipts)}});
}

// --- module 7 ------------------------------------------------------------------------------

namespace {

bool any_contains(const json::object& summary, std::string_view field, std::string_view needle) {
  auto it = summary.find(field);
  if (it == summary.end() || !it->value().is_array())
    return false;
  for (const auto& name : it->value().as_array()) {
    if (name.is_string() && std::string_view(name.as_string()).find(needle) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

Result<Json> ReadModels::lawyer_cases(std::string_view licence, const CaseSearch& search) const {
  StoreSnapshot snapshot(store_);
  auto identity = identity_of(FamilyReader(store_, kLawyersProjection, &snapshot), licence);
  if (!identity)
    return unexpected(std::move(identity).error());
  auto rows = agent_cases(FamilyReader(store_, kCasesProjection, &snapshot), licence, *identity);
  if (!rows)
    return unexpected(std::move(rows).error());
  json::array out;
  for (auto& row : *rows) {
    if (!search.plaintiff.empty() && !any_contains(row, "plaintiffs", search.plaintiff))
      continue;
    if (!search.defendant.empty() && !any_contains(row, "defendants", search.defendant))
      continue;
    if (!search.case_number.empty() &&
        string_field(row, "case_number").find(search.case_number) == std::string_view::npos)
      continue;
    out.emplace_back(std::move(row));
  }
  return Json(std::move(out));
}

Result<Json> ReadModels::judge_cases(std::string_view judge) const {
  FamilyReader cases(store_, kCasesProjection);
  auto rows = cases.documents(row_prefix(detail::rows::kCasesByJudge, judge));
  if (!rows)
    return unexpected(std::move(rows).error());
  json::array out;
  for (auto& row : *rows)
    out.emplace_back(std::move(row));
  return Json(std::move(out));
}

Result<Json> ReadModels::court_cases(std::string_view court) const {
  FamilyReader cases(store_, kCasesProjection);
  auto rows = cases.documents(row_prefix(detail::rows::kCasesByCourt, court));
  if (!rows)
    return unexpected(std::move(rows).error());
  json::array out;
  for (auto& row : *rows)
    out.emplace_back(std::move(row));
  return Json(std::move(out));
}

Result<Json> ReadModels::case_detail(std::string_view case_number, std::int64_t now_us,
                                     std::optional<std::string_view> lawyer) const {
  StoreSnapshot snapshot(store_);
  FamilyReader cases(store_, kCasesProjection, &snapshot);
  auto entity = cases.entity<detail::CaseEntity>(domain::case_stream(case_number));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return unexpected(not_found("a case " + std::string(case_number)));
  auto items = detail::load_case_items(
      case_number, (*entity)->state,
      [&](std::string_view prefix, const auto& visit) { return cases.scan(prefix, visit); });
  if (!items)
    return unexpected(std::move(items).error());
  auto out = detail::case_detail_json(**entity);
  if (lawyer) {
    std::set<std::string, std::less<>> chosen;
    for (const auto& [id, review] : (*entity)->state.file_reviews) {
      if (review.licence == *lawyer && review.status == domain::FileReviewStatus::kApproved)
        chosen.insert(review.material_ids.begin(), review.material_ids.end());
    }
    auto& materials = out["file_materials"].as_array();
    materials.erase(
        std::remove_if(materials.begin(), materials.end(),
                       [&](const json::value& m) {
                         return !chosen.contains(string_field(m.as_object(), "material_id"));
                       }),
        materials.end());
    // A lawyer's evidence, exchanges, file-review applications and messages to the judge are
    // theirs and the court's: another agent of the case (perhaps the other side's) sees none.
    keep_where(out, "evidence_batches", "licence_number", *lawyer);
    keep_where(out, "evidence_exchanges", "recipient_licence_number", *lawyer);
    keep_where(out, "file_reviews", "licence_number", *lawyer);
    keep_where(out, "messages", "licence_number", *lawyer);
  }
  if (auto it = out.find("hearings"); it != out.end() && it->value().is_array()) {
    for (auto& h : it->value().as_array()) {
      auto& hearing = h.as_object();
      hearing["upcoming"] = string_field(hearing, "status") == "scheduled" &&
                            int_field(hearing, "ends_at_us") > now_us;
    }
  }
  FamilyReader services(store_, kServicesProjection, &snapshot);
  auto documents = services.documents(row_prefix(detail::rows::kServicesByCase, case_number));
  if (!documents)
    return unexpected(std::move(documents).error());
  json::array docs;
  for (auto& d : *documents)
    docs.emplace_back(std::move(d));
  out["documents"] = std::move(docs);
  FamilyReader payments(store_, kPaymentsProjection, &snapshot);
  auto filing_id = payments.get(row_key(detail::rows::kPaymentByCase, case_number));
  if (!filing_id)
    return unexpected(std::move(filing_id).error());
  out["payment"] = nullptr;
  if (filing_id->has_value()) {
    auto notice = payments.entity<detail::PaymentEntity>(domain::payment_stream(**filing_id));
    if (!notice)
      return unexpected(std::move(notice).error());
    if (notice->has_value() && (*notice)->state.exists) {
      auto rendered = detail::payment_json(**notice);
      add_payment_deadline(rendered, now_us);
      out["payment"] = std::move(rendered);
    }
  }
  return Json(std::move(out));
}

Result<Json> ReadModels::lawyer_case_work(std::string_view licence) const {
  StoreSnapshot snapshot(store_);
  auto identity = identity_of(FamilyReader(store_, kLawyersProjection, &snapshot), licence);
  if (!identity)
    return unexpected(std::move(identity).error());
  FamilyReader cases(store_, kCasesProjection, &snapshot);
  auto summaries = agent_cases(cases, licence, *identity);
  if (!summaries)
    return unexpected(std::move(summaries).error());
  json::array batches;
  json::array exchanges;
  json::array messages;
  json::array reviews;
  for (const auto& summary : *summaries) {
    const std::string number(string_field(summary, "case_number"));
    auto entity = cases.entity<detail::CaseEntity>(domain::case_stream(number));
    if (!entity)
      return unexpected(std::move(entity).error());
    if (!entity->has_value() || !(*entity)->state.exists)
      continue;
    auto& state = (*entity)->state;
    auto items = detail::load_case_items(
        number, state,
        [&](std::string_view prefix, const auto& visit) { return cases.scan(prefix, visit); });
    if (!items)
      return unexpected(std::move(items).error());
    auto of_case = [&](json::object item) {
      item["case_number"] = number;
      item["court"] = state.court;
      return item;
    };
    for (const auto& [id, b] : state.evidence_batches) {
      if (b.licence == licence)
        batches.emplace_back(of_case(detail::evidence_batch_json(b)));
    }
    for (const auto& [id, x] : state.evidence_exchanges) {
      if (x.recipient_licence == licence)
        exchanges.emplace_back(of_case(detail::exchange_json(x)));
    }
    for (const auto& [id, m] : state.messages) {
      if (m.licence == licence)
        messages.emplace_back(of_case(detail::message_json(m)));
    }
    for (const auto& [id, r] : state.file_reviews) {
      if (r.licence == licence)
        reviews.emplace_back(of_case(detail::file_review_json(r)));
    }
  }
  return Json(json::object{{"evidence_batches", std::move(batches)},
                           {"exchanges", std::move(exchanges)},
                           {"messages", std::move(messages)},
                           {"file_reviews", std::move(reviews)}});
}

// --- modules 6, 8 --------------------------------------------------------------------------

Result<Json> ReadModels::lawyer_hearings(std::string_view licence, std::int64_t now_us) const {
  StoreSnapshot snapshot(store_);
  FamilyReader lawyers(store_, kLawyersProjection, &snapshot);
  auto identity = identity_of(lawyers, licence);
  if (!identity)
    return unexpected(std::move(identity).error());
  FamilyReader cases(store_, kCasesProjection, &snapshot);
  auto rows = agent_hearings(cases, licence, *identity);
  if (!rows)
    return unexpected(std::move(rows).error());
  std::vector<json::object> upcoming;
  std::vector<json::object> held;
  json::array cancelled;
  for (auto& row : *rows) {  // by start time
    const auto status = string_field(row, "status");
    if (status == "cancelled")
      cancelled.emplace_back(std::move(row));
    else if (status == "scheduled" && int_field(row, "ends_at_us") > now_us)
      upcoming.push_back(std::move(row));
    else
      held.push_back(std::move(row));
  }
  json::array conflicts;
  for (std::size_t i = 0; i < upcoming.size(); ++i) {
    const auto a_start = int_field(upcoming[i], "starts_at_us");
    const auto a_end = int_field(upcoming[i], "ends_at_us");
    for (std::size_t j = i + 1; j < upcoming.size(); ++j) {
      const auto b_start = int_field(upcoming[j], "starts_at_us");
      if (b_start >= a_end)
        break;  // sorted by start: no later hearing overlaps i
      if (overlaps(a_start, a_end, b_start, int_field(upcoming[j], "ends_at_us"))) {
        conflicts.emplace_back(json::object{{"kind", "hearings_overlap"},
                                            {"hearings", json::array{upcoming[i], upcoming[j]}}});
      }
    }
  }
  auto lawyer = lawyers.entity<detail::LawyerEntity>(domain::lawyer_stream(licence));
  if (!lawyer)
    return unexpected(std::move(lawyer).error());
  if (lawyer->has_value() && !upcoming.empty()) {
    auto entries = schedule_of(lawyers, licence);
    if (!entries)
      return unexpected(std::move(entries).error());
    for (const auto& hearing : upcoming) {
      for (const auto& entry : *entries) {
        if (entry.can_appear_in_court)
          continue;
        if (overlaps(int_field(hearing, "starts_at_us"), int_field(hearing, "ends_at_us"),
                     entry.start_us, entry.end_us)) {
          conflicts.emplace_back(
              json::object{{"kind", "cannot_appear"},
                           {"hearing", hearing},
                           {"schedule_entry", detail::schedule_entry_json(entry)}});
        }
      }
    }
  }
  json::array upcoming_out;
  for (auto& row : upcoming)
    upcoming_out.emplace_back(std::move(row));
  json::array held_out;
  for (auto it = held.rbegin(); it != held.rend(); ++it)  // newest first
    held_out.emplace_back(std::move(*it));
  return Json(json::object{{"upcoming", std::move(upcoming_out)},
                           {"held", std::move(held_out)},
                           {"cancelled", std::move(cancelled)},
                           {"conflicts", std::move(conflicts)}});
}

// --- judges' inboxes -----------------------------------------------------------------------

Result<Json> ReadModels::judge_inbox(std::string_view judge) const {
  FamilyReader cases(store_, kCasesProjection);
  const auto prefix = row_prefix(detail::rows::kJudgeInbox, judge);
  json::array avoidance;
  json::array messages;
  json::array reviews;
  json::array exchanges;
  auto scanned = cases.scan(prefix, [&](std::string_view key, std::string_view value) {
    boost::system::error_code ec;
    auto parsed = json::parse(value, ec);
    if (ec || key.size() <= prefix.size())
      return true;
    const std::string_view kind = key.substr(prefix.size(), 1);
    if (kind == detail::rows::kInboxAvoidance)
      avoidance.push_back(std::move(parsed));
    else if (kind == detail::rows::kInboxMessage)
      messages.push_back(std::move(parsed));
    else if (kind == detail::rows::kInboxFileReview)
      reviews.push_back(std::move(parsed));
    else if (kind == detail::rows::kInboxExchange)
      exchanges.push_back(std::move(parsed));
    return true;
  });
  if (!scanned)
    return unexpected(std::move(scanned).error());
  std::stable_sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return int_field(a.as_object(), "sent_at_us") < int_field(b.as_object(), "sent_at_us");
  });
  return Json(json::object{{"avoidance_requests", std::move(avoidance)},
                           {"messages", std::move(messages)},
                           {"file_reviews", std::move(reviews)},
                           {"exchange_answers", std::move(exchanges)}});
}

// --- module 9 ------------------------------------------------------------------------------

Result<Json> ReadModels::lawyer_documents(std::string_view licence) const {
  FamilyReader services(store_, kServicesProjection);
  auto rows = services.documents(row_prefix(detail::rows::kServicesByRecipient, licence));
  if (!rows)
    return unexpected(std::move(rows).error());
  std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
    return int_field(a, "served_at_us") > int_field(b, "served_at_us");
  });
  json::array to_sign;
  json::array signed_documents;
  for (auto& row : *rows) {
    if (string_field(row, "status") == domain::enum_name(domain::ServiceStatus::kSigned))
      signed_documents.emplace_back(std::move(row));
    else
      to_sign.emplace_back(std::move(row));
  }
  return Json(
      json::object{{"to_sign", std::move(to_sign)}, {"signed", std::move(signed_documents)}});
}

Result<Json> ReadModels::service(std::string_view service_id) const {
  FamilyReader services(store_, kServicesProjection);
  auto entity = services.entity<detail::ServiceEntity>(domain::service_stream(service_id));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return unexpected(not_found("a served document " + std::string(service_id)));
  return Json(detail::service_json(**entity));
}

Result<Json> ReadModels::sms_outbox(std::uint64_t after_position, std::size_t limit) const {
  FamilyReader services(store_, kServicesProjection);
  const std::string prefix = std::string(1, detail::rows::kOutbox) + "/";
  std::string start = prefix;
  engine::format::put_u64be(start,
                            after_position == UINT64_MAX ? after_position : after_position + 1);
  json::array out;
  if (limit == 0 || after_position == UINT64_MAX)
    return Json(std::move(out));
  auto scanned = services.scan(
      prefix,
      [&](std::string_view, std::string_view value) {
        boost::system::error_code ec;
        auto parsed = json::parse(value, ec);
        if (!ec)
          out.push_back(std::move(parsed));
        return out.size() < limit;
      },
      start);
  if (!scanned)
    return unexpected(std::move(scanned).error());
  return Json(std::move(out));
}

Result<Json> ReadModels::requested_refunds() const {
  FamilyReader payments(store_, kPaymentsProjection);
  const std::string prefix = std::string(1, detail::rows::kRefundsRequested) + "/";
  json::array out;
  auto scanned = payments.scan(prefix, [&](std::string_view, std::string_view value) {
    boost::system::error_code ec;
    auto parsed = json::parse(value, ec);
    if (!ec)
      out.push_back(std::move(parsed));
    return true;
  });
  if (!scanned)
    return unexpected(std::move(scanned).error());
  return Json(std::move(out));
}

// --- module 12 -----------------------------------------------------------------------------

Result<Json> ReadModels::law_links(std::string_view court_code) const {
  FamilyReader courts_family(store_, kCourtsProjection);
  auto entity = courts_family.entity<detail::CourtEntity>(domain::court_stream(court_code));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return unexpected(not_found("a court " + std::string(court_code)));
  return Json(detail::law_links_json((*entity)->state));
}

Result<Json> ReadModels::court(std::string_view court_code) const {
  FamilyReader courts_family(store_, kCourtsProjection);
  auto entity = courts_family.entity<detail::CourtEntity>(domain::court_stream(court_code));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return unexpected(not_found("a court " + std::string(court_code)));
  return Json(detail::court_json((*entity)->state));
}

Result<Json> ReadModels::courts() const {
  FamilyReader courts_family(store_, kCourtsProjection);
  json::array out;
  bool corrupt = false;
  auto scanned = courts_family.scan(
      detail::state_key(domain::stream_id(domain::category::kCourt, "")),
      [&](std::string_view, std::string_view bytes) {
        auto entity = detail::decode_entity<detail::CourtEntity>(bytes);
        if (!entity) {
          corrupt = true;
          return false;
        }
        if (entity->state.exists) {
          out.emplace_back(json::object{{"code", json::string(entity->state.code)},
                                        {"name", json::string(entity->state.name)}});
        }
        return true;
      });
  if (!scanned)
    return unexpected(std::move(scanned).error());
  if (corrupt) {
    return unexpected(Error{
        ErrorCode::kCorruption, "Expected readable court rows, but one does not decode", {}, {}});
  }
  return Json(std::move(out));
}

// --- lookups -------------------------------------------------------------------------------

Result<std::optional<CaseAccess>> ReadModels::case_access(std::string_view case_number) const {
  FamilyReader cases(store_, kCasesProjection);
  auto entity = cases.entity<detail::CaseEntity>(domain::case_stream(case_number));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return std::optional<CaseAccess>{};
  const auto& c = (*entity)->state;
  CaseAccess access;
  access.case_number = c.case_number;
  access.stream = domain::case_stream(c.case_number);
  access.court = c.court;
  access.judge = c.judge;
  access.filing_id = c.filing_id;
  access.status = std::string(domain::enum_name(c.status));
  for (const auto& agent : c.agents) {
    if (!agent.licence.empty())
      access.agents.push_back(agent.licence);
    if (!agent.identity_number.empty())
      access.agent_identity_numbers.push_back(agent.identity_number);
  }
  return std::optional<CaseAccess>(std::move(access));
}

Result<bool> ReadModels::is_case_agent(std::string_view licence,
                                       std::string_view case_number) const {
  auto access = case_access(case_number);
  if (!access)
    return unexpected(std::move(access).error());
  if (!access->has_value())
    return false;
  const auto& agents = (*access)->agents;
  if (std::find(agents.begin(), agents.end(), licence) != agents.end())
    return true;
  const auto& identities = (*access)->agent_identity_numbers;
  if (identities.empty())
    return false;
  auto identity = identity_of(FamilyReader(store_, kLawyersProjection), licence);
  if (!identity)
    return unexpected(std::move(identity).error());
  return !identity->empty() &&
         std::find(identities.begin(), identities.end(), *identity) != identities.end();
}

Result<std::optional<std::string>> ReadModels::judge_of(std::string_view case_number) const {
  auto access = case_access(case_number);
  if (!access)
    return unexpected(std::move(access).error());
  if (!access->has_value())
    return std::optional<std::string>{};
  return std::optional<std::string>((*access)->judge);
}

Result<std::optional<std::string>> ReadModels::case_stream(std::string_view case_number) const {
  auto access = case_access(case_number);
  if (!access)
    return unexpected(std::move(access).error());
  if (!access->has_value())
    return std::optional<std::string>{};
  return std::optional<std::string>((*access)->stream);
}

Result<std::optional<std::string>> ReadModels::case_of_filing(std::string_view filing_id) const {
  FamilyReader cases(store_, kCasesProjection);
  return cases.get(row_key(detail::rows::kCaseByFiling, filing_id));
}

Result<std::optional<std::string>> ReadModels::filing_filer(std::string_view filing_id) const {
  FamilyReader filings(store_, kFilingsProjection);
  auto entity = filings.entity<detail::FilingEntity>(domain::filing_stream(filing_id));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists ||
      (*entity)->state.status == domain::FilingStatus::kDeleted)
    return std::optional<std::string>{};
  return std::optional<std::string>((*entity)->state.filer);
}

Result<std::optional<std::string>> ReadModels::payment_filing(std::string_view code) const {
  if (code.empty())
    return std::optional<std::string>{};
  FamilyReader payments(store_, kPaymentsProjection);
  return payments.get(row_key(detail::rows::kPaymentByCode, code));
}

Result<std::optional<std::string>> ReadModels::service_recipient(
    std::string_view service_id) const {
  FamilyReader services(store_, kServicesProjection);
  auto entity = services.entity<detail::ServiceEntity>(domain::service_stream(service_id));
  if (!entity)
    return unexpected(std::move(entity).error());
  if (!entity->has_value() || !(*entity)->state.exists)
    return std::optional<std::string>{};
  return std::optional<std::string>((*entity)->state.recipient_licence);
}

Result<Json> ReadModels::dump(std::string_view projection) const {
  FamilyReader family(store_, projection);
  if (!family.exists())
    return unexpected(not_found("a projection family " + Projector::family_name(projection)));
  json::object out;
  auto scanned = family.scan("", [&](std::string_view key, std::string_view value) {
    out[hex(key)] = hex(value);
    return true;
  });
  if (!scanned)
    return unexpected(std::move(scanned).error());
  return Json(std::move(out));
}

// --- the litigation-service hotline ----------------------------------------------------------

namespace {

// Adds whether the request is overdue at `now_us`, and whether it was answered after its due
// time; whether `filter` keeps it.
bool hotline_at(json::object& request, HotlineFilter filter, std::int64_t now_us) {
  const bool answered =
      string_field(request, "status") == domain::enum_name(domain::HotlineRequestStatus::kAnswered);
  const std::int64_t due = int_field(request, "answer_due_at_us");
  const bool overdue = !answered && (bool_field(request, "overdue_recorded") || now_us >= due);
  request.erase("overdue_recorded");
  request["overdue"] = overdue;
  request["answered_late"] = answered && int_field(request, "answered_at_us") >= due;
  switch (filter) {
    case HotlineFilter::kAll:
      return true;
    case HotlineFilter::kOpen:
      return !answered;
    case HotlineFilter::kOverdue:
      return overdue;
    case HotlineFilter::kAnswered:
      return answered;
  }
  return true;
}

Result<Json> hotline_list(const engine::EventStore& store, char index, std::string_view owner,
                          HotlineFilter filter, std::int64_t now_us) {
  FamilyReader hotline(store, kHotlineProjection);
  auto rows = hotline.documents(row_prefix(index, owner));
  if (!rows)
    return unexpected(std::move(rows).error());
  json::array out;
  for (auto& row : *rows) {
    if (hotline_at(row, filter, now_us))
      out.emplace_back(std::move(row));
  }
  return Json(std::move(out));
}

}  // namespace

Result<Json> ReadModels::hotline_request(std::string_view hotline_request_id,
                                         std::int64_t now_us) const {
  FamilyReader hotline(store_, kHotlineProjection);
  auto text = hotline.get(row_key(detail::rows::kDocument, hotline_request_id));
  if (!text)
    return unexpected(std::move(text).error());
  boost::system::error_code ec;
  auto parsed = text->has_value() ? json::parse(**text, ec) : json::value();
  if (!text->has_value() || ec || !parsed.is_object())
    return unexpected(not_found("a hotline request " + std::string(hotline_request_id)));
  hotline_at(parsed.as_object(), HotlineFilter::kAll, now_us);
  return parsed;
}

Result<Json> ReadModels::court_hotline_requests(std::string_view court, HotlineFilter filter,
                                                std::int64_t now_us) const {
  return hotline_list(store_, detail::rows::kHotlineByCourt, court, filter, now_us);
}

Result<Json> ReadModels::lawyer_hotline_requests(std::string_view licence, HotlineFilter filter,
                                                 std::int64_t now_us) const {
  return hotline_list(store_, detail::rows::kHotlineByLawyer, licence, filter, now_us);
}

Result<Json> ReadModels::judge_hotline_requests(std::string_view judge, HotlineFilter filter,
                                                std::int64_t now_us) const {
  return hotline_list(store_, detail::rows::kHotlineByJudge, judge, filter, now_us);
}

}  // namespace docket::projections
