#include "metrics.h"

#include <cstdio>

namespace docket::api {

namespace {

std::string number(double v, const char* format = "%.17g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

void Metrics::resize(const std::vector<std::string>& operations) {
  slots_.clear();
  for (const auto& op : operations) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->operation = op;
  }
  slots_.push_back(std::make_unique<Slot>());
  slots_.back()->operation = "unmatched";
}

void Metrics::observe(std::size_t slot, unsigned status, double seconds) {
  if (slot >= slots_.size())
    slot = slots_.size() - 1;
  auto& s = *slots_[slot];
  const auto cls = status / 100;
  if (cls >= 1 && cls <= 5)
    s.by_class[cls - 1].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b])
    ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::sample(std::string& out, const std::string& name, const std::string& type,
                     const std::string& help, double value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
         number(value) + "\n";
}

void Metrics::render(std::string& out) const {
  out +=
      "# HELP docket_http_requests_total HTTP requests answered, by route and status class.\n"
      "# TYPE docket_http_requests_total counter\n";
  for (const auto& s : slots_) {
    for (std::size_t c = 0; c < s->by_class.size(); ++c) {
      const auto n = s->by_class[c].load(std::memory_order_relaxed);
      if (n == 0)
        continue;
      out += "docket_http_requests_total{operation=\"" + s->operation + "\",status=\"" +
             std::to_string(c + 1) + "xx\"} " + std::to_string(n) + "\n";
    }
  }
  out +=
      "# HELP docket_http_request_duration_seconds Time from a request's arrival to its reply, "
      "by route.\n"
      "# TYPE docket_http_request_duration_seconds histogram\n";
  for (const auto& s : slots_) {
    const auto count = s->count.load(std::memory_order_relaxed);
    if (count == 0)
      continue;
    std::uint64_t cumulative = 0;
    const std::string label = "operation=\"" + s->operation + "\"";
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s->buckets[b].load(std::memory_order_relaxed);
      out += "docket_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             number(kBuckets[b], "%g") + "\"} " + std::to_string(cumulative) + "\n";
    }
    cumulative += s->buckets[kBuckets.size()].load(std::memory_order_relaxed);
    out += "docket_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(cumulative) + "\n";
    out += "docket_http_request_duration_seconds_sum{" + label + "} " +
           number(static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    out += "docket_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(cumulative) + "\n";
  }
}

}  // namespace docket::api
