// Winograd kernels for AVX-512: 16 channels per vector; products (and the weight gradient's, 8 input
// channels by a panel of output channels) in 8 x 32 register blocks (16 zmm accumulators, like
// gemm_avx512.cpp), 8 x 16 for layers of at most 16 output channels.
#include "vec_avx512.hpp"
#include "winograd_kernels.hpp"

namespace {

struct Avx512Isa {
    static void lanes(const float *data, long blocks, uint32_t odd, uint32_t *lanes) {
        const __m512i mul = _mm512_set1_epi32((int)odd);
        __m512i acc[4];
        for (int r = 0; r < 4; ++r) acc[r] = _mm512_load_si512(lanes + 16 * r);
        for (long b = 0; b < blocks; ++b, data += 64)
            for (int r = 0; r < 4; ++r)
                acc[r] = _mm512_add_epi32(_mm512_mullo_epi32(acc[r], mul), _mm512_castps_si512(_mm512_loadu_ps(data + 16 * r)));
        for (int r = 0; r < 4; ++r) _mm512_store_si512(lanes + 16 * r, acc[r]);
    }
};

using Kernels = WinogradKernels<Avx512Vec, Avx512Isa, 8, 8>;

}  // namespace

namespace cnn4j {
void winograd_filter_transform_avx512(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u) {
    Kernels::filter(p, w, weights, u);
}
void winograd_input_tile_avx512(const WinogradPlan &p, const float *image, int ty, int tx, float *v) {
    Kernels::input(p, image, ty, tx, v);
}
void winograd_products_avx512(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows) {
    Kernels::multiply(p, v, u, m, t, panel, rows);
}
void winograd_output_tile_avx512(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                 const float *residual, bool relu, float *image) {
    Kernels::output(p, m, ty, tx, bias, residual, relu, image);
}
void winograd_gradient_tile_avx512(const WinogradPlan &p, const float *image, int ty, int tx, float *y) {
    Kernels::gradient(p, image, ty, tx, y);
}
void winograd_weight_products_avx512(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows) {
    Kernels::weight_multiply(p, v, y, g, t, panel, rows);
}
void winograd_weight_gradient_avx512(const WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    Kernels::weights(p, g, panel, c, dw);
}
unsigned long long winograd_fingerprint_avx512(const float *data, long count) { return fingerprint<Avx512Isa>(data, count); }
}  // namespace cnn4j
