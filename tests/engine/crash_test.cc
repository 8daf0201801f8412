// Kills a writer process with SIGKILL at random moments and checks that every append it
// acknowledged survives, with no gap in positions and a hash chain that verifies.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <sstream>

#include "docket/engine/event_store.h"
#include "temp_dir.h"

extern char** environ;

namespace docket::engine {
namespace {

struct Ack {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::string stream;
  std::uint64_t version = 0;
};

// Runs the writer for `run_ms`, kills it, and returns every acknowledgement it printed.
std::vector<Ack> run_and_kill(const std::string& dir, int round, int run_ms) {
  int out[2];
  if (::pipe(out) != 0)
    std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string round_text = std::to_string(round);
  std::vector<char*> argv{const_cast<char*>(DOCKET_CRASH_WRITER), const_cast<char*>(dir.c_str()),
                          round_text.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, DOCKET_CRASH_WRITER, &actions, nullptr, argv.data(), environ) != 0)
    std::abort();
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);

  std::string text;
  char buf[65536];
  // The kill timer starts once the writer says the store is open (slow under sanitizers), so
  // every round kills a writer that is appending, not one still opening.
  const auto started = std::chrono::steady_clock::now();
  while (text.find("ready\n") == std::string::npos &&
         std::chrono::steady_clock::now() - started < std::chrono::seconds(60)) {
    pollfd p{out[0], POLLIN, 0};
    ::poll(&p, 1, 1000);
    if (p.revents & (POLLIN | POLLHUP)) {
      auto n = ::read(out[0], buf, sizeof buf);
      if (n <= 0)
        break;
      text.append(buf, static_cast<std::size_t>(n));
    }
  }
  EXPECT_NE(text.find("ready\n"), std::string::npos) << "the writer did not open the store";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(run_ms);
  bool killed = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!killed && left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    pollfd p{out[0], POLLIN, 0};
    ::poll(&p, 1, killed ? 1000 : static_cast<int>(std::max<long>(1, left.count())));
    if (p.revents & (POLLIN | POLLHUP)) {
      auto n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) {
        if (killed)
          break;
        continue;
      }
      text.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer exited by itself: " << status;

  std::vector<Ack> acks;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof() && !text.ends_with('\n'))
      break;  // a torn last line was never fully written
    std::istringstream fields(line);
    std::string tag;
    Ack a;
    fields >> tag >> a.first >> a.last >> a.stream >> a.version;
    if (tag == "ack")
      acks.push_back(a);
  }
  return acks;
}

TEST(CrashTest, EveryAcknowledgedAppendSurvivesSigkillWithNoGapAndAVerifiedChain) {
  testing::TempDir dir;
  const auto path = dir.sub("store");
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> run_ms(40, 400);
  constexpr int kRounds = 24;
  std::uint64_t total_acks = 0;
  for (int round = 0; round < kRounds; ++round) {
    auto acks = run_and_kill(path, round, run_ms(rng));
    total_acks += acks.size();
    StoreOptions options;
    options.path = path;
    auto store = EventStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    for (const auto& a : acks) {
      ASSERT_LE(a.last, (*store)->last_position()) << "round " << round;
      auto e = (*store)->read_event(a.last);
      ASSERT_TRUE(e) << "round " << round << ": acknowledged position " << a.last << " lost";
      EXPECT_EQ(e->stream, a.stream);
      EXPECT_EQ(e->version, a.version);
      auto v = (*store)->stream_version(a.stream);
      ASSERT_TRUE(v);
      EXPECT_GE(*v, a.version);
    }
    auto report = (*store)->verify_chain();
    ASSERT_TRUE(report.ok()) << "round " << round << ": " << report.failure->message;
    EXPECT_EQ(report.last_position, (*store)->last_position());
    // The stream index agrees with the log for every stream the writer used.
    for (int t = 0; t < 8; ++t) {
      const auto stream = "crash-" + std::to_string(t);
      auto version = (*store)->stream_version(stream);
      ASSERT_TRUE(version);
      if (*version == 0)
        continue;
      auto last = (*store)->read_stream(stream, *version, 1);
      ASSERT_TRUE(last);
      ASSERT_EQ(last->size(), 1u);
      EXPECT_EQ(last->front().version, *version);
    }
  }
  EXPECT_GT(total_acks, static_cast<std::uint64_t>(kRounds));  // the writer really wrote
}

}  // namespace
}  // namespace docket::engine
