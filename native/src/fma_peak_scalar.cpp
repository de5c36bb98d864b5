#include "fma_peak.hpp"

namespace cnn4j {

double fma_peak_scalar(long iterations) {
    // 8 independent chains hide the FMA latency; the compiler may use scalar FMA or mul+add.
    float a[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    const float m = 0.999999f, c = 1e-6f;
    for (long i = 0; i < iterations; ++i)
        for (int j = 0; j < 8; ++j) a[j] = a[j] * m + c;
    volatile float sink = a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
    (void)sink;
    return 2.0 * 8 * iterations;
}

}  // namespace cnn4j
