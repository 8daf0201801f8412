#include "docket/replay/cli.h"

#include <fcntl.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "docket/app/operator_socket.h"
#include "docket/engine/store_checkpoint.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"
#include "docket/replay/case_view.h"
#include "docket/replay/data_dir.h"
#include "docket/replay/history.h"
#include "docket/replay/replay.h"
#include "docket/replay/state_json.h"
#include "docket/replay/time_format.h"
#include "docket/replay/verify.h"

namespace docket::replay {

namespace json = boost::json;

namespace {

struct MomentArgs {
  std::string at;
  std::optional<std::uint64_t> position;

  void add(CLI::App& command) {
    auto* at_opt =
        command.add_option("--at", at,
                           "as of this time: 2026-01-05 (end of that day, court time UTC+8), "
                           "2026-01-05T10:30:00+08:00, 2026-01-05T02:30:00Z or @<microseconds>");
    auto* pos_opt = command.add_option("--position", position, "as of this log position");
    at_opt->excludes(pos_opt);
  }

  Expected<Moment, std::string> moment() const {
    if (position)
      return Moment::at_position(*position);
    if (at.empty())
      return Moment::latest();
    auto t = parse_time(at);
    if (!t)
      return unexpected(t.error());
    return Moment::at_time(*t);
  }
};

class Cli {
 public:
  Cli(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  int run(int argc, const char* const* argv) {
    CLI::App app{"docket: the auditors' tool — verify, read and export a Docket data directory",
                 "docket"};
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--data", data_, "the data directory of docketd")->required();
    app.add_flag("--no-progress", no_progress_, "never draw a progress bar");
    app.footer(
        "Read commands and backup run beside a running docketd; restore and rebuild need it "
        "stopped.\n"
        "Exit codes: 0 done, 1 verify found a problem, 2 the command could not run.");

    auto* verify = app.add_subcommand("verify", "check the hash chain, indexes and blobs");
    verify->add_flag("--no-blobs", no_blobs_, "skip re-hashing the blobs");

    auto* replay = app.add_subcommand(
        "replay", "replay the whole log as a fresh server would (chain, decode, evolve)");
    replay->add_option("--to", to_, "last position (default: the end)");

    auto* history = app.add_subcommand("history", "a stream's events as JSON lines or a table");
    history->add_option("stream", stream_, "the stream, e.g. filing-…")->required();
    history->add_option("--format", format_, "json (JSON lines) or table")
        ->check(CLI::IsMember({"json", "table"}));
    history->add_option("--limit", limit_, "at most this many events");
    MomentArgs history_moment;
    history_moment.add(*history);

    auto* state = app.add_subcommand("state", "an aggregate's state at a moment, as JSON");
    state->add_option("stream", stream_, "the stream, e.g. case-(2026)渝0103民初1号")->required();
    MomentArgs state_moment;
    state_moment.add(*state);

    auto* case_cmd = app.add_subcommand("case", "everything about one case at a moment, as JSON");
    case_cmd->add_option("case_number", case_number_, "the case number")->required();
    MomentArgs case_moment;
    case_moment.add(*case_cmd);

    auto* export_cmd = app.add_subcommand("export", "the log as JSON lines with hashes");
    export_cmd->add_option("--from", from_, "first position (default 1)");
    export_cmd->add_option("--to", to_, "last position (default: the end)");
    export_cmd->add_flag("--payloads", payloads_, "add each record's rendered payload");
    export_cmd->add_option("--output,-o", output_, "write to this file instead of stdout");

    auto* backup = app.add_subcommand(
        "backup", "copy the data directory into a new one, beside a running docketd, and verify");
    backup->add_option("--to", to_dir_, "the backup directory to create (new or empty)")
        ->required();

    auto* restore = app.add_subcommand(
        "restore", "copy a backup into a new or empty data directory (docketd stopped), verify");
    restore->add_option("--from", from_dir_, "the backup directory")->required();

    auto* rebuild = app.add_subcommand("rebuild", "rebuild projections (docketd stopped)");
    rebuild->add_option("projection", projection_, "the projection to rebuild");
    auto* all = rebuild->add_flag("--all", all_, "rebuild every projection");
    all->excludes(rebuild->get_option("projection"));

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = app.exit(e, out_, err_);
      return code == 0 ? kExitOk : kExitError;
    }
    if (verify->parsed())
      return run_verify();
    if (replay->parsed())
      return run_replay();
    if (history->parsed())
      return with_moment(history_moment, [&](const Moment& m) { return run_history(m); });
    if (state->parsed())
      return with_moment(state_moment, [&](const Moment& m) { return run_state(m); });
    if (case_cmd->parsed())
      return with_moment(case_moment, [&](const Moment& m) { return run_case(m); });
    if (export_cmd->parsed())
      return run_export();
    if (backup->parsed())
      return run_backup();
    if (restore->parsed())
      return run_restore();
    if (rebuild->parsed()) {
      if (!all_ && projection_.empty())
        return fail("Expected a projection name or --all, but got neither");
      return run_rebuild();
    }
    return fail("Expected a command, but got none");
  }

 private:
  template <class F>
  int with_moment(const MomentArgs& args, F&& f) {
    auto moment = args.moment();
    if (!moment)
      return fail(moment.error());
    return f(*moment);
  }

  int fail(const std::string& message) {
    err_ << "docket: " << message << '\n';
    return kExitError;
  }
  int fail(const engine::Error& error) { return fail(error.message); }

  std::unique_ptr<ReadOnlyStore> open() {
    auto store = ReadOnlyStore::open(data_);
    if (!store) {
      fail(store.error());
      return nullptr;
    }
    return std::move(*store);
  }

  int run_verify() {
    auto store = open();
    if (!store)
      return kExitError;
    Progress progress("verify", 0, stderr, !no_progress_);
    VerifyOptions options;
    options.blobs = !no_blobs_;
    options.progress = &progress;
    auto report = verify_store(store->store(), options);
    progress.finish();
    if (!report)
      return fail(report.error());
    out_ << json::serialize(report->to_json()) << '\n';
    return tell(*report);
  }

  // Says what a verify found on stderr; the exit code that follows from it.
  int tell(const VerifyReport& report) {
    if (report.ok()) {
      err_ << "docket: verified " << report.records << " records, " << report.streams
           << " streams, " << report.blobs << " blobs; tip " << report.tip << '\n';
      return kExitOk;
    }
    for (const auto& f : report.findings) {
      err_ << "docket: " << f.check << " check failed";
      if (f.position)
        err_ << " at position " << *f.position;
      if (!f.stream.empty())
        err_ << " in stream " << f.stream;
      if (!f.blob.empty())
        err_ << " for blob " << f.blob;
      err_ << ": " << f.message << '\n';
    }
    return kExitVerifyFailed;
  }

  int run_replay() {
    auto store = open();
    if (!store)
      return kExitError;
    Progress progress("replay", 0, stderr, !no_progress_);
    const auto start = std::chrono::steady_clock::now();
    auto stats = replay_log(store->store(), to_.value_or(UINT64_MAX), &progress);
    progress.finish();
    if (!stats)
      return fail(stats.error());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    json::object body{
        {"ok", !stats->failure.has_value()}, {"events", stats->events}, {"folded", stats->folded},
        {"streams", stats->streams},         {"tip", stats->tip},       {"seconds", seconds}};
    if (stats->failure) {
      body.emplace("position", *stats->failure->position);
      body.emplace("message", stats->failure->message);
    }
    out_ << json::serialize(body) << '\n';
    if (stats->failure) {
      err_ << "docket: replay stopped at position " << *stats->failure->position << ": "
           << stats->failure->message << '\n';
      return kExitVerifyFailed;
    }
    err_ << "docket: replayed " << stats->events << " events into " << stats->streams
         << " streams; tip " << stats->tip << '\n';
    return kExitOk;
  }

  int run_history(const Moment& moment) {
    auto store = open();
    if (!store)
      return kExitError;
    HistoryOptions options;
    options.format = format_ == "table" ? OutputFormat::kTable : OutputFormat::kJsonLines;
    options.until = moment;
    if (limit_)
      options.limit = *limit_;
    auto written = write_history(store->store(), stream_, options, out_);
    if (!written)
      return fail(written.error());
    return kExitOk;
  }

  int run_state(const Moment& moment) {
    auto store = open();
    if (!store)
      return kExitError;
    auto state = state_at(store->store(), stream_, moment);
    if (!state)
      return fail(state.error());
    auto body = state->to_json();
    body.emplace("as_of", moment.to_json());
    out_ << json::serialize(body) << '\n';
    return kExitOk;
  }

  int run_case(const Moment& moment) {
    auto store = open();
    if (!store)
      return kExitError;
    auto view = case_at(store->store(), case_number_, moment);
    if (!view)
      return fail(view.error());
    out_ << json::serialize(*view) << '\n';
    return kExitOk;
  }

  int run_export() {
    auto store = open();
    if (!store)
      return kExitError;
    Progress progress("export", 0, stderr, !no_progress_);
    ExportOptions options;
    options.from = from_.value_or(1);
    options.to = to_.value_or(UINT64_MAX);
    options.payloads = payloads_;
    options.progress = &progress;
    std::ofstream file;
    std::ostream* sink = &out_;
    if (!output_.empty()) {
      file.open(output_, std::ios::binary | std::ios::trunc);
      if (!file)
        return fail("Expected to write " + output_ + ", but it cannot be opened");
      sink = &file;
    }
    auto summary = write_export(store->store(), options, *sink);
    progress.finish();
    if (!summary)
      return fail(summary.error());
    sink->flush();
    if (!*sink)
      return fail("Expected to write the export, but the output failed");
    err_ << "docket: exported positions " << summary->from << " … " << summary->to << " ("
         << summary->records << " records); tip " << summary->tip << '\n';
    return kExitOk;
  }

  // Verifies the data directory `dir` (opened as a secondary) and prints `summary` with the
  // report under "verify".
  int verify_copy(const std::string& dir, json::object summary,
                  std::optional<std::uint64_t> at_least = std::nullopt) {
    auto copy = ReadOnlyStore::open(dir);
    if (!copy)
      return fail(copy.error());
    Progress progress("verify", 0, stderr, !no_progress_);
    VerifyOptions options;
    options.progress = &progress;
    auto report = verify_store((*copy)->store(), options);
    progress.finish();
    if (!report)
      return fail(report.error());
    if (at_least && report->last_position < *at_least) {
      report->findings.push_back(VerifyFinding{
          "backup",
          report->last_position,
          {},
          {},
          "Expected the copy to hold every event up to position " + std::to_string(*at_least) +
              ", but it ends at " + std::to_string(report->last_position)});
    }
    summary.emplace("verify", report->to_json());
    out_ << json::serialize(summary) << '\n';
    return tell(*report);
  }

  int run_backup() {
    namespace fs = std::filesystem;
    auto source = store_path(data_);
    if (!source)
      return fail(source.error());
    std::error_code ec;
    const fs::path to = fs::absolute(to_dir_, ec);
    if (fs::exists(to, ec) && !fs::is_empty(to, ec))
      return fail("Expected a new or empty backup directory, but " + to.string() + " holds files");
    fs::create_directories(to, ec);
    if (ec)
      return fail("Expected to create " + to.string() + ", but " + ec.message());
    const fs::path store_copy = to / "store";
    const auto socket = (fs::path(data_) / app::kOperatorSocketName).string();
    // The running server makes the checkpoint; with none, this process opens the store itself.
    auto reply = app::request_checkpoint(socket, store_copy.string());
    std::string by = "docketd";
    if (reply.outcome == app::CheckpointRequest::kNoServer) {
      auto store = open_stopped(data_);
      if (!store)
        return fail(store.error().message + " (and " + reply.message + ")");
      auto done = engine::write_checkpoint(**store, store_copy.string());
      if (!done)
        return fail(done.error());
      reply.info = *done;
      reply.outcome = app::CheckpointRequest::kDone;
      by = "docket";
    }
    if (reply.outcome != app::CheckpointRequest::kDone)
      return fail("Expected docketd to write a checkpoint into " + store_copy.string() + ", but " +
                  reply.message);
    const fs::path secret = fs::path(data_) / "server.secret";
    if (fs::exists(secret, ec)) {
      fs::copy_file(secret, to / "server.secret", ec);
      fs::permissions(to / "server.secret", fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
      if (ec)
        return fail("Expected to copy " + secret.string() + " into the backup, but " +
                    ec.message());
    }
    sync_tree(to);
    err_ << "docket: backup of positions 1 … " << reply.info.position << " written to "
         << to.string() << " by " << by << "; verifying it\n";
    return verify_copy(to.string(),
                       json::object{{"backup", to.string()},
                                    {"position", reply.info.position},
                                    {"tip", reply.info.tip},
                                    {"written_by", by}},
                       reply.info.position);
  }

  int run_restore() {
    namespace fs = std::filesystem;
    auto source = store_path(from_dir_);
    if (!source)
      return fail(source.error());
    std::error_code ec;
    const fs::path to = fs::absolute(data_, ec);
    if (fs::exists(to, ec) && !fs::is_empty(to, ec))
      return fail("Expected a new or empty data directory to restore into, but " + to.string() +
                  " holds files (a live or earlier store is never overwritten)");
    fs::create_directories(to, ec);
    if (!ec)
      fs::copy(*source, to / "store", fs::copy_options::recursive, ec);
    const fs::path secret = fs::path(from_dir_) / "server.secret";
    if (!ec && fs::exists(secret)) {
      fs::copy_file(secret, to / "server.secret", ec);
      fs::permissions(to / "server.secret", fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
    }
    if (ec)
      return fail("Expected to copy the backup into " + to.string() + ", but " + ec.message());
    sync_tree(to);
    err_ << "docket: restored " << from_dir_ << " into " << to.string() << "; verifying it\n";
    return verify_copy(to.string(), json::object{{"restored", to.string()}, {"from", from_dir_}});
  }

  // fsyncs every file and directory under `root`, so a finished copy survives a crash.
  static void sync_tree(const std::filesystem::path& root) {
    auto sync = [](const std::filesystem::path& p) {
      const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
      }
    };
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end;
         it.increment(ec))
      sync(it->path());
    sync(root);
    sync(root.parent_path());
  }

  int run_rebuild() {
    auto store = open_stopped(data_);
    if (!store)
      return fail(store.error());
    projections::Projector projector(**store, projections::standard_projections());
    auto names = projector.names();
    if (!all_ && std::find(names.begin(), names.end(), projection_) == names.end()) {
      std::string known;
      for (const auto& n : names)
        known += (known.empty() ? "" : ", ") + n;
      return fail("Expected a projection (" + known + "), but got \"" + projection_ + "\"");
    }
    const auto last = (*store)->last_position();
    const auto start = std::chrono::steady_clock::now();
    std::atomic<bool> done{false};
    std::thread watcher([&] {
      Progress progress(all_ ? "rebuild" : "rebuild " + projection_, last, stderr, !no_progress_);
      while (!done.load() && progress.drawing()) {
        progress.set(all_ ? projector.position() : projector.checkpoint(projection_).value_or(0));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    auto result = all_ ? projector.rebuild_all() : projector.rebuild(projection_);
    done = true;
    watcher.join();
    if (!result)
      return fail(result.error());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    json::array rebuilt;
    if (all_) {
      for (const auto& n : names)
        rebuilt.push_back(json::string(n));
    } else {
      rebuilt.push_back(json::string(projection_));
    }
    out_ << json::serialize(json::object{
                {"rebuilt", std::move(rebuilt)}, {"position", last}, {"seconds", seconds}})
         << '\n';
    return kExitOk;
  }

  std::ostream& out_;
  std::ostream& err_;
  std::string data_;
  bool no_progress_ = false;
  bool no_blobs_ = false;
  std::string stream_;
  std::string format_ = "json";
  std::optional<std::uint64_t> limit_;
  std::string case_number_;
  std::optional<std::uint64_t> from_;
  std::optional<std::uint64_t> to_;
  bool payloads_ = false;
  std::string output_;
  std::string projection_;
  bool all_ = false;
  std::string to_dir_;
  std::string from_dir_;
};

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  try {
    Cli cli(out, err);
    return cli.run(argc, argv);
  } catch (const std::exception& e) {  // library exceptions stop at the edge
    err << "docket: " << e.what() << '\n';
    return kExitError;
  }
}

}  // namespace docket::replay
