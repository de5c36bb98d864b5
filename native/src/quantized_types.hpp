// Data types of the quantised and bf16 C entry points (cnn4j_qtype) as oneDNN's, and the caches their
// oneDNN primitives share: primitives by shape and variant, reordered weights by frozen id.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "cnn4j/cnn4j.h"
#include "lru_cache.hpp"
#include "onednn_context.hpp"
#include "status.hpp"

namespace cnn4j {

inline dnnl::memory::data_type onednn_type(int qtype, const char *what) {
    switch (qtype) {
        case CNN4J_QTYPE_S8: return dnnl::memory::data_type::s8;
        case CNN4J_QTYPE_U8: return dnnl::memory::data_type::u8;
        case CNN4J_QTYPE_F32: return dnnl::memory::data_type::f32;
        case CNN4J_QTYPE_BF16: return dnnl::memory::data_type::bf16;
        default: throw invalid_argument(std::string(what) + ": unknown data type " + std::to_string(qtype));
    }
}

inline bool is_int8(int qtype) { return qtype == CNN4J_QTYPE_S8 || qtype == CNN4J_QTYPE_U8; }

// A scale must be a positive finite number: a zero or NaN one would silently give zeros or garbage.
inline void check_scale(float s, const char *what) {
    if (!(s > 0.f) || s > 3.4e38f) throw invalid_argument(std::string(what) + " must be positive and finite, got " + std::to_string(s));
}

// The f32 -> bf16 rounding of a bf16 op's source: the reorder primitive made once with the op's, into a buffer of
// the calling thread (grown as needed) instead of a reorder created and a buffer allocated on every call. A thread
// runs one op at a time, and the op reads the rounded source before the thread's next one. The reorder takes its
// scratchpad from the call, as every cached primitive does (onednn_context.hpp says why).
class Bf16Source {
  public:
    Bf16Source() = default;
    Bf16Source(const dnnl::memory::desc &f32, const dnnl::memory::desc &bf16) : f32_(f32), bf16_(bf16) {
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        pd_ = dnnl::reorder::primitive_desc(onednn_engine(), f32, onednn_engine(), bf16, attr);
        to_bf16_ = dnnl::reorder(pd_);
    }

    dnnl::memory round(const float *src, dnnl::stream &st) const {
        thread_local std::vector<char> buffer;
        if (buffer.size() < bf16_.get_size()) buffer.resize(bf16_.get_size());
        dnnl::memory in(f32_, onednn_engine(), const_cast<float *>(src)), out(bf16_, onednn_engine(), buffer.data());
        std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_FROM, in}, {DNNL_ARG_TO, out}};
        if (pd_.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = onednn_scratchpad(pd_.scratchpad_desc());
        to_bf16_.execute(st, args);
        return out;
    }

  private:
    dnnl::memory::desc f32_, bf16_;
    dnnl::reorder::primitive_desc pd_;
    dnnl::reorder to_bf16_;
};

// The quantised ops' primitives: the least recently used of 256 shapes and variants dropped first.
template <typename Primitives>
using LruPrimitives = LruCache<Primitives, 256>;

// Weights reordered into the layout a primitive wants, once per frozen weight id (quantised and bf16 weights are
// made once and never written again, so the id alone says whether an entry is current). At most `slots` ids per
// primitive, the least recently used replaced first; a caller holds the buffer it runs with.
class FrozenWeights {
  public:
    static constexpr size_t slots = 64;

    std::shared_ptr<dnnl::memory> get(int64_t id, const dnnl::memory::desc &want, const dnnl::memory::desc &user,
                                      const void *weights, dnnl::stream &st) {
        std::lock_guard<std::mutex> hold(lock_);
        auto it = entries_.find(id);
        if (it != entries_.end()) {
            it->second.last_use = ++clock_;
            return it->second.reordered;
        }
        if (entries_.size() >= slots) {
            auto oldest = entries_.begin();
            for (auto e = entries_.begin(); e != entries_.end(); ++e) {
                if (e->second.last_use < oldest->second.last_use) oldest = e;
            }
            entries_.erase(oldest);
        }
        dnnl::memory src(user, onednn_engine(), const_cast<void *>(weights));
        auto dst = std::make_shared<dnnl::memory>(want, onednn_engine());
        dnnl::reorder(src, *dst).execute(st, src, *dst);
        st.wait();
        entries_[id] = {dst, ++clock_};
        return dst;
    }

  private:
    struct Entry {
        std::shared_ptr<dnnl::memory> reordered;
        unsigned long long last_use;
    };
    std::mutex lock_;
    std::unordered_map<int64_t, Entry> entries_;
    unsigned long long clock_ = 0;
};

// A one-element f32 memory holding a per-tensor scale, for DNNL_ARG_ATTR_SCALES.
inline dnnl::memory scale_memory(const float *scale, dnnl::memory::dim count = 1) {
    return dnnl::memory({{count}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x}, onednn_engine(),
                        const_cast<float *>(scale));
}

}  // namespace cnn4j
