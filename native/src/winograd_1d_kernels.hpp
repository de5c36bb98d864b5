// The 1-D Winograd kernels F(4,3) and F(6,3), written once over a vector type `Vec` (vec_<isa>.hpp) and
// instantiated by each winograd_1d_kernels_<isa>.cpp in its own anonymous namespace (as
// winograd_kernels.hpp, whose F(4x4) matrices, factored F(4) transforms and helpers they reuse: a 2-D
// F(m x m, 3x3) applies the same 1-D transforms along both axes).
#pragma once

#include <cstring>

#include "winograd_1d.hpp"
#include "winograd_kernels.hpp"

namespace {

// F(6,3) at the points 0, +-1, +-2, +-1/2 and infinity (as NNPACK and ncnn): Y = A^T [(G g) . (B^T d)].
template <>
struct WinogradMatrices<6> {
    static constexpr int alpha = 8;
    static constexpr float g[8][3] = {{1, 0, 0},
                                      {-2.f / 9, -2.f / 9, -2.f / 9},
                                      {-2.f / 9, 2.f / 9, -2.f / 9},
                                      {1.f / 90, 1.f / 45, 2.f / 45},
                                      {1.f / 90, -1.f / 45, 2.f / 45},
                                      {32.f / 45, 16.f / 45, 8.f / 45},
                                      {32.f / 45, -16.f / 45, 8.f / 45},
                                      {0, 0, 1}};
    static constexpr float a[8][6] = {{1, 0, 0, 0, 0, 0},
                                      {1, 1, 1, 1, 1, 1},
                                      {1, -1, 1, -1, 1, -1},
                                      {1, 2, 4, 8, 16, 32},
                                      {1, -2, 4, -8, 16, -32},
                                      {1, 0.5f, 0.25f, 0.125f, 0.0625f, 0.03125f},
                                      {1, -0.5f, 0.25f, -0.125f, 0.0625f, -0.03125f},
                                      {0, 0, 0, 0, 0, 1}};
    static constexpr float gt[3][8] = {{1, -2.f / 9, -2.f / 9, 1.f / 90, 1.f / 90, 32.f / 45, 32.f / 45, 0},
                                       {0, -2.f / 9, 2.f / 9, 1.f / 45, -1.f / 45, 16.f / 45, -16.f / 45, 0},
                                       {0, -2.f / 9, -2.f / 9, 2.f / 45, 2.f / 45, 8.f / 45, 8.f / 45, 1}};
};

// x -> B^T x and x -> A^T x of F(6,3), factored into shared sums (as ncnn): 26 and 17 operations
// instead of the matrices' 44 and 34. F(4,3) uses winograd_kernels.hpp's factored transforms.
template <typename Vec, int M>
inline void input_transform(const typename Vec::reg *x, typename Vec::reg *y) {
    if constexpr (M == 6) {
        using reg = typename Vec::reg;
        const reg c525 = Vec::set1(5.25f), c425 = Vec::set1(-4.25f), c125 = Vec::set1(-1.25f), c025 = Vec::set1(0.25f);
        const reg c05 = Vec::set1(0.5f), c25 = Vec::set1(-2.5f), c2 = Vec::set1(2.f), c4 = Vec::set1(4.f);
        y[0] = Vec::fmadd(c525, Vec::sub(x[4], x[2]), Vec::sub(x[0], x[6]));
        y[7] = Vec::fmadd(c525, Vec::sub(x[3], x[5]), Vec::sub(x[7], x[1]));
        const reg a12 = Vec::fmadd(c425, x[4], Vec::add(x[2], x[6])), b12 = Vec::fmadd(c425, x[3], Vec::add(x[1], x[5]));
        y[1] = Vec::add(a12, b12);
        y[2] = Vec::sub(a12, b12);
        const reg a34 = Vec::fmadd(c125, x[4], Vec::fmadd(c025, x[2], x[6]));
        const reg b34 = Vec::fmadd(c2, x[5], Vec::fmadd(c25, x[3], Vec::mul(c05, x[1])));
        y[3] = Vec::add(a34, b34);
        y[4] = Vec::sub(a34, b34);
        const reg a56 = Vec::fmadd(c4, Vec::fmadd(c125, x[4], x[2]), x[6]);
        const reg b56 = Vec::fmadd(c05, x[5], Vec::fmadd(c25, x[3], Vec::mul(c2, x[1])));
        y[5] = Vec::add(a56, b56);
        y[6] = Vec::sub(a56, b56);
    } else {
        input_1d<Vec, M>(x, 1, y, 1);
    }
}

template <typename Vec, int M>
inline void output_transform(const typename Vec::reg *x, typename Vec::reg *y) {
    if constexpr (M == 6) {
        using reg = typename Vec::reg;
        const reg a1 = Vec::add(x[1], x[2]), b1 = Vec::sub(x[1], x[2]);
        const reg a2 = Vec::add(x[3], x[4]), b2 = Vec::sub(x[3], x[4]);
        const reg a3 = Vec::add(x[5], x[6]), b3 = Vec::sub(x[5], x[6]);
        y[0] = Vec::add(Vec::add(x[0], a1), Vec::add(a2, a3));
        y[1] = Vec::fmadd(Vec::set1(2.f), b2, Vec::fmadd(Vec::set1(0.5f), b3, b1));
        y[2] = Vec::fmadd(Vec::set1(4.f), a2, Vec::fmadd(Vec::set1(0.25f), a3, a1));
        y[3] = Vec::fmadd(Vec::set1(8.f), b2, Vec::fmadd(Vec::set1(0.125f), b3, b1));
        y[4] = Vec::fmadd(Vec::set1(16.f), a2, Vec::fmadd(Vec::set1(0.0625f), a3, a1));
        y[5] = Vec::add(Vec::fmadd(Vec::set1(32.f), b2, Vec::fmadd(Vec::set1(0.03125f), b3, b1)), x[7]);
    } else {
        output_1d<Vec, M>(x, 1, y, 1);
    }
}

// U in blocks of 8 input channels per panel, as the 2-D filter transform (long runs per t plane).
template <typename Vec, int M>
void filter_transform_1d(const cnn4j::WinogradPlan &p, const cnn4j::WinogradFilterView &w, const float *weights, float *u) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha, CB = 8;
    const int P = p.panel, panels = p.k_pad / P, blocks = p.c_pad / CB;
#pragma omp parallel for schedule(static)
    for (long pb = 0; pb < (long)panels * blocks; ++pb) {
        const int panel = (int)(pb / blocks), c0 = (int)(pb % blocks) * CB;
        alignas(64) float block[A][CB * 32];  // [t][ci * P + q]: P <= 32
        for (int ci = 0; ci < CB; ++ci) {
            const int c = c0 + ci;
            for (int q = 0; q < P; q += Vec::width) {
                alignas(64) float taps[3][Vec::width];  // absent channels are zero
                for (int lane = 0; lane < Vec::width; ++lane) {
                    const int o = panel * P + q + lane;
                    for (int tap = 0; tap < 3; ++tap)
                        taps[tap][lane] = o < p.k && c < p.c
                                              ? weights[w.offset + o * w.stride_o + c * w.stride_i + tap * w.stride_x]
                                              : 0.f;
                }
                reg g[3], ut[A];
                for (int tap = 0; tap < 3; ++tap) g[tap] = Vec::load(taps[tap]);
                apply<Vec>(W::g, g, 1, ut, 1);
                for (int t = 0; t < A; ++t) Vec::store(&block[t][ci * P + q], ut[t]);
            }
        }
        for (int t = 0; t < A; ++t)
            std::memcpy(u + t * p.u_plane + ((long)panel * p.c_pad + c0) * P, block[t], sizeof(float) * CB * P);
    }
}

template <typename Vec, int M>
void input_tile_1d(const cnn4j::WinogradPlan &p, const float *signal, int tx, float *v) {
    using reg = typename Vec::reg;
    constexpr int A = M + 2;
    const int x0 = tx * M - p.pad_left;
    for (int c0 = 0; c0 < p.c_pad; c0 += Vec::width) {
        reg d[A], row[A];
        for (int j = 0; j < A; ++j)
            d[j] = x0 + j >= 0 && x0 + j < p.in_w ? load_channels<Vec>(signal + (long)(x0 + j) * p.c + c0, p.c - c0)
                                                  : Vec::zero();
        input_transform<Vec, M>(d, row);
        for (int j = 0; j < A; ++j) Vec::store(v + j * p.c_pad + c0, row[j]);
    }
}

template <typename Vec, int M>
void output_tile_1d(const cnn4j::WinogradPlan &p, const float *m, int tx, const float *bias, const float *residual,
                    bool relu, float *signal) {
    using reg = typename Vec::reg;
    constexpr int A = M + 2;
    const int ox0 = tx * M;
    for (int k0 = 0; k0 < p.k; k0 += Vec::width) {
        const int lanes = p.k - k0;
        const bool full = lanes >= Vec::width;
        reg mj[A], y[M];
        for (int j = 0; j < A; ++j) mj[j] = Vec::load(m + j * p.k_pad + k0);
        output_transform<Vec, M>(mj, y);
        const reg b = bias ? load_channels<Vec>(bias + k0, lanes) : Vec::zero();
        for (int j = 0; j < M && ox0 + j < p.out_w; ++j) {
            const long at = (long)(ox0 + j) * p.k + k0;
            reg out = Vec::add(y[j], b);
            if (residual) out = Vec::add(out, load_channels<Vec>(residual + at, lanes));
            if (relu) out = Vec::max(Vec::zero(), out);  // zero() first: a NaN stays NaN
            if (full) Vec::store(signal + at, out);
            else Vec::store(signal + at, out, lanes);
        }
    }
}

// Y = A dy of output-gradient tile tx (zero beyond the signal's end), one row [T][k_pad] of the Y buffer.
template <typename Vec, int M>
void gradient_tile_1d(const cnn4j::WinogradPlan &p, const float *signal, int tx, float *y) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const int ox0 = tx * M;
    for (int k0 = 0; k0 < p.k_pad; k0 += Vec::width) {
        reg d[M], row[A];
        for (int j = 0; j < M; ++j)
            d[j] = ox0 + j < p.out_w ? load_channels<Vec>(signal + (long)(ox0 + j) * p.k + k0, p.k - k0) : Vec::zero();
        apply<Vec>(W::a, d, 1, row, 1);
        for (int j = 0; j < A; ++j) Vec::store(y + j * p.k_pad + k0, row[j]);
    }
}

// dW[k][c] = G^T G[.][k][c] (3 taps from A points) for input channel c and one panel's output channels.
template <typename Vec, int M>
void weight_gradient_1d(const cnn4j::WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    using W = WinogradMatrices<M>;
    using reg = typename Vec::reg;
    constexpr int A = W::alpha;
    const int P = p.panel;
    const long plane = (long)p.k_pad * p.c_pad;  // one t of G
    const float *gc = g + ((long)panel * p.c_pad + c) * P;
    for (int q = 0; q < P; q += Vec::width) {
        reg x[A], w[3];
        for (int t = 0; t < A; ++t) x[t] = Vec::load(gc + t * plane + q);
        apply<Vec>(W::gt, x, 1, w, 1);
        alignas(64) float taps[3][Vec::width];
        for (int tap = 0; tap < 3; ++tap) Vec::store(taps[tap], w[tap]);
        for (int lane = 0; lane < Vec::width; ++lane) {
            const int k = panel * P + q + lane;
            if (k >= p.k) break;
            for (int tap = 0; tap < 3; ++tap) dw[((long)k * p.c + c) * 3 + tap] = taps[tap][lane];
        }
    }
}

// The entry points of one ISA, the tile size m chosen from the plan.
template <typename Vec>
struct Winograd1dKernels {
    static void filter(const cnn4j::WinogradPlan &p, const cnn4j::WinogradFilterView &w, const float *weights, float *u) {
        if (p.m == 4) filter_transform_1d<Vec, 4>(p, w, weights, u);
        else filter_transform_1d<Vec, 6>(p, w, weights, u);
    }
    static void input(const cnn4j::WinogradPlan &p, const float *signal, int tx, float *v) {
        if (p.m == 4) input_tile_1d<Vec, 4>(p, signal, tx, v);
        else input_tile_1d<Vec, 6>(p, signal, tx, v);
    }
    static void output(const cnn4j::WinogradPlan &p, const float *m, int tx, const float *bias, const float *residual,
                       bool relu, float *signal) {
        if (p.m == 4) output_tile_1d<Vec, 4>(p, m, tx, bias, residual, relu, signal);
        else output_tile_1d<Vec, 6>(p, m, tx, bias, residual, relu, signal);
    }
    static void gradient(const cnn4j::WinogradPlan &p, const float *signal, int tx, float *y) {
        if (p.m == 4) gradient_tile_1d<Vec, 4>(p, signal, tx, y);
        else gradient_tile_1d<Vec, 6>(p, signal, tx, y);
    }
    static void weights(const cnn4j::WinogradPlan &p, const float *g, int panel, int c, float *dw) {
        if (p.m == 4) weight_gradient_1d<Vec, 4>(p, g, panel, c, dw);
        else weight_gradient_1d<Vec, 6>(p, g, panel, c, dw);
    }
};

}  // namespace
