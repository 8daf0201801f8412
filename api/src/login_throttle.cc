#include "docket/api/login_throttle.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace docket::api {

namespace {

std::string account_key(std::string_view source, std::string_view account) {
  std::string k = "p";
  k.push_back('\0');
  k.append(source);
  k.push_back('\0');
  k.append(account);
  return k;
}

std::string source_key(std::string_view source) {
  std::string k = "a";
  k.push_back('\0');
  k.append(source);
  return k;
}

std::string holder_key(std::string_view holder) {
  std::string k = "h";
  k.push_back('\0');
  k.append(holder);
  return k;
}

}  // namespace

std::string LoginThrottle::source_of(std::string_view address) {
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address(std::string(address), ec);
  if (ec)
    return std::string(address);
  if (parsed.is_v4())
    return parsed.to_v4().to_string();
  auto v6 = parsed.to_v6();
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

void LoginThrottle::prune(Entry& entry, std::int64_t now) {
  const auto before = entry.bytes();
  std::erase_if(entry.times, [&](std::int64_t t) { return t <= now - options_.window_us; });
  bytes_ -= before - entry.bytes();
}

std::optional<LoginThrottle::Refusal> LoginThrottle::check(const std::string& key,
                                                           std::uint32_t limit,
                                                           Refusal::Scope scope, std::int64_t now) {
  auto it = index_.find(key);
  if (it == index_.end())
    return std::nullopt;
  auto& entry = *it->second;
  prune(entry, now);
  if (entry.times.empty()) {
    erase(key);
    return std::nullopt;
  }
  if (limit == 0 || entry.times.size() < limit)
    return std::nullopt;
  const auto free_at = entry.times[entry.times.size() - limit] + options_.window_us;
  return Refusal{scope, limit, std::max<std::int64_t>(1, (free_at - now + 999'999) / 1'000'000)};
}

void LoginThrottle::add(const std::string& key, std::uint32_t limit, std::int64_t now) {
  auto it = index_.find(key);
  if (it == index_.end()) {
    order_.push_front(Entry{key, {}});
    index_.emplace(order_.front().key, order_.begin());
    bytes_ += order_.front().bytes();
  } else {
    order_.splice(order_.begin(), order_, it->second);
  }
  auto& entry = order_.front();
  prune(entry, now);
  entry.times.push_back(now);
  bytes_ += sizeof(std::int64_t);
  // A counter never holds more times than its limit asks for.
  const std::size_t keep = std::max<std::uint32_t>(limit, 1);
  if (entry.times.size() > keep) {
    const auto drop = entry.times.size() - keep;
    entry.times.erase(entry.times.begin(), entry.times.begin() + static_cast<std::ptrdiff_t>(drop));
    bytes_ -= drop * sizeof(std::int64_t);
  }
  // The counters that failed least recently go first; the one just counted stays.
  while (bytes_ > options_.max_bytes && order_.size() > 1) {
    const auto& oldest = order_.back();
    bytes_ -= oldest.bytes();
    index_.erase(oldest.key);
    order_.pop_back();
  }
}

void LoginThrottle::erase(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end())
    return;
  auto entry = it->second;
  bytes_ -= entry->bytes();
  index_.erase(it);
  order_.erase(entry);
}

void LoginThrottle::take_back(const std::string& key, std::int64_t at) {
  auto it = index_.find(key);
  if (it == index_.end())
    return;
  auto& times = it->second->times;
  if (auto found = std::find(times.rbegin(), times.rend(), at); found != times.rend()) {
    times.erase(std::next(found).base());
    bytes_ -= sizeof(std::int64_t);
  }
  if (times.empty())
    erase(key);
}

Expected<std::int64_t, LoginThrottle::Refusal> LoginThrottle::attempt(std::string_view source,
                                                                      std::string_view account,
                                                                      std::string_view holder) {
  std::lock_guard lock(mu_);
  const auto now = clock_.now_us();
  std::optional<Refusal> worst;
  auto consider = [&](std::optional<Refusal> r) {
    if (r && (!worst || r->wait_s > worst->wait_s))
      worst = r;
  };
  const auto pair = account_key(source, account);
  const auto whole = source_key(source);
  consider(check(whole, options_.max_per_source, Refusal::Scope::kSource, now));
  consider(check(pair, options_.max_per_account, Refusal::Scope::kAccount, now));
  if (!holder.empty())
    consider(check(holder_key(holder), options_.max_per_holder, Refusal::Scope::kHolder, now));
  if (worst)
    return unexpected(*worst);
  add(pair, options_.max_per_account, now);
  if (!holder.empty())
    add(holder_key(holder), options_.max_per_holder, now);
  add(whole, options_.max_per_source, now);
  return now;
}

void LoginThrottle::succeeded(std::string_view source, std::string_view account,
                              std::string_view holder, std::int64_t at_us) {
  std::lock_guard lock(mu_);
  erase(account_key(source, account));
  if (!holder.empty())
    erase(holder_key(holder));
  take_back(source_key(source), at_us);
}

void LoginThrottle::forgive(std::string_view source, std::string_view account,
                            std::string_view holder, std::int64_t at_us) {
  std::lock_guard lock(mu_);
  take_back(account_key(source, account), at_us);
  if (!holder.empty())
    take_back(holder_key(holder), at_us);
  take_back(source_key(source), at_us);
}

std::size_t LoginThrottle::entries() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

std::size_t LoginThrottle::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace docket::api
