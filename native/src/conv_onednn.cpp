// Convolution through oneDNN primitives: forward (optionally adding a residual inside the primitive, as
// a post-op, and applying ReLU after it), backward-data and backward-weights. Channels-last activations are taken
// as they are; for NCHW ones and for weights (OIHW) oneDNN picks its own layout (format_tag::any) and
// the buffers are reordered in and out only when it differs. Primitive descriptors are cached by shape,
// layouts and epilogue; reordered weights by weight array, redone only when the weights change (checked
// by stamp on every call).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "conv_geometry.hpp"
#include "eltwise.hpp"
#include "lru_cache.hpp"
#include "onednn_conv_workarounds.hpp"
#include "onednn_context.hpp"
#include "weights_fingerprint.hpp"
#include "status.hpp"

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct ConvShapes {
    memory::dims src, weights, bias, dst, strides, dilates, pad_l, pad_r;
    bool grouped;
};

ConvShapes shapes_of(const cnn4j::ConvGeometry &g) {
    ConvShapes s;
    s.grouped = g.groups > 1;
    s.src = {g.n, g.c, g.h, g.w};
    s.dst = {g.n, g.k, g.out_h(), g.out_w()};
    s.bias = {g.k};
    s.weights = s.grouped ? memory::dims{g.groups, g.k / g.groups, g.c / g.groups, g.kh, g.kw}
                          : memory::dims{g.k, g.c, g.kh, g.kw};
    s.strides = {g.stride_h, g.stride_w};
    // oneDNN counts the gaps. A dimension of one tap has none whatever its dilation, and is given none: oneDNN
    // 3.11's brgemm forward with a ReLU post-op crashes (SIGSEGV in brgemm_convolution_fwd_t::perform_outwork)
    // on a 1x1 kernel dilated 2 with stride 2 and padding (n=1, c=k=4, 12x1, pad 1: found by the differential
    // fuzz). The same crash has other, undilated shapes with padding on 2 threads, not avoided here.
    s.dilates = {g.kh == 1 ? 0 : g.dilation_h - 1, g.kw == 1 ? 0 : g.dilation_w - 1};
    s.pad_l = {g.pad_top, g.pad_left};
    s.pad_r = {g.pad_bottom, g.pad_right};
    return s;
}

memory::desc activation_md(const memory::dims &d, bool nhwc) { return {d, dt::f32, nhwc ? tag::nhwc : tag::nchw}; }
memory::desc weights_md(const ConvShapes &s) { return {s.weights, dt::f32, s.grouped ? tag::goihw : tag::oihw}; }
memory::desc any_md(const memory::dims &d) { return {d, dt::f32, tag::any}; }

// Every cached primitive takes its scratchpad from the call (add_scratchpad): see onednn_scratchpad.
primitive_attr user_scratchpad() {
    primitive_attr attr;
    attr.set_scratchpad_mode(scratchpad_mode::user);
    return attr;
}

// Weights in the layout a primitive wants, one reorder per weight array (layers of the same shape,
// like ResNet's repeated blocks, each keep their own), redone only when the array's contents changed
// (checked by its stamp on every call: see weights_fingerprint.hpp). At most `slots` arrays per primitive;
// the least recently used goes first. Callers on several threads share entries: each holds a reference to
// the reordered weights it runs with, and a reorder that finds other holders writes a fresh buffer, so a
// call never sees its weights change under it and only the look-up and a reorder hold `lock`.
struct CachedWeights {
    static constexpr size_t slots = 64;
    struct Entry {
        const float *source;
        cnn4j::WeightsStamp stamp;
        std::shared_ptr<memory> reordered;
        unsigned long long last_use;
    };
    std::mutex lock;
    std::vector<Entry> entries;
    unsigned long long clock = 0;
};

// What a call asks of a convolution beyond its shape: the layouts of the activations it hands over,
// and the forward's epilogue. `sum` adds what dst holds before the call (the residual) to the result
// (oneDNN's binary-add post-op would read the residual from its own buffer, but it made ResNet-50's
// residual convolutions 0.1-0.3 ms slower each, more than the copy into dst costs); `relu` then clamps,
// in our own pass over dst rather than oneDNN's eltwise post-op, which maps NaN to 0 (see
// activation_onednn.cpp) where PyTorch keeps it.
struct Variant {
    bool bias = false, sum = false, relu = false, src_nhwc = false, dst_nhwc = false;
};

// The primitive descriptors of one convolution shape and variant, created once.
struct ConvPrimitives {
    convolution_forward::primitive_desc forward;
    convolution_forward forward_prim;
    std::unique_ptr<convolution_backward_data> backward_data;
    convolution_backward_data::primitive_desc backward_data_pd;
    std::unique_ptr<convolution_backward_weights> backward_weights;
    convolution_backward_weights::primitive_desc backward_weights_pd;
    std::mutex lazy;
    CachedWeights forward_weights, backward_data_weights;
};

std::string key_of(const cnn4j::ConvGeometry &g, const Variant &v) {
    std::string k(reinterpret_cast<const char *>(&g), sizeof g);
    k += {v.bias, v.sum, v.relu, v.src_nhwc, v.dst_nhwc};
    return k;
}

// Channels-last buffers are handed to oneDNN as they are: its brgemm kernels read NHWC directly, while
// its blocked layouts cost a reorder of every activation in and out of each call (7.5 ms of
// fmnist-cnn's 80 ms training step). NCHW is left to oneDNN (`any`): its blocked kernels beat its NCHW ones.
memory::desc activations_md(const memory::dims &d, bool nhwc) { return nhwc ? activation_md(d, true) : any_md(d); }

// Primitives by shape, layouts and epilogue (lru_cache.hpp says why a bounded number).
using PrimitiveCache = cnn4j::LruCache<ConvPrimitives, 512>;

std::shared_ptr<ConvPrimitives> make_primitives(const cnn4j::ConvGeometry &g, const Variant &v) {
    const ConvShapes s = shapes_of(g);
    primitive_attr attr = user_scratchpad();
    post_ops ops;
    if (v.sum) ops.append_sum(1.f);
    attr.set_post_ops(ops);
    const bool inference = v.sum || v.relu;
    auto p = std::make_shared<ConvPrimitives>();
    p->forward = convolution_forward::primitive_desc(
        cnn4j::onednn_engine(), inference ? prop_kind::forward_inference : prop_kind::forward_training,
        algorithm::convolution_direct, activations_md(s.src, v.src_nhwc), any_md(s.weights),
        v.bias ? any_md(s.bias) : memory::desc(), activations_md(s.dst, v.dst_nhwc), s.strides, s.dilates, s.pad_l,
        s.pad_r, attr);
    cnn4j::skip_brgemm_where_broken(g, p->forward);  // onednn_conv_workarounds.hpp
    p->forward_prim = convolution_forward(p->forward);
    return p;
}

std::shared_ptr<ConvPrimitives> primitives_for(const cnn4j::ConvGeometry &g, const Variant &v) {
    static PrimitiveCache cache;
    return cache.get(key_of(g, v), [&] { return make_primitives(g, v); });
}

// Copies of activations the calls below made: into or out of oneDNN's own layout, or a residual into dst.
std::atomic<long long> activation_copies{0};

// A user buffer seen through the layout a primitive wants: reordered in before, or out after (counted
// in activation_copies unless it holds weights).
class Bound {
  public:
    Bound(const memory::desc &want, const memory::desc &user_md, void *ptr, bool activation = true)
        : user_(user_md, cnn4j::onednn_engine(), ptr),
          prim_(want == user_md ? user_ : memory(want, cnn4j::onednn_engine())),
          activation_(activation) {}

    memory &in(stream &s) {
        if (prim_ != user_) {
            reorder(user_, prim_).execute(s, user_, prim_);
            activation_copies += activation_;
        }
        return prim_;
    }
    memory &out() { return prim_; }
    void write_back(stream &s) {
        if (prim_ != user_) {
            reorder(prim_, user_).execute(s, prim_, user_);
            activation_copies += activation_;
        }
    }

  private:
    memory user_;
    memory prim_;
    bool activation_;
};

void *mut(const float *p) { return const_cast<float *>(p); }

// oneDNN issue 6035 (open upstream: "1x1 convolution backward_weights writes past the rtus workspace (nhwc,
// IC < ic_block)"). For a strided 1x1 layer, oneDNN's jit 1x1 backward-weights first copies the source to unit
// stride ("rtus") into a workspace of ic_block channels a pixel, but indexes it by IC when the source is
// channels-last, so with fewer channels than a block (16 on AVX-512, 8 on AVX2) it writes past the workspace.
// Seen here with oneDNN 3.11: malloc aborts and SIGSEGVs on 2 threads, gradients off by 15-19 on 1 thread.
// The rule is rtus_prepare's condition (jit_uni_1x1_conv_utils.hpp, alike in the releases read): 1x1, a
// stride above 1, no top or left padding, input sizes exactly stride times the output's (so 28x28 at stride 3
// and padded layers are fine, 27x27 at stride 3 is not, as measured); grouped layers count by channels per
// group, although oneDNN 3.x reduces only ungrouped ones. Forward and backward-data are not affected. Such
// calls run on oneDNN's own blocked layout instead (as NCHW callers do), reordered from NHWC inside the call.
bool hits_onednn_issue_6035(const cnn4j::ConvGeometry &g, bool src_nhwc) {
    return src_nhwc && g.kh == 1 && g.kw == 1 && (g.stride_h > 1 || g.stride_w > 1) && g.pad_top == 0
           && g.pad_left == 0 && (long)g.out_h() * g.stride_h == g.h && (long)g.out_w() * g.stride_w == g.w
           && g.c / g.groups < 16;
}

// The weights as the primitive wants them: the user's buffer itself when the layouts agree, else the
// cached reorder of this array (redone when its contents changed), held for as long as the caller keeps it.
std::shared_ptr<memory> weights_for(CachedWeights &cache, const memory::desc &want, const memory::desc &user,
                                    const float *weights, int64_t frozen_id, stream &st) {
    auto user_mem = std::make_shared<memory>(user, cnn4j::onednn_engine(), mut(weights));
    if (want == user) return user_mem;
    const cnn4j::WeightsStamp stamp = cnn4j::weights_stamp(weights, (long)(user.get_size() / sizeof(float)), frozen_id);
    std::lock_guard<std::mutex> hold(cache.lock);
    auto &entries = cache.entries;
    auto e = std::find_if(entries.begin(), entries.end(), [&](const CachedWeights::Entry &x) { return x.source == weights; });
    bool stale = e == entries.end() || e->stamp != stamp;
    if (e == entries.end()) {
        if (entries.size() < CachedWeights::slots) {
            e = entries.insert(entries.end(), {weights, stamp, nullptr, 0});
        } else {
            e = std::min_element(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.last_use < b.last_use; });
            e->source = weights;
        }
    }
    if (stale) {
        // in place only when no other call holds the buffer (holders are counted under this lock)
        if (!e->reordered || e->reordered.use_count() > 1) e->reordered = std::make_shared<memory>(want, cnn4j::onednn_engine());
        reorder(*user_mem, *e->reordered).execute(st, *user_mem, *e->reordered);
        st.wait();
        e->stamp = stamp;
    }
    e->last_use = ++cache.clock;
    return e->reordered;
}

// oneDNN's scratchpad in the calling thread's buffer (see onednn_scratchpad), for primitives made with user_scratchpad().
void add_scratchpad(std::unordered_map<int, memory> &args, const memory::desc &md) {
    if (md.get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = cnn4j::onednn_scratchpad(md);
}

}  // namespace

extern "C" int cnn4j_conv2d_onednn_forward(const int32_t *conv, int src_nhwc, const float *src, const float *weights,
                                           int64_t frozen_weights_id, const float *bias, int residual_nhwc,
                                           const float *residual, int dst_nhwc, float *dst, int fuse_relu) {
    return cnn4j::guarded("conv2d forward (onednn)", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const ConvShapes s = shapes_of(g);
        Variant v;
        v.bias = bias != nullptr;
        v.sum = residual != nullptr;
        v.relu = fuse_relu != 0;
        v.src_nhwc = src_nhwc != 0;
        v.dst_nhwc = dst_nhwc != 0;
        const std::shared_ptr<ConvPrimitives> held = primitives_for(g, v);
        ConvPrimitives &p = *held;
        stream &st = cnn4j::onednn_stream();
        Bound in(p.forward.src_desc(), activation_md(s.src, src_nhwc), mut(src));
        Bound out(p.forward.dst_desc(), activation_md(s.dst, dst_nhwc), dst);
        // the sum post-op reads the residual from dst: in place already, or copied (and reordered) there
        memory &dst_mem = residual == dst ? out.in(st) : out.out();
        if (residual && residual != dst) {
            memory res(activation_md(s.dst, residual_nhwc), cnn4j::onednn_engine(), mut(residual));
            reorder(res, dst_mem).execute(st, res, dst_mem);
            ++activation_copies;
        }
        const auto w = weights_for(p.forward_weights, p.forward.weights_desc(), weights_md(s), weights, frozen_weights_id, st);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, in.in(st)}, {DNNL_ARG_WEIGHTS, *w}, {DNNL_ARG_DST, dst_mem}};
        if (bias) args[DNNL_ARG_BIAS] = memory(p.forward.bias_desc(), cnn4j::onednn_engine(), mut(bias));
        add_scratchpad(args, p.forward.scratchpad_desc());
        p.forward_prim.execute(st, args);
        out.write_back(st);
        st.wait();
        if (v.relu) cnn4j::eltwise_relu(cnn4j::RELU_FORWARD, 0.f, 0.f, (long)g.n * g.k * g.out_h() * g.out_w(), dst, nullptr, dst);
    });
}

extern "C" int cnn4j_conv2d_onednn_backward_data(const int32_t *conv, int diff_dst_nhwc, const float *diff_dst,
                                                 const float *weights, int64_t frozen_weights_id, int diff_src_nhwc,
                                                 float *diff_src) {
    return cnn4j::guarded("conv2d backward data (onednn)", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const ConvShapes s = shapes_of(g);
        Variant v;
        v.src_nhwc = diff_src_nhwc != 0;
        v.dst_nhwc = diff_dst_nhwc != 0;
        const std::shared_ptr<ConvPrimitives> held = primitives_for(g, v);
        ConvPrimitives &p = *held;
        {
            std::lock_guard<std::mutex> lock(p.lazy);
            if (!p.backward_data) {
                p.backward_data_pd = convolution_backward_data::primitive_desc(
                    cnn4j::onednn_engine(), algorithm::convolution_direct, activations_md(s.src, v.src_nhwc),
                    any_md(s.weights), activations_md(s.dst, v.dst_nhwc), s.strides, s.dilates, s.pad_l, s.pad_r,
                    p.forward, user_scratchpad());
                p.backward_data = std::make_unique<convolution_backward_data>(p.backward_data_pd);
            }
        }
        const auto &pd = p.backward_data_pd;
        stream &st = cnn4j::onednn_stream();
        Bound dd(pd.diff_dst_desc(), activation_md(s.dst, diff_dst_nhwc), mut(diff_dst));
        Bound ds(pd.diff_src_desc(), activation_md(s.src, diff_src_nhwc), diff_src);
        const auto w = weights_for(p.backward_data_weights, pd.weights_desc(), weights_md(s), weights, frozen_weights_id, st);
        std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, dd.in(st)}, {DNNL_ARG_WEIGHTS, *w}, {DNNL_ARG_DIFF_SRC, ds.out()}};
        add_scratchpad(args, pd.scratchpad_desc());
        p.backward_data->execute(st, args);
        ds.write_back(st);
        st.wait();
    });
}

extern "C" int cnn4j_conv2d_onednn_backward_weights(const int32_t *conv, int src_nhwc, const float *src,
                                                    int diff_dst_nhwc, const float *diff_dst, float *diff_weights,
                                                    float *diff_bias) {
    return cnn4j::guarded("conv2d backward weights (onednn)", [&] {
        const auto g = cnn4j::ConvGeometry::from(conv);
        if (!src || !diff_dst || !diff_weights) throw cnn4j::invalid_argument("null buffer");
        const ConvShapes s = shapes_of(g);
        if (g.n == 0) {  // an empty batch contributes nothing
            std::memset(diff_weights, 0, sizeof(float) * (size_t)g.k * (g.c / g.groups) * g.kh * g.kw);
            if (diff_bias) std::memset(diff_bias, 0, sizeof(float) * g.k);
            return;
        }
        // The backward-weights primitive is created with a bias gradient whenever one is asked for.
        Variant v;
        v.bias = diff_bias != nullptr;
        const bool as_given = !hits_onednn_issue_6035(g, src_nhwc != 0);
        v.src_nhwc = as_given && src_nhwc != 0;
        v.dst_nhwc = as_given && diff_dst_nhwc != 0;
        const std::shared_ptr<ConvPrimitives> held = primitives_for(g, v);
        ConvPrimitives &p = *held;
        {
            std::lock_guard<std::mutex> lock(p.lazy);
            if (!p.backward_weights) {
                p.backward_weights_pd = convolution_backward_weights::primitive_desc(
                    cnn4j::onednn_engine(), algorithm::convolution_direct, activations_md(s.src, v.src_nhwc),
                    any_md(s.weights), diff_bias ? any_md(s.bias) : memory::desc(), activations_md(s.dst, v.dst_nhwc),
                    s.strides, s.dilates, s.pad_l, s.pad_r, p.forward, user_scratchpad());
                // a oneDNN that chose channels-last itself would corrupt the heap: refuse instead
                if (!as_given && p.backward_weights_pd.src_desc() == activation_md(s.src, true))
                    throw cnn4j::unimplemented("oneDNN picked a channels-last source for a layer that oneDNN issue "
                                               "6035 corrupts; use another algorithm");
                p.backward_weights = std::make_unique<convolution_backward_weights>(p.backward_weights_pd);
            }
        }
        const auto &pd = p.backward_weights_pd;
        stream &st = cnn4j::onednn_stream();
        Bound in(pd.src_desc(), activation_md(s.src, src_nhwc), mut(src));
        Bound dd(pd.diff_dst_desc(), activation_md(s.dst, diff_dst_nhwc), mut(diff_dst));
        Bound dw(pd.diff_weights_desc(), weights_md(s), diff_weights, false);
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, in.in(st)}, {DNNL_ARG_DIFF_DST, dd.in(st)}, {DNNL_ARG_DIFF_WEIGHTS, dw.out()}};
        if (diff_bias) args[DNNL_ARG_DIFF_BIAS] = memory(pd.diff_bias_desc(), cnn4j::onednn_engine(), diff_bias);
        add_scratchpad(args, pd.scratchpad_desc());
        p.backward_weights->execute(st, args);
        dw.write_back(st);
        st.wait();
    });
}

extern "C" int64_t cnn4j_onednn_activation_copies(void) { return activation_copies.load(); }
