// Winograd kernels for baseline x86-64: one channel at a time, products in 2 x 32 blocks.
#include "vec_scalar.hpp"
#include "winograd_kernels.hpp"

namespace {

struct ScalarIsa {
    static void lanes(const float *data, long blocks, uint32_t odd, uint32_t *lanes) {
        for (long b = 0; b < blocks; ++b, data += 64)
            for (int i = 0; i < 64; ++i) {
                uint32_t word;
                std::memcpy(&word, data + i, sizeof word);
                lanes[i] = lanes[i] * odd + word;
            }
    }
};

using Kernels = WinogradKernels<ScalarVec, ScalarIsa, 2, 2>;

}  // namespace

namespace cnn4j {
void winograd_filter_transform_scalar(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u) {
    Kernels::filter(p, w, weights, u);
}
void winograd_input_tile_scalar(const WinogradPlan &p, const float *image, int ty, int tx, float *v) {
    Kernels::input(p, image, ty, tx, v);
}
void winograd_products_scalar(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows) {
    Kernels::multiply(p, v, u, m, t, panel, rows);
}
void winograd_output_tile_scalar(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                 const float *residual, bool relu, float *image) {
    Kernels::output(p, m, ty, tx, bias, residual, relu, image);
}
void winograd_gradient_tile_scalar(const WinogradPlan &p, const float *image, int ty, int tx, float *y) {
    Kernels::gradient(p, image, ty, tx, y);
}
void winograd_weight_products_scalar(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows) {
    Kernels::weight_multiply(p, v, y, g, t, panel, rows);
}
void winograd_weight_gradient_scalar(const WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    Kernels::weights(p, g, panel, c, dw);
}
unsigned long long winograd_fingerprint_scalar(const float *data, long count) { return fingerprint<ScalarIsa>(data, count); }
}  // namespace cnn4j
