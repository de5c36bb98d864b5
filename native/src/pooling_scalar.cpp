#include "pooling_walk.hpp"
#include "vec_scalar.hpp"

namespace cnn4j {
void pool_forward_scalar(const PoolPlan &p, const float *x, float *y, uint8_t *argmax) {
    pool_forward_walk<ScalarVec>(p, x, y, argmax);
}
void pool_backward_scalar(const PoolPlan &p, const float *x, const uint8_t *argmax, const float *gy, float *gx) {
    pool_backward_walk<ScalarVec>(p, x, argmax, gy, gx);
}
void global_avg_forward_scalar(long images, int channels, long pixels, const float *x, float *y) {
    global_avg_forward_walk<ScalarVec>(images, channels, pixels, x, y);
}
void global_avg_backward_scalar(long images, int channels, long pixels, const float *gy, float *gx) {
    global_avg_backward_walk<ScalarVec>(images, channels, pixels, gy, gx);
}
}  // namespace cnn4j
