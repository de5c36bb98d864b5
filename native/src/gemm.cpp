// SGEMM for the library: OpenBLAS or our own blocked kernels (gemm_<isa>.cpp), chosen by
// cnn4j_set_gemm; always single-threaded per call (see gemm.hpp), split by rows (or, for a few rows,
// by columns) across OpenMP threads by sgemm_parallel.
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "gemm.hpp"
#include "gemm_kernels.hpp"
#include "isa.hpp"
#include "status.hpp"

namespace {
std::atomic<int> use_own_gemm{0};
}

namespace cnn4j {

void sgemm_serial(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (use_own_gemm.load(std::memory_order_relaxed)) {
        thread_local std::vector<float> work;
        const long need = sgemm_own_work_floats(n);
        if ((long)work.size() < need) work.resize(need);
        dispatch(&sgemm_own_scalar, &sgemm_own_avx2, &sgemm_own_avx512)(trans_a, trans_b, m, n, k, alpha, a, lda, b,
                                                                         ldb, beta, c, ldc, work.data());
        return;
    }
    if (m == 1 && k > 0) {  // one row (a batch-1 linear layer): a matrix-vector product, which streams B without packing it
        cblas_sgemv(CblasRowMajor, trans_b ? CblasNoTrans : CblasTrans, trans_b ? (int)n : (int)k, trans_b ? (int)k : (int)n,
                    alpha, b, (int)ldb, a, trans_a ? (int)lda : 1, beta, c, 1);
        return;
    }
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n,
                (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
}

void sgemm_parallel(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                    const float *b, long ldb, float beta, float *c, long ldc) {
    const int threads = omp_get_max_threads();
    // Blocks of at least 16 rows keep the micro-kernels busy; with fewer rows than that per thread
    // (small batches), the columns are split instead, in blocks of at least 64.
    const long row_blocks = m < 16L * threads ? (m + 15) / 16 : threads;
    const long col_blocks = std::min<long>(threads, (n + 63) / 64);
    if (row_blocks <= 1 && col_blocks > 1) {
#pragma omp parallel for schedule(static)
        for (long blk = 0; blk < col_blocks; ++blk) {
            const long c0 = n * blk / col_blocks, c1 = n * (blk + 1) / col_blocks;
            const float *b_cols = trans_b ? b + c0 * ldb : b + c0;
            sgemm_serial(trans_a, trans_b, m, c1 - c0, k, alpha, a, lda, b_cols, ldb, beta, c + c0, ldc);
        }
        return;
    }
    if (row_blocks <= 1) {
        sgemm_serial(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#pragma omp parallel for schedule(static)
    for (long blk = 0; blk < row_blocks; ++blk) {
        const long r0 = m * blk / row_blocks, r1 = m * (blk + 1) / row_blocks;
        const float *a_rows = trans_a ? a + r0 : a + r0 * lda;
        sgemm_serial(trans_a, trans_b, r1 - r0, n, k, alpha, a_rows, lda, b, ldb, beta, c + r0 * ldc, ldc);
    }
}

}  // namespace cnn4j

extern "C" {

int cnn4j_set_gemm(int own) {
    use_own_gemm.store(own ? 1 : 0);
    return CNN4J_OK;
}

int cnn4j_gemm_is_own(void) { return use_own_gemm.load(); }

int cnn4j_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
                float *c) {
    return cnn4j::guarded("gemm", [&] {
        if (m < 0 || n < 0 || k < 0) throw cnn4j::invalid_argument("negative dimension");
        if (!a || !b || !c) throw cnn4j::invalid_argument("null buffer");
        cnn4j::sgemm_parallel(trans_a, trans_b, m, n, k, alpha, a, trans_a ? m : k, b, trans_b ? k : n, beta, c, n);
    });
}
}
