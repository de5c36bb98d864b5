// Inverted dropout with the counter-based mask of Java's org.cnn4j.backend.DropoutMask: element i
// (its logical NCHW index) is kept when uniform(seed, i) >= p, so every backend, thread count and
// layout draws the same mask. One implementation per ISA (dropout_<isa>.cpp).
#pragma once

#include <stdint.h>

namespace cnn4j {

// Memory is [images][pixels][channels] when nhwc, else plain NCHW (images*channels*pixels in order).
struct DropoutPlan {
    long images;
    int channels;
    long pixels;
    int nhwc;
    uint64_t seed;
    float p;
    double scale;  // 1 / (1 - p), kept in double so that output = x * scale rounds like the reference
};

void dropout_forward_scalar(const DropoutPlan &d, const float *x, float *mask, float *out);
void dropout_forward_avx2(const DropoutPlan &d, const float *x, float *mask, float *out);
void dropout_forward_avx512(const DropoutPlan &d, const float *x, float *mask, float *out);

}  // namespace cnn4j
