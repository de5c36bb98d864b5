#include "batch_norm_walk.hpp"
#include "vec_scalar.hpp"

namespace cnn4j {
void channel_sums_scalar(const ChannelLayout &l, const float *x, const float *center, const float *w, const ReluGate &g,
                         int threads, double *partials, float *scratch) {
    channel_sums_walk<ScalarVec>(l, x, center, w, g, threads, partials, scratch);
}
void channel_affine_scalar(const ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                           const float *b, const float *d, const ReluGate &g, bool relu, float *out) {
    channel_affine_walk<ScalarVec>(l, x, center, a, w, b, d, g, relu, out);
}
}  // namespace cnn4j
