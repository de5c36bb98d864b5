#include "dropout_walk.hpp"

namespace {
struct Avx2Isa {};
}  // namespace

namespace cnn4j {
void dropout_forward_avx2(const DropoutPlan &d, const float *x, float *mask, float *out) {
    dropout_walk<Avx2Isa>(d, x, mask, out);
}
}  // namespace cnn4j
