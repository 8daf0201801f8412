// ByteLru<V>: a map from string keys to values bounded by the bytes it holds, evicting the least
// recently used entry first.
//
// Each entry weighs the bytes of its key and of its value (as `weigh(value)` counts them: the
// heap bytes the value owns besides sizeof(V)) plus a fixed overhead for the map and list nodes
// that hold it, so bytes() is close to what the entries really take. An entry heavier than the
// whole bound is not kept. Not thread-safe: its owner locks.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace docket::engine {

template <class V>
class ByteLru {
 public:
  // What a value owns on the heap beyond sizeof(V) (e.g. the characters of its strings).
  using Weigh = std::function<std::size_t(const V&)>;

  // The bookkeeping of one entry beyond its key's characters and its value: the map node (the
  // key string, a hash bucket link, the list iterator), the list node (a second copy of the key
  // string and two links), and the allocators' headers of both nodes.
  static constexpr std::size_t kEntryOverhead =
      2 * sizeof(std::string) + sizeof(V) + 6 * sizeof(void*) + 2 * 16;

  explicit ByteLru(std::size_t max_bytes, Weigh weigh = nullptr)
      : max_bytes_(max_bytes), weigh_(std::move(weigh)) {}

  // The value of `key`, now the most recently used; nullptr when absent. Valid until the next
  // change to the cache.
  V* find(std::string_view key) {
    auto it = map_.find(std::string(key));
    if (it == map_.end())
      return nullptr;
    order_.splice(order_.begin(), order_, it->second.at);
    return &it->second.value;
  }

  // Sets `key` to `value` (the most recently used), then evicts the least recently used entries
  // until the cache is within its bound.
  void put(std::string_view key, V value) {
    const auto weight = weight_of(key, value);
    auto it = map_.find(std::string(key));
    if (it != map_.end()) {
      bytes_ -= it->second.weight;
      order_.erase(it->second.at);
      map_.erase(it);
    }
    if (weight > max_bytes_)
      return;
    order_.emplace_front(key);
    map_.emplace(order_.front(), Entry{std::move(value), weight, order_.begin()});
    bytes_ += weight;
    while (bytes_ > max_bytes_ && !order_.empty()) {
      const std::string oldest = order_.back();
      erase(oldest);
    }
  }

  void erase(const std::string& key) {
    auto it = map_.find(key);
    if (it == map_.end())
      return;
    bytes_ -= it->second.weight;
    order_.erase(it->second.at);
    map_.erase(it);
  }

  // Erases every entry for which `pred(key, value)` holds.
  template <class Pred>
  void erase_if(Pred pred) {
    for (auto it = map_.begin(); it != map_.end();) {
      if (pred(it->first, it->second.value)) {
        bytes_ -= it->second.weight;
        order_.erase(it->second.at);
        it = map_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void clear() {
    map_.clear();
    order_.clear();
    bytes_ = 0;
  }

  std::size_t size() const { return map_.size(); }
  std::size_t bytes() const { return bytes_; }
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    V value;
    std::size_t weight = 0;
    std::list<std::string>::iterator at;
  };

  // Key characters are counted twice: the map and the list each hold a copy.
  std::size_t weight_of(std::string_view key, const V& value) const {
    return kEntryOverhead + 2 * key.size() + (weigh_ ? weigh_(value) : 0);
  }

  std::size_t max_bytes_;
  Weigh weigh_;
  std::size_t bytes_ = 0;
  std::list<std::string> order_;  // most recently used first
  std::unordered_map<std::string, Entry> map_;
};

}  // namespace docket::engine
