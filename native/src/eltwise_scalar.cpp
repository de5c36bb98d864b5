#include "eltwise_walk.hpp"
#include "vec_scalar.hpp"

namespace cnn4j {
void eltwise_binary_scalar(int op, long count, const float *a, const float *b, float *out) {
    eltwise_binary_walk<ScalarVec>(op, count, a, b, out);
}
void eltwise_relu_scalar(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out) {
    eltwise_relu_walk<ScalarVec>(op, alpha, beta, count, x, dy, out);
}
void channel_scale_scalar(long images, int channels, long pixels, const float *x, const float *s, float *out) {
    channel_scale_walk<ScalarVec>(images, channels, pixels, x, s, out);
}
void channel_scale_grad_scalar(long images, int channels, long pixels, const float *x, const float *dy, float *ds) {
    channel_scale_grad_walk<ScalarVec>(images, channels, pixels, x, dy, ds);
}
}  // namespace cnn4j
