#include "dropout_walk.hpp"

namespace {
struct ScalarIsa {};
}  // namespace

namespace cnn4j {
void dropout_forward_scalar(const DropoutPlan &d, const float *x, float *mask, float *out) {
    dropout_walk<ScalarIsa>(d, x, mask, out);
}
}  // namespace cnn4j
