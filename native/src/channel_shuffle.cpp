// ShuffleNet's channel shuffle: channel i * (C / g) + j moves to j * g + i (a reshape to [g, C / g],
// a transpose, and back), and its backward, the shuffle with C / g groups. NCHW copies whole planes,
// NHWC gathers each pixel's channels.
#include <cstring>

#include "status.hpp"

extern "C" int cnn4j_channel_shuffle(int n, int c, int hw, int nhwc, int groups, const float *src, float *dst) {
    return cnn4j::guarded("channel shuffle", [&] {
        if (n < 0 || c <= 0 || hw <= 0 || groups <= 0 || c % groups != 0) throw cnn4j::invalid_argument("bad shape");
        if (!src || !dst || src == dst) throw cnn4j::invalid_argument("null or aliased buffer");
        const int per = c / groups;
        if (!nhwc) {
#pragma omp parallel for collapse(2) schedule(static)
            for (long image = 0; image < n; ++image) {
                for (int to = 0; to < c; ++to) {
                    const int from = to % groups * per + to / groups;
                    std::memcpy(dst + (image * c + to) * (long)hw, src + (image * c + from) * (long)hw, sizeof(float) * hw);
                }
            }
            return;
        }
#pragma omp parallel for schedule(static)
        for (long pixel = 0; pixel < (long)n * hw; ++pixel) {
            const float *in = src + pixel * c;
            float *out = dst + pixel * c;
            for (int to = 0; to < c; ++to) out[to] = in[to % groups * per + to / groups];
        }
    });
}
