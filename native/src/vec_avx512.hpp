// 16-lane float vectors for the *_avx512.cpp kernels; tails use mask registers. Include only from
// files compiled with the AVX-512 flags: the anonymous namespace gives each one its own copy, so no
// AVX-512 code is ever shared with (and picked by the linker for) baseline code.
#pragma once

// GCC 12 flags the _mm512_undefined_ps() inside its own intrinsics as maybe-uninitialised once they
// are inlined into OpenMP regions; the value is never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>

namespace {

struct Avx512Vec {
    using reg = __m512;
    static constexpr int width = 16;

    static __mmask16 first(int n) { return (__mmask16)((1u << n) - 1u); }
    static reg load(const float *p) { return _mm512_loadu_ps(p); }
    static reg load(const float *p, int n) { return _mm512_maskz_loadu_ps(first(n), p); }
    static void store(float *p, reg v) { _mm512_storeu_ps(p, v); }
    static void store(float *p, reg v, int n) { _mm512_mask_storeu_ps(p, first(n), v); }
    // Small non-negative integers (window positions) kept as one byte each.
    static reg load_bytes(const uint8_t *p, int n) { return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(first(n), p))); }
    static void store_bytes(uint8_t *p, reg v, int n) { _mm_mask_storeu_epi8(p, first(n), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v))); }
    static reg set1(float x) { return _mm512_set1_ps(x); }
    static reg zero() { return _mm512_setzero_ps(); }
    static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
    static reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
    static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
    static reg div(reg a, reg b) { return _mm512_div_ps(a, b); }
    static reg fmadd(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
    static reg sqrt(reg a) { return _mm512_sqrt_ps(a); }
    // a > b ? a : b, as VMAXPS: b when either is NaN, so max(zero(), x) keeps a NaN x (PyTorch's ReLU)
    static reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
    // a > b ? x : y, lane by lane
    static reg select_gt(reg a, reg b, reg x, reg y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ), y, x); }
    // a > b or a is NaN ? x : y: PyTorch's max-pooling step, where a NaN wins over everything before it
    static reg select_gt_or_nan(reg a, reg b, reg x, reg y) {
        return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ) | _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), y, x);
    }
    // a <= b ? x : y, lane by lane (false for NaN)
    static reg select_le(reg a, reg b, reg x, reg y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LE_OQ), y, x); }
    // a == b ? x : 0, lane by lane
    static reg where_equal(reg a, float b, reg x) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(a, _mm512_set1_ps(b), _CMP_EQ_OQ), x); }
    static float sum(reg a) {  // by shuffles: GCC 12's _mm512_reduce_add_ps trips -Wmaybe-uninitialized
        const __m512 halves = _mm512_add_ps(a, _mm512_shuffle_f32x4(a, a, 0x4E));
        const __m512 quarters = _mm512_add_ps(halves, _mm512_shuffle_f32x4(halves, halves, 0xB1));
        const __m128 q = _mm512_castps512_ps128(quarters);
        const __m128 pair = _mm_add_ps(q, _mm_movehl_ps(q, q));
        return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
    }
};

}  // namespace
