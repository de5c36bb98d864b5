// AVX-512 micro-kernel: an 8 x 32 tile of C in 16 zmm accumulators; per step of k it loads two
// vectors of the packed B panel and broadcasts eight values of the packed A panel (16 FMAs).
#include <immintrin.h>

#include "gemm_blocked.hpp"
#include "gemm_kernels.hpp"

namespace {

struct Avx512Kernel {
    static constexpr long MR = 8, NR = 32;

    static void compute(long kc, float alpha, const float *a, const float *b, float *c, long ldc) {
        __m512 acc[MR][2];
        for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        for (long p = 0; p < kc; ++p, a += MR, b += NR) {
            const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
            for (int r = 0; r < MR; ++r) {
                const __m512 av = _mm512_set1_ps(a[r]);
                acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
            }
        }
        const __m512 va = _mm512_set1_ps(alpha);
        for (int r = 0; r < MR; ++r) {
            float *row = c + r * ldc;
            _mm512_storeu_ps(row, _mm512_fmadd_ps(va, acc[r][0], _mm512_loadu_ps(row)));
            _mm512_storeu_ps(row + 16, _mm512_fmadd_ps(va, acc[r][1], _mm512_loadu_ps(row + 16)));
        }
    }
};

}  // namespace

namespace cnn4j {

void sgemm_own_avx512(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc, float *work) {
    BlockedSgemm<Avx512Kernel>::run(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}

}  // namespace cnn4j
