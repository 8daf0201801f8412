#include "docket/app/operator_socket.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace docket::app {
namespace {

constexpr std::string_view kCheckpoint = "checkpoint ";
constexpr int kRequestTimeoutMs = 10'000;
constexpr std::size_t kMaxLine = 4096;

std::string errno_text() {
  return std::strerror(errno);
}

bool fill_address(const std::string& path, sockaddr_un& address) {
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path)
    return false;
  std::memcpy(address.sun_path, path.data(), path.size());
  return true;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads one '\n'-terminated line (without it); waits at most `timeout_ms` for each read
// (-1: forever). False on timeout, error, end of stream or an over-long line.
bool read_line(int fd, std::string& line, int timeout_ms) {
  line.clear();
  char c = 0;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      return false;
    const auto n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    if (c == '\n')
      return true;
    if (line.size() >= kMaxLine)
      return false;
    line.push_back(c);
  }
}

}  // namespace

Expected<std::unique_ptr<OperatorSocket>, std::string> OperatorSocket::start(
    engine::EventStore& store, std::string path) {
  sockaddr_un address;
  if (!fill_address(path, address))
    return unexpected("Expected an operator socket path of at most " +
                      std::to_string(sizeof address.sun_path - 1) + " bytes, but " + path +
                      " is longer");
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0)
    return unexpected("Expected an operator socket, but socket() failed: " + errno_text());
  ::unlink(path.c_str());  // a stale socket of a server that ended (the store's lock is ours)
  const auto old_mask = ::umask(077);
  const int bound = ::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  ::umask(old_mask);
  if (bound != 0 || ::chmod(path.c_str(), 0600) != 0 || ::listen(listener, 4) != 0) {
    auto message = "Expected to listen on " + path + ", but " + errno_text();
    ::close(listener);
    return unexpected(std::move(message));
  }
  const int wake = ::eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    ::close(listener);
    ::unlink(path.c_str());
    return unexpected("Expected an eventfd, but " + errno_text());
  }
  std::unique_ptr<OperatorSocket> socket(
      new OperatorSocket(store, std::move(path), listener, wake));
  socket->thread_ = std::thread([s = socket.get()] { s->serve(); });
  return socket;
}

OperatorSocket::OperatorSocket(engine::EventStore& store, std::string path, int listener, int wake)
    : store_(store), path_(std::move(path)), listener_(listener), wake_(wake) {}

OperatorSocket::~OperatorSocket() {
  const std::uint64_t one = 1;
  (void)!::write(wake_, &one, sizeof one);
  if (thread_.joinable())
    thread_.join();
  ::close(listener_);
  ::close(wake_);
  ::unlink(path_.c_str());
}

void OperatorSocket::serve() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready < 0 || (fds[1].revents & POLLIN) != 0)
      return;
    if ((fds[0].revents & POLLIN) == 0)
      continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0)
      continue;
    handle(client);
    ::close(client);
  }
}

void OperatorSocket::handle(int client) {
  std::string line;
  if (!read_line(client, line, kRequestTimeoutMs))
    return;
  if (line.rfind(kCheckpoint, 0) != 0) {
    write_all(client, "error Expected \"checkpoint <directory>\", but got another request\n");
    return;
  }
  const std::string dir = line.substr(kCheckpoint.size());
  if (!std::filesystem::path(dir).is_absolute()) {
    write_all(client, "error Expected an absolute directory, but got " + dir + "\n");
    return;
  }
  auto done = engine::write_checkpoint(store_, dir);
  if (!done) {
    std::string message = done.error().message;
    for (auto& c : message) {
      if (c == '\n')
        c = ' ';
    }
    write_all(client, "error " + message + "\n");
    return;
  }
  write_all(client, "ok " + std::to_string(done->position) + " " + done->tip + "\n");
}

CheckpointReply request_checkpoint(const std::string& socket_path, const std::string& dir) {
  CheckpointReply reply;
  sockaddr_un address;
  if (!fill_address(socket_path, address)) {
    reply.message = "the socket path " + socket_path + " is too long";
    return reply;
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    reply.outcome = CheckpointRequest::kFailed;
    reply.message = "socket() failed: " + errno_text();
    return reply;
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    reply.message = "nothing answers on " + socket_path + " (" + errno_text() + ")";
    ::close(fd);
    return reply;
  }
  reply.outcome = CheckpointRequest::kFailed;
  std::string line;
  if (!write_all(fd, std::string(kCheckpoint) + dir + "\n") || !read_line(fd, line, -1)) {
    reply.message = "the server on " + socket_path + " did not answer";
    ::close(fd);
    return reply;
  }
  ::close(fd);
  if (line.rfind("error ", 0) == 0) {
    reply.message = line.substr(6);
    return reply;
  }
  const auto space = line.find(' ', 3);
  if (line.rfind("ok ", 0) != 0 || space == std::string::npos) {
    reply.message = "the server answered \"" + line + "\"";
    return reply;
  }
  try {
    reply.info.position = std::stoull(line.substr(3, space - 3));
  } catch (const std::exception&) {
    reply.message = "the server answered \"" + line + "\"";
    return reply;
  }
  reply.info.tip = line.substr(space + 1);
  reply.outcome = CheckpointRequest::kDone;
  return reply;
}

}  // namespace docket::app
