// The machine's FMA peak, measured: every thread runs independent chains of vector FMAs.
#pragma once

namespace cnn4j {

// Floating-point operations done (2 per FMA lane) by `iterations` rounds of the probe on one thread.
double fma_peak_scalar(long iterations);
double fma_peak_avx2(long iterations);
double fma_peak_avx512(long iterations);

}  // namespace cnn4j
