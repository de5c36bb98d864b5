/*
 * cnn4j native kernels: the C ABI the Java side binds through JavaCPP.
 *
 * Every entry point returns a status (CNN4J_OK or an error code) and never lets a C++ exception
 * escape; after an error, cnn4j_last_error() describes it. Arguments are validated in Java before
 * the call; the checks here are a second line of defence, not the user-facing one.
 *
 * Convolution geometry travels as an int array `conv` of CNN4J_CONV_FIELDS values in the order of
 * the enum below (the same order as Java's Conv2dSpec). Activations are float32, weights OIHW.
 */
#ifndef CNN4J_CNN4J_H
#define CNN4J_CNN4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cnn4j_status { CNN4J_OK = 0, CNN4J_INVALID_ARGUMENT = 1, CNN4J_UNIMPLEMENTED = 2, CNN4J_RUNTIME_ERROR = 3 };

/* Instruction sets, in increasing order of capability. */
enum cnn4j_isa { CNN4J_ISA_SCALAR = 0, CNN4J_ISA_AVX2 = 1, CNN4J_ISA_AVX512 = 2 };

enum cnn4j_conv_field {
    CNN4J_CONV_N, CNN4J_CONV_C, CNN4J_CONV_H, CNN4J_CONV_W, CNN4J_CONV_K, CNN4J_CONV_KH, CNN4J_CONV_KW,
    CNN4J_CONV_STRIDE_H, CNN4J_CONV_STRIDE_W, CNN4J_CONV_PAD_TOP, CNN4J_CONV_PAD_BOTTOM,
    CNN4J_CONV_PAD_LEFT, CNN4J_CONV_PAD_RIGHT, CNN4J_CONV_DILATION_H, CNN4J_CONV_DILATION_W,
    CNN4J_CONV_GROUPS, CNN4J_CONV_FIELDS
};

/* Message of the last error on this thread ("" if none). */
const char *cnn4j_last_error(void);

/* The best ISA this CPU supports, and the one kernels use now. */
int cnn4j_supported_isa(void);
int cnn4j_active_isa(void);
/* Requests an ISA; the one in effect is min(requested, supported), which is returned. */
int cnn4j_set_isa(int isa);

/* Threads for OpenMP regions and oneDNN; OpenBLAS runs single-threaded inside them. */
int cnn4j_set_threads(int threads);
int cnn4j_threads(void);

/* Descriptions for `cnn4j info`. */
const char *cnn4j_onednn_version(void);
const char *cnn4j_openblas_config(void);
/* File name of the OpenMP runtime the kernels are running on. */
const char *cnn4j_openmp_runtime(void);

/* Measures the machine's FMA peak in GFLOP/s with the active ISA on all threads, for about `seconds`. */
int cnn4j_fma_peak(double seconds, double *gflops);

/* Which SGEMM the library uses: 1 = our own blocked AVX-512/AVX2/scalar kernels, 0 = OpenBLAS. */
int cnn4j_set_gemm(int own);
int cnn4j_gemm_is_own(void);

/* Row-major C = alpha * op(A) op(B) + beta * C (OpenBLAS or ours), rows split across threads. */
int cnn4j_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, const float *b,
                float beta, float *c);

/*
 * Convolution through oneDNN primitives. `*_nhwc` says whether an activation buffer is channels-last
 * (else NCHW); weights are OIHW ([K, C/groups, kh, kw]); bias and diff_bias may be null.
 * Inference fusions inside the primitive: `residual` (may be null; it may be dst itself) is added to
 * the output (a sum post-op: a ResNet block's shortcut), then fuse_relu applies ReLU.
 * Weights the primitive wants in another layout are reordered once per weight array and cached. The
 * cache re-reads (fingerprints) the weights on every call to notice in-place changes, unless
 * `frozen_weights_id` is nonzero: the caller's promise that these weights never change while that id
 * is in use, and that no other array ever gets it (Java's Tensor.frozenId()).
 */
int cnn4j_conv2d_onednn_forward(const int32_t *conv, int src_nhwc, const float *src, const float *weights,
                                int64_t frozen_weights_id, const float *bias, int residual_nhwc, const float *residual,
                                int dst_nhwc, float *dst, int fuse_relu);
int cnn4j_conv2d_onednn_backward_data(const int32_t *conv, int diff_dst_nhwc, const float *diff_dst,
                                      const float *weights, int64_t frozen_weights_id, int diff_src_nhwc,
                                      float *diff_src);
int cnn4j_conv2d_onednn_backward_weights(const int32_t *conv, int src_nhwc, const float *src, int diff_dst_nhwc,
                                         const float *diff_dst, float *diff_weights, float *diff_bias);
/* How many activation buffers the oneDNN convolutions copied since the library loaded: into or out of
   oneDNN's own layout (NCHW activations; channels-last ones are used in place), or a residual into the
   output for the sum post-op (none when the residual is the output). */
int64_t cnn4j_onednn_activation_copies(void);

/*
 * Convolution as im2col + OpenBLAS GEMM on channels-last activations: src/dst/diff buffers are NHWC,
 * weights OIHW. 1x1 stride-1 unpadded convolutions skip im2col. Forward fuses a ResNet block's end as
 * Winograd's does: the GEMM accumulates onto `residual` (NHWC like dst, may be null, may be dst itself),
 * then bias and, when fuse_relu, ReLU are applied to each tile it wrote.
 */
int cnn4j_conv2d_im2col_forward(const int32_t *conv, const float *src, const float *weights, const float *bias,
                                const float *residual, float *dst, int fuse_relu);
int cnn4j_conv2d_im2col_backward_data(const int32_t *conv, const float *diff_dst, const float *weights,
                                      float *diff_src);
int cnn4j_conv2d_im2col_backward_weights(const int32_t *conv, const float *src, const float *diff_dst,
                                         float *diff_weights, float *diff_bias);

/*
 * Layer ops other than convolution. `nhwc` says whether 4-D activations [n, c, h, w] are channels-last
 * (else NCHW); all activation buffers of one call share that layout. Outputs are overwritten.
 */

/* Pooling geometry: CNN4J_POOL_FIELDS ints in the order below; output sizes as Java's Pool2dSpec computes them. */
enum cnn4j_pool_field {
    CNN4J_POOL_N, CNN4J_POOL_C, CNN4J_POOL_H, CNN4J_POOL_W, CNN4J_POOL_KH, CNN4J_POOL_KW, CNN4J_POOL_STRIDE_H,
    CNN4J_POOL_STRIDE_W, CNN4J_POOL_PAD_H, CNN4J_POOL_PAD_W, CNN4J_POOL_OUT_H, CNN4J_POOL_OUT_W, CNN4J_POOL_AVERAGE,
    CNN4J_POOL_COUNT_INCLUDE_PAD, CNN4J_POOL_FIELDS
};
/* argmax (max pooling, may be NULL): one byte per output, in dst's order, the position of the window's
   first maximum, row-major in the window clipped to the input; windows of at most 256 elements. */
int cnn4j_pool2d_forward(const int32_t *pool, int nhwc, const float *src, float *dst, uint8_t *argmax);
/* Max pooling routes each gradient to the first maximum of its window (row-major): the position in
   argmax when it is given (src may then be NULL), else found again in src. */
int cnn4j_pool2d_backward(const int32_t *pool, int nhwc, const float *src, const uint8_t *argmax, const float *diff_dst,
                          float *diff_src);
/* [n, c, hw] to [n, c] means (dst is [n, c, 1, 1], the same in either layout), and back. */
int cnn4j_global_avg_pool_forward(int n, int c, int hw, int nhwc, const float *src, float *dst);
int cnn4j_global_avg_pool_backward(int n, int c, int hw, int nhwc, const float *diff_dst, float *diff_src);

/* Batch norm per channel; gamma, beta, means and variances are [c]; variances are biased. Every
   forward computes y = gamma / sqrt(var + eps) * (x - mean) + beta, plus residual (of src's shape and layout,
   a residual block's shortcut; may be null) element by element, then with fuse_relu max(y, 0). */
int cnn4j_batch_norm_training_forward(int n, int c, int hw, int nhwc, float eps, float momentum, const float *src,
                                      const float *residual, const float *gamma, const float *beta, float *running_mean,
                                      float *running_var, float *dst, float *batch_mean, float *batch_var, int fuse_relu);
int cnn4j_batch_norm_inference_forward(int n, int c, int hw, int nhwc, float eps, const float *src, const float *residual,
                                       const float *gamma, const float *beta, const float *mean, const float *var, float *dst,
                                       int fuse_relu);
/* dst = src * scale[c] + shift[c] per channel (a frozen batch norm; ONNX's Mul and Add by constants); shift may be
   null (zero), which is also the backward pass: diff_src = diff_dst * scale. */
int cnn4j_channel_affine(int n, int c, int hw, int nhwc, const float *src, const float *scale, const float *shift, float *dst);
/* diff_src, diff_residual, diff_gamma and diff_beta may be null (not computed). fused_relu: the forward fused a
   ReLU and diff_dst is the gradient after it; the ReLU's mask is recomputed from src, residual, gamma, beta, mean
   and var exactly as the forward computed y (beta may be null without it). diff_residual (which needs residual) is
   the gradient the forward's sum sends its residual: diff_dst where the mask lets it through. */
int cnn4j_batch_norm_backward(int n, int c, int hw, int nhwc, float eps, int training, const float *src,
                              const float *residual, const float *gamma, const float *beta, const float *mean,
                              const float *var, const float *diff_dst, float *diff_src, float *diff_residual,
                              float *diff_gamma, float *diff_beta, int fused_relu);

/* Activations over `count` floats of any layout: kind 0 ReLU, 1 leaky ReLU (slope alpha), 2 sigmoid, 3 tanh, 4 ReLU6,
   5 hard sigmoid min(max(alpha * x + beta, 0), 1), 6 hard swish x * min(max(x / 6 + 1 / 2, 0), 1). */
int cnn4j_activation_forward(int kind, float alpha, float beta, int64_t count, const float *src, float *dst);
/* ReLU kinds and the hard ones read src, sigmoid and tanh read dst (the forward output). */
int cnn4j_activation_backward(int kind, float alpha, float beta, int64_t count, const float *src, const float *dst,
                              const float *diff_dst, float *diff_src);

int cnn4j_add(int64_t count, const float *a, const float *b, float *out);
int cnn4j_multiply(int64_t count, const float *a, const float *b, float *out);
/* x [N, C, H, W] times s [N, C, 1, 1] per channel (squeeze-excite), and the gradient of s: sum over H, W of dy * x. */
int cnn4j_channel_scale(int n, int c, int64_t hw, int nhwc, const float *x, const float *s, float *out);
int cnn4j_channel_scale_grad(int n, int c, int64_t hw, int nhwc, const float *x, const float *dy, float *ds);
/* ShuffleNet's channel shuffle of [n, c, hw]: dst channel j * groups + i = src channel i * (c / groups) + j; the
   backward pass is the shuffle with c / groups groups. src and dst must not overlap. */
int cnn4j_channel_shuffle(int n, int c, int hw, int nhwc, int groups, const float *src, float *dst);
/* How many of `count` floats are NaN or infinite, into *result. */
int cnn4j_count_nonfinite(int64_t count, const float *x, long long *result);

/* Inverted dropout with Java's DropoutMask hash of (seed, logical NCHW index): mask = 0 or 1/(1-p). */
int cnn4j_dropout_forward(int n, int c, int hw, int nhwc, float p, int64_t seed, const float *src, float *mask,
                          float *dst);

/* Copies a tensor of c channels into channels [c0, c0+c) of one of wide_c channels (into_wide), or back. */
int cnn4j_copy_channels(int n, int hw, int nhwc, int c, int wide_c, int c0, int into_wide, const float *src,
                        float *dst);

/* dst[n, out] = src[n, in] * weights[out, in]^T + bias (bias may be null); backward outputs may be null. */
int cnn4j_linear_forward(int n, int in, int out, const float *src, const float *weights, const float *bias, float *dst);
int cnn4j_linear_backward(int n, int in, int out, const float *src, const float *weights, const float *diff_dst,
                          float *diff_src, float *diff_weights, float *diff_bias);

/* Row-wise softmax of [n, k]; the cross-entropy variant also writes the mean loss and (probs - onehot) / n. */
int cnn4j_softmax(int n, int k, const float *logits, float *probs);
int cnn4j_softmax_cross_entropy(int n, int k, const float *logits, const float *targets, float *probs,
                                float *diff_logits, double *loss);

/* Optimiser steps in place over `count` parameters (PyTorch's definitions; step counts from 1). */
int cnn4j_sgd_step(int64_t count, float lr, float momentum, float dampening, float weight_decay, int nesterov, int step,
                   float *param, const float *grad, float *momentum_buffer);
int cnn4j_adam_step(int64_t count, float lr, float beta1, float beta2, float eps, float weight_decay, int decoupled,
                    int step, float *param, const float *grad, float *exp_avg, float *exp_avg_sq);

/*
 * Winograd convolution F(tile x tile, 3x3), tile = 2 or 4, on channels-last activations (src/dst/diff
 * buffers NHWC, weights OIHW): 3x3 kernels, stride 1, dilation 1, groups 1, any padding, C and K.
 * The transformed filter is cached per weight array and recomputed when the weights' contents change
 * (`frozen_weights_id` as for oneDNN above). Forward fuses a ResNet block's end into its output
 * transform: `residual` (NHWC like dst, may be null, may be dst itself) is added, then fuse_relu
 * applies ReLU.
 */
int cnn4j_conv2d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                  int64_t frozen_weights_id, const float *bias, const float *residual, float *dst,
                                  int fuse_relu);
/* The same forward (bias, fuse_relu; no residual) followed by 2x2 stride-2 max pooling in its output transform
   (tile is even, so no window crosses a tile): dst is the pooled map [n, out_h / 2, out_w / 2, k] (floor: an odd
   last row or column is dropped), the unpooled map is never written. Ties and NaNs as cnn4j_pool2d_forward. */
int cnn4j_conv2d_winograd_forward_max_pool(int tile, const int32_t *conv, const float *src, const float *weights,
                                           int64_t frozen_weights_id, const float *bias, float *dst, int fuse_relu);
int cnn4j_conv2d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst, const float *weights,
                                        int64_t frozen_weights_id, float *diff_src);
/* The weight gradient (OIHW) and, when diff_bias is not null, the bias gradient of the same
   convolutions, by the forward's adjoint in the filter: G^T [sum over tiles of (A dy A^T) . (B^T d B)] G. */
int cnn4j_conv2d_winograd_backward_weights(int tile, const int32_t *conv, const float *src, const float *diff_dst,
                                           float *diff_weights, float *diff_bias);
/*
 * Winograd convolution F(tile, 3), tile = 4 or 6, of 1-D signals: the geometry of a 2-D convolution of
 * height 1 (h = 1, kernel 1x3, no vertical padding), stride 1, dilation 1, groups 1, any left/right
 * padding (causal: left 2, right 0); buffers and the epilogue (bias, residual, fuse_relu) as the 2-D
 * functions above, weights [K, C, 1, 3], the transformed filter cached the same way.
 */
int cnn4j_conv1d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                  int64_t frozen_weights_id, const float *bias, const float *residual, float *dst,
                                  int fuse_relu);
int cnn4j_conv1d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst, const float *weights,
                                        int64_t frozen_weights_id, float *diff_src);
int cnn4j_conv1d_winograd_backward_weights(int tile, const int32_t *conv, const float *src, const float *diff_dst,
                                           float *diff_weights, float *diff_bias);
/* How many Winograd filter transforms were computed (cache misses) since the library loaded. */
int64_t cnn4j_winograd_filter_transforms(void);

/*
 * Quantised (int8) and bf16 inference. Activations are channels-last (NHWC); an int8 value is q * scale with
 * one scale per tensor (symmetric, zero point 0). Weights are s8 OIHW ([K, C/groups, kh, kw]) with one scale per
 * output channel. Results are requantised as saturate(round_half_even(real / dst_scale)). `weights_id` is the
 * caller's nonzero id of weights that never change while it is in use: their reorder is cached under it.
 */
enum cnn4j_qtype { CNN4J_QTYPE_S8 = 0, CNN4J_QTYPE_U8 = 1, CNN4J_QTYPE_F32 = 2, CNN4J_QTYPE_BF16 = 3 };

/* q = saturate(round_half_even(x / scale)) over `count` values (NaN is an error), and x = q * scale. */
int cnn4j_quantize(int64_t count, const float *src, float scale, int dst_type, void *dst);
int cnn4j_dequantize(int64_t count, int src_type, const void *src, float scale, float *dst);

/* dst = requantise(relu(src_scale * weight_scales[k] * sum(q_src * q_w) + bias[k] + residual_scale * residual)):
   src s8/u8, dst s8/u8 (with dst_scale) or f32 (dst_scale unused); bias (f32, may be null); residual (may be
   null, may be dst itself) of dst's element size, read as residual_type. */
int cnn4j_conv2d_int8_forward(const int32_t *conv, int src_type, const void *src, float src_scale, const int8_t *weights,
                              const float *weight_scales, int64_t weights_id, const float *bias, int residual_type,
                              const void *residual, float residual_scale, int dst_type, void *dst, float dst_scale,
                              int fuse_relu);
/* A linear layer on src [n, c, h, w] NHWC (h = w = 1 for a 2-D [n, c]); weights [out, c*h*w] in NCHW order
   (as Flatten orders an NCHW tensor), so a channels-last activation needs no reorder before the head. */
int cnn4j_linear_int8_forward(int n, int c, int h, int w, int src_type, const void *src, float src_scale, int out,
                              const int8_t *weights, const float *weight_scales, int64_t weights_id, const float *bias,
                              int dst_type, void *dst, float dst_scale, int fuse_relu);
/* Max pooling of s8/u8 NHWC activations (pool as for cnn4j_pool2d_forward, max only): type and scale kept. */
int cnn4j_max_pool2d_int8_forward(const int32_t *pool, int type, const void *src, void *dst);

/* bf16 inference: f32 NHWC activations rounded to bf16 in the call, f32 weights (OIHW; [out, in]) rounded once
   per weights_id, f32 accumulation and output; residual (may be null or dst) added, then ReLU when fuse_relu. */
int cnn4j_conv2d_bf16_forward(const int32_t *conv, const float *src, const float *weights, int64_t weights_id,
                              const float *bias, const float *residual, float *dst, int fuse_relu);
int cnn4j_linear_bf16_forward(int n, int in, int out, const float *src, const float *weights, int64_t weights_id,
                              const float *bias, float *dst, int fuse_relu);

#ifdef __cplusplus
}
#endif

#endif
