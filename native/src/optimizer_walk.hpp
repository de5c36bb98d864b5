// The update loops shared by every ISA's optimiser kernels: blocks of the parameter buffer across
// OpenMP threads, `V` (vec_<isa>.hpp, from the ISA file's anonymous namespace) inside a block, the
// tail of a block with masked loads and stores.
#pragma once

#include "optimizer.hpp"

namespace cnn4j {

constexpr long optimizer_block = 8192;

// Calls step(offset, lanes) over [0, count) in vector-sized pieces, blocks split across threads.
template <typename V, typename Step>
void optimizer_blocks(long count, Step step) {
    const long blocks = (count + optimizer_block - 1) / optimizer_block;
#pragma omp parallel for schedule(static)
    for (long blk = 0; blk < blocks; ++blk) {
        const long end = (blk + 1) * optimizer_block < count ? (blk + 1) * optimizer_block : count;
        for (long i = blk * optimizer_block; i < end; i += V::width) step(i, end - i < V::width ? (int)(end - i) : V::width);
    }
}

template <typename V>
void sgd_step_walk(const SgdPlan &s, long count, float *param, const float *grad, float *buf) {
    using reg = typename V::reg;
    const reg lr = V::set1(s.lr), wd = V::set1(s.weight_decay), mom = V::set1(s.momentum),
              keep = V::set1(1.f - s.dampening);
    const bool momentum = s.momentum != 0.f;
    optimizer_blocks<V>(count, [&](long i, int n) {
        const reg p = V::load(param + i, n);
        reg g = V::fmadd(wd, p, V::load(grad + i, n));
        if (momentum) {
            const reg b = s.first_step ? g : V::fmadd(mom, V::load(buf + i, n), V::mul(keep, g));
            V::store(buf + i, b, n);
            g = s.nesterov ? V::fmadd(mom, b, g) : b;
        }
        V::store(param + i, V::sub(p, V::mul(lr, g)), n);
    });
}

template <typename V>
void adam_step_walk(const AdamPlan &s, long count, float *param, const float *grad, float *exp_avg, float *exp_avg_sq) {
    using reg = typename V::reg;
    const reg lr = V::set1(s.lr), b1 = V::set1(s.beta1), b2 = V::set1(s.beta2), one_b1 = V::set1(1.f - s.beta1),
              one_b2 = V::set1(1.f - s.beta2), eps = V::set1(s.eps), wd = V::set1(s.weight_decay),
              shrink = V::set1(1.f - s.lr * s.weight_decay), bc1 = V::set1(s.bias_correction1),
              bc2 = V::set1(s.bias_correction2);
    optimizer_blocks<V>(count, [&](long i, int n) {
        reg p = V::load(param + i, n), g = V::load(grad + i, n);
        if (s.decoupled) {
            p = V::mul(p, shrink);
        } else {
            g = V::fmadd(wd, p, g);
        }
        const reg m = V::fmadd(b1, V::load(exp_avg + i, n), V::mul(one_b1, g));
        const reg v = V::fmadd(b2, V::load(exp_avg_sq + i, n), V::mul(V::mul(one_b2, g), g));
        V::store(exp_avg + i, m, n);
        V::store(exp_avg_sq + i, v, n);
        const reg denom = V::add(V::sqrt(V::div(v, bc2)), eps);
        V::store(param + i, V::sub(p, V::div(V::mul(lr, V::div(m, bc1)), denom)), n);
    });
}

}  // namespace cnn4j
