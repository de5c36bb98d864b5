// Quantised convolution forward through oneDNN's int8 primitives (VNNI where the CPU has it): u8 or s8
// channels-last activations with a per-tensor scale, s8 weights (OIHW, zero point 0) with one scale per output
// channel, an f32 bias, then a residual sum and a ReLU as post-ops and the requantisation to the next layer's
// scale (s8/u8 output) or f32 (the network's last layer), all inside the one primitive.
#include <cstring>
#include <string>
#include <unordered_map>

#include "conv_geometry.hpp"
#include "onednn_conv_workarounds.hpp"
#include "quantized_types.hpp"

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Variant {
    int src_type, dst_type, residual_type;  // residual_type -1: no residual
    float residual_scale;                   // a creation-time parameter of the sum post-op
    bool bias, relu;
};

struct Int8Conv {
    convolution_forward::primitive_desc pd;
    convolution_forward prim;
    cnn4j::FrozenWeights weights;
};

std::string key_of(const cnn4j::ConvGeometry &g, const Variant &v) {
    std::string k(reinterpret_cast<const char *>(&g), sizeof g);
    k.append(reinterpret_cast<const char *>(&v.src_type), sizeof v.src_type);
    k.append(reinterpret_cast<const char *>(&v.dst_type), sizeof v.dst_type);
    k.append(reinterpret_cast<const char *>(&v.residual_type), sizeof v.residual_type);
    k.append(reinterpret_cast<const char *>(&v.residual_scale), sizeof v.residual_scale);
    k += {v.bias, v.relu};
    return k;
}

memory::dims weight_dims(const cnn4j::ConvGeometry &g) {
    return g.groups > 1 ? memory::dims{g.groups, g.k / g.groups, g.c / g.groups, g.kh, g.kw} : memory::dims{g.k, g.c, g.kh, g.kw};
}

std::shared_ptr<Int8Conv> make(const cnn4j::ConvGeometry &g, const Variant &v) {
    primitive_attr attr;
    attr.set_scratchpad_mode(scratchpad_mode::user);
    attr.set_scales_mask(DNNL_ARG_SRC, 0);
    // one scale per output channel: dimension 0 of OIHW, dimensions 0 and 1 of GOIHW
    attr.set_scales_mask(DNNL_ARG_WEIGHTS, g.groups > 1 ? 3 : 1);
    if (cnn4j::is_int8(v.dst_type)) attr.set_scales_mask(DNNL_ARG_DST, 0);
    post_ops ops;
    // oneDNN computes dst = post_ops(src_scale * w_scale * acc + bias) / dst_scale, the sum adding
    // residual_scale * (what dst held, read as residual_type): the residual in real units.
    if (v.residual_type >= 0) ops.append_sum(v.residual_scale, 0, cnn4j::onednn_type(v.residual_type, "residual"));
    if (v.relu) ops.append_eltwise(algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
    const memory::desc src({g.n, g.c, g.h, g.w}, cnn4j::onednn_type(v.src_type, "src"), tag::nhwc);
    const memory::desc dst({g.n, g.k, g.out_h(), g.out_w()}, cnn4j::onednn_type(v.dst_type, "dst"), tag::nhwc);
    const memory::desc weights(weight_dims(g), dt::s8, tag::any);
    const memory::desc bias = v.bias ? memory::desc({g.k}, dt::f32, tag::x) : memory::desc();
    auto p = std::make_shared<Int8Conv>();
    // oneDNN counts dilation gaps; a one-tap dimension has none (as in conv_onednn.cpp)
    p->pd = convolution_forward::primitive_desc(cnn4j::onednn_engine(), prop_kind::forward_inference,
                                                algorithm::convolution_direct, src, weights, bias, dst,
                                                {g.stride_h, g.stride_w},
                                                {g.kh == 1 ? 0 : g.dilation_h - 1, g.kw == 1 ? 0 : g.dilation_w - 1},
                                                {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right}, attr);
    cnn4j::skip_brgemm_where_broken(g, p->pd);
    p->prim = convolution_forward(p->pd);
    return p;
}

size_t element_size(int qtype) { return cnn4j::is_int8(qtype) ? 1 : 4; }

}  // namespace

extern "C" int cnn4j_conv2d_int8_forward(const int32_t *conv, int src_type, const void *src, float src_scale,
                                         const int8_t *weights, const float *weight_scales, int64_t weights_id,
                                         const float *bias, int residual_type, const void *residual, float residual_scale,
                                         int dst_type, void *dst, float dst_scale, int fuse_relu) {
    return cnn4j::guarded("int8 conv2d forward (onednn)", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!src || !weights || !weight_scales || !dst) throw cnn4j::invalid_argument("null buffer");
        if (!cnn4j::is_int8(src_type)) throw cnn4j::invalid_argument("src must be s8 or u8, got type " + std::to_string(src_type));
        if (!cnn4j::is_int8(dst_type) && dst_type != CNN4J_QTYPE_F32)
            throw cnn4j::invalid_argument("dst must be s8, u8 or f32, got type " + std::to_string(dst_type));
        if (weights_id == 0) throw cnn4j::invalid_argument("weights_id must be nonzero (the frozen weights' id)");
        cnn4j::check_scale(src_scale, "src_scale");
        if (cnn4j::is_int8(dst_type)) cnn4j::check_scale(dst_scale, "dst_scale");
        for (int k = 0; k < g.k; ++k) cnn4j::check_scale(weight_scales[k], "weight scale");
        if (residual) {
            if (element_size(residual_type) != element_size(dst_type) || !(cnn4j::is_int8(residual_type) || residual_type == dst_type))
                throw cnn4j::invalid_argument("residual type " + std::to_string(residual_type) + " does not fit dst type "
                                              + std::to_string(dst_type));
            cnn4j::check_scale(residual_scale, "residual_scale");
        }
        if (g.n == 0) return;
        Variant v{src_type, dst_type, residual ? residual_type : -1, residual ? residual_scale : 0.f, bias != nullptr, fuse_relu != 0};
        static cnn4j::LruPrimitives<Int8Conv> cache;
        const std::shared_ptr<Int8Conv> held = cache.get(key_of(g, v), [&] { return make(g, v); });
        Int8Conv &p = *held;
        stream &st = cnn4j::onednn_stream();
        const memory::desc user_weights(weight_dims(g), dt::s8, g.groups > 1 ? tag::goihw : tag::oihw);
        const auto w = p.weights.get(weights_id, p.pd.weights_desc(), user_weights, weights, st);
        // the sum post-op reads the residual where the result goes
        if (residual && residual != dst) std::memcpy(dst, residual, p.pd.dst_desc().get_size());
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, memory(p.pd.src_desc(), cnn4j::onednn_engine(), const_cast<void *>(src))},
            {DNNL_ARG_WEIGHTS, *w},
            {DNNL_ARG_DST, memory(p.pd.dst_desc(), cnn4j::onednn_engine(), dst)},
            {DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, cnn4j::scale_memory(&src_scale)},
            {DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, cnn4j::scale_memory(weight_scales, g.k)}};
        if (cnn4j::is_int8(dst_type)) args[DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST] = cnn4j::scale_memory(&dst_scale);
        if (bias) args[DNNL_ARG_BIAS] = memory(p.pd.bias_desc(), cnn4j::onednn_engine(), const_cast<float *>(bias));
        if (p.pd.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = cnn4j::onednn_scratchpad(p.pd.scratchpad_desc());
        p.prim.execute(st, args);
        st.wait();
    });
}
