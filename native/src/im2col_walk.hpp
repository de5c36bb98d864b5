// The loop structure shared by every ISA's im2col/col2im. `Runs` supplies the inner loops over a
// run of contiguous channels (copy, add, zero fill); each ISA file instantiates this with
// its own Runs type from an anonymous namespace, so no instantiation is shared across ISAs.
#pragma once

#include "im2col.hpp"

namespace cnn4j {

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
                    Runs::copy(dst, image + ((long)ih * p.w + iw) * p.c + np.c0, np.channels);
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
                    Runs::add(image + ((long)ih * p.w + iw) * p.c + np.c0, src, np.channels);
                }
            }
        }
    }
}

}  // namespace cnn4j
