// Fully connected layers on [N, in] rows: the products through the library's SGEMM (OpenBLAS's
// cblas_sgemm unless our own GEMM is selected, rows split across OpenMP threads), the bias in loops.
#include <cstring>

#include "gemm.hpp"
#include "status.hpp"

extern "C" int cnn4j_linear_forward(int n, int in, int out, const float *src, const float *weights, const float *bias,
                                    float *dst) {
    return cnn4j::guarded("linear forward", [&] {
        if (n < 0 || in < 0 || out < 0) throw cnn4j::invalid_argument("negative dimension");
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        // dst starts as the bias rows (or zeros) and the product is added on top: dst = src * W^T + bias
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i) {
            if (bias) {
                std::memcpy(dst + i * out, bias, sizeof(float) * out);
            } else {
                std::memset(dst + i * out, 0, sizeof(float) * out);
            }
        }
        if (in > 0) cnn4j::sgemm_parallel(false, true, n, out, in, 1.f, src, in, weights, in, 1.f, dst, out);
    });
}

extern "C" int cnn4j_linear_backward(int n, int in, int out, const float *src, const float *weights,
                                     const float *diff_dst, float *diff_src, float *diff_weights, float *diff_bias) {
    return cnn4j::guarded("linear backward", [&] {
        if (n < 0 || in < 0 || out < 0) throw cnn4j::invalid_argument("negative dimension");
        if (!src || !weights || !diff_dst) throw cnn4j::invalid_argument("null buffer");
        if (diff_src) {  // [n, in] = dy [n, out] * W [out, in]
            if (out > 0) {
                cnn4j::sgemm_parallel(false, false, n, in, out, 1.f, diff_dst, out, weights, in, 0.f, diff_src, in);
            } else {
                std::memset(diff_src, 0, sizeof(float) * n * in);
            }
        }
        if (diff_weights) {  // [out, in] = dy^T [out, n] * x [n, in]; an empty batch gives zeros
            if (n > 0) {
                cnn4j::sgemm_parallel(true, false, out, in, n, 1.f, diff_dst, out, src, in, 0.f, diff_weights, in);
            } else {
                std::memset(diff_weights, 0, sizeof(float) * out * in);
            }
        }
        if (diff_bias) {
#pragma omp parallel for schedule(static)
            for (int o = 0; o < out; ++o) {
                double sum = 0;
                for (long i = 0; i < n; ++i) sum += diff_dst[i * out + o];
                diff_bias[o] = (float)sum;
            }
        }
    });
}
