#include "docket/replay/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace docket::replay {
namespace {

std::string human_count(double v) {
  char buffer[32];
  if (v >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.1fM", v / 1e6);
  else if (v >= 1e4)
    std::snprintf(buffer, sizeof buffer, "%.1fk", v / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  return buffer;
}

std::string clock_text(double seconds) {
  auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", s / 60, s % 60);
  return buffer;
}

}  // namespace

Progress::Progress(std::string label, std::uint64_t total, std::FILE* stream, bool enabled)
    : label_(std::move(label)),
      total_(total),
      stream_(stream),
      drawing_(enabled && stream != nullptr && ::isatty(::fileno(stream)) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  finish();
}

void Progress::restart(std::string label, std::uint64_t total) {
  finish();
  label_ = std::move(label);
  total_ = total;
  done_ = 0;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  draw(true);  // show the phase at once, even if it never advances (e.g. the chain check)
}

void Progress::advance(std::uint64_t count) {
  done_ += count;
  draw(false);
}

void Progress::set(std::uint64_t done) {
  done_ = done;
  draw(false);
}

void Progress::finish() {
  if (drawn_) {
    std::fputs("\r\033[2K", stream_);
    std::fflush(stream_);
    drawn_ = false;
  }
}

void Progress::draw(bool force) {
  if (!drawing_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  auto line = render(label_, done_, total_, std::chrono::duration<double>(now - start_).count());
  std::fprintf(stream_, "\r\033[2K%s", line.c_str());
  std::fflush(stream_);
  drawn_ = true;
}

std::string Progress::render(const std::string& label, std::uint64_t done, std::uint64_t total,
                             double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string line = label + " ";
  if (total > 0) {
    constexpr int kWidth = 24;
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3.0f%% ", fraction * 100);
    line += pct;
    line += human_count(static_cast<double>(done)) + "/" + human_count(static_cast<double>(total));
  } else {
    line += human_count(static_cast<double>(done));
  }
  line += " " + human_count(rate) + " events/s";
  if (total > 0 && rate > 0 && done < total)
    line += " ETA " + clock_text(static_cast<double>(total - done) / rate);
  return line;
}

}  // namespace docket::replay
