#include "isa.hpp"

#include <atomic>

namespace {

cnn4j_isa detect() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma")) {
        return CNN4J_ISA_AVX512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        return CNN4J_ISA_AVX2;
    }
    return CNN4J_ISA_SCALAR;
}

std::atomic<int> requested{CNN4J_ISA_AVX512};

}  // namespace

namespace cnn4j {

cnn4j_isa supported_isa() {
    static const cnn4j_isa isa = detect();
    return isa;
}

cnn4j_isa active_isa() {
    int r = requested.load(std::memory_order_relaxed);
    return static_cast<cnn4j_isa>(r < supported_isa() ? r : supported_isa());
}

}  // namespace cnn4j

extern "C" {
int cnn4j_supported_isa(void) { return cnn4j::supported_isa(); }
int cnn4j_active_isa(void) { return cnn4j::active_isa(); }
int cnn4j_set_isa(int isa) {
    requested.store(isa < CNN4J_ISA_SCALAR ? CNN4J_ISA_SCALAR : isa > CNN4J_ISA_AVX512 ? CNN4J_ISA_AVX512 : isa);
    return cnn4j::active_isa();
}
}
