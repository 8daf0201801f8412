// OperatorSocket: a Unix socket in the data directory (DATA/control.sock, mode 0600) on which
// the operator's tool asks the running server for what only the server can do: a checkpoint of
// its store (`docket backup`). Only the owner of the data directory can connect.
//
// One request per connection, one line each way:
//   → "checkpoint <absolute directory>\n"
//   ← "ok <last position> <tip hex>\n"  or  "error <message>\n"
// The checkpoint is engine::write_checkpoint, so it holds every append acknowledged before the
// request arrived. Requests are served one at a time on the socket's own thread; a client that
// sends nothing for 10 s is dropped.
//
// Thread-safety: start() and the destructor from one thread; request_checkpoint() from any.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "docket/common/expected.h"
#include "docket/engine/event_store.h"
#include "docket/engine/store_checkpoint.h"

namespace docket::app {

inline constexpr std::string_view kOperatorSocketName = "control.sock";

class OperatorSocket {
 public:
  // Listens on `path` (a stale socket file there is replaced) for requests on `store`, which
  // must outlive the socket. Error text when the socket cannot be made.
  static Expected<std::unique_ptr<OperatorSocket>, std::string> start(engine::EventStore& store,
                                                                      std::string path);
  // Stops serving (a request in progress finishes first) and removes the socket file.
  ~OperatorSocket();
  OperatorSocket(const OperatorSocket&) = delete;
  OperatorSocket& operator=(const OperatorSocket&) = delete;

  const std::string& path() const { return path_; }

 private:
  OperatorSocket(engine::EventStore& store, std::string path, int listener, int wake);
  void serve();
  void handle(int client);

  engine::EventStore& store_;
  std::string path_;
  int listener_;
  int wake_;  // eventfd that ends serve()
  std::thread thread_;
};

// What asking a server for a checkpoint came to.
enum class CheckpointRequest : std::uint8_t {
  kDone,      // the server wrote it
  kNoServer,  // nothing listens on the socket (no file, or nobody accepts)
  kFailed,    // the server answered with an error, or the exchange broke
};

struct CheckpointReply {
  CheckpointRequest outcome = CheckpointRequest::kNoServer;
  engine::CheckpointInfo info;  // when kDone
  std::string message;          // when not kDone
};

// Asks the server listening on `socket_path` to write a checkpoint of its store into `dir` (an
// absolute path that must not exist). Blocks until the server answers.
CheckpointReply request_checkpoint(const std::string& socket_path, const std::string& dir);

}  // namespace docket::app
