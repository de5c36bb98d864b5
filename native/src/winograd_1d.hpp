// Winograd convolution F(m, 3), m = 4 or 6, of 1-D signals on channels-last activations: the per-ISA
// kernels (winograd_1d_kernels_<isa>.cpp) that conv_winograd_1d.cpp drives. A signal batch is an NHWC
// tensor [n, 1, L, c]; a 1x3 stride-1 convolution is cut into output tiles of m samples, each tile's
// m + 2 input samples d become V = B^T d, each filter g becomes U = G g, and the tile's output is
// A^T (U . V): T = m + 2 independent matrix products M[t] = V[t] x U[t] over the channels.
// Buffers and plan as winograd.hpp's with in_h = out_h = tiles_h = 1 and p.t = m + 2; the products
// (forward and weight gradient) are winograd.hpp's, which read only the plan's strides.
#pragma once

#include "winograd.hpp"

namespace cnn4j {

// U [T][k_pad/P][c_pad][P] from the weights, tap x of filter (o, i) at weights[offset + o*stride_o +
// i*stride_i + x*stride_x] (stride_y unused).
void winograd_1d_filter_transform_scalar(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);
void winograd_1d_filter_transform_avx2(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);
void winograd_1d_filter_transform_avx512(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);

// The V row of tile tx of one signal [in_w, c] (ty is always 0).
void winograd_1d_input_tile_scalar(const WinogradPlan &p, const float *signal, int ty, int tx, float *v);
void winograd_1d_input_tile_avx2(const WinogradPlan &p, const float *signal, int ty, int tx, float *v);
void winograd_1d_input_tile_avx512(const WinogradPlan &p, const float *signal, int ty, int tx, float *v);

// Output tile tx of one signal [out_w, k] from its M row, plus bias and residual (either may be null;
// the residual may be `signal` itself), then ReLU when `relu`.
void winograd_1d_output_tile_scalar(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                    const float *residual, bool relu, float *signal);
void winograd_1d_output_tile_avx2(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                  const float *residual, bool relu, float *signal);
void winograd_1d_output_tile_avx512(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                    const float *residual, bool relu, float *signal);

// Backward-weights: the Y row (A dy) of output-gradient tile tx of one signal [out_w, k] ...
void winograd_1d_gradient_tile_scalar(const WinogradPlan &p, const float *signal, int ty, int tx, float *y);
void winograd_1d_gradient_tile_avx2(const WinogradPlan &p, const float *signal, int ty, int tx, float *y);
void winograd_1d_gradient_tile_avx512(const WinogradPlan &p, const float *signal, int ty, int tx, float *y);

// ... and dW[k][c] = G^T G[.][k][c] for input channel c and one panel's output channels ([k][c][1][3]).
void winograd_1d_weight_gradient_scalar(const WinogradPlan &p, const float *g, int panel, int c, float *dw);
void winograd_1d_weight_gradient_avx2(const WinogradPlan &p, const float *g, int panel, int c, float *dw);
void winograd_1d_weight_gradient_avx512(const WinogradPlan &p, const float *g, int panel, int c, float *dw);

}  // namespace cnn4j
