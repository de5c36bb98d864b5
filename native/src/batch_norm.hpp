// The two passes batch normalisation is made of, one implementation per ISA (batch_norm_<isa>.cpp):
// per-channel sums, and a per-channel affine map. Data is [outer][channels][inner]: NCHW is
// outer = N, inner = H*W; NHWC is outer = N*H*W, inner = 1, so both layouts run without a reorder.
#pragma once

namespace cnn4j {

// Plain data only: the ISA translation units must not share inline helpers with baseline code.
struct ChannelLayout {
    long outer;
    int channels;
    long inner;
};

// The ReLU a fused batch norm ends with, as its backward sees it: the forward's output before the
// ReLU was y = scale[c] * (x - center[c]) + shift[c] (+ residual, element by element, when a residual
// block's sum was fused too), recomputed here by the very operations channel_affine used, so the gradient
// passes exactly where the forward's ReLU let values through. A null scale means no ReLU.
struct ReluGate {
    const float *scale, *shift, *residual;
};

// With d = x - center[c] (center may be null: 0) and e = w gated by g (or d when w is null), per channel:
// s1[c] = sum of e, s2[c] = sum of d * e. Channels-last data is split across `threads` threads, each
// summing into its own 2*channels doubles of `partials` (and 2*channels floats of `scratch`); the
// caller adds the partials up. NCHW data writes s1/s2 straight into partials[0..2*channels).
void channel_sums_scalar(const ChannelLayout &l, const float *x, const float *center, const float *w, const ReluGate &g,
                         int threads, double *partials, float *scratch);
void channel_sums_avx2(const ChannelLayout &l, const float *x, const float *center, const float *w, const ReluGate &g,
                         int threads, double *partials, float *scratch);
void channel_sums_avx512(const ChannelLayout &l, const float *x, const float *center, const float *w, const ReluGate &g,
                         int threads, double *partials, float *scratch);

// out = a[c] * (x - center[c]) + b[c] * w' + d[c], w' = w gated by g; center, a (no x term, so that a
// NaN x does not reach out through 0 * NaN) and w (with b) may be null; relu clamps out at 0.
void channel_affine_scalar(const ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                           const float *b, const float *d, const ReluGate &g, bool relu, float *out);
void channel_affine_avx2(const ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                           const float *b, const float *d, const ReluGate &g, bool relu, float *out);
void channel_affine_avx512(const ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                           const float *b, const float *d, const ReluGate &g, bool relu, float *out);

}  // namespace cnn4j
