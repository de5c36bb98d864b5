// C ABI of the FMA peak probe: all threads at once, so the figure is the whole machine's.
#include "fma_peak.hpp"

#include <omp.h>

#include "isa.hpp"
#include "status.hpp"

extern "C" int cnn4j_fma_peak(double seconds, double *gflops) {
    return cnn4j::guarded("fma peak", [&] {
        if (!gflops || !(seconds > 0)) throw cnn4j::invalid_argument("need seconds > 0 and an output");
        auto probe = cnn4j::dispatch(&cnn4j::fma_peak_scalar, &cnn4j::fma_peak_avx2, &cnn4j::fma_peak_avx512);
        probe(100000);  // warm up: wake the vector units and the clocks
        long iterations = 1 << 20;
        for (;;) {
            double flops = 0;
            const double start = omp_get_wtime();
#pragma omp parallel reduction(+ : flops)
            flops += probe(iterations);
            const double elapsed = omp_get_wtime() - start;
            if (elapsed >= seconds || iterations > (1L << 40)) {
                *gflops = flops / elapsed * 1e-9;
                return;
            }
            iterations *= 2;
        }
    });
}
