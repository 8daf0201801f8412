// docketd: Docket's server. Opens (or creates) the data directory, runs the platform's
// reactions and timers, keeps the read models current and serves the HTTP API until SIGTERM or
// SIGINT, then drains gracefully.
//
//   docketd --data DIR --listen HOST:PORT [--demo] [--threads N] [--workers N]
//           [--max-connections N] [--max-connections-per-address N] [--first-byte-timeout-ms MS]
//           [--read-workers N] [--payment-secret-file F] [--server-secret-file F]
//           [--session-cache-bytes N] [--head-cache-bytes N]
//   docketd --print-openapi      (the OpenAPI document on stdout; nothing is served)
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "docket/api/routes.h"
#include "docket/api/server.h"
#include "docket/app/data_directory.h"
#include "docket/app/demo.h"
#include "docket/app/logging.h"
#include "docket/app/operator_socket.h"
#include "docket/app/platform.h"
#include "docket/app/secret_source.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"
#include "docket/engine/sha256.h"

namespace {

// Reads the server secret (hex) from `path`, creating it with 32 random bytes (mode 0600) when
// it does not exist. Returns the raw secret, or an error text.
docket::Expected<std::string, std::string> server_secret(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    const auto secret = docket::app::SodiumSecrets::random_bytes(32);
    const auto hex = docket::engine::to_hex(secret);
    const auto old_mask = ::umask(077);
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << hex << "\n";
      if (!out)
        return docket::unexpected("Expected to write the server secret to " + path +
                                  ", but could not");
    }
    ::umask(old_mask);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    spdlog::info("generated a new server secret in {}", path);
    return secret;
  }
  std::ifstream in(path, std::ios::binary);
  std::string hex;
  in >> hex;
  if (hex.size() < 64 || hex.size() % 2 != 0)
    return docket::unexpected("Expected the server secret in " + path +
                              " to be at least 64 hex characters, but it is not");
  std::string secret;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    if (std::sscanf(hex.c_str() + i, "%2x", &value) != 1)
      return docket::unexpected("Expected hex in " + path + ", but it is not");
    secret.push_back(static_cast<char>(value));
  }
  return secret;
}

// The route table's OpenAPI document on stdout. The route table needs a store to exist, so one
// is opened in a fresh temporary directory and removed afterwards; nothing listens.
int print_openapi_document() {
  namespace fs = std::filesystem;
  spdlog::set_level(spdlog::level::off);  // stdout carries the document alone
  std::string pattern = (fs::temp_directory_path() / "docketd-openapi-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "Expected a temporary directory for the route table, but could not make one\n";
    return 1;
  }
  int rc = 0;
  {
    docket::engine::StoreOptions store_options;
    store_options.path = (fs::path(pattern) / "store").string();
    auto store = docket::engine::EventStore::open(store_options);
    if (!store) {
      std::cerr << "Expected a temporary store, but " << store.error().message << "\n";
      rc = 1;
    } else {
      docket::app::SodiumSecrets secrets(docket::app::SodiumSecrets::random_bytes(32));
      docket::app::Platform platform(**store, secrets);
      docket::api::ServerOptions options;
      options.run_platform = false;
      docket::api::DocketServer server(**store, platform, options);
      std::cout << boost::json::serialize(docket::api::openapi_document(server.routes())) << "\n";
    }
  }
  std::error_code ec;
  fs::remove_all(pattern, ec);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  docket::app::log_to_stderr();  // standard output is for --print-openapi alone
  // Everything docketd creates (the store, the secret, the operator socket) is its owner's alone.
  docket::app::restrict_new_files();
  // Buffers of 256 KiB and more (request bodies, events, files) are mapped and returned to the
  // system when freed. Left to itself, glibc raises that threshold to the largest buffer freed,
  // after which such buffers stay in each thread's arena: a few 4 MB requests on 64 workers
  // kept hundreds of megabytes. Fewer arenas bound what the threads keep between them.
  ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  ::mallopt(M_ARENA_MAX, 8);
  CLI::App cli{"docketd: Docket's HTTP/JSON server"};
  std::string data;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t workers = 64;
  std::size_t max_connections = 1024;
  std::size_t max_per_address = docket::api::HttpServerOptions{}.max_connections_per_address;
  std::size_t first_byte_timeout_ms =
      static_cast<std::size_t>(docket::api::HttpServerOptions{}.first_byte_timeout.count());
  std::size_t read_workers = docket::api::ServerOptions{}.read_workers;
  std::string payment_secret_file;
  std::string secret_file;
  std::size_t session_cache_bytes = docket::api::ServerOptions{}.session_cache_bytes;
  std::size_t head_cache_bytes = docket::engine::StoreOptions{}.head_cache_bytes;
  bool print_openapi = false;
  cli.add_flag("--print-openapi", print_openapi,
               "print the OpenAPI document (GET /v1/openapi.json) and exit, without serving");
  cli.add_option("--data", data, "data directory (created when missing)");
  cli.add_option("--listen", listen, "HOST:PORT to listen on");
  cli.add_flag("--demo", demo, "bootstrap the demo court and print its logins");
  cli.add_option("--threads", threads, "io threads (default: the number of cores)");
  cli.add_option("--workers", workers, "worker threads for commands");
  cli.add_option("--max-connections", max_connections, "open connections at most");
  cli.add_option("--max-connections-per-address", max_per_address,
                 "open connections from one client address at most");
  cli.add_option("--first-byte-timeout-ms", first_byte_timeout_ms,
                 "how long a connection may stay silent before a request (milliseconds)");
  cli.add_option("--read-workers", read_workers, "threads for reads that may block");
  cli.add_option("--payment-secret-file", payment_secret_file,
                 "file holding the secret of the payment callback's HMAC signatures (or the "
                 "environment variable DOCKET_PAYMENT_SECRET; never a command-line value, which "
                 "every local user can read)");
  cli.add_option("--server-secret-file", secret_file,
                 "file holding the server secret (default: DATA/server.secret; generated with "
                 "mode 0600 when missing)");
  cli.add_option("--session-cache-bytes", session_cache_bytes,
                 "bytes the cache of live sessions may take");
  cli.add_option("--head-cache-bytes", head_cache_bytes,
                 "bytes the store writer's cache of stream heads may take");
  CLI11_PARSE(cli, argc, argv);
  if (print_openapi)
    return print_openapi_document();
  if (data.empty()) {
    std::cerr << "Expected --data DIR, but it is missing\n";
    return 2;
  }

  auto payment_secret = docket::app::read_secret(payment_secret_file, "DOCKET_PAYMENT_SECRET");
  if (!payment_secret) {
    std::cerr << payment_secret.error() << "\n";
    return 2;
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "Expected --listen HOST:PORT, but got " << listen << "\n";
    return 2;
  }
  docket::api::ServerOptions options;
  options.http.host = listen.substr(0, colon);
  try {
    options.http.port = static_cast<std::uint16_t>(std::stoul(listen.substr(colon + 1)));
  } catch (const std::exception&) {
    std::cerr << "Expected a port number in --listen, but got " << listen << "\n";
    return 2;
  }
  options.http.threads = threads;
  options.http.max_connections = max_connections;
  options.http.max_connections_per_address = max_per_address;
  options.http.first_byte_timeout = std::chrono::milliseconds(first_byte_timeout_ms);
  options.read_workers = read_workers;
  options.session_cache_bytes = session_cache_bytes;
  options.workers = workers;
  options.payment_secret = *payment_secret;

  auto secured = docket::app::secure_data_directory(data);
  if (!secured) {
    std::cerr << secured.error() << "\n";
    return 1;
  }
  for (const auto& line : *secured)
    spdlog::warn("the data directory was readable by others; narrowed to its owner: {}", line);
  if (secret_file.empty())
    secret_file = (std::filesystem::path(data) / "server.secret").string();
  auto secret = server_secret(secret_file);
  if (!secret) {
    std::cerr << secret.error() << "\n";
    return 1;
  }

  // Block the termination signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  docket::engine::StoreOptions store_options;
  store_options.path = (std::filesystem::path(data) / "store").string();
  store_options.head_cache_bytes = head_cache_bytes;
  auto store = docket::engine::EventStore::open(store_options);
  if (!store) {
    std::cerr << "Expected to open the store in " << store_options.path << ", but "
              << store.error().message << "\n";
    if (store.error().code == docket::engine::ErrorCode::kUnavailable) {
      // Opening writes (RocksDB replays its log into a table file and starts a new log), so
      // there is no read-only start on a full disk; a running docketd keeps serving reads.
      std::cerr << "docketd does not start while the store's disk is full: free space there and "
                   "start it again.\n";
    }
    return 1;
  }
  docket::app::SodiumSecrets secrets(*secret);
  docket::app::PlatformOptions platform_options;
  // Snapshots are sealed with a key only the server holds, so an edited one is refused.
  platform_options.runner.snapshot_key =
      docket::app::SodiumSecrets::hmac_sha256_hex(*secret, "docket snapshot seal");
  docket::app::Platform platform(**store, secrets, platform_options);

  if (demo) {
    docket::app::DemoOptions demo_options;
    // Derived from the server secret, so the demo court system's key is the same every run.
    demo_options.court_system_api_key =
        "demo-court-system-" +
        docket::app::SodiumSecrets::hmac_sha256_hex(*secret, "demo court system api key");
    demo_options.identity_verification_required = true;
    auto logins = docket::app::bootstrap_demo(platform, demo_options);
    if (!logins) {
      std::cerr << "Expected the demo court to bootstrap, but "
                << docket::app::failure_message(logins.error()) << "\n";
      return 1;
    }
    std::cout << "Demo court " << docket::app::kDemoCourt << " — logins:\n";
    for (const auto& l : *logins) {
      std::cout << "  " << l.role << "\t" << l.login << "\t" << l.name;
      if (!l.court.empty())
        std::cout << " (" << l.court << ")";
      std::cout << "\t" << (l.role == "court_system" ? "api key: " : "password: ")
                << (l.secret_known             ? l.secret
                    : l.role == "court_system" ? "(shown only when issued)"
                                               : "(changed since it was issued)")
                << "\n";
    }
    std::cout << "Log in: curl -s -X POST http://" << listen
              << "/v1/sessions -d '{\"login\":\"<login>\",\"password\":\"<password>\"}'\n";
    if (payment_secret->empty())
      std::cout
          << "Payment callbacks are off (no --payment-secret-file or DOCKET_PAYMENT_SECRET).\n";
    std::cout.flush();
  }

  // `docket backup` asks for checkpoints of the store here.
  auto control = docket::app::OperatorSocket::start(
      **store, (std::filesystem::path(data) / docket::app::kOperatorSocketName).string());
  if (!control)
    spdlog::warn("no operator socket, so docket backup needs docketd stopped: {}", control.error());

  docket::api::DocketServer server(**store, platform, options);
  if (auto started = server.start(); !started) {
    std::cerr << started.error() << "\n";
    return 1;
  }
  std::cout << "docketd listening on " << options.http.host << ":" << server.port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {}: draining", received);
  server.stop();
  return 0;
}
