// Winograd convolution F(m x m, 3x3), m = 2 or 4, on channels-last activations: the per-ISA kernels
// (winograd_kernels_<isa>.cpp) that conv_winograd.cpp drives. A 3x3 stride-1 convolution is cut into
// output tiles of m x m; each tile's (m+2) x (m+2) input patch d becomes V = B^T d B, each filter g
// becomes U = G g G^T, and the tile's output is A^T (U . V) A, where the element-wise products over
// all channels are T = (m+2)^2 independent matrix products M[t] = V[t] x U[t].
//
// Buffers (floats), all channel counts padded so that every ISA's vectors divide them:
//   V [rows][T][c_pad]                  transformed input tiles of one chunk
//   U [T][k_pad/P][c_pad][P]            transformed filters, output channels in panels of P = panel
//   M [rows][T][k_pad]                  products, before the output transform
// V and M are tile-major, so a transform reads or writes one contiguous block per tile; their rows lie
// v_row and m_row floats apart, 16 more than T * c_pad (T * k_pad), and U's t planes u_plane floats
// apart, 16 more than k_pad * c_pad: strides that are multiples of 4 KiB would put the rows a GEMM
// reads side by side, or the planes a filter transform writes, into the same cache set.
#pragma once

namespace cnn4j {

// Plain integers only: the ISA translation units must not share inline helpers with baseline code.
// "in" and "out" are the convolution this plan computes (for backward-data: diff_dst -> diff_src).
struct WinogradPlan {
    int m;                   // output tile size, 2 or 4 (1-D: 4 or 6)
    int t;                   // Winograd-domain points per tile, T: (m+2)^2 (1-D: m+2)
    int c, c_pad, k, k_pad;  // input channels (c_pad: multiple of 16) and output channels (k_pad: of panel)
    int panel;               // output channels per panel of U (and G): 16 when k <= 16, else 32
    int in_h, in_w, out_h, out_w;
    int pad_top, pad_left;   // may be negative: backward-data of a convolution padded by more than 2
    int tiles_h, tiles_w;
    int pool;                // 1, or 2: the forward's output transform max-pools 2x2 windows, stride 2, into dst
    long rows;               // tile rows of the V and M buffers (a multiple of 8)
    long v_row, m_row, u_plane;
};

// Where filter tap (o, i, y, x) of the convolution the plan computes lies in the weight array:
// weights[offset + o*stride_o + i*stride_i + y*stride_y + x*stride_x]. Forward reads OIHW as is;
// backward-data reads the same array flipped and with O and I swapped.
struct WinogradFilterView {
    long offset, stride_o, stride_i, stride_y, stride_x;
};

// U from the weights (parallel over the threads): one of the per-ISA filter transforms, 2-D or 1-D.
using FilterTransform = void (*)(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);

// U from the weights (parallel over the threads).
void winograd_filter_transform_scalar(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);
void winograd_filter_transform_avx2(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);
void winograd_filter_transform_avx512(const WinogradPlan &p, const WinogradFilterView &w, const float *weights, float *u);

// The V row of one tile (ty, tx) of one NHWC image [in_h, in_w, c].
void winograd_input_tile_scalar(const WinogradPlan &p, const float *image, int ty, int tx, float *v);
void winograd_input_tile_avx2(const WinogradPlan &p, const float *image, int ty, int tx, float *v);
void winograd_input_tile_avx512(const WinogradPlan &p, const float *image, int ty, int tx, float *v);

// M[0 : rows][t][panel] = V[0 : rows][t] x U[t][panel].
void winograd_products_scalar(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows);
void winograd_products_avx2(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows);
void winograd_products_avx512(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows);

// Output tile (ty, tx) of one NHWC image [out_h, out_w, k] from its M row, plus bias (may be null), plus
// the residual image's values at the same places (may be null; may be `image` itself: each value is read
// before it is overwritten), then ReLU when `relu`: a ResNet block's end in the same pass. With p.pool = 2
// (no residual) the image is the pooled one, [out_h / 2, out_w / 2, k], and the tile writes its windows' maxima.
void winograd_output_tile_scalar(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                 const float *residual, bool relu, float *image);
void winograd_output_tile_avx2(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                               const float *residual, bool relu, float *image);
void winograd_output_tile_avx512(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias,
                                 const float *residual, bool relu, float *image);

// Backward-weights, the adjoint of the forward in the filter: with V from winograd_input_tile (the
// forward's plan) and Y = A dy A^T per output tile,
//   Y [rows][T][k_pad]                  transformed output-gradient tiles of one chunk (rows m_row apart)
//   G [T][k_pad/P][c_pad][P]            sum over all tiles of Y[t] (x) V[t], then dW = G^T G[.][k][c] G.
// The Y row of output-gradient tile (ty, tx) of one NHWC image [out_h, out_w, k].
void winograd_gradient_tile_scalar(const WinogradPlan &p, const float *image, int ty, int tx, float *y);
void winograd_gradient_tile_avx2(const WinogradPlan &p, const float *image, int ty, int tx, float *y);
void winograd_gradient_tile_avx512(const WinogradPlan &p, const float *image, int ty, int tx, float *y);

// G[t][panel] += sum over `rows` tiles of Y[r][t][panel] (x) V[r][t].
void winograd_weight_products_scalar(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows);
void winograd_weight_products_avx2(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows);
void winograd_weight_products_avx512(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows);

// The OIHW weight gradient of input channel c and one panel's output channels, from G.
void winograd_weight_gradient_scalar(const WinogradPlan &p, const float *g, int panel, int c, float *dw);
void winograd_weight_gradient_avx2(const WinogradPlan &p, const float *g, int panel, int c, float *dw);
void winograd_weight_gradient_avx512(const WinogradPlan &p, const float *g, int panel, int c, float *dw);

// A 64-bit fingerprint of `count` floats' bits, the same on every ISA (see winograd_filter_cache.cpp).
unsigned long long winograd_fingerprint_scalar(const float *data, long count);
unsigned long long winograd_fingerprint_avx2(const float *data, long count);
unsigned long long winograd_fingerprint_avx512(const float *data, long count);

}  // namespace cnn4j
