// The dropout loop shared by every ISA: plain integer code the compiler vectorises with each ISA
// file's flags (64-bit multiplies become vpmullq under AVX-512DQ). `Isa` is a tag type from the ISA
// file's anonymous namespace, so no instantiation is shared across ISAs.
#pragma once

#include "dropout.hpp"

namespace cnn4j {

// DropoutMask.uniform: SplitMix64's finaliser of seed + (index + 1) * golden gamma, top 24 bits.
template <typename Isa>
inline float dropout_uniform(uint64_t seed, uint64_t index) {
    uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return (float)(uint32_t)(z >> 40) * 0x1p-24f;
}

// Elements [begin, begin + n) of a run whose logical indices are first, first + step, ...
template <typename Isa>
inline void dropout_run(const DropoutPlan &d, long begin, long n, uint64_t first, uint64_t step, const float *x,
                        float *mask, float *out) {
#pragma omp simd
    for (long i = 0; i < n; ++i) {
        const double m = dropout_uniform<Isa>(d.seed, first + (uint64_t)i * step) >= d.p ? d.scale : 0.0;
        mask[begin + i] = (float)m;
        out[begin + i] = (float)(x[begin + i] * m);
    }
}

template <typename Isa>
void dropout_walk(const DropoutPlan &d, const float *x, float *mask, float *out) {
    if (!d.nhwc) {
        const long count = d.images * d.channels * d.pixels, block = 16384;
#pragma omp parallel for schedule(static)
        for (long b = 0; b < (count + block - 1) / block; ++b) {
            const long begin = b * block, n = begin + block < count ? block : count - begin;
            dropout_run<Isa>(d, begin, n, begin, 1, x, mask, out);
        }
        return;
    }
    // Channels-last: a pixel's channels are `pixels` apart in logical order.
#pragma omp parallel for schedule(static)
    for (long row = 0; row < d.images * d.pixels; ++row) {
        const long image = row / d.pixels, q = row % d.pixels;
        dropout_run<Isa>(d, row * d.channels, d.channels, (uint64_t)(image * d.channels * d.pixels + q), d.pixels, x,
                         mask, out);
    }
}

}  // namespace cnn4j
