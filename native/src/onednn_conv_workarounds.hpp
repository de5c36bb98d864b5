// Shapes on which oneDNN 3.11's brgemm forward convolutions crash or compute wrong results, for every
// oneDNN-backed convolution (f32, int8, bf16), and the skip to the next implementation oneDNN offers.
#pragma once

#include <string>

#include <oneapi/dnnl/dnnl.hpp>

#include "conv_geometry.hpp"
#include "status.hpp"

namespace cnn4j {

// oneDNN issue 5942 ("Convolution segfaults in a corner case", fixed by PR 5944 after 3.11): the brgemm
// forward convolution creates its post-work kernels (bias, post-ops) from the kernel-width range of each
// output block, and for an output column whose every tap falls in the padding that range is empty, so at
// run time perform_outwork calls a null kernel. Seen here with oneDNN 3.11 (differential fuzz, seed 2026
// cases 6101 and 8615: a 3x2 kernel on a 1-wide input padded 2 on the right; a 3x1 kernel at stride 2 whose
// last column reads only the right padding): SIGSEGV every run with a bias, NHWC or blocked; fully padded
// rows, a forward without bias and both backward directions are fine. The int8 and bf16 brgemm kernels
// share that code.
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

// Not found upstream (oneDNN's issues searched for brgemm forward results): the brgemm forward convolution
// with a channels-last source of one channel computes a one-column output of a width-strided layer wrong
// (errors of 1-20 for outputs of scale 5), padded or not, on 1 and 2 threads, with or without a bias
// (differential fuzz, seed 42 cases 8231 and 34824; a sweep of 7452 small shapes found 205, all with
// C = 1, output width 1, stride_w > 1). Wrong only at C = 1 here, the rule takes every channel count: the
// shape is rare and the other implementations compute it right, while another CPU's blocking may differ.
inline bool hits_onednn_brgemm_strided_single_column(const ConvGeometry &g) { return g.out_w() == 1 && g.stride_w > 1; }

// Moves `pd` past its brgemm implementations on the shapes above.
inline void skip_brgemm_where_broken(const ConvGeometry &g, dnnl::convolution_forward::primitive_desc &pd) {
    if (!hits_onednn_issue_5942(g) && !hits_onednn_brgemm_strided_single_column(g)) return;
    while (std::string(pd.impl_info_str()).rfind("brg", 0) == 0) {
        if (!pd.next_impl()) {
            throw unimplemented("oneDNN has only brgemm convolutions for this shape, which oneDNN gets wrong or crashes on; "
                                "use another algorithm");
        }
    }
}

}  // namespace cnn4j
