#include "im2col_walk.hpp"

namespace {

struct ScalarRuns {
    static void zero(float *dst, int n) {
        for (int i = 0; i < n; ++i) dst[i] = 0.f;
    }
    static void copy(float *dst, const float *src, int n) {
        for (int i = 0; i < n; ++i) dst[i] = src[i];
    }
    static void add(float *dst, const float *src, int n) {
        for (int i = 0; i < n; ++i) dst[i] += src[i];
    }
};

}  // namespace

namespace cnn4j {
void im2col_nhwc_scalar(const Im2colNhwcPlan &p, const float *image, float *rows) {
    im2col_nhwc_walk<ScalarRuns>(p, image, rows);
}
void col2im_nhwc_scalar(const Im2colNhwcPlan &p, const float *rows, float *image) {
    col2im_nhwc_walk<ScalarRuns>(p, rows, image);
}
}  // namespace cnn4j
