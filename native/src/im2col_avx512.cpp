// Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma: 16 floats per vector, mask
// registers for the tails.
#include <immintrin.h>

#include "im2col_walk.hpp"

namespace {

inline __mmask16 tail_mask(int n) { return (__mmask16)((1u << n) - 1u); }

struct Avx512Runs {
    static void zero(float *dst, int n) {
        int i = 0;
        for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, _mm512_setzero_ps());
        if (i < n) _mm512_mask_storeu_ps(dst + i, tail_mask(n - i), _mm512_setzero_ps());
    }
    static void copy(float *dst, const float *src, int n) {
        int i = 0;
        for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, _mm512_loadu_ps(src + i));
        if (i < n) _mm512_mask_storeu_ps(dst + i, tail_mask(n - i), _mm512_maskz_loadu_ps(tail_mask(n - i), src + i));
    }
    static void add(float *dst, const float *src, int n) {
        int i = 0;
        for (; i + 16 <= n; i += 16)
            _mm512_storeu_ps(dst + i, _mm512_add_ps(_mm512_loadu_ps(dst + i), _mm512_loadu_ps(src + i)));
        if (i < n) {
            const __mmask16 m = tail_mask(n - i);
            _mm512_mask_storeu_ps(dst + i, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, dst + i), _mm512_maskz_loadu_ps(m, src + i)));
        }
    }
};

}  // namespace

namespace cnn4j {
void im2col_nhwc_avx512(const Im2colNhwcPlan &p, const float *image, float *rows) {
    im2col_nhwc_walk<Avx512Runs>(p, image, rows);
}
void col2im_nhwc_avx512(const Im2colNhwcPlan &p, const float *rows, float *image) {
    col2im_nhwc_walk<Avx512Runs>(p, rows, image);
}
}  // namespace cnn4j
