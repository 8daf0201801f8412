// A full disk stops writes, never the process: appends fail fast with kUnavailable, reads go
// on, health() says why, and writes resume by themselves once there is room again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "docket/engine/event_store.h"
#include "full_disk_file_system.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::event;
using testing::request;

// Waits (bounded) until the store takes writes again.
bool wait_writable(const EventStore& store, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!store.health().writable && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return store.health().writable;
}

class FullDiskTest : public ::testing::Test {
 protected:
  StoreOptions options(const std::string& path) {
    StoreOptions o;
    o.path = path;
    o.clock = &clock_;
    o.recovery_interval = std::chrono::milliseconds(20);
    o.resume_free_bytes = 0;
    return o;
  }

  ManualClock clock_;
};

TEST_F(FullDiskTest, AFailedWriteRefusesWritesKeepsReadsAndResumesWhenSpaceReturns) {
  testing::TempDir dir;
  auto disk = std::make_shared<testing::FullDiskFileSystem>();
  auto o = options(dir.sub("store"));
  o.file_system = disk;
  auto opened = EventStore::open(o);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  ASSERT_TRUE(store.append(request("s-1", ExpectedVersion::any(), {event("A"), event("B")})));
  EXPECT_TRUE(store.health().writable);

  disk->full = true;
  auto refused = store.append(request("s-1", ExpectedVersion::any(), {event("C")}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
  auto health = store.health();
  EXPECT_FALSE(health.writable);
  EXPECT_NE(health.reason.find("no space"), std::string::npos) << health.reason;
  EXPECT_EQ(health.refusals, 1u);

  // Later appends fail fast with the same code; reads go on.
  auto again = store.append(request("s-2", ExpectedVersion::any(), {event("D")}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(again.error().message.find("no space"), std::string::npos) << again.error().message;
  auto read = store.read_all(1, 10);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->size(), 2u);
  EXPECT_EQ(*store.stream_version("s-1"), 2u);
  // Still refusing a while later: it keeps trying, and neither aborts nor resumes too early.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(store.health().writable);

  disk->full = false;
  ASSERT_TRUE(wait_writable(store, std::chrono::seconds(5))) << store.health().reason;
  auto resumed = store.append(request("s-1", ExpectedVersion::exact(2), {event("E")}));
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->first_position, 3u);  // no gap, no position handed out twice
  EXPECT_EQ(resumed->stream_version, 3u);
  opened->reset();

  auto reopened = EventStore::open(options(dir.sub("store")));
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->last_position(), 3u);
  EXPECT_TRUE((*reopened)->verify_chain().ok());
  auto e = (*reopened)->read_event(3);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "E");
}

TEST_F(FullDiskTest, AppendsQueuedBehindAFailedWriteFailWithTheSameCode) {
  testing::TempDir dir;
  auto disk = std::make_shared<testing::FullDiskFileSystem>();
  auto o = options(dir.sub("store"));
  o.file_system = disk;
  auto opened = EventStore::open(o);
  ASSERT_TRUE(opened) << opened.error().message;
  disk->full = true;
  std::vector<std::thread> writers;
  std::atomic<int> unavailable{0};
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      auto r = (*opened)->append(
          request("w-" + std::to_string(t), ExpectedVersion::any(), {event("A")}));
      if (!r && r.error().code == ErrorCode::kUnavailable)
        ++unavailable;
    });
  }
  for (auto& w : writers)
    w.join();
  EXPECT_EQ(unavailable.load(), 8);
  disk->full = false;
  ASSERT_TRUE(wait_writable(**opened, std::chrono::seconds(5)));
  auto r = (*opened)->append(request("w-0", ExpectedVersion::any(), {event("A")}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->first_position, 1u);
}

// A real small file system (tmpfs), filled up by another file. Needs the right to mount.
class TmpfsDisk {
 public:
  explicit TmpfsDisk(std::string mount_point) : mount_point_(std::move(mount_point)) {
    std::filesystem::create_directories(mount_point_);
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=24m") == 0)
      mounted_ = true;
    else
      error_ = std::strerror(errno);
  }
  ~TmpfsDisk() {
    if (mounted_)
      ::umount2(mount_point_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::uint64_t free_bytes() const {
    struct statvfs st {};
    ::statvfs(mount_point_.c_str(), &st);
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  }
  // Takes all but `leave` bytes of the free space with a filler file.
  void fill(std::uint64_t leave) {
    int fd = ::open(filler().c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    const auto take = free_bytes() - std::min(free_bytes(), leave);
    ASSERT_EQ(::posix_fallocate(fd, 0, static_cast<off_t>(take)), 0);
    ::close(fd);
  }
  void free_filler() { std::filesystem::remove(filler()); }

 private:
  std::string filler() const { return mount_point_ + "/filler"; }
  std::string mount_point_;
  bool mounted_ = false;
  std::string error_;
};

TEST_F(FullDiskTest, ATmpfsRunningFullRefusesWritesWithoutAbortingAndResumesWhenFreed) {
  testing::TempDir dir;
  TmpfsDisk disk(dir.sub("disk"));
  if (!disk.mounted())
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << ")";
  auto o = options(dir.sub("disk") + "/store");
  o.resume_free_bytes = 4u << 20;
  auto opened = EventStore::open(o);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  ASSERT_TRUE(store.append(request("s-1", ExpectedVersion::any(), {event("A")})));

  disk.fill(256u << 10);
  std::optional<Error> failure;
  std::uint64_t acknowledged = 1;
  for (int i = 0; i < 2000 && !failure; ++i) {
    auto r = store.append(
        request("s-1", ExpectedVersion::any(), {event("Big", std::string(16u << 10, 'x'))}));
    if (r)
      acknowledged = r->last_position;
    else
      failure = r.error();
  }
  ASSERT_TRUE(failure) << "the disk never ran full";
  EXPECT_EQ(failure->code, ErrorCode::kUnavailable) << failure->message;
  EXPECT_FALSE(store.health().writable);
  EXPECT_NE(store.health().reason.find("no space"), std::string::npos) << store.health().reason;
  // The server used to abort about a second after the first failed write.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto refused = store.append(request("s-1", ExpectedVersion::any(), {event("C")}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  auto read = store.read_event(acknowledged);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.sub("disk") + "/store/LOG"));

  disk.free_filler();
  ASSERT_TRUE(wait_writable(store, std::chrono::seconds(5))) << store.health().reason;
  auto resumed = store.append(request("s-1", ExpectedVersion::any(), {event("D")}));
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->first_position, acknowledged + 1);
  opened->reset();

  auto reopened = EventStore::open(options(dir.sub("disk") + "/store"));
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->last_position(), acknowledged + 1);
  EXPECT_TRUE((*reopened)->verify_chain().ok());
}

TEST_F(FullDiskTest, OpeningOnAFullTmpfsDoesNotAbort) {
  testing::TempDir dir;
  TmpfsDisk disk(dir.sub("disk"));
  if (!disk.mounted())
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << ")";
  const auto path = dir.sub("disk") + "/store";
  {
    auto store = EventStore::open(options(path));
    ASSERT_TRUE(store) << store.error().message;
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE((*store)->append(request("s-1", ExpectedVersion::any(), {event("A")})));
  }
  disk.fill(0);
  auto store = EventStore::open(options(path));
  if (store) {
    // Open, but refusing writes until there is room; reads go on.
    EXPECT_EQ((*store)->last_position(), 20u);
    auto r = (*store)->append(request("s-1", ExpectedVersion::any(), {event("B")}));
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
    }
  } else {
    EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().message;
    EXPECT_NE(store.error().message.find("full"), std::string::npos) << store.error().message;
  }
  store = Result<std::unique_ptr<EventStore>>(unexpected(Error{}));
  disk.free_filler();
  auto reopened = EventStore::open(options(path));
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_GE((*reopened)->last_position(), 20u);
}

}  // namespace
}  // namespace docket::engine
