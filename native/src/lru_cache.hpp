// The oneDNN primitives (and reordered weights) of the last `Capacity` shapes and variants used, the least
// recently used dropped first: a network has tens, while a differential fuzz or a server fed every input size
// would otherwise keep one set per shape (3.6 GB after 10,000 fuzz cases). A caller holds what it runs with, so
// a dropped entry lives until its last call ends. Shared by every oneDNN-backed op.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace cnn4j {

template <typename Value, size_t Capacity>
class LruCache {
  public:
    static constexpr size_t capacity = Capacity;

    template <typename Make>
    std::shared_ptr<Value> get(const std::string &key, Make &&make) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end()) {
            order_.splice(order_.begin(), order_, it->second.second);
            return it->second.first;
        }
        std::shared_ptr<Value> p = make();
        order_.push_front(key);
        entries_.emplace(key, std::make_pair(p, order_.begin()));
        if (entries_.size() > capacity) {
            entries_.erase(order_.back());
            order_.pop_back();
        }
        return p;
    }

  private:
    std::mutex mutex_;
    std::list<std::string> order_;  // most recently used first
    std::unordered_map<std::string, std::pair<std::shared_ptr<Value>, std::list<std::string>::iterator>> entries_;
};

}  // namespace cnn4j
