// C ABI: how many floats of a buffer are NaN or infinite (the trainer's check of a step's gradients before
// the update). An all-ones exponent is the test, in integers, which the compiler vectorises.
#include <cstdint>
#include <cstring>

#include "status.hpp"

extern "C" int cnn4j_count_nonfinite(int64_t count, const float *x, long long *result) {
    return cnn4j::guarded("count non-finite", [&] {
        if (count < 0) throw cnn4j::invalid_argument("negative element count");
        if (!x || !result) throw cnn4j::invalid_argument("null buffer");
        int64_t bad = 0;
#pragma omp parallel for reduction(+ : bad) schedule(static) if (count > (1 << 16))
        for (int64_t i = 0; i < count; ++i) {
            uint32_t bits;
            std::memcpy(&bits, x + i, sizeof bits);
            bad += (bits & 0x7f800000u) == 0x7f800000u;
        }
        *result = bad;
    });
}
