// Element-wise ops over contiguous floats, one implementation per ISA (eltwise_<isa>.cpp): binary
// add and multiply, and the ReLU family (ReLU, leaky ReLU, ReLU6, hard sigmoid, hard swish) forward and backward. Layout does not matter to them as long as
// all operands share it (the Java side checks).
#pragma once

namespace cnn4j {

enum EltwiseBinary { ELTWISE_ADD = 0, ELTWISE_MULTIPLY = 1 };

void eltwise_binary_scalar(int op, long count, const float *a, const float *b, float *out);
void eltwise_binary_avx2(int op, long count, const float *a, const float *b, float *out);
void eltwise_binary_avx512(int op, long count, const float *a, const float *b, float *out);

// PyTorch's definitions, NaN included (oneDNN's ReLU maps NaN to 0, see activation_onednn.cpp):
// RELU_FORWARD out = x < 0 ? 0 : x; LEAKY_RELU_FORWARD out = x > 0 ? x : alpha * x;
// RELU_BACKWARD out = x <= 0 ? 0 : dy; LEAKY_RELU_BACKWARD out = x > 0 ? dy : alpha * dy;
// RELU6_FORWARD out = x < 0 ? 0 : x > 6 ? 6 : x; RELU6_BACKWARD out = x <= 0 || x >= 6 ? 0 : dy (hardtanh's).
// With t = alpha * x + beta: HARD_SIGMOID_FORWARD out = min(max(t, 0), 1), HARD_SIGMOID_BACKWARD out = 0 < t < 1 ? alpha * dy : 0;
// HARD_SWISH_FORWARD out = x * min(max(x / 6 + 1 / 2, 0), 1), HARD_SWISH_BACKWARD out = x < -3 ? 0 : x <= 3 ? dy * (x / 3 + 1 / 2) : dy.
// dy is not read by the forward ops; out may be x.
enum EltwiseRelu {
    RELU_FORWARD = 0, LEAKY_RELU_FORWARD = 1, RELU_BACKWARD = 2, LEAKY_RELU_BACKWARD = 3, RELU6_FORWARD = 4, RELU6_BACKWARD = 5,
    HARD_SIGMOID_FORWARD = 6, HARD_SIGMOID_BACKWARD = 7, HARD_SWISH_FORWARD = 8, HARD_SWISH_BACKWARD = 9
};

void eltwise_relu_scalar(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out);
void eltwise_relu_avx2(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out);
void eltwise_relu_avx512(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out);

// Per-channel scaling, squeeze-excite's x * s with s of [N, C, 1, 1], over `images` blocks of `pixels`
// x `channels` floats (NCHW: images = N*C, channels = 1; NHWC: images = N, channels = C):
// channel_scale out = x * s (also the gradient of x, from dy); channel_scale_grad ds = sum over pixels of dy * x.
void channel_scale_scalar(long images, int channels, long pixels, const float *x, const float *s, float *out);
void channel_scale_avx2(long images, int channels, long pixels, const float *x, const float *s, float *out);
void channel_scale_avx512(long images, int channels, long pixels, const float *x, const float *s, float *out);
void channel_scale_grad_scalar(long images, int channels, long pixels, const float *x, const float *dy, float *ds);
void channel_scale_grad_avx2(long images, int channels, long pixels, const float *x, const float *dy, float *ds);
void channel_scale_grad_avx512(long images, int channels, long pixels, const float *x, const float *dy, float *ds);

// The active ISA's eltwise_relu_<isa> (baseline code, eltwise.cpp).
void eltwise_relu(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out);

}  // namespace cnn4j
