// docket export and the independent verifier, tools/verify_export.py.
#include "docket/replay/history.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/engine/sha256.h"
#include "docket/replay/data_dir.h"

namespace docket::replay {
namespace {

namespace json = boost::json;
using testing::lines;

class ExportTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    last_ = store().last_position();
  }

  // Exports through the CLI into a file; returns its lines.
  std::vector<std::string> export_lines(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"export", "--data", data_dir(), "--output", file()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = testing::run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    std::ifstream in(file());
    std::stringstream text;
    text << in.rdbuf();
    return lines(text.str());
  }

  void write(const std::vector<std::string>& content) {
    std::ofstream out(file(), std::ios::trunc);
    for (const auto& l : content)
      out << l << '\n';
  }

  testing::CliResult verify_with_python() {
    if (std::string(DOCKET_PYTHON).empty())
      return {-2, "python3 not found", ""};
    return testing::shell(std::string(DOCKET_PYTHON) + " " + DOCKET_VERIFY_EXPORT + " " + file());
  }

  std::string file() const { return dir_.sub("export.jsonl"); }

  std::uint64_t last_ = 0;
};

TEST_F(ExportTest, TheExportHasAHeaderAndEveryRecordWithItsHash) {
  auto l = export_lines();
  ASSERT_EQ(l.size(), last_ + 1);
  auto header = json::parse(l[0]).as_object();
  EXPECT_EQ(header.at("docket_export").as_int64(), 1);
  EXPECT_EQ(header.at("from").as_int64(), 1);
  EXPECT_EQ(header.at("to").to_number<std::uint64_t>(), last_);
  EXPECT_EQ(testing::str(header.at("previous_hash")), std::string(64, '0'));
  auto first = json::parse(l[1]).as_object();
  auto stored = store().read_event(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(first.at("position").as_int64(), 1);
  EXPECT_EQ(testing::str(first.at("hash")), engine::to_hex(stored->hash));
  EXPECT_EQ(testing::str(first.at("stream")), stored->stream);
  EXPECT_EQ(testing::str(first.at("type")), stored->type);
  EXPECT_FALSE(first.contains("payload"));
  auto with_payloads = export_lines({"--payloads"});
  EXPECT_TRUE(json::parse(with_payloads[1]).as_object().contains("payload"));
}

TEST_F(ExportTest, TheIndependentVerifierAcceptsAnExport) {
  export_lines();
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ok: " + std::to_string(last_) + " records"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(engine::to_hex(store().read_event(last_)->hash)), std::string::npos)
      << "the verifier recomputes the same tip";
}

TEST_F(ExportTest, APartialExportVerifiesFromTheHashBeforeIt) {
  const auto from = last_ / 3, to = last_ / 2;
  auto l = export_lines({"--from", std::to_string(from), "--to", std::to_string(to)});
  ASSERT_EQ(l.size(), to - from + 2);
  auto header = json::parse(l[0]).as_object();
  EXPECT_EQ(testing::str(header.at("previous_hash")),
            engine::to_hex(store().read_event(from - 1)->hash));
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(ExportTest, TheVerifierNamesThePositionOfAChangedEnvelope) {
  auto l = export_lines();
  const std::uint64_t p = last_ / 2;
  auto record = json::parse(l[p]).as_object();
  ASSERT_EQ(record.at("position").to_number<std::uint64_t>(), p);
  std::string envelope(record.at("envelope").as_string());
  const std::size_t at = envelope.size() / 2;
  envelope[at] = envelope[at] == 'A' ? 'B' : 'A';
  record["envelope"] = envelope;
  l[p] = json::serialize(record);
  write(l);
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("position " + std::to_string(p) + ":"), std::string::npos) << r.out;
}

TEST_F(ExportTest, TheVerifierNamesThePositionOfAChangedHash) {
  auto l = export_lines();
  const std::uint64_t p = 3;
  auto record = json::parse(l[p]).as_object();
  std::string hash(record.at("hash").as_string());
  hash[0] = hash[0] == '0' ? '1' : '0';
  record["hash"] = hash;
  l[p] = json::serialize(record);
  write(l);
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("position 3:"), std::string::npos) << r.out;
}

TEST_F(ExportTest, TheVerifierNamesThePositionOfARemovedRecord) {
  auto l = export_lines();
  const std::uint64_t p = last_ / 2;
  l.erase(l.begin() + static_cast<std::ptrdiff_t>(p));
  write(l);
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("position " + std::to_string(p) + ":"), std::string::npos) << r.out;
}

TEST_F(ExportTest, TheVerifierNoticesACutTail) {
  auto l = export_lines();
  l.pop_back();
  write(l);
  auto r = verify_with_python();
  if (r.code == -2)
    GTEST_SKIP() << r.out;
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("position " + std::to_string(last_) + ":"), std::string::npos) << r.out;
}

TEST_F(ExportTest, AnExportOutsideTheLogIsRefused) {
  auto r = testing::run({"export", "--data", data_dir(), "--from", std::to_string(last_ + 5)});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Expected --from within the log"), std::string::npos) << r.err;
  r = testing::run({"export", "--data", data_dir(), "--from", "0"});
  EXPECT_EQ(r.code, 2);
}

TEST(Base64Test, EncodesWithPadding) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace docket::replay
