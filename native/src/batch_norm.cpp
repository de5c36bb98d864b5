// C ABI for batch normalisation and its frozen form, a per-channel scale and shift: statistics and coefficients per channel in double (baseline code),
// the passes over the data in the active ISA's kernels (batch_norm_<isa>.cpp). Our own kernels:
// oneDNN's batch norm would need NCHW data reordered, and it does not update running statistics.
#include <omp.h>

#include <cmath>
#include <vector>

#include "batch_norm.hpp"
#include "isa.hpp"
#include "status.hpp"

namespace {

cnn4j::ChannelLayout layout_of(int n, int c, int hw, int nhwc) {
    if (n < 0 || c <= 0 || hw <= 0) throw cnn4j::invalid_argument("bad shape");
    // One pixel per image reads the same either way; channels-last vectorises across channels.
    if (nhwc || hw == 1) return {(long)n * hw, c, 1};
    return {n, c, hw};
}

struct ChannelSums {
    std::vector<double> s1, s2;
};

ChannelSums channel_sums(const cnn4j::ChannelLayout &l, const float *x, const float *center, const float *w,
                         const cnn4j::ReluGate &gate = {nullptr, nullptr, nullptr}) {
    const int threads = omp_get_max_threads(), C = l.channels;
    std::vector<double> partials(2L * C * threads, 0.0);
    std::vector<float> scratch(2L * C * threads);
    cnn4j::dispatch(&cnn4j::channel_sums_scalar, &cnn4j::channel_sums_avx2, &cnn4j::channel_sums_avx512)(
        l, x, center, w, gate, threads, partials.data(), scratch.data());
    ChannelSums s{std::vector<double>(C, 0.0), std::vector<double>(C, 0.0)};
    for (int t = 0; t < threads; ++t) {
        for (int c = 0; c < C; ++c) {
            s.s1[c] += partials[2L * C * t + c];
            s.s2[c] += partials[2L * C * t + C + c];
        }
    }
    return s;
}

void channel_affine(const cnn4j::ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                    const float *b, const float *d, const cnn4j::ReluGate &gate, bool relu, float *out) {
    cnn4j::dispatch(&cnn4j::channel_affine_scalar, &cnn4j::channel_affine_avx2, &cnn4j::channel_affine_avx512)(
        l, x, center, a, w, b, d, gate, relu, out);
}

// out = scale * (x - center) + shift (+ residual: the residual block's sum, as 1 * residual) (ReLU'd when relu).
void affine_plus_residual(const cnn4j::ChannelLayout &l, const float *x, const float *center, const float *scale,
                          const float *residual, const float *shift, bool relu, float *out) {
    const std::vector<float> ones(residual ? l.channels : 0, 1.f);
    channel_affine(l, x, center, scale, residual, residual ? ones.data() : nullptr, shift, {nullptr, nullptr, nullptr}, relu, out);
}

// gamma / sqrt(var + eps) per channel, from the float statistics: every forward normalises as
// y = scale * (x - mean) + beta with these, and a fused ReLU's backward recomputes y from the same.
std::vector<float> normalising_scale(int c, const float *gamma, const float *var, float eps) {
    std::vector<float> scale(c);
    for (int ch = 0; ch < c; ++ch) scale[ch] = (float)(gamma[ch] / std::sqrt((double)var[ch] + eps));
    return scale;
}

}  // namespace

extern "C" int cnn4j_batch_norm_training_forward(int n, int c, int hw, int nhwc, float eps, float momentum,
                                                 const float *src, const float *residual, const float *gamma, const float *beta,
                                                 float *running_mean, float *running_var, float *dst, float *batch_mean,
                                                 float *batch_var, int fuse_relu) {
    return cnn4j::guarded("batch norm training forward", [&] {
        const cnn4j::ChannelLayout l = layout_of(n, c, hw, nhwc);
        if (!src || !gamma || !beta || !running_mean || !running_var || !dst || !batch_mean || !batch_var) {
            throw cnn4j::invalid_argument("null buffer");
        }
        const double m = (double)l.outer * l.inner;
        if (m == 0) throw cnn4j::invalid_argument("batch statistics of an empty batch");
        const ChannelSums first = channel_sums(l, src, nullptr, nullptr);
        std::vector<float> center(c);
        for (int ch = 0; ch < c; ++ch) center[ch] = (float)(first.s1[ch] / m);
        // Second pass around that first estimate: the sum of x - center refines the mean, and the
        // variance comes from small centred values instead of a difference of large sums.
        const ChannelSums second = channel_sums(l, src, center.data(), nullptr);
        for (int ch = 0; ch < c; ++ch) {
            const double offset = second.s1[ch] / m, mean = center[ch] + offset;
            const double raw = second.s2[ch] / m - offset * offset;
            const double var = raw < 0 ? 0.0 : raw;  // rounding below zero clipped; a NaN kept (fmax would drop it)
            batch_mean[ch] = (float)mean;
            batch_var[ch] = (float)var;
            const double unbiased = m > 1 ? var * m / (m - 1) : var;
            running_mean[ch] = (float)((1.0 - momentum) * running_mean[ch] + (double)momentum * mean);
            running_var[ch] = (float)((1.0 - momentum) * running_var[ch] + (double)momentum * unbiased);
        }
        const std::vector<float> scale = normalising_scale(c, gamma, batch_var, eps);
        affine_plus_residual(l, src, batch_mean, scale.data(), residual, beta, fuse_relu, dst);
    });
}

extern "C" int cnn4j_batch_norm_inference_forward(int n, int c, int hw, int nhwc, float eps, const float *src,
                                                  const float *residual, const float *gamma, const float *beta, const float *mean,
                                                  const float *var, float *dst, int fuse_relu) {
    return cnn4j::guarded("batch norm inference forward", [&] {
        const cnn4j::ChannelLayout l = layout_of(n, c, hw, nhwc);
        if (!src || !gamma || !beta || !mean || !var || !dst) throw cnn4j::invalid_argument("null buffer");
        const std::vector<float> scale = normalising_scale(c, gamma, var, eps);
        affine_plus_residual(l, src, mean, scale.data(), residual, beta, fuse_relu, dst);
    });
}

extern "C" int cnn4j_channel_affine(int n, int c, int hw, int nhwc, const float *src, const float *scale, const float *shift,
                                    float *dst) {
    return cnn4j::guarded("channel affine", [&] {
        const cnn4j::ChannelLayout l = layout_of(n, c, hw, nhwc);
        if (!src || !scale || !dst) throw cnn4j::invalid_argument("null buffer");
        const std::vector<float> zeros(shift ? 0 : c, 0.f);
        channel_affine(l, src, nullptr, scale, nullptr, nullptr, shift ? shift : zeros.data(), {nullptr, nullptr, nullptr}, false, dst);
    });
}

extern "C" int cnn4j_batch_norm_backward(int n, int c, int hw, int nhwc, float eps, int training, const float *src,
                                         const float *residual, const float *gamma, const float *beta, const float *mean,
                                         const float *var, const float *diff_dst, float *diff_src, float *diff_residual,
                                         float *diff_gamma, float *diff_beta, int fused_relu) {
    return cnn4j::guarded("batch norm backward", [&] {
        const cnn4j::ChannelLayout l = layout_of(n, c, hw, nhwc);
        if (!src || !gamma || !mean || !var || !diff_dst || (fused_relu && !beta)) throw cnn4j::invalid_argument("null buffer");
        const double m = (double)l.outer * l.inner;
        // diff_dst is the gradient after the ReLU: it reaches the batch norm where y > 0
        const std::vector<float> scale = fused_relu ? normalising_scale(c, gamma, var, eps) : std::vector<float>();
        if (diff_residual && !residual) throw cnn4j::invalid_argument("a residual's gradient without the residual");
        const cnn4j::ReluGate gate{fused_relu ? scale.data() : nullptr, fused_relu ? beta : nullptr, fused_relu ? residual : nullptr};
        // s1 = sum(dy), s2 = sum((x - mean) * dy)
        const ChannelSums sums = channel_sums(l, src, mean, diff_dst, gate);
        std::vector<float> a(c), b(c), d(c);
        for (int ch = 0; ch < c; ++ch) {
            const double inv = 1.0 / std::sqrt((double)var[ch] + eps), k = gamma[ch] * inv;
            if (diff_gamma) diff_gamma[ch] = (float)(sums.s2[ch] * inv);
            if (diff_beta) diff_beta[ch] = (float)sums.s1[ch];
            // training: dx = k * dy - k * inv^2 * s2 / m * (x - mean) - k * s1 / m; else dx = k * dy
            b[ch] = (float)k;
            a[ch] = training && m > 0 ? (float)(-k * inv * inv * sums.s2[ch] / m) : 0.f;
            d[ch] = training && m > 0 ? (float)(-k * sums.s1[ch] / m) : 0.f;
        }
        // without the x term when it is 0 (inference): dx = k * dy even where x is NaN, as in PyTorch
        const float *x_term = training && m > 0 ? a.data() : nullptr;
        if (diff_src) channel_affine(l, src, mean, x_term, diff_dst, b.data(), d.data(), gate, false, diff_src);
        if (diff_residual) {  // the sum passes the gradient after the ReLU's gate on unchanged: 1 * gated(dy) + 0
            const std::vector<float> ones(c, 1.f), zeros(c, 0.f);
            channel_affine(l, src, mean, nullptr, diff_dst, ones.data(), zeros.data(), gate, false, diff_residual);
        }
    });
}
