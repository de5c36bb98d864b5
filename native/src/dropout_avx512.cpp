#include "dropout_walk.hpp"

namespace {
struct Avx512Isa {};
}  // namespace

namespace cnn4j {
void dropout_forward_avx512(const DropoutPlan &d, const float *x, float *mask, float *out) {
    dropout_walk<Avx512Isa>(d, x, mask, out);
}
}  // namespace cnn4j
