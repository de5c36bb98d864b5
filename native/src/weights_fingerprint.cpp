#include "weights_fingerprint.hpp"

#include <algorithm>
#include <vector>

#include "isa.hpp"
#include "winograd.hpp"

namespace cnn4j {

// Blocks are fingerprinted in parallel (one core's bandwidth does not saturate the memory system) and
// combined in order, so the result does not depend on the thread count.
unsigned long long weights_fingerprint(const float *weights, long count) {
    constexpr long block = 1L << 16;
    const auto part = dispatch(&winograd_fingerprint_scalar, &winograd_fingerprint_avx2, &winograd_fingerprint_avx512);
    std::vector<unsigned long long> parts((count + block - 1) / block);
#pragma omp parallel for schedule(static)
    for (long b = 0; b < (long)parts.size(); ++b)
        parts[b] = part(weights + b * block, std::min(block, count - b * block));
    unsigned long long h = 1469598103934665603ull;
    for (unsigned long long x : parts) h = (h ^ x) * 1099511628211ull;
    return h;
}

}  // namespace cnn4j
