// Convolution as im2col + GEMM on channels-last (NHWC) activations. Output pixels are cut into tiles;
// each OpenMP thread unfolds one tile of one image into rows [pixels, kh*kw*C/groups] (tap-major,
// channel-minor) in its own L2-sized buffer and multiplies it with the weights reordered OIHW -> OHWI,
// so the column matrix is never written whole. 1x1 stride-1 unpadded convolutions skip im2col: an
// NHWC batch already is the matrix [N*H*W, C].
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "conv_geometry.hpp"
#include "gemm.hpp"
#include "im2col.hpp"
#include "isa.hpp"
#include "status.hpp"

namespace {

using cnn4j::ConvGeometry;

struct Dims {
    int cg, kg, row_len;
    long ohw, hw, tile, tiles_per_image;
    bool pointwise;
};

Dims dims_of(const ConvGeometry &g) {
    Dims d;
    d.cg = g.c / g.groups;
    d.kg = g.k / g.groups;
    d.row_len = g.kh * g.kw * d.cg;
    d.ohw = (long)g.out_h() * g.out_w();
    d.hw = (long)g.h * g.w;
    // A tile's unfolded rows take about 256 KiB, so they stay in L2 while the GEMM reads them.
    d.tile = std::clamp(65536L / d.row_len, 16L, 1024L);
    d.tiles_per_image = (d.ohw + d.tile - 1) / d.tile;
    d.pointwise = g.kh == 1 && g.kw == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 && g.pad_bottom == 0
                  && g.pad_left == 0 && g.pad_right == 0;
    return d;
}

cnn4j::Im2colNhwcPlan plan_of(const ConvGeometry &g, int group, long p0, long p1) {
    const int cg = g.c / g.groups;
    return {{g.c, g.h, g.w, g.kh, g.kw, g.stride_h, g.stride_w, g.pad_top, g.pad_left, g.dilation_h, g.dilation_w,
             g.out_h(), g.out_w()},
            group * cg, cg, p0, p1};
}

void im2col_nhwc(const cnn4j::Im2colNhwcPlan &p, const float *image, float *rows) {
    cnn4j::dispatch(&cnn4j::im2col_nhwc_scalar, &cnn4j::im2col_nhwc_avx2, &cnn4j::im2col_nhwc_avx512)(p, image, rows);
}

void col2im_nhwc(const cnn4j::Im2colNhwcPlan &p, const float *rows, float *image) {
    cnn4j::dispatch(&cnn4j::col2im_nhwc_scalar, &cnn4j::col2im_nhwc_avx2, &cnn4j::col2im_nhwc_avx512)(p, rows, image);
}

// OIHW -> OHWI and back: the weight row of output channel o lists taps in the order of an unfolded row.
std::vector<float> to_ohwi(const ConvGeometry &g, const float *oihw) {
    const int cg = g.c / g.groups, taps = g.kh * g.kw;
    std::vector<float> out((size_t)g.k * taps * cg);
    for (int o = 0; o < g.k; ++o)
        for (int c = 0; c < cg; ++c)
            for (int t = 0; t < taps; ++t) out[((size_t)o * taps + t) * cg + c] = oihw[((size_t)o * cg + c) * taps + t];
    return out;
}

void from_ohwi(const ConvGeometry &g, const float *ohwi, float *oihw) {
    const int cg = g.c / g.groups, taps = g.kh * g.kw;
    for (int o = 0; o < g.k; ++o)
        for (int c = 0; c < cg; ++c)
            for (int t = 0; t < taps; ++t) oihw[((size_t)o * cg + c) * taps + t] = ohwi[((size_t)o * taps + t) * cg + c];
}

// One tile of work: image n, group gr, output pixels [p0, p1).
struct Tile {
    int n, group;
    long p0, p1;
};

Tile tile_at(const ConvGeometry &g, const Dims &d, long t) {
    const long per_image = g.groups * d.tiles_per_image;
    const long p0 = (t % d.tiles_per_image) * d.tile;
    return {(int)(t / per_image), (int)(t / d.tiles_per_image % g.groups), p0, std::min(p0 + d.tile, d.ohw)};
}

}  // namespace

extern "C" int cnn4j_conv2d_im2col_forward(const int32_t *conv, const float *src, const float *weights,
                                           const float *bias, const float *residual, float *dst, int fuse_relu) {
    return cnn4j::guarded("conv2d forward (im2col_gemm)", [&] {
        const auto g = ConvGeometry::from(conv);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const Dims d = dims_of(g);
        const std::vector<float> w = to_ohwi(g, weights);
        const long tiles = (long)g.n * g.groups * d.tiles_per_image;
        // Buffers are allocated before the parallel region: nothing may throw inside it.
        std::vector<float> buffers(d.pointwise ? 0 : (size_t)omp_get_max_threads() * d.tile * d.row_len);
#pragma omp parallel for schedule(dynamic)
        for (long t = 0; t < tiles; ++t) {
            const Tile tl = tile_at(g, d, t);
            const long pixels = tl.p1 - tl.p0, at = (tl.n * d.ohw + tl.p0) * g.k + tl.group * d.kg;
            const float *image = src + tl.n * d.hw * g.c;
            float *out = dst + at;
            const float *wg = w.data() + (size_t)tl.group * d.kg * d.row_len;
            // the GEMM adds its product to the residual (beta 1), which must then be in dst: a tile is
            // read before it is written, so a residual that is dst itself needs nothing
            if (residual && residual != dst)
                for (long p = 0; p < pixels; ++p) std::memcpy(out + p * g.k, residual + at + p * g.k, sizeof(float) * d.kg);
            const float beta = residual ? 1.f : 0.f;
            if (d.pointwise) {
                cnn4j::sgemm_serial(false, true, pixels, d.kg, d.cg, 1.f, image + tl.p0 * g.c + tl.group * d.cg, g.c, wg,
                                    d.cg, beta, out, g.k);
            } else {
                float *rows = buffers.data() + (size_t)omp_get_thread_num() * d.tile * d.row_len;
                im2col_nhwc(plan_of(g, tl.group, tl.p0, tl.p1), image, rows);
                cnn4j::sgemm_serial(false, true, pixels, d.kg, d.row_len, 1.f, rows, d.row_len, wg, d.row_len, beta, out,
                                    g.k);
            }
            if (bias || fuse_relu)
                for (long p = 0; p < pixels; ++p)
                    for (int k = 0; k < d.kg; ++k) {
                        const float v = out[p * g.k + k] + (bias ? bias[tl.group * d.kg + k] : 0.f);
                        out[p * g.k + k] = fuse_relu && v < 0.f ? 0.f : v;  // a NaN stays NaN, as in PyTorch
                    }
        }
    });
}

extern "C" int cnn4j_conv2d_im2col_backward_data(const int32_t *conv, const float *diff_dst, const float *weights,
                                                 float *diff_src) {
    return cnn4j::guarded("conv2d backward data (im2col_gemm)", [&] {
        const auto g = ConvGeometry::from(conv);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const Dims d = dims_of(g);
        const std::vector<float> w = to_ohwi(g, weights);
        if (d.pointwise) {
            for (int gr = 0; gr < g.groups; ++gr)
                cnn4j::sgemm_parallel(false, false, g.n * d.hw, d.cg, d.kg, 1.f, diff_dst + gr * d.kg, g.k,
                                      w.data() + (size_t)gr * d.kg * d.cg, d.cg, 0.f, diff_src + gr * d.cg, g.c);
            return;
        }
        // Unfolded gradient rows of one image and group, then folded back; tiles of rows overlap in the
        // input, so the fold runs over input rows instead.
        std::memset(diff_src, 0, sizeof(float) * g.n * d.hw * g.c);
        std::vector<float> rows((size_t)d.ohw * d.row_len);
        for (int n = 0; n < g.n; ++n) {
            for (int gr = 0; gr < g.groups; ++gr) {
                cnn4j::sgemm_parallel(false, false, d.ohw, d.row_len, d.kg, 1.f, diff_dst + n * d.ohw * g.k + gr * d.kg,
                                      g.k, w.data() + (size_t)gr * d.kg * d.row_len, d.row_len, 0.f, rows.data(),
                                      d.row_len);
                col2im_nhwc(plan_of(g, gr, 0, d.ohw), rows.data(), diff_src + n * d.hw * g.c);
            }
        }
    });
}

extern "C" int cnn4j_conv2d_im2col_backward_weights(const int32_t *conv, const float *src, const float *diff_dst,
                                                    float *diff_weights, float *diff_bias) {
    return cnn4j::guarded("conv2d backward weights (im2col_gemm)", [&] {
        const auto g = ConvGeometry::from(conv);
        if (!src || !diff_dst || !diff_weights) throw cnn4j::invalid_argument("null buffer");
        const Dims d = dims_of(g);
        const int threads = omp_get_max_threads();
        const size_t wsize = (size_t)g.k * d.row_len;
        // Copy i sums the contributions of the i-th run of tiles, in order, and the copies are added at the
        // end: a fixed split, so the weight gradient repeats bit for bit whatever thread runs which copy.
        std::vector<float> partial(threads * wsize, 0.f);
        std::vector<float> buffers(d.pointwise ? 0 : (size_t)threads * d.tile * d.row_len);
        const long tiles = (long)g.n * g.groups * d.tiles_per_image;
#pragma omp parallel for schedule(static)
        for (int copy = 0; copy < threads; ++copy) {
            for (long t = tiles * copy / threads; t < tiles * (copy + 1) / threads; ++t) {
                const Tile tl = tile_at(g, d, t);
                const float *image = src + tl.n * d.hw * g.c;
                const float *dy = diff_dst + (tl.n * d.ohw + tl.p0) * g.k + tl.group * d.kg;
                float *dw = partial.data() + copy * wsize + (size_t)tl.group * d.kg * d.row_len;
                if (d.pointwise) {
                    cnn4j::sgemm_serial(true, false, d.kg, d.cg, tl.p1 - tl.p0, 1.f, dy, g.k,
                                        image + tl.p0 * g.c + tl.group * d.cg, g.c, 1.f, dw, d.cg);
                } else {
                    float *rows = buffers.data() + (size_t)copy * d.tile * d.row_len;
                    im2col_nhwc(plan_of(g, tl.group, tl.p0, tl.p1), image, rows);
                    cnn4j::sgemm_serial(true, false, d.kg, d.row_len, tl.p1 - tl.p0, 1.f, dy, g.k, rows, d.row_len, 1.f,
                                        dw, d.row_len);
                }
            }
        }
        for (int th = 1; th < threads; ++th)
            for (size_t i = 0; i < wsize; ++i) partial[i] += partial[th * wsize + i];
        from_ohwi(g, partial.data(), diff_weights);
        if (diff_bias) {
            const long pixels = g.n * d.ohw;
            std::vector<double> sums(g.k, 0.0);
            for (long p = 0; p < pixels; ++p)
                for (int k = 0; k < g.k; ++k) sums[k] += diff_dst[p * g.k + k];
            for (int k = 0; k < g.k; ++k) diff_bias[k] = (float)sums[k];
        }
    });
}
