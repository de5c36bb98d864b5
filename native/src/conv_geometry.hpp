// Convolution geometry decoded from the int array of the C ABI.
#pragma once

#include <cstdint>
#include <string>

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
            || g.dilation_h <= 0 || g.dilation_w <= 0 || g.groups <= 0 || g.c % g.groups || g.k % g.groups) {
            throw invalid_argument("invalid convolution geometry");
        }
        // in 64 bits, as Java's Conv2dSpec: then every index the kernels compute fits an int
        if (g.padded_h() > INT32_MAX || g.padded_w() > INT32_MAX || g.padded_h() < g.span_h() || g.padded_w() < g.span_w()) {
            throw invalid_argument("invalid convolution geometry: kernel spanning " + std::to_string(g.span_h()) + "x"
                                   + std::to_string(g.span_w()) + " does not fit the padded input "
                                   + std::to_string(g.padded_h()) + "x" + std::to_string(g.padded_w())
                                   + ", or that exceeds 2^31-1");
        }
        return g;
    }

    int64_t padded_h() const { return (int64_t)h + pad_top + pad_bottom; }
    int64_t padded_w() const { return (int64_t)w + pad_left + pad_right; }
    int64_t span_h() const { return (int64_t)(kh - 1) * dilation_h + 1; }
    int64_t span_w() const { return (int64_t)(kw - 1) * dilation_w + 1; }
    int out_h() const { return (int)((padded_h() - span_h()) / stride_h + 1); }
    int out_w() const { return (int)((padded_w() - span_w()) / stride_w + 1); }
};

}  // namespace cnn4j
