// Winograd convolution F(2x2,3x3) and F(4x4,3x3) on channels-last activations (see winograd.hpp for
// the algorithm and buffers). Tiles are processed in chunks, each in three phases: input transforms,
// the T batched products (register-blocked GEMMs over panels of 32 output channels of U, 16 when there
// are no more: half of a 32-wide panel's products would be of zero padding), output transforms.
// Two schedules, by which traffic dominates:
//  - private chunks, when there are plenty of tiles and U is small enough to stay in each core's L2:
//    every thread runs whole chunks of up to 64 tiles alone, so its V and M never leave its L2 and no
//    thread waits for another;
//  - shared chunks, when U is large or tiles are few (the deep layers at batch 1): all threads work on
//    one chunk of as many tiles as fit, input and output transforms split across tiles and products
//    across (t, panel) pairs, so U, which then dominates the traffic, is read once per chunk.
// Backward-data is the same convolution from diff_dst to diff_src, with the filter flipped and its O
// and I swapped, padded by 2 - pad (negative beyond a padding of 2). Backward-weights is the forward's
// adjoint in the filter (WeightGradientRun): chunks of tiles are transformed (V from the input as
// forward, Y = A dy A^T from the output gradient) and their products summed into G over all tiles,
// each (t, panel) slice of G owned by one thread for the whole call, so no reduction across threads;
// then dW = G^T G G per (k, c).
//
// Numerical error: max |y - y_ref| / max |y_ref| against a double-precision reference, forward, inputs
// and weights uniform in [-1, 1], 12x12 images, pad 1, K = 16, AVX-512 (NativeWinogradGoldenTest.errorTable):
//
//      C   F(2x2,3x3)   F(4x4,3x3)   float32 direct (im2col_gemm)
//     16     1.79e-07     3.01e-06     3.58e-07
//     32     2.49e-07     4.12e-06     5.24e-07
//     64     3.44e-07     5.35e-06     4.30e-07
//    128     3.69e-07     5.19e-06     3.37e-07
//    256     7.11e-07     1.16e-05     4.22e-07
//    512     8.27e-07     1.82e-05     4.07e-07
//
// In units of sqrt(C*9) * 2^-24 (rounding errors of a long sum grow like a random walk) that is
// 0.18-0.25 for F(2x2), 2.6-4.5 for F(4x4) and 0.10-0.52 for direct: F(2x2) is as accurate as direct
// convolution, F(4x4) 8-45x less, because its transform constants (8 in A^T, 5 in B^T, 1/24 in G)
// grow the intermediate values that are rounded to float32. The golden tests allow twice the
// documented bounds 0.5 and 10.

#include <omp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "conv_geometry.hpp"
#include "isa.hpp"
#include "status.hpp"
#include "winograd.hpp"
#include "winograd_filter_cache.hpp"

namespace {

using cnn4j::ConvGeometry;
using cnn4j::WinogradPlan;

long round_up(long x, long to) { return (x + to - 1) / to * to; }

// The plan without its chunking (rows and the V and M row strides: see schedule_of).
WinogradPlan plan_of(int m, int c, int k, int in_h, int in_w, int out_h, int out_w, int pad_top, int pad_left) {
    WinogradPlan p{};
    p.m = m;
    p.c = c;
    p.c_pad = (int)round_up(c, 16);
    p.k = k;
    p.panel = k <= 16 ? 16 : 32;
    p.k_pad = (int)round_up(k, p.panel);
    p.in_h = in_h;
    p.in_w = in_w;
    p.out_h = out_h;
    p.out_w = out_w;
    p.pad_top = pad_top;
    p.pad_left = pad_left;
    p.tiles_h = (out_h + m - 1) / m;
    p.tiles_w = (out_w + m - 1) / m;
    p.u_plane = (long)p.k_pad * p.c_pad + 16;
    return p;
}

// Which schedule, and how many tiles per chunk.
struct Schedule {
    bool private_chunks;
    long chunks, rows;
};

Schedule schedule_of(WinogradPlan &p, int n, int threads) {
    const long tiles = (long)n * p.tiles_h * p.tiles_w;
    const long u_bytes = (long)(p.m + 2) * (p.m + 2) * p.u_plane * 4;
    Schedule s;
    // Up to 64 tiles per chunk (measured on one core: flat from 32 to 200 tiles, V and M within L2),
    // and at least 4 chunks per thread, handed out dynamically: on a shared machine a thread that loses
    // its core for a while leaves its chunks to the others.
    s.private_chunks = tiles >= 64L * threads && u_bytes <= (4L << 20);
    if (s.private_chunks) {
        s.chunks = std::max(4L * threads, (tiles + 63) / 64);
    } else {
        // A chunk's V[t] and M[t] slices of at most 256 KiB, so each stays in L2 while its panels run.
        const long fit = std::clamp(65536L / std::max(p.c_pad, p.k_pad), 16L, 512L);
        s.chunks = (tiles + fit - 1) / fit;
    }
    s.rows = 8 * (((tiles + 7) / 8 + s.chunks - 1) / s.chunks);  // whole blocks of 8 tiles: see chunk_of
    p.rows = s.rows;
    p.v_row = (long)(p.m + 2) * (p.m + 2) * p.c_pad + 16;
    p.m_row = (long)(p.m + 2) * (p.m + 2) * p.k_pad + 16;
    return s;
}

// The first tile and the tile count of chunk `chunk` of `chunks`: whole blocks of 8 tiles (the products'
// row blocking) but for the last, so that the products run in full blocks, not in their slower tails
// (196 tiles in 8 chunks of 24 or 25 multiplied 14% padding rows when the tail was a padded block).
struct ChunkRange {
    long first, count;
};

ChunkRange chunk_of(long tiles, long chunks, long chunk) {
    const long blocks = (tiles + 7) / 8;
    const long first = 8 * (blocks * chunk / chunks), end = std::min(tiles, 8 * (blocks * (chunk + 1) / chunks));
    return {first, end - first};
}

void check_shape(const ConvGeometry &g, int m) {
    if (m != 2 && m != 4) throw cnn4j::invalid_argument("tile size must be 2 or 4, got " + std::to_string(m));
    if (g.kh != 3 || g.kw != 3 || g.stride_h != 1 || g.stride_w != 1 || g.dilation_h != 1 || g.dilation_w != 1
        || g.groups != 1)
        throw cnn4j::unimplemented("Winograd needs a 3x3 kernel, stride 1, dilation 1 and groups 1");
}

// The V and M buffers are kept per calling thread and only grow: they take several MB, and fresh pages
// on every call cost a page fault each.
void grow(std::vector<float> &buffer, size_t floats) {
    if (buffer.size() < floats) buffer.resize(floats);
}

// Convolves n NHWC images [in_h, in_w, c] into [out_h, out_w, k] with the transformed filter u; the
// output transform adds the bias and the residual (both may be null) and applies ReLU if asked.
class WinogradRun {
  public:
    WinogradRun(const WinogradPlan &p, int n, const float *src, const float *u, const float *bias, const float *residual,
                bool relu, float *dst)
        : p_(p), src_(src), u_(u), bias_(bias), residual_(residual), dst_(dst), relu_(relu),
          per_image_((long)p.tiles_h * p.tiles_w), tiles_(n * per_image_), t_count_((p.m + 2) * (p.m + 2)) {}

    void operator()() {
        const int threads = omp_get_max_threads();
        const Schedule s = schedule_of(p_, (int)(tiles_ / per_image_), threads);
        const long v_size = p_.rows * p_.v_row, m_size = p_.rows * p_.m_row;
        // Allocated before the parallel region (nothing may throw inside it).
        const int copies = s.private_chunks ? threads : 1;
        thread_local std::vector<float> v_buffer, m_buffer;
        grow(v_buffer, (size_t)copies * v_size);
        grow(m_buffer, (size_t)copies * m_size);
        // Inside the parallel region a thread_local names the worker's own (empty) copy: use pointers.
        float *const v = v_buffer.data(), *const m = m_buffer.data();
        if (s.private_chunks) {
#pragma omp parallel for schedule(dynamic)
            for (long chunk = 0; chunk < s.chunks; ++chunk) {
                float *vc = v + omp_get_thread_num() * v_size, *mc = m + omp_get_thread_num() * m_size;
                const auto [first, count] = chunk_of(tiles_, s.chunks, chunk);
                for (long i = 0; i < count; ++i) input_tile(first + i, vc + i * p_.v_row);
                for (int task = 0; task < t_count_ * panels(); ++task) product(task, vc, mc, count);
                for (long i = 0; i < count; ++i) output_tile(first + i, mc + i * p_.m_row);
            }
            return;
        }
#pragma omp parallel
        for (long chunk = 0; chunk < s.chunks; ++chunk) {
            const auto [first, count] = chunk_of(tiles_, s.chunks, chunk);
#pragma omp for schedule(static)
            for (long i = 0; i < count; ++i) input_tile(first + i, v + i * p_.v_row);
#pragma omp for schedule(static)
            for (int task = 0; task < t_count_ * panels(); ++task) product(task, v, m, count);
#pragma omp for schedule(static)
            for (long i = 0; i < count; ++i) output_tile(first + i, m + i * p_.m_row);
        }
    }

  private:
    int panels() const { return p_.k_pad / p_.panel; }

    void input_tile(long tile, float *v_row) const {
        const long img = tile / per_image_, yx = tile % per_image_;
        input_(p_, src_ + img * p_.in_h * p_.in_w * p_.c, (int)(yx / p_.tiles_w), (int)(yx % p_.tiles_w), v_row);
    }

    void product(int task, const float *v, float *m, long count) const {
        products_(p_, v, u_, m, task / panels(), task % panels(), count);
    }

    void output_tile(long tile, const float *m_row) const {
        const long img = tile / per_image_, yx = tile % per_image_, image_size = (long)p_.out_h * p_.out_w * p_.k;
        output_(p_, m_row, (int)(yx / p_.tiles_w), (int)(yx % p_.tiles_w), bias_,
                residual_ ? residual_ + img * image_size : nullptr, relu_, dst_ + img * image_size);
    }

    WinogradPlan p_;
    const float *src_, *u_, *bias_, *residual_;
    float *dst_;
    const bool relu_;
    const long per_image_, tiles_;
    const int t_count_;
    decltype(&cnn4j::winograd_input_tile_avx512) input_ = cnn4j::dispatch(
        &cnn4j::winograd_input_tile_scalar, &cnn4j::winograd_input_tile_avx2, &cnn4j::winograd_input_tile_avx512);
    decltype(&cnn4j::winograd_products_avx512) products_ = cnn4j::dispatch(
        &cnn4j::winograd_products_scalar, &cnn4j::winograd_products_avx2, &cnn4j::winograd_products_avx512);
    decltype(&cnn4j::winograd_output_tile_avx512) output_ = cnn4j::dispatch(
        &cnn4j::winograd_output_tile_scalar, &cnn4j::winograd_output_tile_avx2, &cnn4j::winograd_output_tile_avx512);
};

// The weight gradient (and the bias gradient when asked) of a convolution of n NHWC images
// [in_h, in_w, c] whose output gradient is dy [out_h, out_w, k]; dw is OIHW.
class WeightGradientRun {
  public:
    WeightGradientRun(const WinogradPlan &p, int n, const float *src, const float *dy, float *dw, float *db)
        : p_(p), n_(n), src_(src), dy_(dy), dw_(dw), db_(db), per_image_((long)p.tiles_h * p.tiles_w),
          tiles_(n * per_image_), t_count_((p.m + 2) * (p.m + 2)) {}

    // Two schedules, as forward: with plenty of tiles and a G small enough for each core's L2, one copy
    // of G per thread, each summing a share of the chunks alone (no barrier per chunk; the copies are
    // added up at the end); else all threads share each chunk, a thread owning the same (t, panel)
    // slices of G for the whole call.
    void operator()() {
        const int threads = omp_get_max_threads(), panels = p_.k_pad / p_.panel, tasks = t_count_ * panels;
        const long g_size = (long)t_count_ * p_.k_pad * p_.c_pad;
        const bool private_chunks = tiles_ >= 64L * threads && g_size * 4 <= (4L << 20);
        // Private chunks of up to 64 tiles, as forward; shared chunks whose V and Y take about 1 MiB (a
        // (t, panel) task reads a rows x (c_pad + 32) slice of them, which stays in L2 while it runs).
        // Not forward's schedule_of: its shared chunks (V[t] and M[t] slices of 256 KiB) measured 25%
        // slower here (ResNet-50's 14x14x256 layer at batch 8, F(4x4): 4.2-4.3 -> 5.4 ms).
        const long shared_fit = std::clamp((1L << 18) / ((long)t_count_ * (p_.c_pad + p_.k_pad)), 8L, 1024L);
        const long chunks = private_chunks ? std::max(4L * threads, (tiles_ + 63) / 64) : (tiles_ + shared_fit - 1) / shared_fit;
        p_.rows = (tiles_ + chunks - 1) / chunks;
        p_.v_row = (long)t_count_ * p_.c_pad + 16;
        p_.m_row = (long)t_count_ * p_.k_pad + 16;
        const long v_size = p_.rows * p_.v_row, y_size = p_.rows * p_.m_row;
        const int copies = private_chunks ? threads : 1;
        thread_local std::vector<float> v_buffer, y_buffer, g_buffer;
        // One spare V row: GCC 12.2 (-O2/-O3) compiles the scalar weight products' two loads a[0], a[1] of
        // tile row r as movq + movhps, the movhps reading the same place of row r + 1 (unused), so the last
        // row of a chunk reads up to one row past it: past the buffer's end for the last copy, a SIGSEGV
        // when that is a page boundary (found by the differential fuzz; valgrind: "Invalid read of size 8,
        // 0 bytes after a block").
        grow(v_buffer, (size_t)copies * v_size + p_.v_row);
        grow(y_buffer, (size_t)copies * y_size);
        grow(g_buffer, (size_t)copies * g_size);
        float *const v = v_buffer.data(), *const y = y_buffer.data(), *const g = g_buffer.data();
        const long slice = (long)p_.c_pad * p_.panel;  // one task's part of G
        if (private_chunks) {
            // Copy i of G sums the i-th run of chunks, in order: which chunks a copy sums must not depend on
            // the team OpenMP gives us, or the weight gradient's last bits would vary from call to call.
#pragma omp parallel num_threads(threads)
            {
#pragma omp for schedule(static)
                for (int copy = 0; copy < copies; ++copy) {
                    float *vc = v + copy * v_size, *yc = y + copy * y_size, *gc = g + copy * g_size;
                    std::fill_n(gc, g_size, 0.f);
                    for (long chunk = chunks * copy / copies; chunk < chunks * (copy + 1) / copies; ++chunk) {
                        const long first = tiles_ * chunk / chunks, count = tiles_ * (chunk + 1) / chunks - first;
                        for (long i = 0; i < count; ++i) transform_tile(first + i, vc + i * p_.v_row, yc + i * p_.m_row);
                        for (int task = 0; task < tasks; ++task) products_(p_, vc, yc, gc, task / panels, task % panels, count);
                    }
                }
#pragma omp for schedule(static)
                for (long i = 0; i < g_size; ++i)
                    for (int other = 1; other < copies; ++other) g[i] += g[other * g_size + i];
            }
        } else {
#pragma omp parallel
            {
#pragma omp for schedule(static)
                for (int task = 0; task < tasks; ++task) std::fill_n(g + task * slice, slice, 0.f);
                for (long chunk = 0; chunk < chunks; ++chunk) {
                    const long first = tiles_ * chunk / chunks, count = tiles_ * (chunk + 1) / chunks - first;
#pragma omp for schedule(static)
                    for (long i = 0; i < count; ++i) transform_tile(first + i, v + i * p_.v_row, y + i * p_.m_row);
#pragma omp for schedule(static)
                    for (int task = 0; task < tasks; ++task) products_(p_, v, y, g, task / panels, task % panels, count);
                }
            }
        }
#pragma omp parallel for schedule(static)
        for (long pc = 0; pc < (long)panels * p_.c; ++pc) weights_(p_, g, (int)(pc / p_.c), (int)(pc % p_.c), dw_);
        if (db_) bias_gradient();
    }

  private:
    void transform_tile(long tile, float *v_row, float *y_row) const {
        const long img = tile / per_image_, yx = tile % per_image_;
        const int ty = (int)(yx / p_.tiles_w), tx = (int)(yx % p_.tiles_w);
        input_(p_, src_ + img * p_.in_h * p_.in_w * p_.c, ty, tx, v_row);
        gradient_(p_, dy_ + img * p_.out_h * p_.out_w * p_.k, ty, tx, y_row);
    }

    // The sum of dy over every position of every image, per output channel, in double: part i of the
    // positions into partial sum i (a fixed split, as G's copies), then the parts in order.
    void bias_gradient() const {
        const long positions = (long)n_ * p_.out_h * p_.out_w;
        const int parts = omp_get_max_threads();
        std::vector<double> partial((size_t)parts * p_.k, 0.0);
        double *const partials = partial.data();
#pragma omp parallel for schedule(static)
        for (int part = 0; part < parts; ++part) {
            double *sum = partials + (long)part * p_.k;
            for (long i = positions * part / parts; i < positions * (part + 1) / parts; ++i)
                for (int k = 0; k < p_.k; ++k) sum[k] += dy_[i * p_.k + k];
        }
        for (int k = 0; k < p_.k; ++k) {
            double total = 0;
            for (int part = 0; part < parts; ++part) total += partials[(long)part * p_.k + k];
            db_[k] = (float)total;
        }
    }

    WinogradPlan p_;
    const int n_;
    const float *src_, *dy_;
    float *dw_, *db_;
    const long per_image_, tiles_;
    const int t_count_;
    decltype(&cnn4j::winograd_input_tile_avx512) input_ = cnn4j::dispatch(
        &cnn4j::winograd_input_tile_scalar, &cnn4j::winograd_input_tile_avx2, &cnn4j::winograd_input_tile_avx512);
    decltype(&cnn4j::winograd_gradient_tile_avx512) gradient_ = cnn4j::dispatch(
        &cnn4j::winograd_gradient_tile_scalar, &cnn4j::winograd_gradient_tile_avx2, &cnn4j::winograd_gradient_tile_avx512);
    decltype(&cnn4j::winograd_weight_products_avx512) products_ = cnn4j::dispatch(
        &cnn4j::winograd_weight_products_scalar, &cnn4j::winograd_weight_products_avx2, &cnn4j::winograd_weight_products_avx512);
    decltype(&cnn4j::winograd_weight_gradient_avx512) weights_ = cnn4j::dispatch(
        &cnn4j::winograd_weight_gradient_scalar, &cnn4j::winograd_weight_gradient_avx2, &cnn4j::winograd_weight_gradient_avx512);
};

}  // namespace

extern "C" int cnn4j_conv2d_winograd_forward(int tile, const int32_t *conv, const float *src, const float *weights,
                                             int64_t frozen_weights_id, const float *bias, const float *residual,
                                             float *dst, int fuse_relu) {
    return cnn4j::guarded("conv2d forward (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !weights || !dst) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p = plan_of(tile, g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left);
        const cnn4j::WinogradFilterView oihw{0, (long)g.c * 9, 9, 3, 1};
        const auto u = cnn4j::winograd_filter(p, oihw, weights, (long)g.k * g.c * 9, frozen_weights_id, false);
        WinogradRun(p, g.n, src, u->data(), bias, residual, fuse_relu != 0, dst)();
    });
}

extern "C" int cnn4j_conv2d_winograd_backward_data(int tile, const int32_t *conv, const float *diff_dst,
                                                   const float *weights, int64_t frozen_weights_id, float *diff_src) {
    return cnn4j::guarded("conv2d backward data (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!diff_dst || !weights || !diff_src) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) return;
        const WinogradPlan p =
            plan_of(tile, g.k, g.c, g.out_h(), g.out_w(), g.h, g.w, 2 - g.pad_top, 2 - g.pad_left);
        // Tap (o = input channel c, i = output channel k, y, x) is weight [k][c][2 - y][2 - x].
        const cnn4j::WinogradFilterView flipped{8, 9, (long)g.c * 9, -3, -1};
        const auto u = cnn4j::winograd_filter(p, flipped, weights, (long)g.k * g.c * 9, frozen_weights_id, true);
        WinogradRun(p, g.n, diff_dst, u->data(), nullptr, nullptr, false, diff_src)();
    });
}

extern "C" int cnn4j_conv2d_winograd_backward_weights(int tile, const int32_t *conv, const float *src,
                                                      const float *diff_dst, float *diff_weights, float *diff_bias) {
    return cnn4j::guarded("conv2d backward weights (winograd)", [&] {
        const auto g = ConvGeometry::from(conv);
        check_shape(g, tile);
        if (!src || !diff_dst || !diff_weights) throw cnn4j::invalid_argument("null buffer");
        if (g.n == 0) {
            std::fill_n(diff_weights, (long)g.k * g.c * 9, 0.f);
            if (diff_bias) std::fill_n(diff_bias, g.k, 0.f);
            return;
        }
        const WinogradPlan p = plan_of(tile, g.c, g.k, g.h, g.w, g.out_h(), g.out_w(), g.pad_top, g.pad_left);
        WeightGradientRun(p, g.n, src, diff_dst, diff_weights, diff_bias)();
    });
}

extern "C" int64_t cnn4j_winograd_filter_transforms(void) { return cnn4j::winograd_filter_transforms(); }
