// Concatenation along channels and its backward (a split), one input at a time: each call copies a
// tensor's channels into (or out of) the channel range [c0, c0 + c) of a wider one. NCHW moves one
// block of c*H*W floats per image, NHWC one run of c floats per pixel; both in memcpy runs.
#include <cstring>

#include "status.hpp"

extern "C" int cnn4j_copy_channels(int n, int hw, int nhwc, int c, int wide_c, int c0, int into_wide, const float *src,
                                   float *dst) {
    return cnn4j::guarded("copy channels", [&] {
        if (n < 0 || hw <= 0 || c < 0 || c0 < 0 || c0 + (long)c > wide_c) throw cnn4j::invalid_argument("bad shape");
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        // A run is `run` floats at `narrow_stride` in the narrow tensor and `wide_stride` in the wide one.
        const long runs = nhwc ? (long)n * hw : n;
        const long run = nhwc ? c : (long)c * hw;
        const long narrow_stride = run, wide_stride = nhwc ? wide_c : (long)wide_c * hw;
        const long offset = nhwc ? c0 : (long)c0 * hw;
#pragma omp parallel for schedule(static)
        for (long r = 0; r < runs; ++r) {
            if (into_wide) {
                std::memcpy(dst + r * wide_stride + offset, src + r * narrow_stride, sizeof(float) * run);
            } else {
                std::memcpy(dst + r * narrow_stride, src + r * wide_stride + offset, sizeof(float) * run);
            }
        }
    });
}
