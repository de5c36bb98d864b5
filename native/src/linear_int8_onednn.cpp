// Quantised linear layer (inner product) through oneDNN's int8 primitive. The source may be the
// channels-last 4-D activation a Flatten would have read ([n, c, h, w] NHWC, weights [out, c*h*w] in the NCHW
// order Flatten gives): oneDNN reads it as it is, so no reorder precedes the classifier head. ReLU as a post-op,
// requantised to s8/u8 with the next layer's scale, or f32 logits.
#include <string>
#include <unordered_map>

#include "quantized_types.hpp"

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Int8Linear {
    inner_product_forward::primitive_desc pd;
    inner_product_forward prim;
    cnn4j::FrozenWeights weights;
};

std::shared_ptr<Int8Linear> make(const memory::dims &src_dims, int out, int src_type, int dst_type, bool bias, bool relu) {
    primitive_attr attr;
    attr.set_scratchpad_mode(scratchpad_mode::user);
    attr.set_scales_mask(DNNL_ARG_SRC, 0);
    attr.set_scales_mask(DNNL_ARG_WEIGHTS, 1);
    if (cnn4j::is_int8(dst_type)) attr.set_scales_mask(DNNL_ARG_DST, 0);
    post_ops ops;
    if (relu) ops.append_eltwise(algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
    const memory::dims w_dims{out, src_dims[1], src_dims[2], src_dims[3]};
    auto p = std::make_shared<Int8Linear>();
    p->pd = inner_product_forward::primitive_desc(
        cnn4j::onednn_engine(), prop_kind::forward_inference, memory::desc(src_dims, cnn4j::onednn_type(src_type, "src"), tag::nhwc),
        memory::desc(w_dims, dt::s8, tag::any), bias ? memory::desc({out}, dt::f32, tag::x) : memory::desc(),
        memory::desc({src_dims[0], out}, cnn4j::onednn_type(dst_type, "dst"), tag::nc), attr);
    p->prim = inner_product_forward(p->pd);
    return p;
}

}  // namespace

extern "C" int cnn4j_linear_int8_forward(int n, int c, int h, int w, int src_type, const void *src, float src_scale, int out,
                                         const int8_t *weights, const float *weight_scales, int64_t weights_id,
                                         const float *bias, int dst_type, void *dst, float dst_scale, int fuse_relu) {
    return cnn4j::guarded("int8 linear forward (onednn)", [&] {
        if (n < 0 || c <= 0 || h <= 0 || w <= 0 || out <= 0)
            throw cnn4j::invalid_argument("bad shape: n=" + std::to_string(n) + " c=" + std::to_string(c) + " h=" + std::to_string(h)
                                          + " w=" + std::to_string(w) + " out=" + std::to_string(out));
        if ((long long)c * h * w > INT32_MAX) throw cnn4j::invalid_argument("c*h*w exceeds 2^31-1");
        if (!src || !weights || !weight_scales || !dst) throw cnn4j::invalid_argument("null buffer");
        if (!cnn4j::is_int8(src_type)) throw cnn4j::invalid_argument("src must be s8 or u8, got type " + std::to_string(src_type));
        if (!cnn4j::is_int8(dst_type) && dst_type != CNN4J_QTYPE_F32)
            throw cnn4j::invalid_argument("dst must be s8, u8 or f32, got type " + std::to_string(dst_type));
        if (weights_id == 0) throw cnn4j::invalid_argument("weights_id must be nonzero (the frozen weights' id)");
        cnn4j::check_scale(src_scale, "src_scale");
        if (cnn4j::is_int8(dst_type)) cnn4j::check_scale(dst_scale, "dst_scale");
        for (int k = 0; k < out; ++k) cnn4j::check_scale(weight_scales[k], "weight scale");
        if (n == 0) return;
        const memory::dims src_dims{n, c, h, w};
        std::string key(reinterpret_cast<const char *>(src_dims.data()), sizeof(memory::dim) * 4);
        key += std::to_string(out) + "/" + std::to_string(src_type) + "/" + std::to_string(dst_type) + (bias ? "b" : "-")
               + (fuse_relu ? "r" : "-");
        static cnn4j::LruPrimitives<Int8Linear> cache;
        const auto held = cache.get(key, [&] { return make(src_dims, out, src_type, dst_type, bias != nullptr, fuse_relu != 0); });
        Int8Linear &p = *held;
        stream &st = cnn4j::onednn_stream();
        const memory::desc user_weights({out, c, h, w}, dt::s8, tag::oihw);
        const auto wm = p.weights.get(weights_id, p.pd.weights_desc(), user_weights, weights, st);
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, memory(p.pd.src_desc(), cnn4j::onednn_engine(), const_cast<void *>(src))},
            {DNNL_ARG_WEIGHTS, *wm},
            {DNNL_ARG_DST, memory(p.pd.dst_desc(), cnn4j::onednn_engine(), dst)},
            {DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, cnn4j::scale_memory(&src_scale)},
            {DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, cnn4j::scale_memory(weight_scales, out)}};
        if (cnn4j::is_int8(dst_type)) args[DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST] = cnn4j::scale_memory(&dst_scale);
        if (bias) args[DNNL_ARG_BIAS] = memory(p.pd.bias_desc(), cnn4j::onednn_engine(), const_cast<float *>(bias));
        if (p.pd.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = cnn4j::onednn_scratchpad(p.pd.scratchpad_desc());
        p.prim.execute(st, args);
        st.wait();
    });
}
