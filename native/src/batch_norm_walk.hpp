// The loops shared by every ISA's batch-norm passes. `V` is the ISA's vector type (vec_<isa>.hpp)
// from that file's anonymous namespace, so no instantiation is shared across ISAs. Sums run in
// float inside short blocks and are flushed into doubles, so their error does not grow with N*H*W.
#pragma once

#include <omp.h>

#include <algorithm>

#include "batch_norm.hpp"

namespace cnn4j {

template <typename V>
inline typename V::reg centered(const float *x, const float *center, int n) {
    const typename V::reg v = V::load(x, n);
    return center ? V::sub(v, V::load(center, n)) : v;
}

// 0 where the gate's y = scale * d + shift is <= 0, else w: a fused ReLU's mask (PyTorch's
// threshold_backward, which passes the gradient of a NaN), recomputed by the same operations
// channel_affine_walk used to compute the forward's output.
// `at` is the element's offset, where the gate's residual is read.
template <typename V>
inline typename V::reg gated(typename V::reg w, typename V::reg d, const ReluGate &g, const typename V::reg &scale,
                             const typename V::reg &shift, long at, int n) {
    if (!g.scale) return w;
    typename V::reg y = V::fmadd(scale, d, shift);
    if (g.residual) y = V::add(y, V::load(g.residual + at, n));  // = the forward's fmadd(1, residual, y)
    return V::select_le(y, V::zero(), V::zero(), w);
}

template <typename V>
inline typename V::reg load_or_zero(const float *p, int n) {
    return p ? V::load(p, n) : V::zero();
}

template <typename V>
void channel_sums_walk(const ChannelLayout &l, const float *x, const float *center, const float *w, const ReluGate &g,
                       int threads, double *partials, float *scratch) {
    const int C = l.channels;
    if (l.inner == 1) {
        // Rows in blocks that stay in L1 (about 16 KB), walked one channel vector at a time with the
        // sums in registers (two accumulators each, to hide the add latency), flushed into doubles
        // after each block.
        const long block_rows = std::max(8L, std::min(256L, 4096L / C));
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num(), nt = omp_get_num_threads();
            double *sums = partials + 2L * C * t;  // s1 then s2
            float *f1 = scratch + 2L * C * t, *f2 = f1 + C;
            for (int c = 0; c < 2 * C; ++c) sums[c] = 0;
            const long r0 = l.outer * t / nt, r1 = l.outer * (t + 1) / nt;
            for (long block = r0; block < r1; block += block_rows) {
                const long block_end = std::min(block + block_rows, r1);
                for (int c = 0; c < C; c += V::width) {
                    const int n = C - c < V::width ? C - c : V::width;
                    const float *mid = center ? center + c : nullptr;
                    const typename V::reg gs = load_or_zero<V>(g.scale ? g.scale + c : nullptr, n);
                    const typename V::reg gt = load_or_zero<V>(g.shift ? g.shift + c : nullptr, n);
                    typename V::reg a1 = V::zero(), b1 = V::zero(), a2 = V::zero(), b2 = V::zero();
                    long r = block;
                    for (; r + 1 < block_end; r += 2) {
                        const typename V::reg d0 = centered<V>(x + r * C + c, mid, n);
                        const typename V::reg d1 = centered<V>(x + (r + 1) * C + c, mid, n);
                        const typename V::reg e0 = w ? gated<V>(V::load(w + r * C + c, n), d0, g, gs, gt, r * C + c, n) : d0;
                        const typename V::reg e1 = w ? gated<V>(V::load(w + (r + 1) * C + c, n), d1, g, gs, gt, (r + 1) * C + c, n) : d1;
                        a1 = V::add(a1, e0);
                        b1 = V::add(b1, e1);
                        a2 = V::fmadd(d0, e0, a2);
                        b2 = V::fmadd(d1, e1, b2);
                    }
                    if (r < block_end) {
                        const typename V::reg d0 = centered<V>(x + r * C + c, mid, n);
                        const typename V::reg e0 = w ? gated<V>(V::load(w + r * C + c, n), d0, g, gs, gt, r * C + c, n) : d0;
                        a1 = V::add(a1, e0);
                        a2 = V::fmadd(d0, e0, a2);
                    }
                    V::store(f1 + c, V::add(a1, b1), n);
                    V::store(f2 + c, V::add(a2, b2), n);
                }
                for (int c = 0; c < 2 * C; ++c) sums[c] += f1[c];
            }
        }
        return;
    }
    const long stride = (long)C * l.inner;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int c = 0; c < C; ++c) {
        const typename V::reg mid = V::set1(center ? center[c] : 0.f);
        const typename V::reg gs = V::set1(g.scale ? g.scale[c] : 0.f), gt = V::set1(g.shift ? g.shift[c] : 0.f);
        double s1 = 0, s2 = 0;
        for (long o = 0; o < l.outer; ++o) {
            const float *xs = x + o * stride + c * l.inner;
            const float *ws = w ? w + o * stride + c * l.inner : nullptr;
            typename V::reg a1 = V::zero(), a2 = V::zero();
            long i = 0;
            for (; i < l.inner; i += V::width) {
                const int n = l.inner - i < V::width ? (int)(l.inner - i) : V::width;
                if (n < V::width && !ws) break;  // masked lanes would add -center: that tail goes in scalars below
                const typename V::reg d = V::sub(V::load(xs + i, n), mid);
                const typename V::reg e = ws ? gated<V>(V::load(ws + i, n), d, g, gs, gt, o * stride + c * l.inner + i, n) : d;  // w's masked lanes are 0
                a1 = V::add(a1, e);
                a2 = V::fmadd(d, e, a2);
            }
            float t1 = 0.f, t2 = 0.f;  // only without w
            for (; i < l.inner; ++i) {
                const float d = xs[i] - (center ? center[c] : 0.f);
                t1 += d;
                t2 += d * d;
            }
            s1 += V::sum(a1) + t1;
            s2 += V::sum(a2) + t2;
        }
        partials[c] = s1;
        partials[C + c] = s2;
    }
}

template <typename V>
inline typename V::reg clamped(typename V::reg y, bool relu) {
    return relu ? V::max(V::zero(), y) : y;  // zero() first: a NaN stays NaN, as in PyTorch
}

template <typename V>
void channel_affine_walk(const ChannelLayout &l, const float *x, const float *center, const float *a, const float *w,
                         const float *b, const float *d, const ReluGate &g, bool relu, float *out) {
    const int C = l.channels;
    if (l.inner == 1) {
#pragma omp parallel for schedule(static)
        for (long r = 0; r < l.outer; ++r) {
            for (int c = 0; c < C; c += V::width) {
                const int n = C - c < V::width ? C - c : V::width;
                const typename V::reg xc = centered<V>(x + r * C + c, center ? center + c : nullptr, n);
                typename V::reg y = a ? V::fmadd(V::load(a + c, n), xc, V::load(d + c, n)) : V::load(d + c, n);
                if (w) {
                    const typename V::reg gw = gated<V>(V::load(w + r * C + c, n), xc, g, load_or_zero<V>(g.scale ? g.scale + c : nullptr, n),
                                                        load_or_zero<V>(g.shift ? g.shift + c : nullptr, n), r * C + c, n);
                    y = V::fmadd(V::load(b + c, n), gw, y);
                }
                V::store(out + r * C + c, clamped<V>(y, relu), n);
            }
        }
        return;
    }
#pragma omp parallel for schedule(static)
    for (long plane = 0; plane < l.outer * C; ++plane) {
        const int c = (int)(plane % C);
        const typename V::reg va = V::set1(a ? a[c] : 0.f), vd = V::set1(d[c]), vb = V::set1(w ? b[c] : 0.f);
        const typename V::reg mid = V::set1(center ? center[c] : 0.f);
        const typename V::reg gs = V::set1(g.scale ? g.scale[c] : 0.f), gt = V::set1(g.shift ? g.shift[c] : 0.f);
        const float *xs = x + plane * l.inner;
        const float *ws = w ? w + plane * l.inner : nullptr;
        float *ys = out + plane * l.inner;
        for (long i = 0; i < l.inner; i += V::width) {
            const int n = l.inner - i < V::width ? (int)(l.inner - i) : V::width;
            const typename V::reg xc = V::sub(V::load(xs + i, n), mid);
            typename V::reg y = a ? V::fmadd(va, xc, vd) : vd;
            if (ws) y = V::fmadd(vb, gated<V>(V::load(ws + i, n), xc, g, gs, gt, plane * l.inner + i, n), y);
            V::store(ys + i, clamped<V>(y, relu), n);
        }
    }
}

}  // namespace cnn4j
