// Our own SGEMM (single-threaded, called per tile inside OpenMP regions), one implementation per ISA
// (gemm_<isa>.cpp), all sharing the blocked driver in gemm_blocked.hpp.
#pragma once

namespace cnn4j {

// Row-major C[m, n] = alpha * op(A) op(B) + beta * C. `work` is scratch of sgemm_own_work_floats(n)
// floats, owned by the (baseline) caller: ISA files must not instantiate std:: containers, whose
// shared template code the linker could then pick for baseline callers too.
inline long sgemm_own_work_floats(long n) { return 256L * (128 + n + 32); }

void sgemm_own_scalar(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc, float *work);
void sgemm_own_avx2(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                    const float *b, long ldb, float beta, float *c, long ldc, float *work);
void sgemm_own_avx512(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc, float *work);

}  // namespace cnn4j
