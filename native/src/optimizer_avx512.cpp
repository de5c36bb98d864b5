#include "optimizer_walk.hpp"
#include "vec_avx512.hpp"

namespace cnn4j {
void sgd_step_avx512(const SgdPlan &s, long count, float *param, const float *grad, float *momentum_buffer) {
    sgd_step_walk<Avx512Vec>(s, count, param, grad, momentum_buffer);
}
void adam_step_avx512(const AdamPlan &s, long count, float *param, const float *grad, float *exp_avg, float *exp_avg_sq) {
    adam_step_walk<Avx512Vec>(s, count, param, grad, exp_avg, exp_avg_sq);
}
}  // namespace cnn4j
