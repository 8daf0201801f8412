// The data directory is private to the account that runs the server: created 0700, with files
// 0600, and narrowed (with a warning for each path) when it is found wider.
#include "docket/app/data_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "../engine/temp_dir.h"

namespace docket::app {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777u;
}

TEST(DataDirectoryTest, ANewDirectoryIsCreatedPrivate) {
  testing::TempDir dir;
  const auto data = dir.sub("data");
  auto r = secure_data_directory(data);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(mode_of(data), 0700u);
}

TEST(DataDirectoryTest, AWiderDirectoryAndItsFilesAreNarrowedWithAWarningForEach) {
  testing::TempDir dir;
  const fs::path data = dir.sub("data");
  fs::create_directories(data / "store");
  std::ofstream(data / "store" / "CURRENT") << "MANIFEST-000001\n";
  std::ofstream(data / "server.secret") << "00\n";
  fs::permissions(data, static_cast<fs::perms>(0755));
  fs::permissions(data / "store", static_cast<fs::perms>(0755));
  fs::permissions(data / "store" / "CURRENT", static_cast<fs::perms>(0644));
  fs::permissions(data / "server.secret", static_cast<fs::perms>(0600));
  auto r = secure_data_directory(data.string());
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->size(), 3u) << "the directory, store/ and CURRENT; the secret was private";
  EXPECT_EQ(mode_of(data), 0700u);
  EXPECT_EQ(mode_of(data / "store"), 0700u);
  EXPECT_EQ(mode_of(data / "store" / "CURRENT"), 0600u);
  EXPECT_EQ(mode_of(data / "server.secret"), 0600u);
  auto again = secure_data_directory(data.string());
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty()) << "nothing left to narrow";
}

TEST(DataDirectoryTest, FilesCreatedAfterRestrictNewFilesArePrivate) {
  const auto old_mask = ::umask(022);
  restrict_new_files();
  testing::TempDir dir;
  const fs::path file = dir.sub("new-file");
  std::ofstream(file) << "x";
  fs::create_directory(dir.sub("new-dir"));
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(dir.sub("new-dir")), 0700u);
  ::umask(old_mask);
}

}  // namespace
}  // namespace docket::app
