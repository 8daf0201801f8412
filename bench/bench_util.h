// Shared helpers for Docket's benchmarks: JSON-lines figures, latency percentiles, temp dirs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace docket::bench {

// Prints one figure as a JSON object on its own line:
// {"name":…, "value":…, "unit":…, "baseline":…, "ratio":…}. A figure without a baseline
// (baseline <= 0) prints null for baseline and ratio.
inline void figure(const std::string& name, double value, const std::string& unit,
                   double baseline = -1) {
  if (baseline > 0) {
    std::printf(
        "{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":%.3f,\"ratio\":%.3f}\n",
        name.c_str(), value, unit.c_str(), baseline, value / baseline);
  } else {
    std::printf(
        "{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":null,\"ratio\":null}\n",
        name.c_str(), value, unit.c_str());
  }
  std::fflush(stdout);
}

inline double percentile(std::vector<double> samples, double p) {
  if (samples.empty())
    return 0;
  std::sort(samples.begin(), samples.end());
  auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[index];
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    const char* base = std::getenv("DOCKET_BENCH_DIR");
    auto root =
        base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
    auto pattern = (root / ("docket-bench-" + name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace docket::bench
