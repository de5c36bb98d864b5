// bf16 linear layer (inner product) through oneDNN: f32 [n, in] rounded to bf16 in the call, weights [out, in]
// once per frozen id, f32 accumulation and output, f32 bias; ReLU in our own pass (NaN kept, as for f32).
#include <string>
#include <unordered_map>

#include "eltwise.hpp"
#include "quantized_types.hpp"

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Bf16Linear {
    inner_product_forward::primitive_desc pd;
    inner_product_forward prim;
    cnn4j::Bf16Source source;
    cnn4j::FrozenWeights weights;
};

std::shared_ptr<Bf16Linear> make(int n, int in, int out, bool bias) {
    primitive_attr attr;
    attr.set_scratchpad_mode(scratchpad_mode::user);
    auto p = std::make_shared<Bf16Linear>();
    p->pd = inner_product_forward::primitive_desc(
        cnn4j::onednn_engine(), prop_kind::forward_inference, memory::desc({n, in}, dt::bf16, tag::nc),
        memory::desc({out, in}, dt::bf16, tag::any), bias ? memory::desc({out}, dt::f32, tag::x) : memory::desc(),
        memory::desc({n, out}, dt::f32, tag::nc), attr);
    p->prim = inner_product_forward(p->pd);
    p->source = cnn4j::Bf16Source(memory::desc({n, in}, dt::f32, tag::nc), p->pd.src_desc());
    return p;
}

}  // namespace

extern "C" int cnn4j_linear_bf16_forward(int n, int in, int out, const float *src, const float *weights, int64_t weights_id,
                                         const float *bias, float *dst, int fuse_relu) {
    return cnn4j::guarded("bf16 linear forward (onednn)", [&] {
        if (n < 0 || in <= 0 || out <= 0)
            throw cnn4j::invalid_argument("bad shape: n=" + std::to_string(n) + " in=" + std::to_string(in) + " out=" + std::to_string(out));
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (weights_id == 0) throw cnn4j::invalid_argument("weights_id must be nonzero (the frozen weights' id)");
        if (n == 0) return;
        const std::string key = std::to_string(n) + "/" + std::to_string(in) + "/" + std::to_string(out) + (bias ? "b" : "-");
        static cnn4j::LruPrimitives<Bf16Linear> cache;
        const auto held = cache.get(key, [&] { return make(n, in, out, bias != nullptr); });
        Bf16Linear &p = *held;
        stream &st = cnn4j::onednn_stream();
        const auto w = p.weights.get(weights_id, p.pd.weights_desc(), memory::desc({out, in}, dt::f32, tag::oi), weights, st);
        const memory src_bf16 = p.source.round(src, st);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src_bf16},
                                             {DNNL_ARG_WEIGHTS, *w},
                                             {DNNL_ARG_DST, memory(p.pd.dst_desc(), cnn4j::onednn_engine(), dst)}};
        if (bias) args[DNNL_ARG_BIAS] = memory(p.pd.bias_desc(), cnn4j::onednn_engine(), const_cast<float *>(bias));
        if (p.pd.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = cnn4j::onednn_scratchpad(p.pd.scratchpad_desc());
        p.prim.execute(st, args);
        st.wait();
        if (fuse_relu) cnn4j::eltwise_relu(cnn4j::RELU_FORWARD, 0.f, 0.f, (long)n * out, dst, nullptr, dst);
    });
}
