// The cache-blocked SGEMM driver shared by every ISA (BLIS-style): B is packed into KC x NR panels
// that stay in L2, A into MC x KC blocks of MR-row panels, and `Kernel::compute` multiplies one MR x NR
// tile of packed panels in registers. Each ISA instantiates this with its own Kernel type from an
// anonymous namespace, so no instantiation is shared across ISAs (see im2col_walk.hpp).
#pragma once

namespace cnn4j {

template <typename Kernel>
struct BlockedSgemm {
    static constexpr long MR = Kernel::MR, NR = Kernel::NR;
    static constexpr long KC = 256;   // a KC x NR panel of B is 32 KiB for NR = 32: L1
    static constexpr long MC = 16 * MR;

    // op(A)[i][p] and op(B)[p][j] whatever the transposition.
    static float a_at(bool t, const float *a, long lda, long i, long p) { return t ? a[p * lda + i] : a[i * lda + p]; }
    static float b_at(bool t, const float *b, long ldb, long p, long j) { return t ? b[j * ldb + p] : b[p * ldb + j]; }

    // Packs op(B)[p0 : p0+kc, 0 : n] into panels of NR columns, zero-padded: panel j holds [kc][NR].
    static void pack_b(bool t, const float *b, long ldb, long p0, long kc, long n, float *out) {
        for (long j0 = 0; j0 < n; j0 += NR, out += kc * NR)
            for (long p = 0; p < kc; ++p)
                for (long j = 0; j < NR; ++j)
                    out[p * NR + j] = j0 + j < n ? b_at(t, b, ldb, p0 + p, j0 + j) : 0.f;
    }

    // Packs op(A)[i0 : i0+mc, p0 : p0+kc] into panels of MR rows, zero-padded: panel i holds [kc][MR].
    static void pack_a(bool t, const float *a, long lda, long i0, long mc, long p0, long kc, float *out) {
        for (long r0 = 0; r0 < mc; r0 += MR, out += kc * MR)
            for (long p = 0; p < kc; ++p)
                for (long r = 0; r < MR; ++r)
                    out[p * MR + r] = r0 + r < mc ? a_at(t, a, lda, i0 + r0 + r, p0 + p) : 0.f;
    }

    // `work` must hold KC * (MC + round_up(n, NR)) floats (sgemm_own_work_floats covers every ISA).
    static void run(bool ta, bool tb, long m, long n, long k, float alpha, const float *a, long lda, const float *b,
                    long ldb, float beta, float *c, long ldc, float *work) {
        for (long i = 0; i < m; ++i)
            for (long j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.f ? 0.f : beta * c[i * ldc + j];
        if (k == 0 || alpha == 0.f) return;
        float *packed_a = work;
        float *packed_b = work + KC * MC;
        float tile[MR * NR];
        for (long p0 = 0; p0 < k; p0 += KC) {
            const long kc = k - p0 < KC ? k - p0 : KC;
            pack_b(tb, b, ldb, p0, kc, n, packed_b);
            for (long i0 = 0; i0 < m; i0 += MC) {
                const long mc = m - i0 < MC ? m - i0 : MC;
                pack_a(ta, a, lda, i0, mc, p0, kc, packed_a);
                for (long j0 = 0; j0 < n; j0 += NR) {
                    const float *bp = packed_b + (j0 / NR) * kc * NR;
                    const long nr = n - j0 < NR ? n - j0 : NR;
                    for (long r0 = 0; r0 < mc; r0 += MR) {
                        const float *ap = packed_a + (r0 / MR) * kc * MR;
                        const long mr = mc - r0 < MR ? mc - r0 : MR;
                        float *ct = c + (i0 + r0) * ldc + j0;
                        if (mr == MR && nr == NR) {
                            Kernel::compute(kc, alpha, ap, bp, ct, ldc);
                        } else {
                            for (long x = 0; x < MR * NR; ++x) tile[x] = 0.f;
                            Kernel::compute(kc, alpha, ap, bp, tile, NR);
                            for (long r = 0; r < mr; ++r)
                                for (long j = 0; j < nr; ++j) ct[r * ldc + j] += tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }
};

}  // namespace cnn4j
