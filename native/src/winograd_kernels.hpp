// The Winograd kernels shared by every ISA, written once over a vector type `Vec` (vec_<isa>.hpp) and
// an `Isa` type supplying the integer lanes of the fingerprint. Each winograd_kernels_<isa>.cpp
// instantiates them with types from its own anonymous namespace, so no instantiation is shared
// across ISAs (see im2col_walk.hpp). Transforms run on vectors of Vec::width channels; the
// constant matrices are applied with fully unrolled loops so that zero coefficients cost nothing.
#pragma once

#include <cstdint>
#include <cstring>

#include "winograd.hpp"

namespace {

// Lavin & Gray's matrices: Y = A^T [(G g G^T) . (B^T d B)] A. The weight gradient is that map's
// adjoint in g: dg = G^T [(A dY A^T) . (B^T d B)] G, so it also needs A (a, A^T's transpose) and G^T.
template <int M>
struct WinogradMatrices;

template <>
struct WinogradMatrices<2> {
    static constexpr int alpha = 4;
    static constexpr float bt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    static constexpr float g[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    static constexpr float at[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
    static constexpr float a[4][2] = {{1, 0}, {1, 1}, {1, -1}, {0, -1}};
    static constexpr float gt[3][4] = {{1, 0.5f, 0.5f, 0}, {0, 0.5f, -0.5f, 0}, {0, 0.5f, 0.5f, 1}};
};

template <>
struct WinogradMatrices<4> {
    static constexpr int alpha = 6;
    static constexpr float bt[6][6] = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                                       {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0},  {0, 4, 0, -5, 0, 1}};
    static constexpr float g[6][3] = {{1.f / 4, 0, 0},
                                      {-1.f / 6, -1.f / 6, -1.f / 6},
                                      {-1.f / 6, 1.f / 6, -1.f / 6},
                                      {1.f / 24, 1.f / 12, 1.f / 6},
                                      {1.f / 24, -1.f / 12, 1.f / 6},
                                      {0, 0, 1}};
    static constexpr float at[4][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
    static constexpr float a[6][4] = {{1, 0, 0, 0}, {1, 1, 1, 1}, {1, -1, 1, -1}, {1, 2, 4, 8}, {1, -2, 4, -8}, {0, 0, 0, 1}};
    static constexpr float gt[3][6] = {{1.f / 4, -1.f / 6, -1.f / 6, 1.f / 24, 1.f / 24, 0},
                                       {0, -1.f / 6, 1.f / 6, 1.f / 12, -1.f / 12, 0},
                                       {0, -1.f / 6, -1.f / 6, 1.f / 6, 1.f / 6, 1}};
};

// y[i * ys] = sum_j mat[i][j] * x[j * xs] for i < Rows, j < Cols; 1 and -1 become adds and subtracts.
template <typename Vec, int Rows, int Cols>
inline void apply(const float (&mat)[Rows][Cols], const typename Vec::reg *x, int xs, typename Vec::reg *y, int ys) {
#pragma GCC unroll 8
    for (int i = 0; i < Rows; ++i) {
        typename Vec::reg acc = Vec::zero();
#pragma GCC unroll 8
        for (int j = 0; j < Cols; ++j) {
            const float c = mat[i][j];
            if (c == 1.f) acc = Vec::add(acc, x[j * xs]);
            else if (c == -1.f) acc = Vec::sub(acc, x[j * xs]);
            else if (c != 0.f) acc = Vec::fmadd(Vec::set1(c), x[j * xs], acc);
        }
        y[i * ys] = acc;
    }
}

// The 1-D transforms x -> B^T x and x -> A^T x on vectors (strides xs, ys). For F(4x4) they are
// factored by hand into shared sums and differences (14 and 10 operations instead of 22 and 18);
// F(2x2)'s matrices hold only 0 and +-1 and need no factoring.
template <typename Vec, int M>
inline void input_1d(const typename Vec::reg *x, int xs, typename Vec::reg *y, int ys) {
    if constexpr (M == 4) {
        using reg = typename Vec::reg;
        const reg x0 = x[0], x1 = x[xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs], x5 = x[5 * xs];
        const reg four = Vec::set1(4.f), minus_four = Vec::set1(-4.f), minus_five = Vec::set1(-5.f);
        const reg two = Vec::set1(2.f), minus_two = Vec::set1(-2.f);
        const reg x4_minus_x2 = Vec::sub(x4, x2), x3_minus_x1 = Vec::sub(x3, x1);
        y[0] = Vec::fmadd(four, x0, Vec::fmadd(minus_five, x2, x4));
        y[ys] = Vec::fmadd(minus_four, Vec::add(x1, x2), Vec::add(x3, x4));
        y[2 * ys] = Vec::fmadd(four, Vec::sub(x1, x2), Vec::sub(x4, x3));
        y[3 * ys] = Vec::fmadd(two, x3_minus_x1, x4_minus_x2);
        y[4 * ys] = Vec::fmadd(minus_two, x3_minus_x1, x4_minus_x2);
        y[5 * ys] = Vec::fmadd(four, x1, Vec::fmadd(minus_five, x3, x5));
    } else {
        apply<Vec>(WinogradMatrices<M>::bt, x, xs, y, ys);
    }
}

template <typename Vec, int M>
inline void output_1d(const typename Vec::reg *x, int xs, typename Vec::reg *y, int ys) {
    if constexpr (M == 4) {
        using reg = typename Vec::reg;
        const reg a = Vec::add(x[xs], x[2 * xs]), b = Vec::sub(x[xs], x[2 * xs]);
        const reg c = Vec::add(x[3 * xs], x[4 * xs]), d = Vec::sub(x[3 * xs], x[4 * xs]);
        y[0] = Vec::add(Vec::add(x[0], a), c);
        y[ys] = Vec::fmadd(Vec::set1(2.f), d, b);
        y[2 * ys] = Vec::fmadd(Vec::set1(4.f), c, a);
        y[3 * ys] = Vec::add(Vec::fmadd(Vec::set1(8.f), d, b), x[5 * xs]);
    } else {
        apply<Vec>(WinogradMatrices<M>::at, x, xs, y, ys);
    }
}

// `n` channels from p (n may be <= 0 or >= the width).
template <typename Vec>
inline typename Vec::reg load_channels(const float *p, int n) {
    if (n >= Vec::width) return Vec::load(p);
    return n > 0 ? Vec::load(p, n) : Vec::zero();
}

// U is written in blocks of 8 input channels: each t plane then receives 1 KiB runs instead of 128-byte
// pieces, and with tens of MB of U the 36 interleaved narrow write streams defeat the prefetchers
// (measured 8x slower for 256 x 256 filters).
template <typename Vec, int M>
void filter_transform(const cnn4j::WinogradPlan &p, const cnn4j::WinogradFilterView &w, const float *weights, float *u) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha, CB = 8;
    const int P = p.panel, panels = p.k_pad / P, blocks = p.c_pad / CB;
#pragma omp parallel for schedule(static)
    for (long pb = 0; pb < (long)panels * blocks; ++pb) {
        const int panel = (int)(pb / blocks), c0 = (int)(pb % blocks) * CB;
        alignas(64) float block[A * A][CB * 32];  // [t][ci * P + q]: P <= 32
        for (int ci = 0; ci < CB; ++ci) {
            const int c = c0 + ci;
            for (int q = 0; q < P; q += Vec::width) {
                // The 9 taps of Vec::width output channels, one vector per tap; absent channels are zero.
                alignas(64) float taps[9][Vec::width];
                for (int lane = 0; lane < Vec::width; ++lane) {
                    const int o = panel * P + q + lane;
                    for (int tap = 0; tap < 9; ++tap)
                        taps[tap][lane] = o < p.k && c < p.c
                                              ? weights[w.offset + o * w.stride_o + c * w.stride_i
                                                        + tap / 3 * w.stride_y + tap % 3 * w.stride_x]
                                              : 0.f;
                }
                reg g[9], gt[A * 3], ut[A * A];
                for (int tap = 0; tap < 9; ++tap) g[tap] = Vec::load(taps[tap]);
                for (int col = 0; col < 3; ++col) apply<Vec>(W::g, g + col, 3, gt + col, 3);  // G g: [A][3]
                for (int row = 0; row < A; ++row) apply<Vec>(W::g, gt + row * 3, 1, ut + row * A, 1);  // (G g) G^T
                for (int t = 0; t < A * A; ++t) Vec::store(&block[t][ci * P + q], ut[t]);
            }
        }
        for (int t = 0; t < A * A; ++t)
            std::memcpy(u + t * p.u_plane + ((long)panel * p.c_pad + c0) * P, block[t], sizeof(float) * CB * P);
    }
}

template <typename Vec, int M>
void input_tile(const cnn4j::WinogradPlan &p, const float *image, int ty, int tx, float *v) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const long t_stride = p.c_pad;
    const int y0 = ty * M - p.pad_top, x0 = tx * M - p.pad_left;
    bool inside[A * A];
    for (int i = 0; i < A; ++i)
        for (int j = 0; j < A; ++j)
            inside[i * A + j] = y0 + i >= 0 && y0 + i < p.in_h && x0 + j >= 0 && x0 + j < p.in_w;
    for (int c0 = 0; c0 < p.c_pad; c0 += Vec::width) {
        reg bd[A * A];
        for (int j = 0; j < A; ++j) {  // B^T d, a column at a time, loading it just before use
            reg d[A];
            for (int i = 0; i < A; ++i)
                d[i] = inside[i * A + j]
                           ? load_channels<Vec>(image + ((long)(y0 + i) * p.in_w + x0 + j) * p.c + c0, p.c - c0)
                           : Vec::zero();
            input_1d<Vec, M>(d, 1, bd + j, A);
        }
        for (int i = 0; i < A; ++i) {  // (B^T d) B, a row at a time, stored straight to V
            reg v_row[A];
            input_1d<Vec, M>(bd + i * A, 1, v_row, 1);
            for (int j = 0; j < A; ++j) Vec::store(v + (i * A + j) * t_stride + c0, v_row[j]);
        }
    }
}

// The 2x2 stride-2 max pooling of one output tile y (M x M, M even) after bias and ReLU, written at pooled
// position (py0, px0) of the pooled NHWC image: the windows in max_pool_2x2_forward_walk's order of
// operations (pooling_walk.hpp), so ties and NaNs come out as the pooling op's.
template <typename Vec, int M>
void pool_tile(const cnn4j::WinogradPlan &p, const typename Vec::reg *y, typename Vec::reg b, bool relu, int py0, int px0,
               int k0, float *image) {
    using reg = typename Vec::reg;
    const int pooled_h = p.out_h / 2, pooled_w = p.out_w / 2, lanes = p.k - k0;
    for (int i = 0; i < M / 2 && py0 + i < pooled_h; ++i)
        for (int j = 0; j < M / 2 && px0 + j < pooled_w; ++j) {
            reg v[4];
            for (int w = 0; w < 4; ++w) {
                v[w] = Vec::add(y[(2 * i + w / 2) * M + 2 * j + w % 2], b);
                if (relu) v[w] = Vec::max(Vec::zero(), v[w]);
            }
            reg best = v[0];
            for (int w = 1; w < 4; ++w) best = Vec::select_gt_or_nan(v[w], best, v[w], best);
            const long at = ((long)(py0 + i) * pooled_w + px0 + j) * p.k + k0;
            if (lanes >= Vec::width) Vec::store(image + at, best);
            else Vec::store(image + at, best, lanes);
        }
}

template <typename Vec, int M>
void output_tile(const cnn4j::WinogradPlan &p, const float *m, int ty, int tx, const float *bias, const float *residual,
                 bool relu, float *image) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const long t_stride = p.k_pad;
    const int oy0 = ty * M, ox0 = tx * M;
    for (int k0 = 0; k0 < p.k; k0 += Vec::width) {
        const int lanes = p.k - k0;
        const bool full = lanes >= Vec::width;
        reg am[M * A], y[M * M];
        for (int j = 0; j < A; ++j) {  // A^T m, a column at a time
            reg mj[A];
            for (int i = 0; i < A; ++i) mj[i] = Vec::load(m + (i * A + j) * t_stride + k0);
            output_1d<Vec, M>(mj, 1, am + j, A);
        }
        for (int i = 0; i < M; ++i) output_1d<Vec, M>(am + i * A, 1, y + i * M, 1);  // (A^T m) A
        const reg b = bias ? load_channels<Vec>(bias + k0, lanes) : Vec::zero();
        if (p.pool == 2) {
            pool_tile<Vec, M>(p, y, b, relu, oy0 / 2, ox0 / 2, k0, image);
            continue;
        }
        for (int i = 0; i < M && oy0 + i < p.out_h; ++i)
            for (int j = 0; j < M && ox0 + j < p.out_w; ++j) {
                const long at = ((long)(oy0 + i) * p.out_w + ox0 + j) * p.k + k0;
                reg out = Vec::add(y[i * M + j], b);
                if (residual) out = Vec::add(out, load_channels<Vec>(residual + at, lanes));
                if (relu) out = Vec::max(Vec::zero(), out);  // zero() first: a NaN stays NaN
                if (full) Vec::store(image + at, out);
                else Vec::store(image + at, out, lanes);
            }
    }
}

// Y = A dy A^T of output-gradient tile (ty, tx) of one NHWC image [out_h, out_w, k] (zero beyond its
// edges), written as one row [T][k_pad] of the Y buffer: the weight gradient's transform of dy.
template <typename Vec, int M>
void gradient_tile(const cnn4j::WinogradPlan &p, const float *image, int ty, int tx, float *y) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const int oy0 = ty * M, ox0 = tx * M;
    for (int k0 = 0; k0 < p.k_pad; k0 += Vec::width) {
        reg ad[A * M];
        for (int j = 0; j < M; ++j) {  // A dy, a column at a time
            reg d[M];
            for (int i = 0; i < M; ++i)
                d[i] = oy0 + i < p.out_h && ox0 + j < p.out_w
                           ? load_channels<Vec>(image + ((long)(oy0 + i) * p.out_w + ox0 + j) * p.k + k0, p.k - k0)
                           : Vec::zero();
            apply<Vec>(W::a, d, 1, ad + j, M);
        }
        for (int i = 0; i < A; ++i) {  // (A dy) A^T, a row at a time
            reg row[A];
            apply<Vec>(W::a, ad + i * M, 1, row, 1);
            for (int j = 0; j < A; ++j) Vec::store(y + (i * A + j) * p.k_pad + k0, row[j]);
        }
    }
}

// G[t][panel][c][0 : P] += sum over the `rows` tiles of Y[r][t][panel's P k] * V[r][t][c], for every c:
// the weight gradient's batched products, reduced over tiles. CB input channels by one P-channel
// panel of output channels in registers; G is [T][k_pad / P][c_pad][P].
template <typename Vec, int CB, int P>
void weight_products(const cnn4j::WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows) {
    using reg = typename Vec::reg;
    constexpr int NV = P / Vec::width;
    const float *vt = v + t * p.c_pad;
    const float *yt = y + t * p.k_pad + panel * P;
    float *gt = g + ((long)t * (p.k_pad / P) + panel) * p.c_pad * P;
    for (int c0 = 0; c0 < p.c_pad; c0 += CB) {
        reg acc[CB][NV];
        for (int i = 0; i < CB; ++i)
            for (int q = 0; q < NV; ++q) acc[i][q] = Vec::zero();
        for (long r = 0; r < rows; ++r) {
            reg b[NV];
#pragma GCC unroll 32
            for (int q = 0; q < NV; ++q) b[q] = Vec::load(yt + r * p.m_row + q * Vec::width);
            const float *a = vt + r * p.v_row + c0;
#pragma GCC unroll 8
            for (int i = 0; i < CB; ++i) {
                const reg ai = Vec::set1(a[i]);
#pragma GCC unroll 32
                for (int q = 0; q < NV; ++q) acc[i][q] = Vec::fmadd(ai, b[q], acc[i][q]);
            }
        }
        for (int i = 0; i < CB; ++i)
            for (int q = 0; q < NV; ++q) {
                float *at = gt + (long)(c0 + i) * P + q * Vec::width;
                Vec::store(at, Vec::add(Vec::load(at), acc[i][q]));
            }
    }
}

// dW[k][c] = G^T G[.][k][c] G (3x3 from A x A) for input channel c and the P output channels of one
// panel, written into the OIHW weight gradient [k][c][3][3].
template <typename Vec, int M>
void weight_gradient(const cnn4j::WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const int P = p.panel;
    const long plane = (long)p.k_pad * p.c_pad;  // one t of G
    const float *gc = g + ((long)panel * p.c_pad + c) * P;
    for (int q = 0; q < P; q += Vec::width) {
        reg x[A * A], gx[3 * A], w[9];
        for (int t = 0; t < A * A; ++t) x[t] = Vec::load(gc + t * plane + q);
        for (int j = 0; j < A; ++j) apply<Vec>(W::gt, x + j, A, gx + j, A);     // G^T x: [3][A]
        for (int i = 0; i < 3; ++i) apply<Vec>(W::gt, gx + i * A, 1, w + i * 3, 1);  // (G^T x) G
        alignas(64) float taps[9][Vec::width];
        for (int tap = 0; tap < 9; ++tap) Vec::store(taps[tap], w[tap]);
        for (int lane = 0; lane < Vec::width; ++lane) {
            const int k = panel * P + q + lane;
            if (k >= p.k) break;
            for (int tap = 0; tap < 9; ++tap) dw[((long)k * p.c + c) * 9 + tap] = taps[tap][lane];
        }
    }
}

// R rows from r0 of the batched element-wise products M[t][panel] = V[t] x U[t][panel]: R tiles by one
// P-channel panel of U in registers, accumulated over c_pad input channels; every U row is one
// contiguous load of the panel.
template <typename Vec, int R, int P>
inline void product_block(const cnn4j::WinogradPlan &p, const float *vt, const float *ut, float *mt, long r0) {
    using reg = typename Vec::reg;
    constexpr int NV = P / Vec::width;
    const long vr = p.v_row;
    reg acc[R][NV];
    for (int r = 0; r < R; ++r)
        for (int q = 0; q < NV; ++q) acc[r][q] = Vec::zero();
    const float *a = vt + r0 * vr;
    for (long c = 0; c < p.c_pad; ++c) {
        reg b[NV];
#pragma GCC unroll 32
        for (int q = 0; q < NV; ++q) b[q] = Vec::load(ut + c * P + q * Vec::width);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const reg ar = Vec::set1(a[r * vr + c]);
#pragma GCC unroll 32
            for (int q = 0; q < NV; ++q) acc[r][q] = Vec::fmadd(ar, b[q], acc[r][q]);
        }
    }
    for (int r = 0; r < R; ++r)
        for (int q = 0; q < NV; ++q) Vec::store(mt + (r0 + r) * p.m_row + q * Vec::width, acc[r][q]);
}

// The products of `rows` tiles as a register-blocked GEMM: blocks of Rows tiles, then the remainder in
// blocks of 4, 2 and 1 rather than a padded block (49 tiles, ResNet's 28x28 layers at batch 1, would
// multiply 56 rows).
template <typename Vec, int Rows, int P>
void products(const cnn4j::WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows) {
    const float *vt = v + t * p.c_pad;
    const float *ut = u + t * p.u_plane + panel * p.c_pad * P;
    float *mt = m + t * p.k_pad + panel * P;
    long r0 = 0;
    for (; r0 + Rows <= rows; r0 += Rows) product_block<Vec, Rows, P>(p, vt, ut, mt, r0);
    if constexpr (Rows > 4)
        if (r0 + 4 <= rows) product_block<Vec, 4, P>(p, vt, ut, mt, r0), r0 += 4;
    if constexpr (Rows > 2)
        if (r0 + 2 <= rows) product_block<Vec, 2, P>(p, vt, ut, mt, r0), r0 += 2;
    if (r0 < rows) product_block<Vec, 1, P>(p, vt, ut, mt, r0);
}

// Word i of the data goes to lane i % 64, lane = lane * odd + word (mod 2^32): a change of any single
// word changes its lane. `Isa::lanes` runs that over whole blocks of 64 words; the tail and the final
// mix are scalar, so every ISA gives the same fingerprint.
template <typename Isa>
unsigned long long fingerprint(const float *data, long count) {
    constexpr uint32_t odd = 0x9E3779B1u;
    alignas(64) uint32_t lanes[64];
    for (int i = 0; i < 64; ++i) lanes[i] = (uint32_t)i;
    const long blocks = count / 64;
    Isa::lanes(data, blocks, odd, lanes);
    for (long i = blocks * 64; i < count; ++i) {
        uint32_t word;
        std::memcpy(&word, data + i, sizeof word);
        lanes[i % 64] = lanes[i % 64] * odd + word;
    }
    unsigned long long h = 1469598103934665603ull ^ (unsigned long long)count;
    for (int i = 0; i < 64; ++i) h = (h ^ lanes[i]) * 1099511628211ull;
    return h;
}

// The entry points of one ISA: template arguments chosen from the plan (tile size m; the panel width
// where it sizes register blocks). Rows (products) and CB (weight products) are the ISA's blocking.
template <typename Vec, typename Isa, int Rows, int CB>
struct WinogradKernels {
    static void filter(const cnn4j::WinogradPlan &p, const cnn4j::WinogradFilterView &w, const float *weights, float *u) {
        if (p.m == 2) filter_transform<Vec, 2>(p, w, weights, u);
        else filter_transform<Vec, 4>(p, w, weights, u);
    }
    static void input(const cnn4j::WinogradPlan &p, const float *image, int ty, int tx, float *v) {
        if (p.m == 2) input_tile<Vec, 2>(p, image, ty, tx, v);
        else input_tile<Vec, 4>(p, image, ty, tx, v);
    }
    static void multiply(const cnn4j::WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows) {
        if (p.panel == 16) products<Vec, Rows, 16>(p, v, u, m, t, panel, rows);
        else products<Vec, Rows, 32>(p, v, u, m, t, panel, rows);
    }
    static void output(const cnn4j::WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                       const float *residual, bool relu, float *image) {
        if (p.m == 2) output_tile<Vec, 2>(p, m, ty, tx, bias, residual, relu, image);
        else output_tile<Vec, 4>(p, m, ty, tx, bias, residual, relu, image);
    }
    static void gradient(const cnn4j::WinogradPlan &p, const float *image, int ty, int tx, float *y) {
        if (p.m == 2) gradient_tile<Vec, 2>(p, image, ty, tx, y);
        else gradient_tile<Vec, 4>(p, image, ty, tx, y);
    }
    static void weight_multiply(const cnn4j::WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows) {
        if (p.panel == 16) weight_products<Vec, CB, 16>(p, v, y, g, t, panel, rows);
        else weight_products<Vec, CB, 32>(p, v, y, g, t, panel, rows);
    }
    static void weights(const cnn4j::WinogradPlan &p, const float *g, int panel, int c, float *dw) {
        if (p.m == 2) weight_gradient<Vec, 2>(p, g, panel, c, dw);
        else weight_gradient<Vec, 4>(p, g, panel, c, dw);
    }
};

}  // namespace
