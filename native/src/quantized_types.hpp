// Data types of the quantised and bf16 C entry points (cnn4j_qtype) as oneDNN's, and the caches their
// oneDNN primitives share: primitives by shape and variant, reordered weights by frozen id.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

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
