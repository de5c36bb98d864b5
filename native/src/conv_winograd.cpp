// Winograd convolution F(2x2,3x3) and F(4x4,3x3) on channels-last activations (see winograd.hpp for
// the algorithm and buffers). The tiles of all images are processed in chunks of `rows` tiles, in
// three parallel phases per chunk: input transforms (across tiles), the T batched products (across
// (t, 32-channel panel) pairs, so each U[t] panel is read once per chunk and each V[t] slice stays in
// L2 while its panels run) and output transforms (across tiles). A chunk's V[t] and M[t] slices are
// sized to about 256 KiB so they stay in L2, and as large as that allows so U is streamed as few
// times as possible. Backward-data is the same convolution from diff_dst to diff_src, with the filter
// flipped and its O and I swapped, padded by 2 - pad (negative beyond a padding of 2).
//
// Numerical error: max |y - y_ref| / max |y_ref| against a double-precision reference, forward, inputs
// and weights uniform in [-1, 1], 12x12 images, pad 1, K = 16, AVX-512 (NativeWinogradGoldenTest.errorTable):
//
//      C   F(2x2,3x3)   F(4x4,3x3)   float32 direct (im2col_gemm)
//     16     1.79e-07     2.85e-06     3.58e-07
//     32     2.49e-07     2.99e-06     5.24e-07
//     64     3.44e-07     4.52e-06     4.30e-07
//    128     3.69e-07     5.21e-06     3.37e-07
//    256     7.11e-07     1.05e-05     4.22e-07
//    512     8.27e-07     2.03e-05     4.07e-07
//
// In units of sqrt(C*9) * 2^-24 (rounding errors of a long sum grow like a random walk) that is
// 0.18-0.25 for F(2x2), 2.6-5.0 for F(4x4) and 0.10-0.52 for direct: F(2x2) is as accurate as direct
// convolution, F(4x4) 8-50x less, because its transform constants (8 in A^T, 5 in B^T, 1/24 in G)
// grow the intermediate values that are rounded to float32. The golden tests allow twice the
// documented bounds 0.5 and 10.

#include <omp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "conv_geometry.hpp"
#include "isa.hpp"
#include "status.hpp"
#include "winograd.hpp"
#include "winograd_filter_cache.hpp"

namespace {

using cnn4j::ConvGeometry;
using cnn4j::WinogradPlan;

long round_up(long x, long to) { return (x + to - 1) / to * to; }

WinogradPlan plan_of(int m, int c, int k, int in_h, int in_w, int out_h, int out_w, int pad_top, int pad_left, int n) {
    WinogradPlan p;
    p.m = m;
    p.c = c;
    p.c_pad = (int)round_up(c, 16);
    p.k = k;
    p.k_pad = (int)round_up(k, cnn4j::winograd_panel);
    p.in_h = in_h;
    p.in_w = in_w;
    p.out_h = out_h;
    p.out_w = out_w;
    p.pad_top = pad_top;
    p.pad_left = pad_left;
    p.tiles_h = (out_h + m - 1) / m;
    p.tiles_w = (out_w + m - 1) / m;
    const long tiles = (long)n * p.tiles_h * p.tiles_w;
    const long l2_rows = std::clamp(65536L / std::max(p.c_pad, p.k_pad), 16L, 512L);
    p.rows = std::min(round_up(l2_rows, 8), round_up(tiles, 8));
    return p;
}

void check_shape(const ConvGeometry &g, int m) {
    if (m != 2 && m != 4) throw cnn4j::invalid_argument("tile size must be 2 or 4, got " + std::to_string(m));
    if (g.kh != 3 || g.kw != 3 || g.stride_h != 1 || g.stride_w != 1 || g.dilation_h != 1 || g.dilation_w != 1
        || g.groups != 1)
        throw cnn4j::unimplemented("Winograd needs a 3x3 kernel, stride 1, dilation 1 and groups 1");
}

// Convolves n NHWC images [in_h, in_w, c] into [out_h, out_w, k] with the transformed filter u.
void run(const WinogradPlan &p, int n, const float *src, const float *u, const float *bias, float *dst) {
    const auto input = cnn4j::dispatch(&cnn4j::winograd_input_tile_scalar, &cnn4j::winograd_input_tile_avx2,
                                       &cnn4j::winograd_input_tile_avx512);
    const auto products = cnn4j::dispatch(&cnn4j::winograd_products_scalar, &cnn4j::winograd_products_avx2,
                                          &cnn4j::winograd_products_avx512);
    const auto output = cnn4j::dispatch(&cnn4j::winograd_output_tile_scalar, &cnn4j::winograd_output_tile_avx2,
                                        &cnn4j::winograd_output_tile_avx512);
    const int alpha = p.m + 2, t_count = alpha * alpha, panels = p.k_pad / cnn4j::winograd_panel;
    const long per_image = (long)p.tiles_h * p.tiles_w, tiles = n * per_image;
    const long in_image = (long)p.in_h * p.in_w * p.c, out_image = (long)p.out_h * p.out_w * p.k;
    // Allocated before the parallel region (nothing may throw inside it) and zeroed: rows past the
    // last tile of a chunk are multiplied too, and must hold finite values.
    std::vector<float> v((size_t)t_count * p.rows * p.c_pad, 0.f);
    std::vector<float> m((size_t)t_count * p.rows * p.k_pad);
#pragma omp parallel
    for (long first = 0; first < tiles; first += p.rows) {
        const long count = std::min(p.rows, tiles - first);
#pragma omp for schedule(static)
        for (long i = 0; i < count; ++i) {
            const long tile = first + i, img = tile / per_image, yx = tile % per_image;
            input(p, src + img * in_image, (int)(yx / p.tiles_w), (int)(yx % p.tiles_w), v.data() + i * p.c_pad);
        }
#pragma omp for schedule(static)
        for (int task = 0; task < t_count * panels; ++task)
            products(p, v.data(), u, m.data(), task / panels, task % panels, round_up(count, 8));
#pragma omp for schedule(static)
        for (long i = 0; i < count; ++i) {
            const long tile = first + i, img = tile / per_image, yx = tile % per_image;
            output(p, m.data() + i * p.k_pad, (int)(yx / p.tiles_w), (int)(yx % p.tiles_w), bias, dst + img * out_image);
        }
    }
}

}  // namespace

extern "C" int cnn4j_conv2d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                             const float *bias, float *dst) {
    return cnn4j::guarded("conv2d forward (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p = plan_of(tile, g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left, g.n);
        const cnn4j::WinogradFilterView oihw{0, (long)g.c * 9, 9, 3, 1};
        const auto u = cnn4j::winograd_filter(p, oihw, weights, (long)g.k * g.c * 9, false);
        run(p, g.n, src, u->data(), bias, dst);
    });
}

extern "C" int cnn4j_conv2d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst,
                                                   const float *weights, float *diff_src) {
    return cnn4j::guarded("conv2d backward data (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p =
            plan_of(tile, g.k, g.c, g.out_h(), g.out_w(), g.h, g.w, 2 - g.pad_top, 2 - g.pad_left, g.n);
        // Tap (o = input channel c, i = output channel k, y, x) is weight [k][c][2 - y][2 - x].
        const cnn4j::WinogradFilterView flipped{8, 9, (long)g.c * 9, -3, -1};
        const auto u = cnn4j::winograd_filter(p, flipped, weights, (long)g.k * g.c * 9, true);
        run(p, g.n, diff_dst, u->data(), nullptr, diff_src);
    });
}

extern "C" int64_t cnn4j_winograd_filter_transforms(void) { return cnn4j::winograd_filter_transforms(); }
