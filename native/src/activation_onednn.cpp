// Sigmoid and tanh, forward and backward, through oneDNN's eltwise primitives: their JIT kernels
// (with oneDNN's vectorised exp/tanh) are as fast as memory allows, which our own would only match.
// The buffer is described as one NHWC image with `count` channels, a dense layout oneDNN's JIT
// kernels take whatever the tensor's real layout (never plain NCHW, which sends oneDNN to its slow
// reference kernels). oneDNN picks its own ISA, independent of cnn4j_set_isa.
// ReLU, leaky ReLU, ReLU6, hard sigmoid and hard swish run our own kernels (eltwise_walk.hpp): oneDNN's JIT ReLU with alpha 0 is
// `vmaxps x, x, 0` (src/cpu/x64/injectors/jit_uni_eltwise_injector.cpp,
// relu_zero_ns_compute_vector_fwd, unchanged up to v3.11), which returns 0 for a NaN x where PyTorch
// keeps the NaN, and its leaky ReLU backward passes the whole gradient of a NaN where PyTorch passes
// alpha times it. (oneDNN fixed the same for RV64 only, uxlfoundation/oneDNN PR 5370.)
#include <string>

#include "eltwise.hpp"
#include "onednn_context.hpp"
#include "status.hpp"

namespace {

using namespace dnnl;

enum ActivationKind { RELU = 0, LEAKY_RELU = 1, SIGMOID = 2, TANH = 3, RELU6 = 4, HARD_SIGMOID = 5, HARD_SWISH = 6 };

// Our kernel's mode for a ReLU-family kind, forward or backward.
int relu_mode(int kind, bool forward) {
    switch (kind) {
        case RELU: return forward ? cnn4j::RELU_FORWARD : cnn4j::RELU_BACKWARD;
        case LEAKY_RELU: return forward ? cnn4j::LEAKY_RELU_FORWARD : cnn4j::LEAKY_RELU_BACKWARD;
        case HARD_SIGMOID: return forward ? cnn4j::HARD_SIGMOID_FORWARD : cnn4j::HARD_SIGMOID_BACKWARD;
        case HARD_SWISH: return forward ? cnn4j::HARD_SWISH_FORWARD : cnn4j::HARD_SWISH_BACKWARD;
        default: return forward ? cnn4j::RELU6_FORWARD : cnn4j::RELU6_BACKWARD;
    }
}

bool is_relu_family(int kind) {
    return kind == RELU || kind == LEAKY_RELU || kind == RELU6 || kind == HARD_SIGMOID || kind == HARD_SWISH;
}

// Sigmoid and tanh backward from the forward output, ReLU from the input (as Java's Backend says).
algorithm algorithm_of(int kind) {
    switch (kind) {
        case SIGMOID: return algorithm::eltwise_logistic_use_dst_for_bwd;
        case TANH: return algorithm::eltwise_tanh_use_dst_for_bwd;
        default: throw cnn4j::invalid_argument("unknown activation kind " + std::to_string(kind));
    }
}

memory::desc flat_md(int64_t count) { return {{1, count, 1, 1}, memory::data_type::f32, memory::format_tag::nhwc}; }

void *mut(const float *p) { return const_cast<float *>(p); }

}  // namespace

extern "C" int cnn4j_activation_forward(int kind, float alpha, float beta, int64_t count, const float *src, float *dst) {
    return cnn4j::guarded("activation forward", [&] {
        if (count < 0) throw cnn4j::invalid_argument("negative element count");
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        if (is_relu_family(kind)) {
            cnn4j::eltwise_relu(relu_mode(kind, true), alpha, beta, count, src, nullptr, dst);
            return;
        }
        const algorithm algo = algorithm_of(kind);
        if (count == 0) return;
        const memory::desc md = flat_md(count);
        const eltwise_forward::primitive_desc pd(cnn4j::onednn_engine(), prop_kind::forward_inference, algo, md, md, 0.f);
        memory src_mem(md, cnn4j::onednn_engine(), mut(src));
        memory dst_mem(md, cnn4j::onednn_engine(), dst);
        eltwise_forward(pd).execute(cnn4j::onednn_stream(), {{DNNL_ARG_SRC, src_mem}, {DNNL_ARG_DST, dst_mem}});
        cnn4j::onednn_stream().wait();
    });
}

extern "C" int cnn4j_activation_backward(int kind, float alpha, float beta, int64_t count, const float *src, const float *dst,
                                         const float *diff_dst, float *diff_src) {
    return cnn4j::guarded("activation backward", [&] {
        const bool relu = is_relu_family(kind);
        if (count < 0) throw cnn4j::invalid_argument("negative element count");
        if ((relu ? !src : !dst) || !diff_dst || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (relu) {
            cnn4j::eltwise_relu(relu_mode(kind, false), alpha, beta, count, src, diff_dst, diff_src);
            return;
        }
        const algorithm algo = algorithm_of(kind);
        if (count == 0) return;
        const memory::desc md = flat_md(count);
        const eltwise_forward::primitive_desc hint(cnn4j::onednn_engine(), prop_kind::forward_training, algo, md, md, 0.f);
        const eltwise_backward::primitive_desc pd(cnn4j::onednn_engine(), algo, md, md, md, 0.f, hint);
        memory data(md, cnn4j::onednn_engine(), mut(dst));
        memory dd(md, cnn4j::onednn_engine(), mut(diff_dst));
        memory ds(md, cnn4j::onednn_engine(), diff_src);
        eltwise_backward(pd).execute(cnn4j::onednn_stream(), {{DNNL_ARG_DST, data},
                                                              {DNNL_ARG_DIFF_DST, dd},
                                                              {DNNL_ARG_DIFF_SRC, ds}});
        cnn4j::onednn_stream().wait();
    });
}
