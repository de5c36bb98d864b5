// Max/average pooling and global average pooling, one implementation per ISA (pooling_<isa>.cpp).
// Every kernel sees channels-last images [images][h][w][channels]: an NHWC batch is N images of C
// channels, an NCHW batch is N*C images of one channel (each plane is its own image), so both
// layouts run without a reorder.
#pragma once

#include <cstdint>

namespace cnn4j {

// Plain integers only: the ISA translation units must not share inline helpers with baseline code.
struct PoolPlan {
    long images;
    int channels, h, w, kh, kw, stride_h, stride_w, pad_h, pad_w, out_h, out_w;
    int average, count_include_pad;
};

// argmax (max pooling only; may be null): per output, the position of its window's first maximum,
// row-major in the window clipped to the input, one byte each (windows of at most 256 elements).
void pool_forward_scalar(const PoolPlan &p, const float *x, float *y, uint8_t *argmax);
void pool_forward_avx2(const PoolPlan &p, const float *x, float *y, uint8_t *argmax);
void pool_forward_avx512(const PoolPlan &p, const float *x, float *y, uint8_t *argmax);

// gx is overwritten; max pooling routes each gradient to the first maximum of its window, read from
// argmax when given (x is then not read), else found again in x.
void pool_backward_scalar(const PoolPlan &p, const float *x, const uint8_t *argmax, const float *gy, float *gx);
void pool_backward_avx2(const PoolPlan &p, const float *x, const uint8_t *argmax, const float *gy, float *gx);
void pool_backward_avx512(const PoolPlan &p, const float *x, const uint8_t *argmax, const float *gy, float *gx);

// [images][pixels][channels] -> [images][channels] means, and back.
void global_avg_forward_scalar(long images, int channels, long pixels, const float *x, float *y);
void global_avg_forward_avx2(long images, int channels, long pixels, const float *x, float *y);
void global_avg_forward_avx512(long images, int channels, long pixels, const float *x, float *y);

void global_avg_backward_scalar(long images, int channels, long pixels, const float *gy, float *gx);
void global_avg_backward_avx2(long images, int channels, long pixels, const float *gy, float *gx);
void global_avg_backward_avx512(long images, int channels, long pixels, const float *gy, float *gx);

}  // namespace cnn4j
