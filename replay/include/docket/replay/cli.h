// The `docket` command line, as a function, so tests can run it in-process.
//
//   docket verify  --data DIR [--no-blobs]
//   docket replay  --data DIR [--to P]
//   docket history STREAM --data DIR [--format json|table] [--at TIME | --position P] [--limit N]
//   docket state   STREAM --data DIR [--at TIME | --position P]
//   docket case    CASE-NUMBER --data DIR [--at TIME | --position P]
//   docket export  --data DIR [--from P] [--to P] [--payloads] [--output FILE]
//   docket backup  --data DIR --to DEST
//   docket restore --from BACKUP --data DIR
//   docket rebuild [PROJECTION | --all] --data DIR
//
// Every read command opens DIR as a read-only secondary (see data_dir.h) and so runs beside a
// live docketd; rebuild needs the directory stopped. backup asks the running docketd, on
// DIR/control.sock (app/operator_socket.h), for a checkpoint of its store in DEST/store (with
// no docketd running it opens the store itself), copies DIR/server.secret beside it, then
// verifies the copy, which must hold every position committed when the backup began. restore
// copies a backup into a new or empty DIR (never over a store) and verifies the result. Results go
// to `out` (JSON lines, or a table); messages and, on a terminal, a progress bar go to `err` /
// stderr.
//
// Exit codes: 0 done (verify, replay, backup, restore: every check holds); 1 verify, replay or
// the verify of a backup or restore found a problem;
// 2 the command could not run (bad arguments, no such stream or case, unreadable store).
//
// Thread-safety: reentrant.
#pragma once

#include <ostream>

namespace docket::replay {

inline constexpr int kExitOk = 0;
inline constexpr int kExitVerifyFailed = 1;
inline constexpr int kExitError = 2;

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace docket::replay
