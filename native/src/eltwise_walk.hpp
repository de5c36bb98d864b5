// The loops shared by every ISA's element-wise kernels: blocks of the buffers across OpenMP threads,
// `V` (vec_<isa>.hpp, from the ISA file's anonymous namespace) inside a block.
#pragma once

#include "eltwise.hpp"

namespace cnn4j {

// Large enough to amortise scheduling, small enough to split a 64x64x16 activation across threads.
constexpr long eltwise_block = 16384;

template <typename V, typename Op>
void eltwise_binary_blocks(long count, const float *a, const float *b, float *out, Op op) {
    const long blocks = (count + eltwise_block - 1) / eltwise_block;
#pragma omp parallel for schedule(static)
    for (long blk = 0; blk < blocks; ++blk) {
        const long end = (blk + 1) * eltwise_block < count ? (blk + 1) * eltwise_block : count;
        long i = blk * eltwise_block;
        for (; i + V::width <= end; i += V::width) V::store(out + i, op(V::load(a + i), V::load(b + i)));
        if (i < end) {
            const int n = (int)(end - i);
            V::store(out + i, op(V::load(a + i, n), V::load(b + i, n)), n);
        }
    }
}

template <typename V>
void eltwise_binary_walk(int op, long count, const float *a, const float *b, float *out) {
    if (op == ELTWISE_ADD) {
        eltwise_binary_blocks<V>(count, a, b, out, [](typename V::reg x, typename V::reg y) { return V::add(x, y); });
    } else {
        eltwise_binary_blocks<V>(count, a, b, out, [](typename V::reg x, typename V::reg y) { return V::mul(x, y); });
    }
}

template <typename V>
void eltwise_relu_walk(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out) {
    using reg = typename V::reg;
    const reg a = V::set1(alpha), b = V::set1(beta), zero = V::zero(), one = V::set1(1.f), six = V::set1(6.f);
    const reg sixth = V::set1(1.f / 6), half = V::set1(0.5f), third = V::set1(1.f / 3), three = V::set1(3.f), minus3 = V::set1(-3.f);
    switch (op) {
        case RELU_FORWARD:  // zero() first: VMAXPS returns its second operand when one is NaN
            eltwise_binary_blocks<V>(count, x, x, out, [zero](reg v, reg) { return V::max(zero, v); });
            break;
        case LEAKY_RELU_FORWARD:
            eltwise_binary_blocks<V>(count, x, x, out, [a, zero](reg v, reg) { return V::select_gt(v, zero, v, V::mul(a, v)); });
            break;
        case RELU_BACKWARD:
            eltwise_binary_blocks<V>(count, x, dy, out, [zero](reg v, reg g) { return V::select_le(v, zero, zero, g); });
            break;
        case RELU6_FORWARD:  // max(zero, v) keeps a NaN v, and NaN > 6 is false
            eltwise_binary_blocks<V>(count, x, x, out, [zero, six](reg v, reg) { return V::select_gt(v, six, six, V::max(zero, v)); });
            break;
        case RELU6_BACKWARD:  // a NaN x passes dy, as ReLU's does
            eltwise_binary_blocks<V>(count, x, dy, out,
                                     [zero, six](reg v, reg g) { return V::select_le(v, zero, zero, V::select_le(six, v, zero, g)); });
            break;
        case HARD_SIGMOID_FORWARD:  // a NaN t stays NaN through max(zero, t), and NaN > 1 is false
            eltwise_binary_blocks<V>(count, x, x, out, [a, b, zero, one](reg v, reg) {
                const reg t = V::max(zero, V::fmadd(a, v, b));
                return V::select_gt(t, one, one, t);
            });
            break;
        case HARD_SIGMOID_BACKWARD:  // a NaN x passes nothing, as PyTorch's hardsigmoid_backward
            eltwise_binary_blocks<V>(count, x, dy, out, [a, b, zero, one](reg v, reg g) {
                const reg t = V::fmadd(a, v, b);
                return V::select_gt(t, zero, V::select_gt(one, t, V::mul(a, g), zero), zero);
            });
            break;
        case HARD_SWISH_FORWARD:
            eltwise_binary_blocks<V>(count, x, x, out, [sixth, half, zero, one](reg v, reg) {
                const reg t = V::max(zero, V::fmadd(sixth, v, half));
                return V::mul(v, V::select_gt(t, one, one, t));
            });
            break;
        case HARD_SWISH_BACKWARD:  // a NaN x passes dy, as PyTorch's hardswish_backward
            eltwise_binary_blocks<V>(count, x, dy, out, [third, half, three, minus3, zero](reg v, reg g) {
                return V::select_gt(minus3, v, zero, V::select_le(v, three, V::mul(g, V::fmadd(third, v, half)), g));
            });
            break;
        default:
            eltwise_binary_blocks<V>(count, x, dy, out, [a, zero](reg v, reg g) { return V::select_gt(v, zero, g, V::mul(a, g)); });
    }
}

template <typename V>
void channel_scale_walk(long images, int channels, long pixels, const float *x, const float *s, float *out) {
#pragma omp parallel for schedule(static)
    for (long image = 0; image < images; ++image) {
        const float *in = x + image * pixels * channels;
        float *o = out + image * pixels * channels;
        if (channels == 1) {  // an NCHW plane: one factor for the contiguous pixels
            const typename V::reg k = V::set1(s[image]);
            long q = 0;
            for (; q + V::width <= pixels; q += V::width) V::store(o + q, V::mul(V::load(in + q), k));
            if (q < pixels) V::store(o + q, V::mul(V::load(in + q, (int)(pixels - q)), k), (int)(pixels - q));
            continue;
        }
        for (int c = 0; c < channels; c += V::width) {
            const int n = channels - c < V::width ? channels - c : V::width;
            const typename V::reg k = V::load(s + image * channels + c, n);
            for (long q = 0; q < pixels; ++q) V::store(o + q * channels + c, V::mul(V::load(in + q * channels + c, n), k), n);
        }
    }
}

template <typename V>
void channel_scale_grad_walk(long images, int channels, long pixels, const float *x, const float *dy, float *ds) {
#pragma omp parallel for schedule(static)
    for (long image = 0; image < images; ++image) {
        const float *in = x + image * pixels * channels, *g = dy + image * pixels * channels;
        if (channels == 1) {
            typename V::reg acc = V::zero();
            long q = 0;
            for (; q + V::width <= pixels; q += V::width) acc = V::fmadd(V::load(in + q), V::load(g + q), acc);
            float sum = V::sum(acc);
            for (; q < pixels; ++q) sum += in[q] * g[q];
            ds[image] = sum;
            continue;
        }
        for (int c = 0; c < channels; c += V::width) {
            const int n = channels - c < V::width ? channels - c : V::width;
            typename V::reg acc = V::zero();
            for (long q = 0; q < pixels; ++q) acc = V::fmadd(V::load(in + q * channels + c, n), V::load(g + q * channels + c, n), acc);
            V::store(ds + image * channels + c, acc, n);
        }
    }
}

}  // namespace cnn4j
