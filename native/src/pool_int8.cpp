// Max pooling of s8/u8 channels-last activations: exact on quantised values (the maximum of q * scale is
// the maximum of q), so the output keeps the input's type and scale. Windows clipped to the input as the f32
// kernels do (padding never wins). Average pooling is left to f32 (dequantised around it).
#include <algorithm>
#include <cstdint>
#include <string>

#include "quantized_types.hpp"

namespace {

template <typename Q>
void max_pool(const int32_t *f, const Q *src, Q *dst) {
    const long n = f[CNN4J_POOL_N], c = f[CNN4J_POOL_C], h = f[CNN4J_POOL_H], w = f[CNN4J_POOL_W];
    const long kh = f[CNN4J_POOL_KH], kw = f[CNN4J_POOL_KW], sh = f[CNN4J_POOL_STRIDE_H], sw = f[CNN4J_POOL_STRIDE_W];
    const long ph = f[CNN4J_POOL_PAD_H], pw = f[CNN4J_POOL_PAD_W], oh = f[CNN4J_POOL_OUT_H], ow = f[CNN4J_POOL_OUT_W];
#pragma omp parallel for collapse(2)
    for (long i = 0; i < n; ++i) {
        for (long y = 0; y < oh; ++y) {
            const long y0 = std::max(0L, y * sh - ph), y1 = std::min(h, y * sh - ph + kh);
            for (long x = 0; x < ow; ++x) {
                const long x0 = std::max(0L, x * sw - pw), x1 = std::min(w, x * sw - pw + kw);
                Q *out = dst + ((i * oh + y) * ow + x) * c;
                for (long k = 0; k < c; ++k) out[k] = src[((i * h + y0) * w + x0) * c + k];
                for (long yy = y0; yy < y1; ++yy) {
                    for (long xx = x0; xx < x1; ++xx) {
                        const Q *in = src + ((i * h + yy) * w + xx) * c;
                        for (long k = 0; k < c; ++k) out[k] = in[k] > out[k] ? in[k] : out[k];
                    }
                }
            }
        }
    }
}

}  // namespace

extern "C" int cnn4j_max_pool2d_int8_forward(const int32_t *pool, int type, const void *src, void *dst) {
    return cnn4j::guarded("int8 max pool2d forward", [&] {
        if (!pool) throw cnn4j::invalid_argument("null geometry");
        for (int i = 0; i < CNN4J_POOL_FIELDS; ++i) {
            if (pool[i] < 0) throw cnn4j::invalid_argument("negative geometry field " + std::to_string(i));
        }
        if (pool[CNN4J_POOL_AVERAGE]) throw cnn4j::invalid_argument("average pooling is not quantised");
        if (pool[CNN4J_POOL_C] == 0 || pool[CNN4J_POOL_H] == 0 || pool[CNN4J_POOL_W] == 0 || pool[CNN4J_POOL_KH] == 0
            || pool[CNN4J_POOL_KW] == 0 || pool[CNN4J_POOL_STRIDE_H] == 0 || pool[CNN4J_POOL_STRIDE_W] == 0
            || pool[CNN4J_POOL_OUT_H] == 0 || pool[CNN4J_POOL_OUT_W] == 0)
            throw cnn4j::invalid_argument("zero size in geometry");
        if (2L * pool[CNN4J_POOL_PAD_H] > pool[CNN4J_POOL_KH] || 2L * pool[CNN4J_POOL_PAD_W] > pool[CNN4J_POOL_KW])
            throw cnn4j::invalid_argument("padding over half the kernel");
        // every window must start inside the input (so it holds at least one element: padding <= kernel / 2)
        if ((long)(pool[CNN4J_POOL_OUT_H] - 1) * pool[CNN4J_POOL_STRIDE_H] >= (long)pool[CNN4J_POOL_H] + pool[CNN4J_POOL_PAD_H]
            || (long)(pool[CNN4J_POOL_OUT_W] - 1) * pool[CNN4J_POOL_STRIDE_W] >= (long)pool[CNN4J_POOL_W] + pool[CNN4J_POOL_PAD_W])
            throw cnn4j::invalid_argument("output size does not fit the input");
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        if (type == CNN4J_QTYPE_S8) max_pool(pool, static_cast<const int8_t *>(src), static_cast<int8_t *>(dst));
        else if (type == CNN4J_QTYPE_U8) max_pool(pool, static_cast<const uint8_t *>(src), static_cast<uint8_t *>(dst));
        else throw cnn4j::invalid_argument("type must be s8 or u8, got " + std::to_string(type));
    });
}
