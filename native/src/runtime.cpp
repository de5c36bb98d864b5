// The thread count every calling thread uses (threads.hpp), and version information for `cnn4j info`.
#include <cblas.h>
#include <dlfcn.h>
#include <omp.h>

#include <oneapi/dnnl/dnnl.h>

#include <atomic>
#include <string>

#include "status.hpp"
#include "threads.hpp"

namespace {
std::atomic<int> chosen_threads{0};  // 0 until cnn4j_set_threads: OpenMP's default
}

namespace cnn4j {

void adopt_thread_count() {
    thread_local int adopted = 0;
    const int chosen = chosen_threads.load(std::memory_order_relaxed);
    if (chosen != adopted && chosen > 0) {
        omp_set_num_threads(chosen);
        adopted = chosen;
    }
}

}  // namespace cnn4j

extern "C" {

int cnn4j_set_threads(int threads) {
    return cnn4j::guarded("set_threads", [&] {
        if (threads <= 0) throw cnn4j::invalid_argument("threads must be > 0, got " + std::to_string(threads));
        chosen_threads.store(threads);
        cnn4j::adopt_thread_count();
        openblas_set_num_threads(1);  // OpenBLAS runs inside our OpenMP threads (see gemm.hpp)
    });
}

int cnn4j_threads(void) {
    cnn4j::adopt_thread_count();
    return omp_get_max_threads();
}

const char *cnn4j_onednn_version(void) {
    static const std::string text = [] {
        const dnnl_version_t *v = dnnl_version();
        return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch)
               + " (commit " + v->hash + ", cpu runtime " + (v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other")
               + ")";
    }();
    return text.c_str();
}

const char *cnn4j_openblas_config(void) { return openblas_get_config(); }

const char *cnn4j_openmp_runtime(void) {
    static const std::string path = [] {
        Dl_info info{};
        if (dladdr(reinterpret_cast<void *>(&omp_get_max_threads), &info) && info.dli_fname) {
            return std::string(info.dli_fname);
        }
        return std::string("unknown");
    }();
    return path.c_str();
}
}
