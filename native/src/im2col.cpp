// C ABI for im2col/col2im: decodes the geometry in baseline code, then runs the active ISA's kernel.
#include "im2col.hpp"

#include "conv_geometry.hpp"
#include "isa.hpp"

namespace {

cnn4j::Im2colPlan plan_of(const cnn4j::ConvGeometry &g) {
    return {g.c, g.h, g.w, g.kh, g.kw, g.stride_h, g.stride_w, g.pad_top, g.pad_left, g.dilation_h, g.dilation_w,
            g.out_h(), g.out_w()};
}

}  // namespace

extern "C" int cnn4j_im2col(const int32_t *conv, const float *image, float *columns) {
    return cnn4j::guarded("im2col", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!image || !columns) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::im2col_scalar, &cnn4j::im2col_avx2, &cnn4j::im2col_avx512)(plan_of(g), image, columns);
    });
}

extern "C" int cnn4j_col2im(const int32_t *conv, const float *columns, float *image) {
    return cnn4j::guarded("col2im", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!image || !columns) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::col2im_scalar, &cnn4j::col2im_avx2, &cnn4j::col2im_avx512)(plan_of(g), columns, image);
    });
}
