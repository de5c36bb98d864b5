// The driver of the Winograd convolutions, 2-D (conv_winograd.cpp) and 1-D (conv_winograd_1d.cpp): they
// differ only in their per-tile kernels, so chunking, schedules and buffers are written once here.
// Tiles are processed in chunks, each in three phases: input transforms, the p.t batched products
// (register-blocked GEMMs over panels of 32 output channels of U, 16 when there are no more: half of a
// 32-wide panel's products would be of zero padding), output transforms. Two schedules, by which
// traffic dominates:
//  - private chunks, when there are plenty of tiles and U is small enough to stay in each core's L2:
//    every thread runs whole chunks of up to 64 tiles alone, so its V and M never leave its L2 and no
//    thread waits for another;
//  - shared chunks, when U is large or tiles are few (the deep layers at batch 1): all threads work on
//    one chunk of as many tiles as fit, input and output transforms split across tiles and products
//    across (t, panel) pairs, so U, which then dominates the traffic, is read once per chunk.
// Backward-weights is the forward's adjoint in the filter (WeightGradientRun): chunks of tiles are
// transformed (V from the input as forward, Y from the output gradient) and their products summed into
// G over all tiles, each (t, panel) slice of G owned by one thread for the whole call, so no reduction
// across threads; then dW from G per (k, c).
#include "winograd_driver.hpp"

#include <omp.h>

#include <algorithm>
#include <vector>

namespace {

using cnn4j::WinogradPlan;

long round_up(long x, long to) { return (x + to - 1) / to * to; }

// Which schedule, and how many tiles per chunk.
struct Schedule {
    bool private_chunks;
    long chunks, rows;
};

Schedule schedule_of(WinogradPlan &p, int n, int threads) {
    const long tiles = (long)n * p.tiles_h * p.tiles_w;
    const long u_bytes = (long)p.t * p.u_plane * 4;
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
    p.v_row = (long)p.t * p.c_pad + 16;
    p.m_row = (long)p.t * p.k_pad + 16;
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

// The V and M buffers are kept per calling thread and only grow: they take several MB, and fresh pages
// on every call cost a page fault each.
void grow(std::vector<float> &buffer, size_t floats) {
    if (buffer.size() < floats) buffer.resize(floats);
}

// Convolves n NHWC images [in_h, in_w, c] into [out_h, out_w, k] with the transformed filter u; the
// output transform adds the bias and the residual (both may be null) and applies ReLU if asked.
class WinogradRun {
  public:
    WinogradRun(const WinogradPlan &p, const cnn4j::WinogradKernelSet &kernels, int n, const float *src, const float *u,
                const float *bias, const float *residual, bool relu, float *dst)
        : p_(p), kernels_(kernels), src_(src), u_(u), bias_(bias), residual_(residual), dst_(dst), relu_(relu),
          per_image_((long)p.tiles_h * p.tiles_w), tiles_(n * per_image_), t_count_(p.t) {}

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
        kernels_.input(p_, src_ + img * p_.in_h * p_.in_w * p_.c, (int)(yx / p_.tiles_w), (int)(yx % p_.tiles_w), v_row);
    }

    void product(int task, const float *v, float *m, long count) const {
        kernels_.products(p_, v, u_, m, task / panels(), task % panels(), count);
    }

    void output_tile(long tile, const float *m_row) const {
        const long img = tile / per_image_, yx = tile % per_image_,
                   image_size = (long)(p_.out_h / p_.pool) * (p_.out_w / p_.pool) * p_.k;
        kernels_.output(p_, m_row, (int)(yx / p_.tiles_w), (int)(yx % p_.tiles_w), bias_,
                residual_ ? residual_ + img * image_size : nullptr, relu_, dst_ + img * image_size);
    }

    WinogradPlan p_;
    const cnn4j::WinogradKernelSet kernels_;
    const float *src_, *u_, *bias_, *residual_;
    float *dst_;
    const bool relu_;
    const long per_image_, tiles_;
    const int t_count_;
};

// The weight gradient (and the bias gradient when asked) of a convolution of n NHWC images
// [in_h, in_w, c] whose output gradient is dy [out_h, out_w, k]; dw is OIHW.
class WeightGradientRun {
  public:
    WeightGradientRun(const WinogradPlan &p, const cnn4j::WinogradKernelSet &kernels, int n, const float *src,
                      const float *dy, float *dw, float *db)
        : p_(p), kernels_(kernels), n_(n), src_(src), dy_(dy), dw_(dw), db_(db), per_image_((long)p.tiles_h * p.tiles_w),
          tiles_(n * per_image_), t_count_(p.t) {}

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
                        for (int task = 0; task < tasks; ++task) kernels_.weight_products(p_, vc, yc, gc, task / panels, task % panels, count);
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
                    for (int task = 0; task < tasks; ++task) kernels_.weight_products(p_, v, y, g, task / panels, task % panels, count);
                }
            }
        }
#pragma omp parallel for schedule(static)
        for (long pc = 0; pc < (long)panels * p_.c; ++pc) kernels_.weight_gradient(p_, g, (int)(pc / p_.c), (int)(pc % p_.c), dw_);
        if (db_) bias_gradient();
    }

  private:
    void transform_tile(long tile, float *v_row, float *y_row) const {
        const long img = tile / per_image_, yx = tile % per_image_;
        const int ty = (int)(yx / p_.tiles_w), tx = (int)(yx % p_.tiles_w);
        kernels_.input(p_, src_ + img * p_.in_h * p_.in_w * p_.c, ty, tx, v_row);
        kernels_.gradient(p_, dy_ + img * p_.out_h * p_.out_w * p_.k, ty, tx, y_row);
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
    const cnn4j::WinogradKernelSet kernels_;
    const int n_;
    const float *src_, *dy_;
    float *dw_, *db_;
    const long per_image_, tiles_;
    const int t_count_;
};

}  // namespace

namespace cnn4j {

WinogradPlan winograd_plan(int m, int points, int c, int k, int in_h, int in_w, int out_h, int out_w, int pad_top,
                           int pad_left) {
    WinogradPlan p{};
    p.m = m;
    p.t = points;
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
    p.pool = 1;
    p.tiles_h = (out_h + m - 1) / m;
    p.tiles_w = (out_w + m - 1) / m;
    p.u_plane = (long)p.k_pad * p.c_pad + 16;
    return p;
}

void winograd_convolve(const WinogradPlan &p, const WinogradKernelSet &kernels, int n, const float *src, const float *u,
                       const float *bias, const float *residual, bool relu, float *dst) {
    WinogradRun(p, kernels, n, src, u, bias, residual, relu, dst)();
}

void winograd_weight_gradient(const WinogradPlan &p, const WinogradKernelSet &kernels, int n, const float *src,
                              const float *dy, float *dw, float *db) {
    WeightGradientRun(p, kernels, n, src, dy, dw, db)();
}

}  // namespace cnn4j
