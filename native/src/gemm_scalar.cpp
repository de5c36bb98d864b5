// Portable micro-kernel: a 4 x 4 tile of C in plain loops the compiler may vectorise for baseline x86-64.
#include "gemm_blocked.hpp"
#include "gemm_kernels.hpp"

namespace {

struct ScalarKernel {
    static constexpr long MR = 4, NR = 4;

    static void compute(long kc, float alpha, const float *a, const float *b, float *c, long ldc) {
        float acc[MR][NR] = {};
        for (long p = 0; p < kc; ++p, a += MR, b += NR)
            for (int r = 0; r < MR; ++r)
                for (int j = 0; j < NR; ++j) acc[r][j] += a[r] * b[j];
        for (int r = 0; r < MR; ++r)
            for (int j = 0; j < NR; ++j) c[r * ldc + j] += alpha * acc[r][j];
    }
};

}  // namespace

namespace cnn4j {

void sgemm_own_scalar(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc, float *work) {
    BlockedSgemm<ScalarKernel>::run(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}

}  // namespace cnn4j
