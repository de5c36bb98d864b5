// The Winograd filter cache. Entries are keyed by the weight array's address and the plan's shape and
// direction, and validated by the weights' stamp (weights_fingerprint.hpp): for weights that may change
// a fingerprint of every bit, computed on each call. Why not a version number from Java: Tensor has no
// write counter, and its buffer is written directly by optimiser kernels, copies and user code, so a
// version would be a promise nobody keeps, and a stale U silently gives wrong results. The fingerprint
// is one streaming read of the weights (vectorised, about a quarter of what the products read of U in
// F(4x4)), and it also catches a freed array whose address was reused (as a frozen id, never reused,
// does). At most `capacity` bytes are kept; the least recently used entry goes first.
#include "winograd_filter_cache.hpp"

#include "weights_fingerprint.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <tuple>


namespace {

using Key = std::tuple<const float *, int, int, int, int, bool>;

struct Entry {
    cnn4j::WeightsStamp stamp;
    std::shared_ptr<std::vector<float>> u;
    unsigned long long last_use;
};

constexpr size_t capacity = 1ull << 30;

std::mutex lock;
std::map<Key, Entry> entries;
size_t cached_bytes = 0;
unsigned long long clock_ticks = 0;
std::atomic<long long> transforms{0};

void evict_until_fits(size_t incoming) {
    while (!entries.empty() && cached_bytes + incoming > capacity) {
        auto oldest = entries.begin();
        for (auto it = entries.begin(); it != entries.end(); ++it)
            if (it->second.last_use < oldest->second.last_use) oldest = it;
        cached_bytes -= oldest->second.u->size() * sizeof(float);
        entries.erase(oldest);
    }
}

}  // namespace

namespace cnn4j {

std::shared_ptr<const std::vector<float>> winograd_filter(const WinogradPlan &p, const WinogradFilterView &view,
                                                          const float *weights, long count, int64_t frozen_id,
                                                          bool backward_data, FilterTransform transform) {
    const cnn4j::WeightsStamp stamp = cnn4j::weights_stamp(weights, count, frozen_id);
    const Key key{weights, p.m, p.t, p.c, p.k, backward_data};
    std::shared_ptr<std::vector<float>> u;
    {
        std::lock_guard<std::mutex> guard(lock);
        auto it = entries.find(key);
        if (it != entries.end() && it->second.stamp == stamp) {
            it->second.last_use = ++clock_ticks;
            return it->second.u;
        }
        // Changed weights (a training step): recompute into the old buffer if no caller still reads
        // it, which saves the page faults of a fresh allocation (tens of MB for wide layers).
        if (it != entries.end()) {
            if (it->second.u.use_count() == 1) u = it->second.u;
            cached_bytes -= it->second.u->size() * sizeof(float);
            entries.erase(it);
        }
    }
    if (!u) u = std::make_shared<std::vector<float>>((size_t)p.t * p.u_plane);
    transform(p, view, weights, u->data());
    transforms.fetch_add(1);
    const size_t bytes = u->size() * sizeof(float);
    std::lock_guard<std::mutex> guard(lock);
    auto it = entries.find(key);  // another thread may have transformed the same weights meanwhile
    if (it != entries.end()) {
        cached_bytes -= it->second.u->size() * sizeof(float);
        entries.erase(it);
    }
    if (bytes <= capacity) {
        evict_until_fits(bytes);
        entries.emplace(key, Entry{stamp, u, ++clock_ticks});
        cached_bytes += bytes;
    }
    return u;
}

long long winograd_filter_transforms() { return transforms.load(); }

}  // namespace cnn4j
