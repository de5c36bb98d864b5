// Shapes on which oneDNN 3.11's brgemm forward convolutions crash or compute wrong results, for the
// quantised and bf16 convolutions (conv_onednn.cpp documents each one where it found it for f32), and the
// skip to the next implementation oneDNN offers.
#pragma once

#include <string>

#include <oneapi/dnnl/dnnl.hpp>

#include "conv_geometry.hpp"
#include "status.hpp"

namespace cnn4j {

// oneDNN issue 5942 (fixed by PR 5944 after 3.11): an output column whose every tap falls in the padding makes
// the brgemm post-work (bias, post-ops) call a null kernel. The int8 and bf16 brgemm kernels share that code.
inline bool hits_onednn_issue_5942(const ConvGeometry &g) {
    for (int64_t ow = 0; ow < g.out_w(); ++ow) {
        bool reads_input = false;
        for (int64_t x = 0; x < g.kw && !reads_input; ++x) {
            const int64_t iw = ow * g.stride_w - g.pad_left + x * g.dilation_w;
            reads_input = iw >= 0 && iw < g.w;
        }
        if (!reads_input) return true;
    }
    return false;
}

// Found by cnn4j's differential fuzz for f32 (see conv_onednn.cpp): a one-column output of a width-strided layer.
inline bool hits_onednn_brgemm_strided_single_column(const ConvGeometry &g) { return g.out_w() == 1 && g.stride_w > 1; }

inline void skip_brgemm_where_broken(const ConvGeometry &g, dnnl::convolution_forward::primitive_desc &pd) {
    if (!hits_onednn_issue_5942(g) && !hits_onednn_brgemm_strided_single_column(g)) return;
    while (std::string(pd.impl_info_str()).rfind("brg", 0) == 0) {
        if (!pd.next_impl()) throw unimplemented("oneDNN has only brgemm convolutions for this shape, which oneDNN gets wrong or crashes on");
    }
}

}  // namespace cnn4j
