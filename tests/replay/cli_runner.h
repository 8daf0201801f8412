// Helpers to run the `docket` CLI in-process (run_cli) and as a real child process.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "docket/replay/cli.h"

namespace docket::replay::testing {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// run_cli in this process, with argv[0] = "docket".
inline CliResult run(std::vector<std::string> args) {
  args.insert(args.begin(), "docket");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliResult r;
  r.code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// Runs a shell command line; returns its exit code and its stdout and stderr together.
inline CliResult shell(const std::string& command) {
  CliResult r;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr)
    return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    r.out.append(buffer, n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Splits output into its non-empty lines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      out.push_back(line);
  }
  return out;
}

}  // namespace docket::replay::testing
