// Collections that grow without bound live in rows of their own, one per item: a lawyer's
// schedule entries and a case's hearings, evidence, exchanges, materials, file reviews and
// messages. An event writes the row of the item it changes (and the entity's small state row),
// however many items there are; the queries answer from those rows as the state says.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "docket/projections/read_models.h"
#include "platform_fixture.h"

namespace docket::testing {
namespace {

namespace json = boost::json;

class ItemRowsTest : public PlatformTest {
 protected:
  void add_entry(std::int64_t start_us, bool can_appear, const std::string& text) {
    run<LawyerAggregate>(lawyer_stream(),
                         AddScheduleEntry{start_us, start_us + kHour, can_appear, text},
                         as(lawyer(kLawyerA)));
  }
  void remove_entry(const std::string& id) {
    run<LawyerAggregate>(lawyer_stream(), RemoveScheduleEntry{id}, as(lawyer(kLawyerA)));
  }
  static std::string lawyer_stream() { return "lawyer-" + std::string(kLawyerA); }

  // Every row of a family: key -> value (both as dump() gives them, in hex).
  std::map<std::string, std::string> rows(
      std::string_view projection = projections::kLawyersProjection) {
    auto dumped = read_models_->dump(projection);
    EXPECT_TRUE(dumped) << dumped.error().message;
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : dumped->as_object())
      out[std::string(key)] = std::string(value.as_string());
    return out;
  }

  // The keys whose rows differ between two dumps (added, removed or changed).
  static std::vector<std::string> changed(const std::map<std::string, std::string>& before,
                                          const std::map<std::string, std::string>& after) {
    std::vector<std::string> out;
    for (const auto& [key, value] : after) {
      auto it = before.find(key);
      if (it == before.end() || it->second != value)
        out.push_back(key);
    }
    for (const auto& [key, value] : before) {
      if (!after.contains(key))
        out.push_back(key);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
    return out;
  }
  static std::string state_key() { return hex("s/" + lawyer_stream()); }
  static std::string entry_key(const std::string& id) {
    return hex("e/" + std::string(kLawyerA) + std::string(1, '\0') + id);
  }

  // The schedule as lawyer_home showed it before the entries had rows of their own: the
  // state's entries by start, those starting together in the order added.
  json::array expected_schedule(std::int64_t after_us = INT64_MIN) {
    auto loaded = platform_->load<LawyerAggregate>(lawyer_stream());
    EXPECT_TRUE(loaded);
    auto entries = loaded->state.schedule;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.start_us < b.start_us; });
    json::array out;
    for (const auto& e : entries) {
      if (e.end_us <= after_us)
        continue;
      out.emplace_back(json::object{{"entry_id", e.entry_id},
                                    {"starts_at_us", e.start_us},
                                    {"ends_at_us", e.end_us},
                                    {"can_appear_in_court", e.can_appear_in_court},
                                    {"text", e.text}});
    }
    return out;
  }
};

TEST_F(ItemRowsTest, AnEntryAddedOrRemovedChangesOnlyItsOwnRowAndTheStateRowStaysSmall) {
  change_password(kLawyerA);
  const std::int64_t t = now() + kDay;
  add_entry(t, true, "第一条");
  project();
  const auto small_state = rows().at(state_key()).size();

  for (int i = 0; i < 200; ++i)
    add_entry(t + i * kHour, i % 2 == 0, "日程 " + std::to_string(i) + " 开庭准备");
  project();
  auto before = rows();
  EXPECT_EQ(before.at(state_key()).size(), small_state)
      << "the lawyer's state row holds the whole schedule";

  add_entry(t + 500 * kHour, false, "新的一条");
  project();
  auto after_add = rows();
  EXPECT_EQ(changed(before, after_add), (std::vector<std::string>{entry_key("e202"), state_key()}));
  EXPECT_EQ(after_add.at(state_key()).size(), small_state);

  remove_entry("e7");
  project();
  auto after_remove = rows();
  const auto removed = changed(after_add, after_remove);
  EXPECT_EQ(removed, (std::vector<std::string>{entry_key("e7")}));
  EXPECT_FALSE(after_remove.contains(entry_key("e7")));
}

TEST_F(ItemRowsTest, LawyerQueriesOverEntryRowsAnswerAsTheStateSays) {
  change_password(kLawyerA);
  const std::int64_t t = now() + kDay;
  // Entries out of order, some starting together, some removed, some past.
  add_entry(t + 5 * kHour, true, "晚");
  add_entry(t, false, "早 1");
  add_entry(t + 2 * kHour, true, "中");
  add_entry(t, true, "早 2");
  for (int i = 0; i < 12; ++i)
    add_entry(t + (i % 4) * kHour, i % 3 == 0, "批量 " + std::to_string(i));
  remove_entry("e3");
  remove_entry("e9");
  add_entry(t - 3 * kDay, false, "已过去");
  project();

  auto home = read_models_->lawyer_home(kLawyerA, now());
  ASSERT_TRUE(home) << home.error().message;
  EXPECT_EQ(json::value(home->as_object().at("schedule")), json::value(expected_schedule()));

  // The same after a rebuild from position 0, and after a reopen (no cached entities).
  ASSERT_TRUE(projector_->rebuild(projections::kLawyersProjection));
  auto rebuilt = read_models_->lawyer_home(kLawyerA, now());
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(*rebuilt, *home);
  open_store();
  remove_entry("e1");
  add_entry(t + kHour, false, "重开之后");
  project();
  auto reopened = read_models_->lawyer_home(kLawyerA, now());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(json::value(reopened->as_object().at("schedule")), json::value(expected_schedule()));
}

TEST_F(ItemRowsTest, ACaseEventChangesOnlyItsItemsRowAndTheCaseStateRowStaysSmall) {
  auto j = journey();
  project();
  const std::string stream = case_stream(j.case1);
  const std::string state = hex("s/" + stream);
  const auto small_state = rows(projections::kCasesProjection).at(state).size();

  for (int i = 0; i < 40; ++i) {
    run<CaseAggregate>(stream,
                       SendMessageToJudge{"q" + std::to_string(i),
                                          "问题 " + std::to_string(i),
                                          "请问开庭时间能否调整，第 " + std::to_string(i) + " 次",
                                          {}},
                       as(lawyer(kLawyerA)));
    run<CaseAggregate>(
        stream, ScheduleHearing{"hh" + std::to_string(i), now() + (30 + i) * kDay, 60, "第三法庭"},
        as(judge()));
  }
  project();
  auto before = rows(projections::kCasesProjection);
  EXPECT_EQ(before.at(state).size(), small_state) << "the case's state row holds every item";

  run<CaseAggregate>(stream, ReplyToMessage{"q7", "可以", {}}, as(judge()));
  project();
  auto after = rows(projections::kCasesProjection);
  const std::string nul(1, '\0');
  EXPECT_EQ(changed(before, after),
            (std::vector<std::string>{
                hex("i/" + std::string(kJudge) + nul + "m" + nul + j.case1 + nul + "q7"),
                hex("m/" + j.case1 + nul + "m" + nul + "q7")}))
      << "the reply changes the message's row and drops it from the inbox; the state row keeps "
         "its bytes (the clock stood still)";
  EXPECT_EQ(after.at(state).size(), small_state);

  // The case's detail holds every item, from the item rows, as the state says.
  auto detail = ok(read_models_->case_detail(j.case1, now()));
  auto loaded = platform_->load<CaseAggregate>(stream);
  ASSERT_TRUE(loaded);
  const auto& c = loaded->state;
  EXPECT_EQ(detail.as_object().at("hearings").as_array().size(), c.hearings.size());
  EXPECT_EQ(detail.as_object().at("messages").as_array().size(), c.messages.size());
  EXPECT_EQ(detail.as_object().at("file_reviews").as_array().size(), c.file_reviews.size());
  EXPECT_EQ(detail.as_object().at("file_materials").as_array().size(), c.file_materials.size());
  EXPECT_EQ(detail.as_object().at("evidence_exchanges").as_array().size(),
            c.evidence_exchanges.size());
  // After a reopen the projection reads the items back from their rows before folding more.
  open_store();
  run<CaseAggregate>(stream, ReplyToMessage{"q8", "不可以", {}}, as(judge()));
  project();
  auto reopened = ok(read_models_->case_detail(j.case1, now()));
  std::size_t replied = 0;
  for (const auto& m : reopened.as_object().at("messages").as_array()) {
    if (m.as_object().at("status").as_string() == "replied")
      ++replied;
  }
  EXPECT_EQ(replied, 2u);
  EXPECT_EQ(reopened.as_object().at("hearings").as_array().size(), c.hearings.size());
}

}  // namespace
}  // namespace docket::testing
