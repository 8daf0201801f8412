// A child process for the crash test: appends under load from several threads and reports each
// acknowledged append on stdout, until it is killed.
//
//   crash_writer DATA_DIR ROUND
//
// Each line: "ack <first> <last> <stream> <version>", written with one write(2) after the
// append returned, so whatever the parent reads was acknowledged.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "docket/engine/event_store.h"

int main(int argc, char** argv) {
  using namespace docket::engine;
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer DATA_DIR ROUND\n");
    return 2;
  }
  StoreOptions options;
  options.path = argv[1];
  auto store = EventStore::open(options);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const std::string round = argv[2];
  // Tell the parent the store is open: its random kill timer starts now.
  if (::write(STDOUT_FILENO, "ready\n", 6) != 6)
    _exit(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "crash-" + std::to_string(t);
      auto version = (*store)->stream_version(stream);
      if (!version)
        return;
      std::uint64_t v = *version;
      for (std::uint64_t i = 0;; ++i) {
        AppendRequest r;
        r.stream = stream;
        r.expected = ExpectedVersion::exact(v);
        r.idempotency_key = "crash/" + round + "/" + std::to_string(t) + "/" + std::to_string(i);
        const int n = 1 + static_cast<int>(i % 3);
        for (int k = 0; k < n; ++k)
          r.events.push_back({"Written", 1, std::string(300, static_cast<char>('a' + k)), {}});
        auto result = (*store)->append(std::move(r));
        if (!result) {
          std::fprintf(stderr, "append: %s\n", result.error().message.c_str());
          _exit(3);
        }
        v = result->stream_version;
        char line[256];
        int len = std::snprintf(line, sizeof line, "ack %llu %llu %s %llu\n",
                                static_cast<unsigned long long>(result->first_position),
                                static_cast<unsigned long long>(result->last_position),
                                stream.c_str(), static_cast<unsigned long long>(v));
        if (::write(STDOUT_FILENO, line, static_cast<std::size_t>(len)) != len)
          _exit(4);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  return 0;
}
