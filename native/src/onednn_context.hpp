// The one oneDNN CPU engine and stream the library uses.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace cnn4j {

dnnl::engine &onednn_engine();
dnnl::stream &onednn_stream();

}  // namespace cnn4j
