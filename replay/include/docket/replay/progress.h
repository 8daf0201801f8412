// Progress: a one-line progress bar (count, events/s, ETA) for long runs.
//
// It draws on a terminal only: when `stream` is not a TTY (piped, redirected, a test) nothing is
// written, so scripts see plain output. Redraws at most ten times a second; finish() clears
// the line. Not thread-safe: one thread drives a Progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace docket::replay {

class Progress {
 public:
  // `total`: the expected count (0: unknown, then no percentage and no ETA). `enabled` is
  // combined with isatty(stream); pass false to silence it outright.
  Progress(std::string label, std::uint64_t total, std::FILE* stream = stderr, bool enabled = true);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Starts a new phase with its own label and total.
  void restart(std::string label, std::uint64_t total);
  void advance(std::uint64_t count = 1);
  void set(std::uint64_t done);
  void finish();

  bool drawing() const { return drawing_; }
  std::uint64_t done() const { return done_; }

  // The line that would be drawn for `done` of `total` after `seconds` (for tests).
  static std::string render(const std::string& label, std::uint64_t done, std::uint64_t total,
                            double seconds);

 private:
  void draw(bool force);

  std::string label_;
  std::uint64_t total_;
  std::FILE* stream_;
  bool drawing_;
  bool drawn_ = false;
  std::uint64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace docket::replay
