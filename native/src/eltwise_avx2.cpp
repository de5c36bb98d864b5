#include "eltwise_walk.hpp"
#include "vec_avx2.hpp"

namespace cnn4j {
void eltwise_binary_avx2(int op, long count, const float *a, const float *b, float *out) {
    eltwise_binary_walk<Avx2Vec>(op, count, a, b, out);
}
}  // namespace cnn4j
