// 1-D Winograd kernels for AVX2: 8 channels per vector (the products are winograd_kernels_avx2.cpp's).
#include "vec_avx2.hpp"
#include "winograd_1d_kernels.hpp"

namespace {
using Kernels = Winograd1dKernels<Avx2Vec>;
}  // namespace

namespace cnn4j {
void winograd_1d_filter_transform_avx2(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u) {
    Kernels::filter(p, w, weights, u);
}
void winograd_1d_input_tile_avx2(const WinogradPlan &p, const float *signal, int, int tx, float *v) {
    Kernels::input(p, signal, tx, v);
}
void winograd_1d_output_tile_avx2(const WinogradPlan &p, const float *m, int, int tx, const float *bias,
                                  const float *residual, bool relu, float *signal) {
    Kernels::output(p, m, tx, bias, residual, relu, signal);
}
void winograd_1d_gradient_tile_avx2(const WinogradPlan &p, const float *signal, int, int tx, float *y) {
    Kernels::gradient(p, signal, tx, y);
}
void winograd_1d_weight_gradient_avx2(const WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    Kernels::weights(p, g, panel, c, dw);
}
}  // namespace cnn4j
