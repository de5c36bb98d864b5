// Compiled with -mavx2 -mfma: 8 floats per vector, masked loads/stores for the tails.
#include <immintrin.h>

#include "im2col_walk.hpp"

namespace {

inline __m256i tail_mask(int n) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lanes);
}

struct Avx2Runs {
    static void zero(float *dst, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_setzero_ps());
        if (i < n) _mm256_maskstore_ps(dst + i, tail_mask(n - i), _mm256_setzero_ps());
    }
    static void copy(float *dst, const float *src, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_loadu_ps(src + i));
        if (i < n) {
            const __m256i m = tail_mask(n - i);
            _mm256_maskstore_ps(dst + i, m, _mm256_maskload_ps(src + i, m));
        }
    }
    static void add(float *dst, const float *src, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_add_ps(_mm256_loadu_ps(dst + i), _mm256_loadu_ps(src + i)));
        for (; i < n; ++i) dst[i] += src[i];
    }
};

}  // namespace

namespace cnn4j {
void im2col_nhwc_avx2(const Im2colNhwcPlan &p, const float *image, float *rows) {
    im2col_nhwc_walk<Avx2Runs>(p, image, rows);
}
void col2im_nhwc_avx2(const Im2colNhwcPlan &p, const float *rows, float *image) {
    col2im_nhwc_walk<Avx2Runs>(p, rows, image);
}
}  // namespace cnn4j
