// AVX2 micro-kernel: a 6 x 16 tile of C in 12 ymm accumulators (two loads of B, six broadcasts of A).
#include <immintrin.h>

#include "gemm_blocked.hpp"
#include "gemm_kernels.hpp"

namespace {

struct Avx2Kernel {
    static constexpr long MR = 6, NR = 16;

    static void compute(long kc, float alpha, const float *a, const float *b, float *c, long ldc) {
        __m256 acc[MR][2];
        for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
        for (long p = 0; p < kc; ++p, a += MR, b += NR) {
            const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
            for (int r = 0; r < MR; ++r) {
                const __m256 av = _mm256_broadcast_ss(a + r);
                acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
            }
        }
        const __m256 va = _mm256_set1_ps(alpha);
        for (int r = 0; r < MR; ++r) {
            float *row = c + r * ldc;
            _mm256_storeu_ps(row, _mm256_fmadd_ps(va, acc[r][0], _mm256_loadu_ps(row)));
            _mm256_storeu_ps(row + 8, _mm256_fmadd_ps(va, acc[r][1], _mm256_loadu_ps(row + 8)));
        }
    }
};

}  // namespace

namespace cnn4j {

void sgemm_own_avx2(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc, float *work) {
    BlockedSgemm<Avx2Kernel>::run(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}

}  // namespace cnn4j
