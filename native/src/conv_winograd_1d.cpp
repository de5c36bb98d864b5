// Winograd convolution F(4,3) and F(6,3) of 1-D signals on channels-last activations (see
// winograd_1d.hpp for the algorithm; the chunks, schedules and products are the 2-D convolution's,
// winograd_driver.cpp). A signal batch is [n, 1, L, c] NHWC, a filter [k, c, 1, 3] OIHW. Backward-data
// is the same convolution from diff_dst to diff_src with the filter reversed and its O and I swapped,
// padded on the left by 2 - pad_left (negative beyond a padding of 2); backward-weights is the
// forward's adjoint in the filter, dW = G^T [sum over tiles of (A dy) . (B^T d)].
//
// Numerical error: see the table in docs/winograd.md ("1-D"), measured by
// NativeWinograd1dGoldenTest.errorTable.

#include <algorithm>
#include <string>

#include "conv_geometry.hpp"
#include "isa.hpp"
#include "status.hpp"
#include "winograd_1d.hpp"
#include "winograd_driver.hpp"
#include "winograd_filter_cache.hpp"

namespace {

using cnn4j::ConvGeometry;
using cnn4j::WinogradPlan;

void check_shape(const ConvGeometry &g, int m) {
    if (m != 4 && m != 6) throw cnn4j::invalid_argument("tile size must be 4 or 6, got " + std::to_string(m));
    if (g.h != 1 || g.kh != 1 || g.kw != 3 || g.pad_top != 0 || g.pad_bottom != 0 || g.stride_w != 1
        || g.dilation_w != 1 || g.groups != 1)
        throw cnn4j::unimplemented("1-D Winograd needs a signal of height 1, a 1x3 kernel, no vertical padding, "
                                   "stride 1, dilation 1 and groups 1");
}

// The 1-D per-tile kernels of the active ISA; the products are the 2-D ones.
cnn4j::WinogradKernelSet kernels_1d() {
    using namespace cnn4j;
    return {dispatch(&winograd_1d_input_tile_scalar, &winograd_1d_input_tile_avx2, &winograd_1d_input_tile_avx512),
            dispatch(&winograd_products_scalar, &winograd_products_avx2, &winograd_products_avx512),
            dispatch(&winograd_1d_output_tile_scalar, &winograd_1d_output_tile_avx2, &winograd_1d_output_tile_avx512),
            dispatch(&winograd_1d_gradient_tile_scalar, &winograd_1d_gradient_tile_avx2, &winograd_1d_gradient_tile_avx512),
            dispatch(&winograd_weight_products_scalar, &winograd_weight_products_avx2, &winograd_weight_products_avx512),
            dispatch(&winograd_1d_weight_gradient_scalar, &winograd_1d_weight_gradient_avx2,
                     &winograd_1d_weight_gradient_avx512)};
}

cnn4j::FilterTransform filter_transform_1d() {
    using namespace cnn4j;
    return dispatch(&winograd_1d_filter_transform_scalar, &winograd_1d_filter_transform_avx2,
                    &winograd_1d_filter_transform_avx512);
}

}  // namespace

extern "C" int cnn4j_conv1d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                             int64_t frozen_weights_id, const float *bias, const float *residual,
                                             float *dst, int fuse_relu) {
    return cnn4j::guarded("conv1d forward (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p = cnn4j::winograd_plan(tile, tile + 2, g.c, g.k, 1, g.w, 1, g.out_w(), 0, g.pad_left);
        const cnn4j::WinogradFilterView oik{0, (long)g.c * 3, 3, 0, 1};
        const auto u = cnn4j::winograd_filter(p, oik, weights, (long)g.k * g.c * 3, frozen_weights_id, false,
                                              filter_transform_1d());
        cnn4j::winograd_convolve(p, kernels_1d(), g.n, src, u->data(), bias, residual, fuse_relu != 0, dst);
    });
}

extern "C" int cnn4j_conv1d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst,
                                                   const float *weights, int64_t frozen_weights_id, float *diff_src) {
    return cnn4j::guarded("conv1d backward data (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p = cnn4j::winograd_plan(tile, tile + 2, g.k, g.c, 1, g.out_w(), 1, g.w, 0, 2 - g.pad_left);
        // Tap (o = input channel c, i = output channel k, x) is weight [k][c][0][2 - x].
        const cnn4j::WinogradFilterView reversed{2, 3, (long)g.c * 3, 0, -1};
        const auto u = cnn4j::winograd_filter(p, reversed, weights, (long)g.k * g.c * 3, frozen_weights_id, true,
                                              filter_transform_1d());
        cnn4j::winograd_convolve(p, kernels_1d(), g.n, diff_dst, u->data(), nullptr, nullptr, false, diff_src);
    });
}

extern "C" int cnn4j_conv1d_winograd_backward_weights(int tile, const int32_t *conv, const float *src,
                                                      const float *diff_dst, float *diff_weights, float *diff_bias) {
    return cnn4j::guarded("conv1d backward weights (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !diff_dst || !diff_weights) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) {
            std::fill_n(diff_weights, (long)g.k * g.c * 3, 0.f);
            if (diff_bias) std::fill_n(diff_bias, g.k, 0.f);
            return;
        }
        const WinogradPlan p = cnn4j::winograd_plan(tile, tile + 2, g.c, g.k, 1, g.w, 1, g.out_w(), 0, g.pad_left);
        cnn4j::winograd_weight_gradient(p, kernels_1d(), g.n, src, diff_dst, diff_weights, diff_bias);
    });
}
