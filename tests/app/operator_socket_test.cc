// The operator socket: the running server writes checkpoints of its store for `docket backup`.
#include "docket/app/operator_socket.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "../engine/temp_dir.h"
#include "docket/engine/sha256.h"

namespace docket::app {
namespace {

class OperatorSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::StoreOptions options;
    options.path = dir_.sub("store");
    options.sync = false;
    auto store = engine::EventStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto socket = OperatorSocket::start(*store_, socket_path_);
    ASSERT_TRUE(socket) << socket.error();
    socket_ = std::move(*socket);
  }

  void append(const std::string& stream) {
    engine::AppendRequest r;
    r.stream = stream;
    r.actor = {"tester", "system"};
    r.events.push_back({"Happened", 1, "payload", {}});
    ASSERT_TRUE(store_->append(std::move(r)));
  }

  // Sends `line` and returns the server's answer line.
  std::string exchange(const std::string& line) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path_.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    std::string answer;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
      answer.push_back(c);
    ::close(fd);
    return answer;
  }

  testing::TempDir dir_;
  std::string socket_path_ = dir_.sub("control.sock");
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<OperatorSocket> socket_;
};

TEST_F(OperatorSocketTest, OnlyTheOwnerMayConnectAndTheSocketGoesAwayWithTheServer) {
  struct stat st {};
  ASSERT_EQ(::stat(socket_path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  socket_.reset();
  EXPECT_FALSE(std::filesystem::exists(socket_path_));
  EXPECT_EQ(request_checkpoint(socket_path_, dir_.sub("copy")).outcome,
            CheckpointRequest::kNoServer);
}

TEST_F(OperatorSocketTest, ACheckpointHoldsEveryCommittedEventAndOpensAsAStore) {
  for (int i = 0; i < 20; ++i)
    append("case-" + std::to_string(i % 3));
  const auto tip = engine::to_hex(store_->read_event(20)->hash);
  auto reply = request_checkpoint(socket_path_, dir_.sub("copy"));
  ASSERT_EQ(reply.outcome, CheckpointRequest::kDone) << reply.message;
  EXPECT_EQ(reply.info.position, 20u);
  EXPECT_EQ(reply.info.tip, tip);
  engine::StoreOptions options;
  options.path = dir_.sub("copy");
  auto copy = engine::EventStore::open(options);
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_EQ((*copy)->last_position(), 20u);
  EXPECT_TRUE((*copy)->verify_chain().ok());
}

TEST_F(OperatorSocketTest, ABadRequestIsAnsweredWithAnErrorAndChangesNothing) {
  EXPECT_EQ(exchange("hello\n").rfind("error Expected \"checkpoint <directory>\"", 0), 0u);
  EXPECT_EQ(exchange("checkpoint relative/dir\n").rfind("error Expected an absolute", 0), 0u);
  std::filesystem::create_directories(dir_.sub("taken"));
  auto reply = request_checkpoint(socket_path_, dir_.sub("taken"));
  EXPECT_EQ(reply.outcome, CheckpointRequest::kFailed);
  EXPECT_NE(reply.message.find("exists"), std::string::npos) << reply.message;
}

}  // namespace
}  // namespace docket::app
