// The loops shared by every ISA's pooling kernels, vectorised across channels. `V` is the ISA's
// vector type (vec_<isa>.hpp) from that file's anonymous namespace, so no instantiation is shared
// across ISAs; helpers that do not use it are templates on it all the same, so that the linker never
// hands baseline code a copy compiled with AVX-512.
#pragma once

#include <cstdint>
#include <vector>

#include "pooling.hpp"

namespace cnn4j {

// The input rows [h0, h1) and columns [w0, w1) a window reads, and its average-pooling divisor
// (PyTorch's: the window clipped to the padded input, or to the real input without count_include_pad).
struct PoolWindow {
    int h0, h1, w0, w1;
    float divisor;
};

template <typename V>
inline PoolWindow pool_window(const PoolPlan &p, int oh, int ow) {
    // in long: a window may reach past 2^31-1 (a huge kernel over a large input); its clipped ends fit an int
    const long hs = (long)oh * p.stride_h - p.pad_h, ws = (long)ow * p.stride_w - p.pad_w;
    const long he = hs + p.kh < (long)p.h + p.pad_h ? hs + p.kh : (long)p.h + p.pad_h;
    const long we = ws + p.kw < (long)p.w + p.pad_w ? ws + p.kw : (long)p.w + p.pad_w;
    PoolWindow win{hs > 0 ? (int)hs : 0, he < p.h ? (int)he : p.h, ws > 0 ? (int)ws : 0, we < p.w ? (int)we : p.w, 1.f};
    const long count = p.count_include_pad ? (he - hs) * (we - ws) : (long)(win.h1 - win.h0) * (win.w1 - win.w0);
    win.divisor = count > 0 ? (float)count : 1.f;
    return win;
}

// Per lane, the position (row-major in the window clipped to the input) of the window's first maximum,
// and in `best` that maximum: a strict comparison keeps the first of equal values. As in PyTorch's
// max pooling (`val > maxval || isnan(val)`), a NaN beats everything before it, so a window with NaN
// gives its last NaN and the gradient goes there. An empty window gives position 0 and -infinity.
template <typename V>
inline typename V::reg window_argmax(const PoolPlan &p, const float *img, const PoolWindow &win, int c, int n,
                                     typename V::reg &best) {
    best = V::set1(-__builtin_inff());
    if (win.h0 >= win.h1 || win.w0 >= win.w1) return V::zero();
    best = V::load(img + ((long)win.h0 * p.w + win.w0) * p.channels + c, n);
    typename V::reg where = V::zero(), k = V::zero();
    const typename V::reg one = V::set1(1.f);
    for (int i = win.h0; i < win.h1; ++i) {
        for (int j = win.w0; j < win.w1; ++j, k = V::add(k, one)) {
            const typename V::reg v = V::load(img + ((long)i * p.w + j) * p.channels + c, n);
            where = V::select_gt_or_nan(v, best, k, where);
            best = V::select_gt_or_nan(v, best, v, best);
        }
    }
    return where;
}

// Max pooling 2x2 stride 2 without padding whose windows all lie inside the input (ceil mode's last
// window may hang over the edge).
template <typename V>
inline bool is_max_2x2_inside(const PoolPlan &p) {
    return !p.average && p.kh == 2 && p.kw == 2 && p.stride_h == 2 && p.stride_w == 2 && p.pad_h == 0 && p.pad_w == 0 &&
           2 * p.out_h <= p.h && 2 * p.out_w <= p.w;
}

// Windows that tile the input exactly: stride = kernel, no padding, the input a whole number of windows.
template <typename V>
inline bool windows_tile_input(const PoolPlan &p) {
    return p.pad_h == 0 && p.pad_w == 0 && p.stride_h == p.kh && p.stride_w == p.kw && p.h == p.out_h * p.kh &&
           p.w == p.out_w * p.kw;
}

// is_max_2x2_inside (the CNNs' pooling): four loads at fixed offsets, unrolled, in the generic walk's
// order of operations (so the same results, ties and NaNs included).
template <typename V>
void max_pool_2x2_forward_walk(const PoolPlan &p, const float *x, float *y, uint8_t *argmax) {
    using reg = typename V::reg;
    const long rows = p.images * p.out_h;
    const int C = p.channels;
    const long image_size = (long)p.h * p.w * C, in_row = (long)p.w * C;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < rows; ++r) {
        const float *top = x + r / p.out_h * image_size + 2 * (r % p.out_h) * in_row;
        for (int ow = 0; ow < p.out_w; ++ow) {
            const float *window = top + 2L * ow * C;
            const long at = (r * p.out_w + ow) * C;
            for (int c = 0; c < C; c += V::width) {
                const int n = C - c < V::width ? C - c : V::width;
                const reg v[4] = {V::load(window + c, n), V::load(window + C + c, n), V::load(window + in_row + c, n),
                                  V::load(window + in_row + C + c, n)};
                reg best = v[0], where = V::zero();
                for (int k = 1; k < 4; ++k) {
                    if (argmax) where = V::select_gt_or_nan(v[k], best, V::set1((float)k), where);
                    best = V::select_gt_or_nan(v[k], best, v[k], best);
                }
                if (!argmax) {
                    V::store(y + at + c, best, n);
                    continue;
                }
                V::store(y + at + c, best, n);
                V::store_bytes(argmax + at + c, where, n);
            }
        }
    }
}

template <typename V>
void pool_forward_walk(const PoolPlan &p, const float *x, float *y, uint8_t *argmax) {
    if (is_max_2x2_inside<V>(p)) {
        max_pool_2x2_forward_walk<V>(p, x, y, argmax);
        return;
    }
    const long rows = p.images * p.out_h;
    const long image_size = (long)p.h * p.w * p.channels;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < rows; ++r) {
        const float *img = x + r / p.out_h * image_size;
        const int oh = (int)(r % p.out_h);
        for (int ow = 0; ow < p.out_w; ++ow) {
            const PoolWindow win = pool_window<V>(p, oh, ow);
            const long at = (r * p.out_w + ow) * p.channels;
            for (int c = 0; c < p.channels; c += V::width) {
                const int n = p.channels - c < V::width ? p.channels - c : V::width;
                if (argmax) {  // one pass finds the maximum and where it is
                    typename V::reg best;
                    const typename V::reg where = window_argmax<V>(p, img, win, c, n, best);
                    V::store(y + at + c, best, n);
                    V::store_bytes(argmax + at + c, where, n);
                    continue;
                }
                typename V::reg acc = p.average ? V::zero() : V::set1(-__builtin_inff());
                for (int i = win.h0; i < win.h1; ++i) {
                    for (int j = win.w0; j < win.w1; ++j) {
                        const typename V::reg v = V::load(img + ((long)i * p.w + j) * p.channels + c, n);
                        acc = p.average ? V::add(acc, v) : V::select_gt_or_nan(v, acc, v, acc);
                    }
                }
                V::store(y + at + c, p.average ? V::div(acc, V::set1(win.divisor)) : acc, n);
            }
        }
    }
}

// Whether input row (or column) i lies in some window of a pooling with this kernel, stride and padding.
template <typename V>
inline std::vector<char> pool_coverage(int size, int out, int kernel, int stride, int pad) {
    std::vector<char> covered(size, 0);
    for (int o = 0; o < out; ++o) {
        for (long i = (long)o * stride - pad; i < (long)o * stride - pad + kernel; ++i) {
            if (i >= 0 && i < size) covered[i] = 1;
        }
    }
    return covered;
}

// Max-pool backward from argmax when the windows tile the input exactly (2x2 stride 2 on even sizes):
// every input pixel belongs to one window, so the gradient is written row by row, each value the
// window's gradient where its argmax points there and zero elsewhere; a window's bytes and gradient are
// loaded once per input row it covers (from L1 after the first).
template <typename V>
void pool_backward_tiled_walk(const PoolPlan &p, const uint8_t *argmax, const float *gy, float *gx) {
    const long rows = p.images * p.h;
    const long out_row = (long)p.out_w * p.channels, in_row = (long)p.w * p.channels;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < rows; ++r) {
        const long image = r / p.h;
        const int i = (int)(r % p.h), di = i % p.kh;
        const long window_row = (image * p.out_h + i / p.kh) * out_row;
        const uint8_t *a = argmax + window_row;
        const float *g = gy + window_row;
        float *dst = gx + r * in_row;
        for (int ow = 0; ow < p.out_w; ++ow, dst += (long)p.kw * p.channels) {
            for (int c = 0; c < p.channels; c += V::width) {
                const int n = p.channels - c < V::width ? p.channels - c : V::width;
                const long at = (long)ow * p.channels + c;
                const typename V::reg where = V::load_bytes(a + at, n), grad = V::load(g + at, n);
                for (int dj = 0; dj < p.kw; ++dj) {
                    V::store(dst + (long)dj * p.channels + c, V::where_equal(where, (float)(di * p.kw + dj), grad), n);
                }
            }
        }
    }
}

template <typename V>
void pool_backward_walk(const PoolPlan &p, const float *x, const uint8_t *argmax, const float *gy, float *gx) {
    if (argmax && !p.average && windows_tile_input<V>(p)) {
        pool_backward_tiled_walk<V>(p, argmax, gy, gx);
        return;
    }
    // A thread owns one channel block of one image: windows overlap only within it, so no races.
    constexpr int block = 4 * V::width;
    const int blocks = (p.channels + block - 1) / block;
    const long pixels = (long)p.h * p.w;
    // Max pooling whose windows do not overlap (2x2 stride 2, the common case) writes each covered
    // input pixel once, the gradient or zero, with whole-vector stores; only pixels outside every
    // window are zeroed first. Overlapping windows accumulate into a zeroed gradient instead.
    const bool disjoint = !p.average && p.stride_h >= p.kh && p.stride_w >= p.kw;
    const std::vector<char> rows = pool_coverage<V>(p.h, p.out_h, p.kh, p.stride_h, p.pad_h);
    const std::vector<char> cols = pool_coverage<V>(p.w, p.out_w, p.kw, p.stride_w, p.pad_w);
#pragma omp parallel for schedule(static)
    for (long task = 0; task < p.images * blocks; ++task) {
        const long image = task / blocks;
        const int c_begin = (int)(task % blocks) * block;
        const int c_end = c_begin + block < p.channels ? c_begin + block : p.channels;
        const float *xi = x ? x + image * pixels * p.channels : nullptr;  // not read when argmax is given
        float *gi = gx + image * pixels * p.channels;
        for (int i = 0; i < p.h; ++i) {
            for (int j = 0; j < p.w; ++j) {
                if (disjoint && rows[i] && cols[j]) continue;
                for (int c = c_begin; c < c_end; c += V::width) {
                    V::store(gi + ((long)i * p.w + j) * p.channels + c, V::zero(), c_end - c < V::width ? c_end - c : V::width);
                }
            }
        }
        for (int oh = 0; oh < p.out_h; ++oh) {
            for (int ow = 0; ow < p.out_w; ++ow) {
                const PoolWindow win = pool_window<V>(p, oh, ow);
                if (win.h0 >= win.h1 || win.w0 >= win.w1) continue;
                const float *g = gy + ((image * p.out_h + oh) * p.out_w + ow) * p.channels;
                for (int c = c_begin; c < c_end; c += V::width) {
                    const int n = c_end - c < V::width ? c_end - c : V::width;
                    if (p.average) {
                        const typename V::reg share = V::div(V::load(g + c, n), V::set1(win.divisor));
                        for (int i = win.h0; i < win.h1; ++i) {
                            for (int j = win.w0; j < win.w1; ++j) {
                                float *dst = gi + ((long)i * p.w + j) * p.channels + c;
                                V::store(dst, V::add(V::load(dst, n), share), n);
                            }
                        }
                        continue;
                    }
                    const long at = ((image * p.out_h + oh) * p.out_w + ow) * p.channels + c;
                    typename V::reg best;
                    const typename V::reg where = argmax ? V::load_bytes(argmax + at, n) : window_argmax<V>(p, xi, win, c, n, best);
                    if (disjoint) {  // lane by lane: the gradient at the position of the maximum, zero elsewhere
                        const typename V::reg grad = V::load(g + c, n);
                        int k = 0;
                        for (int i = win.h0; i < win.h1; ++i) {
                            for (int j = win.w0; j < win.w1; ++j, ++k) {
                                V::store(gi + ((long)i * p.w + j) * p.channels + c, V::where_equal(where, (float)k, grad), n);
                            }
                        }
                        continue;
                    }
                    float pos[V::width], grad[V::width];
                    V::store(pos, where);
                    V::store(grad, V::load(g + c, n));
                    const int span = win.w1 - win.w0;
                    for (int l = 0; l < n; ++l) {
                        const int k = (int)pos[l];
                        gi[((long)(win.h0 + k / span) * p.w + win.w0 + k % span) * p.channels + c + l] += grad[l];
                    }
                }
            }
        }
    }
}

template <typename V>
void global_avg_forward_walk(long images, int channels, long pixels, const float *x, float *y) {
#pragma omp parallel for schedule(static)
    for (long image = 0; image < images; ++image) {
        const float *img = x + image * pixels * channels;
        if (channels == 1) {  // an NCHW plane: reduce along the contiguous pixels
            typename V::reg acc = V::zero();
            long q = 0;
            for (; q + V::width <= pixels; q += V::width) acc = V::add(acc, V::load(img + q));
            float sum = V::sum(acc);
            for (; q < pixels; ++q) sum += img[q];
            y[image] = sum / (float)pixels;
            continue;
        }
        for (int c = 0; c < channels; c += V::width) {
            const int n = channels - c < V::width ? channels - c : V::width;
            typename V::reg acc = V::zero();
            for (long q = 0; q < pixels; ++q) acc = V::add(acc, V::load(img + q * channels + c, n));
            V::store(y + image * channels + c, V::div(acc, V::set1((float)pixels)), n);
        }
    }
}

template <typename V>
void global_avg_backward_walk(long images, int channels, long pixels, const float *gy, float *gx) {
#pragma omp parallel for schedule(static)
    for (long image = 0; image < images; ++image) {
        float *img = gx + image * pixels * channels;
        if (channels == 1) {  // an NCHW plane: fill the contiguous pixels
            const float share = gy[image] / (float)pixels;
            long q = 0;
            for (; q + V::width <= pixels; q += V::width) V::store(img + q, V::set1(share));
            for (; q < pixels; ++q) img[q] = share;
            continue;
        }
        for (int c = 0; c < channels; c += V::width) {
            const int n = channels - c < V::width ? channels - c : V::width;
            const typename V::reg share = V::div(V::load(gy + image * channels + c, n), V::set1((float)pixels));
            for (long q = 0; q < pixels; ++q) V::store(img + q * channels + c, share, n);
        }
    }
}

}  // namespace cnn4j
