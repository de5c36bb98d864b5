// Row-major SGEMM for the library's own use (OpenBLAS or ours). OpenBLAS runs single-threaded inside our OpenMP
// threads: its own pthread pool, spinning next to OpenMP's, stalled both on this 2-core machine.
#pragma once

namespace cnn4j {

// C[m, n] = alpha * op(A) op(B) + beta * C on the calling thread.
void sgemm_serial(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc);

// The same, with the rows (or, when there are few, the columns) of C split across the OpenMP threads.
void sgemm_parallel(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                    const float *b, long ldb, float beta, float *c, long ldc);

}  // namespace cnn4j
