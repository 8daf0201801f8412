// Where Docket's programs log: standard error, always. Standard output carries only what a
// program answers (docketd --print-openapi's document, docket's exports, histories and
// reports), so that a log line never lands in what a caller parses.
#pragma once

namespace docket::app {

// Makes spdlog's default logger write to standard error (it writes to standard output unless
// told otherwise). Call first thing in main().
void log_to_stderr();

}  // namespace docket::app
