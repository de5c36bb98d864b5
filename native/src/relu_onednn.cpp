// (Leaky) ReLU through oneDNN's eltwise primitive. An element-wise op does not care how the data is
// ordered, so the buffer is described as one NHWC image with `count` channels: a dense layout oneDNN's
// JIT kernels take (never plain NCHW, which sends oneDNN to its slow reference kernels).
#include "onednn_context.hpp"
#include "status.hpp"

extern "C" int cnn4j_relu_forward(int64_t count, float negative_slope, const float *src, float *dst) {
    return cnn4j::guarded("relu", [&] {
        using namespace dnnl;
        if (count < 0) throw cnn4j::invalid_argument("negative element count");
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        if (count == 0) return;
        const memory::desc md({1, count, 1, 1}, memory::data_type::f32, memory::format_tag::nhwc);
        const eltwise_forward::primitive_desc pd(cnn4j::onednn_engine(), prop_kind::forward_inference,
                                                 algorithm::eltwise_relu, md, md, negative_slope);
        memory src_mem(md, cnn4j::onednn_engine(), const_cast<float *>(src));
        memory dst_mem(md, cnn4j::onednn_engine(), dst);
        eltwise_forward(pd).execute(cnn4j::onednn_stream(), {{DNNL_ARG_SRC, src_mem}, {DNNL_ARG_DST, dst_mem}});
        cnn4j::onednn_stream().wait();
    });
}
