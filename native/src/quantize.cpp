// f32 <-> int8 conversions with a per-tensor scale, q = saturate(round_half_even(x / scale)) and x = q * scale,
// element-wise (the layout is the caller's). Our own loop rather than a oneDNN reorder, so that the rounding
// (x / scale in float, then nearbyint in the default round-to-nearest-even mode) is exactly the reference's.
// NaN has no int8 value: quantising one is an error, never a silent 0.
#include <cmath>
#include <cstdint>
#include <string>

#include "quantized_types.hpp"

namespace {

template <typename Q>
long long quantize(int64_t count, const float *src, float scale, Q *dst, float lo, float hi) {
    long long nans = 0;
#pragma omp parallel for reduction(+ : nans)
    for (int64_t i = 0; i < count; ++i) {
        const float x = src[i];
        if (std::isnan(x)) {
            ++nans;
            dst[i] = 0;
            continue;
        }
        const float q = std::nearbyint(x / scale);
        dst[i] = (Q)(q < lo ? lo : q > hi ? hi : q);
    }
    return nans;
}

template <typename Q>
void dequantize(int64_t count, const Q *src, float scale, float *dst) {
#pragma omp parallel for
    for (int64_t i = 0; i < count; ++i) dst[i] = (float)src[i] * scale;
}

}  // namespace

extern "C" int cnn4j_quantize(int64_t count, const float *src, float scale, int dst_type, void *dst) {
    return cnn4j::guarded("quantize", [&] {
        if (count < 0) throw cnn4j::invalid_argument("negative count " + std::to_string(count));
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        cnn4j::check_scale(scale, "scale");
        long long nans;
        if (dst_type == CNN4J_QTYPE_S8) nans = quantize(count, src, scale, static_cast<int8_t *>(dst), -128.f, 127.f);
        else if (dst_type == CNN4J_QTYPE_U8) nans = quantize(count, src, scale, static_cast<uint8_t *>(dst), 0.f, 255.f);
        else throw cnn4j::invalid_argument("dst must be s8 or u8, got type " + std::to_string(dst_type));
        if (nans > 0) throw cnn4j::invalid_argument("input holds " + std::to_string(nans) + " NaN values, which have no int8 value");
    });
}

extern "C" int cnn4j_dequantize(int64_t count, int src_type, const void *src, float scale, float *dst) {
    return cnn4j::guarded("dequantize", [&] {
        if (count < 0) throw cnn4j::invalid_argument("negative count " + std::to_string(count));
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        cnn4j::check_scale(scale, "scale");
        if (src_type == CNN4J_QTYPE_S8) dequantize(count, static_cast<const int8_t *>(src), scale, dst);
        else if (src_type == CNN4J_QTYPE_U8) dequantize(count, static_cast<const uint8_t *>(src), scale, dst);
        else throw cnn4j::invalid_argument("src must be s8 or u8, got type " + std::to_string(src_type));
    });
}
