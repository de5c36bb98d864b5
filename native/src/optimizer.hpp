// Fused optimiser updates over a parameter buffer, in place, one implementation per ISA
// (optimizer_<isa>.cpp): one pass reads and writes each array once.
#pragma once

namespace cnn4j {

// PyTorch's SGD (see Java's SgdSpec); first_step makes the momentum buffer start as the gradient.
struct SgdPlan {
    float lr, momentum, dampening, weight_decay;
    int nesterov, first_step;
};

// PyTorch's Adam/AdamW; bias_correction1/2 = 1 - beta^step, computed once in double by the caller.
struct AdamPlan {
    float lr, beta1, beta2, eps, weight_decay, bias_correction1, bias_correction2;
    int decoupled;
};

// momentum_buffer is unused (may be null) when momentum is 0.
void sgd_step_scalar(const SgdPlan &s, long count, float *param, const float *grad, float *momentum_buffer);
void sgd_step_avx2(const SgdPlan &s, long count, float *param, const float *grad, float *momentum_buffer);
void sgd_step_avx512(const SgdPlan &s, long count, float *param, const float *grad, float *momentum_buffer);

void adam_step_scalar(const AdamPlan &s, long count, float *param, const float *grad, float *exp_avg, float *exp_avg_sq);
void adam_step_avx2(const AdamPlan &s, long count, float *param, const float *grad, float *exp_avg, float *exp_avg_sq);
void adam_step_avx512(const AdamPlan &s, long count, float *param, const float *grad, float *exp_avg, float *exp_avg_sq);

}  // namespace cnn4j
