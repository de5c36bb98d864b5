#include "onednn_context.hpp"

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

}  // namespace cnn4j
