// The loop structure shared by every ISA's im2col/col2im. `Runs` supplies the inner loops over a
// run of output columns (copy/add with a stride, zero fill); each ISA file instantiates this with
// its own Runs type from an anonymous namespace, so no instantiation is shared across ISAs.
#pragma once

#include "im2col.hpp"

namespace cnn4j {

// Output columns [lo, hi) whose input column ow*stride - pad + tap lies inside [0, size).
struct ValidRange {
    int lo, hi;
};

template <typename Runs>
inline ValidRange valid_range(int size, int out, int stride, int offset) {
    // offset = tap * dilation - pad; input index = ow * stride + offset
    int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int last = size - 1 - offset;
    int hi = last < 0 ? 0 : last / stride + 1;
    if (hi > out) hi = out;
    if (lo > hi) lo = hi;
    return {lo, hi};
}

template <typename Runs>
void im2col_walk(const Im2colPlan &p, const float *image, float *columns) {
    const int rows = p.c * p.kh * p.kw;
    const long plane = (long)p.out_h * p.out_w;
#pragma omp parallel for schedule(static)
    for (int r = 0; r < rows; ++r) {
        const int ch = r / (p.kh * p.kw), i = r / p.kw % p.kh, j = r % p.kw;
        const float *src = image + (long)ch * p.h * p.w;
        float *dst = columns + r * plane;
        const ValidRange cols = valid_range<Runs>(p.w, p.out_w, p.stride_w, j * p.dilation_w - p.pad_left);
        for (int oh = 0; oh < p.out_h; ++oh, dst += p.out_w) {
            const int ih = oh * p.stride_h - p.pad_top + i * p.dilation_h;
            if (ih < 0 || ih >= p.h || cols.lo == cols.hi) {
                Runs::zero(dst, p.out_w);
                continue;
            }
            Runs::zero(dst, cols.lo);
            const float *row = src + (long)ih * p.w + j * p.dilation_w - p.pad_left;
            Runs::copy(dst + cols.lo, row + (long)cols.lo * p.stride_w, cols.hi - cols.lo, p.stride_w);
            Runs::zero(dst + cols.hi, p.out_w - cols.hi);
        }
    }
}

template <typename Runs>
void col2im_walk(const Im2colPlan &p, const float *columns, float *image) {
    const long plane = (long)p.out_h * p.out_w;
    // One channel per thread: the rows of a channel only ever write to that channel's plane.
#pragma omp parallel for schedule(static)
    for (int ch = 0; ch < p.c; ++ch) {
        float *img = image + (long)ch * p.h * p.w;
        Runs::zero(img, p.h * p.w);
        for (int i = 0; i < p.kh; ++i) {
            for (int j = 0; j < p.kw; ++j) {
                const float *src = columns + ((long)(ch * p.kh + i) * p.kw + j) * plane;
                const ValidRange cols = valid_range<Runs>(p.w, p.out_w, p.stride_w, j * p.dilation_w - p.pad_left);
                if (cols.lo == cols.hi) continue;
                for (int oh = 0; oh < p.out_h; ++oh) {
                    const int ih = oh * p.stride_h - p.pad_top + i * p.dilation_h;
                    if (ih < 0 || ih >= p.h) continue;
                    float *row = img + (long)ih * p.w + j * p.dilation_w - p.pad_left;
                    Runs::add(row + (long)cols.lo * p.stride_w, src + (long)oh * p.out_w + cols.lo, cols.hi - cols.lo,
                              p.stride_w);
                }
            }
        }
    }
}

template <typename Runs>
void im2col_nhwc_walk(const Im2colNhwcPlan &np, const float *image, float *rows) {
    const Im2colPlan &p = np.geometry;
    float *dst = rows;
    for (long px = np.pixel_begin; px < np.pixel_end; ++px) {
        const int oh = (int)(px / p.out_w), ow = (int)(px % p.out_w);
        for (int i = 0; i < p.kh; ++i) {
            const int ih = oh * p.stride_h - p.pad_top + i * p.dilation_h;
            for (int j = 0; j < p.kw; ++j, dst += np.channels) {
                const int iw = ow * p.stride_w - p.pad_left + j * p.dilation_w;
                if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) {
                    Runs::zero(dst, np.channels);
                } else {
                    Runs::copy(dst, image + ((long)ih * p.w + iw) * p.c + np.c0, np.channels, 1);
                }
            }
        }
    }
}

template <typename Runs>
void col2im_nhwc_walk(const Im2colNhwcPlan &np, const float *rows, float *image) {
    const Im2colPlan &p = np.geometry;
    const long row_len = (long)p.kh * p.kw * np.channels;
    // Output rows that touch input row ih all lie in one band of oh; one thread per input row avoids races.
#pragma omp parallel for schedule(static)
    for (int ih = 0; ih < p.h; ++ih) {
        for (int i = 0; i < p.kh; ++i) {
            const int num = ih + p.pad_top - i * p.dilation_h;
            if (num < 0 || num % p.stride_h) continue;
            const int oh = num / p.stride_h;
            if (oh >= p.out_h) continue;
            for (int ow = 0; ow < p.out_w; ++ow) {
                const float *src = rows + ((long)oh * p.out_w + ow) * row_len + (long)i * p.kw * np.channels;
                for (int j = 0; j < p.kw; ++j, src += np.channels) {
                    const int iw = ow * p.stride_w - p.pad_left + j * p.dilation_w;
                    if (iw < 0 || iw >= p.w) continue;
                    Runs::add(image + ((long)ih * p.w + iw) * p.c + np.c0, src, np.channels, 1);
                }
            }
        }
    }
}

}  // namespace cnn4j
