// docket verify: passes on a real data directory and names the first bad place after tampering.
#include "docket/replay/verify.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <functional>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "docket/replay/data_dir.h"
#include "envelope_generated.h"

namespace docket::replay {
namespace {

namespace format = engine::format;

class VerifyTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    last_ = store().last_position();
    middle_ = last_ / 2;
    auto e = store().read_event(middle_);
    ASSERT_TRUE(e);
    middle_event_ = *e;
    auto l = store().read_event(last_);
    ASSERT_TRUE(l);
    last_event_ = *l;
  }

  // Changes the stored bytes directly, as an attacker with the files would, then stops the server.
  void tamper(std::string_view family,
              const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& change) {
    auto* handle = store().column_family_if_exists(family);
    ASSERT_NE(handle, nullptr) << family;
    change(*store().db(), handle);
    close();
  }

  std::string get(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f, const std::string& key) {
    std::string value;
    auto s = db.Get(rocksdb::ReadOptions(), f, key, &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  void put(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f, const std::string& key,
           const std::string& value) {
    auto s = db.Put(rocksdb::WriteOptions(), f, key, value);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void erase(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f, const std::string& key) {
    auto s = db.Delete(rocksdb::WriteOptions(), f, key);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // The one finding a tampered store must produce.
  VerifyFinding only_finding(const VerifyReport& report, const std::string& check) {
    EXPECT_FALSE(report.ok());
    if (report.findings.size() != 1) {
      for (const auto& f : report.findings)
        ADD_FAILURE() << "expected one finding, got: " << f.check << " " << f.message;
    }
    if (report.findings.empty())
      return {};
    EXPECT_EQ(report.findings.front().check, check);
    return report.findings.front();
  }

  std::uint64_t last_ = 0;
  std::uint64_t middle_ = 0;
  engine::RecordedEvent middle_event_;
  engine::RecordedEvent last_event_;
};

TEST_F(VerifyTest, ARealDataDirectoryVerifies) {
  close();
  auto report = verify();
  for (const auto& f : report.findings)
    ADD_FAILURE() << f.check << ": " << f.message;
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.records, last_);
  EXPECT_EQ(report.last_position, last_);
  EXPECT_EQ(report.tip, engine::to_hex(last_event_.hash));
  EXPECT_GT(report.streams, 10u);
  EXPECT_GE(report.blobs, 4u);
}

TEST_F(VerifyTest, OneChangedByteOfARecordIsNamedByItsPosition) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    auto value = get(db, f, format::log_key(middle_));
    value[value.size() - 3] ^= 0x01;  // inside the envelope
    put(db, f, format::log_key(middle_), value);
  });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings.front().check, "chain");
  EXPECT_EQ(report.findings.front().position, middle_);
}

TEST_F(VerifyTest, OneChangedByteOfAStoredHashIsNamedByItsPosition) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    auto value = get(db, f, format::log_key(middle_));
    value[0] ^= 0x80;
    put(db, f, format::log_key(middle_), value);
  });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings.front().check, "chain");
  EXPECT_EQ(report.findings.front().position, middle_);
}

TEST_F(VerifyTest, ARemovedRecordIsNamedByItsPosition) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    erase(db, f, format::log_key(middle_));
  });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings.front().check, "chain");
  EXPECT_EQ(report.findings.front().position, middle_);
}

TEST_F(VerifyTest, RemovingTheLastRecordIsRefusedNamingItsPosition) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    erase(db, f, format::log_key(last_));
  });
  // The chain alone cannot see a cut tail; the acknowledged tip kept beside the store can, and
  // the store (the auditors' read-only one too) refuses to open, naming the missing position.
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_FALSE(ro) << "a log that ends before its acknowledged tip opened";
  EXPECT_NE(ro.error().message.find("up to position " + std::to_string(last_)), std::string::npos)
      << ro.error().message;
}

TEST_F(VerifyTest, AChangedStreamIndexEntryIsNamedByPositionAndStream) {
  tamper(format::kCfStreams, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    std::string value;
    format::put_u64be(value, middle_ + 1);
    put(db, f, format::stream_key(middle_event_.stream, middle_event_.version), value);
  });
  auto finding = only_finding(verify(), "index");
  EXPECT_EQ(finding.position, middle_);
  EXPECT_EQ(finding.stream, middle_event_.stream);
}

TEST_F(VerifyTest, AMissingCategoryEntryIsNamedByPositionAndStream) {
  tamper(format::kCfCategories, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    erase(db, f, format::category_key(format::category_of(middle_event_.stream), middle_));
  });
  auto finding = only_finding(verify(), "index");
  EXPECT_EQ(finding.position, middle_);
  EXPECT_EQ(finding.stream, middle_event_.stream);
}

TEST_F(VerifyTest, AnIndexEntryWithoutARecordIsNamed) {
  tamper(format::kCfStreams, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    std::string value;
    format::put_u64be(value, middle_);
    put(db, f, format::stream_key("filing-forged", 1), value);
  });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings.front().check, "index");
  EXPECT_EQ(report.findings.front().stream, "filing-forged");
}

TEST_F(VerifyTest, AChangedHeadIsNamedByItsStream) {
  tamper(format::kCfHeads, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    auto value = get(db, f, middle_event_.stream);
    std::string changed;
    format::put_u64be(changed, format::get_u64be(value) + 1);
    changed.append(value.substr(8));
    put(db, f, middle_event_.stream, changed);
  });
  auto finding = only_finding(verify(), "heads");
  EXPECT_EQ(finding.stream, middle_event_.stream);
}

TEST_F(VerifyTest, AChangedBlobIsNamedByItsHash) {
  const std::string hash = blob("a document that will be changed on disk");
  tamper(format::kCfBlobs, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    auto bytes = engine::hash_from_hex(hash);
    ASSERT_TRUE(bytes.has_value());
    const std::string meta_key =
        std::string(1, format::kBlobMetaPrefix) +
        std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto meta = get(db, f, meta_key);
    ASSERT_GE(meta.size(), 28u);
    const std::string upload = meta.substr(12, 16);  // u64be size || u32be chunks || upload id
    std::string chunk_key = std::string(1, format::kBlobChunkPrefix) + upload;
    format::put_u32be(chunk_key, 0);
    auto chunk = get(db, f, chunk_key);
    chunk[0] ^= 0x20;
    put(db, f, chunk_key, chunk);
  });
  auto finding = only_finding(verify(), "blobs");
  EXPECT_EQ(finding.blob, hash);
}

// Swaps the versions of a stream's last two events along the log and makes everything else
// agree: the envelopes, the stream index, the head and every hash from the first of them on.
TEST_F(VerifyTest, AStreamsVersionsReorderedAlongTheLogAreFound) {
  const auto& stream = last_event_.stream;
  const auto n = last_event_.version;
  ASSERT_GE(n, 2u);
  auto earlier = store().read_stream(stream, n - 1, 1);
  ASSERT_TRUE(earlier && earlier->size() == 1);
  const auto p0 = earlier->front().position;
  const auto p1 = last_;
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
    auto* streams = store().column_family_if_exists(format::kCfStreams);
    auto* heads = store().column_family_if_exists(format::kCfHeads);
    format::Hash previous = engine::hash_from_bytes(
        std::string_view(get(db, log, format::log_key(p0 - 1))).substr(0, format::kHashSize));
    for (auto p = p0; p <= p1; ++p) {
      auto value = get(db, log, format::log_key(p));
      std::string envelope = value.substr(format::kHashSize);
      if (p == p0 || p == p1) {
        auto* env = engine::fb::GetMutableEnvelope(envelope.data());
        ASSERT_TRUE(env->mutate_stream_version(p == p0 ? n : n - 1));
      }
      previous = engine::chain_hash(previous, envelope);
      put(db, log, format::log_key(p),
          std::string(reinterpret_cast<const char*>(previous.data()), previous.size()) + envelope);
    }
    std::string at;
    format::put_u64be(at, p1);
    put(db, streams, format::stream_key(stream, n - 1), at);
    at.clear();
    format::put_u64be(at, p0);
    put(db, streams, format::stream_key(stream, n), at);
    std::string head;
    format::put_u64be(head, n);
    format::put_u64be(head, p0);
    put(db, heads, stream, head);
  });
  // Whoever rewrites the hashes also removes the acknowledged tip, whose hash at the last position
  // would otherwise refuse the open (docketd re-creates a missing tip from the log's end).
  std::filesystem::remove(data_dir() + "/store/" + std::string(format::kTipFileName));
  auto finding = only_finding(verify(), "order");
  EXPECT_EQ(finding.stream, stream);
  EXPECT_EQ(finding.position, p0);
}

TEST_F(VerifyTest, ADeletedFormatVersionIsFound) {
  tamper(format::kCfDefault, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    erase(db, f, std::string(format::kMetaFormatVersionKey));
  });
  auto finding = only_finding(verify(), "format");
  EXPECT_NE(finding.message.find("format_version"), std::string::npos) << finding.message;
}

// The record of a blob: u64be size || u32be chunk count || upload id || content type.
class VerifyBlobRecordTest : public VerifyTest {
 protected:
  void change_record(const std::string& hash, const std::function<void(std::string&)>& change) {
    tamper(format::kCfBlobs, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
      auto bytes = engine::hash_from_hex(hash);
      ASSERT_TRUE(bytes.has_value());
      const std::string key =
          std::string(1, format::kBlobMetaPrefix) +
          std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
      auto record = get(db, f, key);
      ASSERT_GE(record.size(), 28u);
      change(record);
      put(db, f, key, record);
    });
  }
};

TEST_F(VerifyBlobRecordTest, AChangedBlobSizeIsFound) {
  const std::string hash = blob("a document whose recorded size will change");
  change_record(hash, [](std::string& record) {
    std::string size;
    format::put_u64be(size, format::get_u64be(record) - 1);
    record.replace(0, 8, size);
  });
  auto finding = only_finding(verify(), "blobs");
  EXPECT_EQ(finding.blob, hash);
}

TEST_F(VerifyBlobRecordTest, AChangedBlobContentTypeIsFound) {
  const std::string hash = blob("%PDF-1.7\n a real PDF's first bytes");
  change_record(hash,
                [](std::string& record) { record.replace(28, std::string::npos, "text/html"); });
  auto finding = only_finding(verify(), "blobs");
  EXPECT_EQ(finding.blob, hash);
  EXPECT_NE(finding.message.find("text/html"), std::string::npos) << finding.message;
}

TEST_F(VerifyBlobRecordTest, AMalformedBlobContentTypeIsFound) {
  const std::string hash = blob("bytes of no known kind");
  change_record(hash, [](std::string& record) {
    record.replace(28, std::string::npos, "text/html; x=<script>");
  });
  auto finding = only_finding(verify(), "blobs");
  EXPECT_EQ(finding.blob, hash);
}

TEST_F(VerifyBlobRecordTest, AChangedChunkCountIsFound) {
  const std::string hash = blob("a document whose chunk count will change");
  change_record(hash, [](std::string& record) {
    std::string chunks;
    format::put_u32be(chunks, format::get_u32be(record.substr(8)) + 1);
    record.replace(8, 4, chunks);
  });
  auto finding = only_finding(verify(), "blobs");
  EXPECT_EQ(finding.blob, hash);
}

TEST_F(VerifyTest, ANonEmptyCategoryValueIsFound) {
  tamper(format::kCfCategories, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    put(db, f, format::category_key(format::category_of(middle_event_.stream), middle_), "hidden");
  });
  auto finding = only_finding(verify(), "index");
  EXPECT_EQ(finding.position, middle_);
}

// A key that is not 8 bytes, in the middle of the log and after its end: found (exit 1), not an
// error of the tool (exit 2).
TEST_F(VerifyTest, AMalformedLogKeyIsAFindingOfTheChain) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    put(db, f, format::log_key(middle_) + "x", get(db, f, format::log_key(middle_)));
  });
  auto r = testing::run({"verify", "--no-progress", "--data", data_dir()});
  EXPECT_EQ(r.code, kExitVerifyFailed) << r.err;
  EXPECT_NE(r.err.find("chain check failed at position " + std::to_string(middle_ + 1)),
            std::string::npos)
      << r.err;
}

TEST_F(VerifyTest, AMalformedLogKeyAfterTheLastRecordIsAFindingOfTheChain) {
  tamper(format::kCfLog, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    put(db, f, std::string(9, '\xff'), get(db, f, format::log_key(last_)));
  });
  auto r = testing::run({"verify", "--no-progress", "--data", data_dir()});
  EXPECT_EQ(r.code, kExitVerifyFailed) << r.err;
  EXPECT_NE(r.err.find("chain check failed"), std::string::npos) << r.err;
}

TEST_F(VerifyTest, AMalformedStreamIndexKeyIsNamed) {
  tamper(format::kCfStreams, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* f) {
    put(db, f, "no-separator", "12345678");
  });
  auto report = verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings.front().check, "index");
  EXPECT_EQ(report.findings.front().stream, "no-separator");
}

}  // namespace
}  // namespace docket::replay
