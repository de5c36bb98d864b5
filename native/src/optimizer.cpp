// C ABI for the fused optimiser updates: hyper-parameters decoded in baseline code (bias
// corrections in double), the pass over the parameters in the active ISA's kernel.
#include <cmath>

#include "isa.hpp"
#include "optimizer.hpp"
#include "status.hpp"

extern "C" int cnn4j_sgd_step(int64_t count, float lr, float momentum, float dampening, float weight_decay, int nesterov,
                              int step, float *param, const float *grad, float *momentum_buffer) {
    return cnn4j::guarded("sgd step", [&] {
        if (count < 0 || step < 1) throw cnn4j::invalid_argument("negative element count or step < 1");
        if (!param || !grad || (momentum != 0.f && !momentum_buffer)) throw cnn4j::invalid_argument("null buffer");
        const cnn4j::SgdPlan s{lr, momentum, dampening, weight_decay, nesterov != 0, step == 1};
        cnn4j::dispatch(&cnn4j::sgd_step_scalar, &cnn4j::sgd_step_avx2, &cnn4j::sgd_step_avx512)(s, count, param, grad,
                                                                                              momentum_buffer);
    });
}

extern "C" int cnn4j_adam_step(int64_t count, float lr, float beta1, float beta2, float eps, float weight_decay,
                               int decoupled, int step, float *param, const float *grad, float *exp_avg,
                               float *exp_avg_sq) {
    return cnn4j::guarded("adam step", [&] {
        if (count < 0 || step < 1) throw cnn4j::invalid_argument("negative element count or step < 1");
        if (!param || !grad || !exp_avg || !exp_avg_sq) throw cnn4j::invalid_argument("null buffer");
        const cnn4j::AdamPlan s{lr, beta1, beta2, eps, weight_decay, (float)(1.0 - std::pow((double)beta1, step)),
                                (float)(1.0 - std::pow((double)beta2, step)), decoupled != 0};
        cnn4j::dispatch(&cnn4j::adam_step_scalar, &cnn4j::adam_step_avx2, &cnn4j::adam_step_avx512)(
            s, count, param, grad, exp_avg, exp_avg_sq);
    });
}
