// bf16 convolution forward through oneDNN (AVX512_BF16 where the CPU has it): the f32 channels-last source is
// rounded to bf16 inside the call, the weights once per frozen weight id, the products accumulate in f32 and
// the f32 output gets the bias, a residual (sum post-op) and ReLU. The network keeps f32 activations between
// layers, so each call pays one f32 -> bf16 rounding of its source (Bf16Source; docs/quantization.md).
#include <cstring>
#include <string>
#include <unordered_map>

#include "conv_geometry.hpp"
#include "eltwise.hpp"
#include "onednn_conv_workarounds.hpp"
#include "quantized_types.hpp"

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Bf16Conv {
    convolution_forward::primitive_desc pd;
    convolution_forward prim;
    cnn4j::Bf16Source source;
    cnn4j::FrozenWeights weights;
};

memory::dims weight_dims(const cnn4j::ConvGeometry &g) {
    return g.groups > 1 ? memory::dims{g.groups, g.k / g.groups, g.c / g.groups, g.kh, g.kw} : memory::dims{g.k, g.c, g.kh, g.kw};
}

std::shared_ptr<Bf16Conv> make(const cnn4j::ConvGeometry &g, bool bias, bool sum) {
    primitive_attr attr;
    attr.set_scratchpad_mode(scratchpad_mode::user);
    post_ops ops;
    if (sum) ops.append_sum(1.f);
    attr.set_post_ops(ops);
    auto p = std::make_shared<Bf16Conv>();
    p->pd = convolution_forward::primitive_desc(
        cnn4j::onednn_engine(), prop_kind::forward_inference, algorithm::convolution_direct,
        memory::desc({g.n, g.c, g.h, g.w}, dt::bf16, tag::nhwc), memory::desc(weight_dims(g), dt::bf16, tag::any),
        bias ? memory::desc({g.k}, dt::f32, tag::x) : memory::desc(),
        memory::desc({g.n, g.k, g.out_h(), g.out_w()}, dt::f32, tag::nhwc), {g.stride_h, g.stride_w},
        {g.kh == 1 ? 0 : g.dilation_h - 1, g.kw == 1 ? 0 : g.dilation_w - 1}, {g.pad_top, g.pad_left},
        {g.pad_bottom, g.pad_right}, attr);
    cnn4j::skip_brgemm_where_broken(g, p->pd);
    p->prim = convolution_forward(p->pd);
    p->source = cnn4j::Bf16Source(memory::desc({g.n, g.c, g.h, g.w}, dt::f32, tag::nhwc), p->pd.src_desc());
    return p;
}

}  // namespace

extern "C" int cnn4j_conv2d_bf16_forward(const int32_t *conv, const float *src, const float *weights, int64_t weights_id,
                                         const float *bias, const float *residual, float *dst, int fuse_relu) {
    return cnn4j::guarded("bf16 conv2d forward (onednn)", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (weights_id == 0) throw cnn4j::invalid_argument("weights_id must be nonzero (the frozen weights' id)");
        if (g.n == 0) return;
        std::string key(reinterpret_cast<const char *>(&g), sizeof g);
        key += {bias != nullptr, residual != nullptr};
        static cnn4j::LruPrimitives<Bf16Conv> cache;
        const auto held = cache.get(key, [&] { return make(g, bias != nullptr, residual != nullptr); });
        Bf16Conv &p = *held;
        stream &st = cnn4j::onednn_stream();
        const memory::desc user_weights(weight_dims(g), dt::f32, g.groups > 1 ? tag::goihw : tag::oihw);
        const auto w = p.weights.get(weights_id, p.pd.weights_desc(), user_weights, weights, st);
        const memory src_bf16 = p.source.round(src, st);
        const long outputs = (long)g.n * g.k * g.out_h() * g.out_w();
        if (residual && residual != dst) std::memcpy(dst, residual, sizeof(float) * outputs);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src_bf16},
                                             {DNNL_ARG_WEIGHTS, *w},
                                             {DNNL_ARG_DST, memory(p.pd.dst_desc(), cnn4j::onednn_engine(), dst)}};
        if (bias) args[DNNL_ARG_BIAS] = memory(p.pd.bias_desc(), cnn4j::onednn_engine(), const_cast<float *>(bias));
        if (p.pd.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = cnn4j::onednn_scratchpad(p.pd.scratchpad_desc());
        p.prim.execute(st, args);
        st.wait();
        // our ReLU, not oneDNN's eltwise post-op, which maps NaN to 0 (see activation_onednn.cpp)
        if (fuse_relu) cnn4j::eltwise_relu(cnn4j::RELU_FORWARD, 0.f, 0.f, outputs, dst, nullptr, dst);
    });
}
