// Run-time choice of instruction set: kernels are compiled once per ISA and picked here.
#pragma once

#include "cnn4j/cnn4j.h"

namespace cnn4j {

cnn4j_isa supported_isa();
cnn4j_isa active_isa();

// Picks the kernel for the active ISA from the per-ISA implementations.
template <typename Fn>
Fn dispatch(Fn scalar, Fn avx2, Fn avx512) {
    switch (active_isa()) {
        case CNN4J_ISA_AVX512: return avx512;
        case CNN4J_ISA_AVX2: return avx2;
        default: return scalar;
    }
}

}  // namespace cnn4j
