#include "eltwise_walk.hpp"
#include "vec_scalar.hpp"

namespace cnn4j {
void eltwise_binary_scalar(int op, long count, const float *a, const float *b, float *out) {
    eltwise_binary_walk<ScalarVec>(op, count, a, b, out);
}
void eltwise_relu_scalar(int op, float alpha, long count, const float *x, const float *dy, float *out) {
    eltwise_relu_walk<ScalarVec>(op, alpha, count, x, dy, out);
}
}  // namespace cnn4j
