// Convolution geometry decoded from the int array of the C ABI.
#pragma once

#include <cstdint>

#include "cnn4j/cnn4j.h"
#include "status.hpp"

namespace cnn4j {

struct ConvGeometry {
    int n, c, h, w, k, kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right, dilation_h, dilation_w,
        groups;

    static ConvGeometry from(const int32_t *f) {
        if (f == nullptr) throw invalid_argument("convolution geometry is null");
        ConvGeometry g{f[CNN4J_CONV_N], f[CNN4J_CONV_C], f[CNN4J_CONV_H], f[CNN4J_CONV_W], f[CNN4J_CONV_K],
                       f[CNN4J_CONV_KH], f[CNN4J_CONV_KW], f[CNN4J_CONV_STRIDE_H], f[CNN4J_CONV_STRIDE_W],
                       f[CNN4J_CONV_PAD_TOP], f[CNN4J_CONV_PAD_BOTTOM], f[CNN4J_CONV_PAD_LEFT],
                       f[CNN4J_CONV_PAD_RIGHT], f[CNN4J_CONV_DILATION_H], f[CNN4J_CONV_DILATION_W],
                       f[CNN4J_CONV_GROUPS]};
        if (g.n < 0 || g.c <= 0 || g.h <= 0 || g.w <= 0 || g.k <= 0 || g.kh <= 0 || g.kw <= 0 || g.stride_h <= 0
            || g.stride_w <= 0 || g.pad_top < 0 || g.pad_bottom < 0 || g.pad_left < 0 || g.pad_right < 0
            || g.dilation_h <= 0 || g.dilation_w <= 0 || g.groups <= 0 || g.c % g.groups || g.k % g.groups
            || g.out_h() <= 0 || g.out_w() <= 0) {
            throw invalid_argument("invalid convolution geometry");
        }
        return g;
    }

    int out_h() const { return (h + pad_top + pad_bottom - (kh - 1) * dilation_h - 1) / stride_h + 1; }
    int out_w() const { return (w + pad_left + pad_right - (kw - 1) * dilation_w - 1) / stride_w + 1; }
};

}  // namespace cnn4j
