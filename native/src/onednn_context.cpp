#include "onednn_context.hpp"

#include <cstdlib>
#include <new>

namespace cnn4j {

dnnl::engine &onednn_engine() {
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

// Streams are not thread-safe; each calling (Java) thread gets its own.
dnnl::stream &onednn_stream() {
    thread_local dnnl::stream stream(onednn_engine());
    return stream;
}

dnnl::memory onednn_scratchpad(const dnnl::memory::desc &md) {
    struct Buffer {
        void *data = nullptr;
        size_t size = 0;
        ~Buffer() { std::free(data); }
    };
    thread_local Buffer buffer;
    const size_t need = md.get_size();
    if (need > buffer.size) {
        constexpr size_t page = 4096;  // page-aligned: more than any kernel asks
        const size_t size = (need + page - 1) / page * page;
        void *data = std::aligned_alloc(page, size);
        if (!data) throw std::bad_alloc();
        std::free(buffer.data);
        buffer.data = data;
        buffer.size = size;
    }
    return dnnl::memory(md, onednn_engine(), buffer.data);
}

}  // namespace cnn4j
