// Winograd kernels for AVX2: 8 channels per vector; products (forward and weight gradient) in 2 x 32
// register blocks (8 ymm accumulators: 4 x 32 needs 16 plus the panel's 4, more than AVX2's 16
// registers; measured 10% slower).
#include "vec_avx2.hpp"
#include "winograd_kernels.hpp"

namespace {

struct Avx2Isa {
    static void lanes(const float *data, long blocks, uint32_t odd, uint32_t *lanes) {
        const __m256i mul = _mm256_set1_epi32((int)odd);
        __m256i acc[8];
        for (int r = 0; r < 8; ++r) acc[r] = _mm256_load_si256(reinterpret_cast<const __m256i *>(lanes + 8 * r));
        for (long b = 0; b < blocks; ++b, data += 64)
            for (int r = 0; r < 8; ++r)
                acc[r] = _mm256_add_epi32(_mm256_mullo_epi32(acc[r], mul), _mm256_castps_si256(_mm256_loadu_ps(data + 8 * r)));
        for (int r = 0; r < 8; ++r) _mm256_store_si256(reinterpret_cast<__m256i *>(lanes + 8 * r), acc[r]);
    }
};

using Kernels = WinogradKernels<Avx2Vec, Avx2Isa, 2, 2>;

}  // namespace

namespace cnn4j {
void winograd_filter_transform_avx2(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u) {
    Kernels::filter(p, w, weights, u);
}
void winograd_input_tile_avx2(const WinogradPlan &p, const float *image, int ty, int tx, float *v) {
    Kernels::input(p, image, ty, tx, v);
}
void winograd_products_avx2(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows) {
    Kernels::multiply(p, v, u, m, t, panel, rows);
}
void winograd_output_tile_avx2(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                               const float *residual, bool relu, float *image) {
    Kernels::output(p, m, ty, tx, bias, residual, relu, image);
}
void winograd_gradient_tile_avx2(const WinogradPlan &p, const float *image, int ty, int tx, float *y) {
    Kernels::gradient(p, image, ty, tx, y);
}
void winograd_weight_products_avx2(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows) {
    Kernels::weight_multiply(p, v, y, g, t, panel, rows);
}
void winograd_weight_gradient_avx2(const WinogradPlan &p, const float *g, int panel, int c, float *dw) {
    Kernels::weights(p, g, panel, c, dw);
}
unsigned long long winograd_fingerprint_avx2(const float *data, long count) { return fingerprint<Avx2Isa>(data, count); }
}  // namespace cnn4j
