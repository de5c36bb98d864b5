#include "eltwise_walk.hpp"
#include "vec_avx2.hpp"

namespace cnn4j {
void eltwise_binary_avx2(int op, long count, const float *a, const float *b, float *out) {
    eltwise_binary_walk<Avx2Vec>(op, count, a, b, out);
}
void eltwise_relu_avx2(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out) {
    eltwise_relu_walk<Avx2Vec>(op, alpha, beta, count, x, dy, out);
}
void channel_scale_avx2(long images, int channels, long pixels, const float *x, const float *s, float *out) {
    channel_scale_walk<Avx2Vec>(images, channels, pixels, x, s, out);
}
void channel_scale_grad_avx2(long images, int channels, long pixels, const float *x, const float *dy, float *ds) {
    channel_scale_grad_walk<Avx2Vec>(images, channels, pixels, x, dy, ds);
}
}  // namespace cnn4j
