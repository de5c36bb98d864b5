// What caches of transformed or reordered weights (Winograd filters, oneDNN's blocked layouts) check
// before reusing an entry. Java code and optimisers write weight buffers in place, and no version
// counter could see that, so by default the stamp is a 64-bit fingerprint of every bit, computed on
// every call. A caller that froze the array (Java's Tensor.freeze: its contents can never change
// again) passes the frozen id instead, and the stamp costs nothing.
#pragma once

#include <cstdint>

namespace cnn4j {

unsigned long long weights_fingerprint(const float *weights, long count);

struct WeightsStamp {
    bool frozen;
    unsigned long long value;  // the frozen id, or the fingerprint
    bool operator==(const WeightsStamp &o) const { return frozen == o.frozen && value == o.value; }
    bool operator!=(const WeightsStamp &o) const { return !(*this == o); }
};

// `frozen_id` 0: the weights may have changed since the last call (fingerprinted); else their frozen id.
inline WeightsStamp weights_stamp(const float *weights, long count, int64_t frozen_id) {
    if (frozen_id != 0) return {true, (unsigned long long)frozen_id};
    return {false, weights_fingerprint(weights, count)};
}

}  // namespace cnn4j
