// 8-lane float vectors for the *_avx2.cpp kernels; tails use maskload/maskstore. Include only from
// files compiled with the AVX2 flags (see vec_avx512.hpp for why the namespace is anonymous).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace {

struct Avx2Vec {
    using reg = __m256;
    static constexpr int width = 8;

    static __m256i first(int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
    static reg load(const float *p) { return _mm256_loadu_ps(p); }
    // Masked moves only for a partial vector: AMD's VMASKMOVPS store is microcoded, several times slower
    // than a plain one (the max-pool backward at 28x28x32 ran 8x its AVX-512 time).
    static reg load(const float *p, int n) { return n == width ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, first(n)); }
    static void store(float *p, reg v) { _mm256_storeu_ps(p, v); }
    static void store(float *p, reg v, int n) {
        if (n == width) _mm256_storeu_ps(p, v);
        else _mm256_maskstore_ps(p, first(n), v);
    }
    // Small non-negative integers (window positions) kept as one byte each; AVX2 has no byte masks, so a
    // partial vector goes through a scalar loop.
    static reg load_bytes(const uint8_t *p, int n) {
        if (n == width) return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
        alignas(32) float t[width] = {};
        for (int i = 0; i < n; ++i) t[i] = p[i];
        return _mm256_load_ps(t);
    }
    static void store_bytes(uint8_t *p, reg v, int n) {
        if (n == width) {  // 8 int32 -> 8 bytes: pack to 16-bit, then to 8-bit (values are below 256)
            const __m256i i32 = _mm256_cvttps_epi32(v);
            const __m128i i16 = _mm_packus_epi32(_mm256_castsi256_si128(i32), _mm256_extracti128_si256(i32, 1));
            _mm_storel_epi64((__m128i *)p, _mm_packus_epi16(i16, i16));
            return;
        }
        alignas(32) float t[width];
        _mm256_store_ps(t, v);
        for (int i = 0; i < n; ++i) p[i] = (uint8_t)t[i];
    }
    static reg set1(float x) { return _mm256_set1_ps(x); }
    static reg zero() { return _mm256_setzero_ps(); }
    static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
    static reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
    static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
    static reg div(reg a, reg b) { return _mm256_div_ps(a, b); }
    static reg fmadd(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
    static reg sqrt(reg a) { return _mm256_sqrt_ps(a); }
    // a > b ? a : b, as VMAXPS: b when either is NaN (see vec_avx512.hpp)
    static reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
    static reg select_gt(reg a, reg b, reg x, reg y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
    static reg select_gt_or_nan(reg a, reg b, reg x, reg y) {
        return _mm256_blendv_ps(y, x, _mm256_or_ps(_mm256_cmp_ps(a, b, _CMP_GT_OQ), _mm256_cmp_ps(a, a, _CMP_UNORD_Q)));
    }
    static reg select_le(reg a, reg b, reg x, reg y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LE_OQ)); }
    // a == b ? x : 0, lane by lane
    static reg where_equal(reg a, float b, reg x) { return _mm256_and_ps(_mm256_cmp_ps(a, _mm256_set1_ps(b), _CMP_EQ_OQ), x); }
    static float sum(reg a) {
        const __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
        const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
        return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
    }
};

}  // namespace
