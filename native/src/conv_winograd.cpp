// Winograd convolution F(2x2,3x3) and F(4x4,3x3) on channels-last activations (see winograd.hpp for
// the algorithm and buffers, winograd_driver.cpp for the chunks and schedules). Backward-data is the
// same convolution from diff_dst to diff_src, with the filter flipped and its O and I swapped, padded by
// 2 - pad (negative beyond a padding of 2). Backward-weights is the forward's adjoint in the filter:
// V from the input as forward, Y = A dy A^T from the output gradient, G summed over all tiles, then
// dW = G^T G G per (k, c).
//
// Numerical error: max |y - y_ref| / max |y_ref| against a double-precision reference, forward, inputs
// and weights uniform in [-1, 1], 12x12 images, pad 1, K = 16, AVX-512 (NativeWinogradGoldenTest.errorTable):
//
//      C   F(2x2,3x3)   F(4x4,3x3)   float32 direct (im2col_gemm)
//     16     1.79e-07     3.01e-06     3.58e-07
//     32     2.49e-07     4.12e-06     5.24e-07
//     64     3.44e-07     5.35e-06     4.30e-07
//    128     3.69e-07     5.19e-06     3.37e-07
//    256     7.11e-07     1.16e-05     4.22e-07
//    512     8.27e-07     1.82e-05     4.07e-07
//
// In units of sqrt(C*9) * 2^-24 (rounding errors of a long sum grow like a random walk) that is
// 0.18-0.25 for F(2x2), 2.6-4.5 for F(4x4) and 0.10-0.52 for direct: F(2x2) is as accurate as direct
// convolution, F(4x4) 8-45x less, because its transform constants (8 in A^T, 5 in B^T, 1/24 in G)
// grow the intermediate values that are rounded to float32. The golden tests allow twice the
// documented bounds 0.5 and 10.

#include <algorithm>
#include <string>

#include "conv_geometry.hpp"
#include "isa.hpp"
#include "status.hpp"
#include "winograd_driver.hpp"
#include "winograd_filter_cache.hpp"

namespace {

using cnn4j::ConvGeometry;
using cnn4j::WinogradPlan;

void check_shape(const ConvGeometry &g, int m) {
    if (m != 2 && m != 4) throw cnn4j::invalid_argument("tile size must be 2 or 4, got " + std::to_string(m));
    if (g.kh != 3 || g.kw != 3 || g.stride_h != 1 || g.stride_w != 1 || g.dilation_h != 1 || g.dilation_w != 1
        || g.groups != 1)
        throw cnn4j::unimplemented("Winograd needs a 3x3 kernel, stride 1, dilation 1 and groups 1");
}

// The 2-D per-tile kernels of the active ISA.
cnn4j::WinogradKernelSet kernels_2d() {
    using namespace cnn4j;
    return {dispatch(&winograd_input_tile_scalar, &winograd_input_tile_avx2, &winograd_input_tile_avx512),
            dispatch(&winograd_products_scalar, &winograd_products_avx2, &winograd_products_avx512),
            dispatch(&winograd_output_tile_scalar, &winograd_output_tile_avx2, &winograd_output_tile_avx512),
            dispatch(&winograd_gradient_tile_scalar, &winograd_gradient_tile_avx2, &winograd_gradient_tile_avx512),
            dispatch(&winograd_weight_products_scalar, &winograd_weight_products_avx2, &winograd_weight_products_avx512),
            dispatch(&winograd_weight_gradient_scalar, &winograd_weight_gradient_avx2, &winograd_weight_gradient_avx512)};
}

cnn4j::FilterTransform filter_transform_2d() {
    using namespace cnn4j;
    return dispatch(&winograd_filter_transform_scalar, &winograd_filter_transform_avx2, &winograd_filter_transform_avx512);
}

}  // namespace

extern "C" int cnn4j_conv2d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                             int64_t frozen_weights_id, const float *bias, const float *residual,
                                             float *dst, int fuse_relu) {
    return cnn4j::guarded("conv2d forward (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p = cnn4j::winograd_plan(tile, (tile + 2) * (tile + 2), g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left);
        const cnn4j::WinogradFilterView oihw{0, (long)g.c * 9, 9, 3, 1};
        const auto u = cnn4j::winograd_filter(p, oihw, weights, (long)g.k * g.c * 9, frozen_weights_id, false, filter_transform_2d());
        cnn4j::winograd_convolve(p, kernels_2d(), g.n, src, u->data(), bias, residual, fuse_relu != 0, dst);
    });
}

extern "C" int cnn4j_conv2d_winograd_forward_max_pool(int tile, const int32_t *conv, const float *src, const float *weights,
                                                      int64_t frozen_weights_id, const float *bias, float *dst, int fuse_relu) {
    return cnn4j::guarded("conv2d forward + max pool (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        WinogradPlan p = cnn4j::winograd_plan(tile, (tile + 2) * (tile + 2), g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left);
        p.pool = 2;
        const cnn4j::WinogradFilterView oihw{0, (long)g.c * 9, 9, 3, 1};
        const auto u = cnn4j::winograd_filter(p, oihw, weights, (long)g.k * g.c * 9, frozen_weights_id, false, filter_transform_2d());
        cnn4j::winograd_convolve(p, kernels_2d(), g.n, src, u->data(), bias, nullptr, fuse_relu != 0, dst);
    });
}

extern "C" int cnn4j_conv2d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst,
                                                   const float *weights, int64_t frozen_weights_id, float *diff_src) {
    return cnn4j::guarded("conv2d backward data (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p =
            cnn4j::winograd_plan(tile, (tile + 2) * (tile + 2), g.k, g.c, g.out_h(), g.out_w(), g.h, g.w, 2 - g.pad_top, 2 - g.pad_left);
        // Tap (o = input channel c, i = output channel k, y, x) is weight [k][c][2 - y][2 - x].
        const cnn4j::WinogradFilterView flipped{8, 9, (long)g.c * 9, -3, -1};
        const auto u = cnn4j::winograd_filter(p, flipped, weights, (long)g.k * g.c * 9, frozen_weights_id, true, filter_transform_2d());
        cnn4j::winograd_convolve(p, kernels_2d(), g.n, diff_dst, u->data(), nullptr, nullptr, false, diff_src);
    });
}

extern "C" int cnn4j_conv2d_winograd_backward_weights(int tile, const int32_t *conv, const float *src,
                                                      const float *diff_dst, float *diff_weights, float *diff_bias) {
    return cnn4j::guarded("conv2d backward weights (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !diff_dst || !diff_weights) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) {
            std::fill_n(diff_weights, (long)g.k * g.c * 9, 0.f);
            if (diff_bias) std::fill_n(diff_bias, g.k, 0.f);
            return;
        }
        const WinogradPlan p = cnn4j::winograd_plan(tile, (tile + 2) * (tile + 2), g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left);
        cnn4j::winograd_weight_gradient(p, kernels_2d(), g.n, src, diff_dst, diff_weights, diff_bias);
    });
}

extern "C" int64_t cnn4j_winograd_filter_transforms(void) { return cnn4j::winograd_filter_transforms(); }
