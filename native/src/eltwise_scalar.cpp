#include "eltwise_walk.hpp"
#include "vec_scalar.hpp"

namespace cnn4j {
void eltwise_binary_scalar(int op, long count, const float *a, const float *b, float *out) {
    eltwise_binary_walk<ScalarVec>(op, count, a, b, out);
}
}  // namespace cnn4j
