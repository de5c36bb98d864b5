// im2col / col2im for channels-last images, one implementation per ISA (im2col_<isa>.cpp).
#pragma once

namespace cnn4j {

// Plain integers only: the ISA translation units must not share inline helpers with baseline code.
struct Im2colPlan {
    int c, h, w, kh, kw, stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w, out_h, out_w;
};

// Output pixels [pixel_begin, pixel_end) of one image [h, w, c] to rows
// [pixels, kh*kw*channels] for the channels [c0, c0+channels) of a group (serial: callers parallelise
// over tiles), and back (col2im_nhwc accumulates every pixel's row into the image, which the caller
// zeroes; it runs in parallel over input rows).
struct Im2colNhwcPlan {
    Im2colPlan geometry;
    int c0, channels;
    long pixel_begin, pixel_end;
};

void im2col_nhwc_scalar(const Im2colNhwcPlan &p, const float *image, float *rows);
void im2col_nhwc_avx2(const Im2colNhwcPlan &p, const float *image, float *rows);
void im2col_nhwc_avx512(const Im2colNhwcPlan &p, const float *image, float *rows);

void col2im_nhwc_scalar(const Im2colNhwcPlan &p, const float *rows, float *image);
void col2im_nhwc_avx2(const Im2colNhwcPlan &p, const float *rows, float *image);
void col2im_nhwc_avx512(const Im2colNhwcPlan &p, const float *rows, float *image);

}  // namespace cnn4j
