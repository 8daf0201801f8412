// Metrics: request counters and latency histograms per route, rendered with the store's writer
// statistics, the read models' lag and the edge's connection counts as Prometheus text.
// Lock-free on the request path (atomics per route slot). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace docket::api {

class Metrics {
 public:
  static constexpr std::array<double, 14> kBuckets = {
      0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  // Slots for `routes` named routes plus one for requests that matched none.
  void resize(const std::vector<std::string>& operations);
  std::size_t unmatched_slot() const { return slots_.size() - 1; }

  void observe(std::size_t slot, unsigned status, double seconds);

  // Appends the request metrics in Prometheus text format.
  void render(std::string& out) const;

  // A gauge or counter line helper: "# HELP", "# TYPE" and one sample.
  static void sample(std::string& out, const std::string& name, const std::string& type,
                     const std::string& help, double value);

 private:
  struct Slot {
    std::string operation;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace docket::api
