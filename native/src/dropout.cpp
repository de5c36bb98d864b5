// C ABI for dropout's forward pass (its backward is a multiply by the mask, see eltwise.cpp).
#include "dropout.hpp"
#include "isa.hpp"
#include "status.hpp"

extern "C" int cnn4j_dropout_forward(int n, int c, int hw, int nhwc, float p, int64_t seed, const float *src,
                                     float *mask, float *dst) {
    return cnn4j::guarded("dropout forward", [&] {
        if (n < 0 || c < 0 || hw < 0) throw cnn4j::invalid_argument("negative dimension");
        if (!(p >= 0.f && p <= 1.f)) throw cnn4j::invalid_argument("p must be in [0, 1]");
        if (!src || !mask || !dst) throw cnn4j::invalid_argument("null buffer");
        const cnn4j::DropoutPlan d{n, c, hw, nhwc != 0, (uint64_t)seed, p, p >= 1.f ? 0.0 : 1.0 / (1.0 - (double)p)};
        cnn4j::dispatch(&cnn4j::dropout_forward_scalar, &cnn4j::dropout_forward_avx2, &cnn4j::dropout_forward_avx512)(
            d, src, mask, dst);
    });
}
