// The one oneDNN CPU engine the library uses, each calling thread's stream, and its scratchpad.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace cnn4j {

dnnl::engine &onednn_engine();
dnnl::stream &onednn_stream();

// The scratchpad for one execution of a primitive created with scratchpad_mode::user, in a buffer of the
// calling thread (grown as needed). Primitives cached across calls run on whichever Java thread calls,
// several at once; oneDNN's own ("library") scratchpad is shared by all executions of a primitive (built
// with DNNL_ENABLE_CONCURRENT_EXEC) or belongs to the thread that created it (without), and either way two
// threads would write the same scratchpad: wrong weight gradients, as NativeConcurrencyTest showed.
dnnl::memory onednn_scratchpad(const dnnl::memory::desc &md);

}  // namespace cnn4j
