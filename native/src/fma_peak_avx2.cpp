#include <immintrin.h>

#include "fma_peak.hpp"

namespace cnn4j {

double fma_peak_avx2(long iterations) {
    // 12 independent accumulators: more than latency (4) x FMA ports (2) so the ports never wait.
    __m256 acc[12];
    for (int j = 0; j < 12; ++j) acc[j] = _mm256_set1_ps(1.f + j);
    const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f);
    for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
        for (int j = 0; j < 12; ++j) acc[j] = _mm256_fmadd_ps(acc[j], m, c);
    }
    __m256 s = acc[0];
    for (int j = 1; j < 12; ++j) s = _mm256_add_ps(s, acc[j]);
    volatile float sink = _mm256_cvtss_f32(s);
    (void)sink;
    return 2.0 * 8 * 12 * iterations;
}

}  // namespace cnn4j
