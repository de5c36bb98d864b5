// The driver shared by the 2-D and 1-D Winograd convolutions (winograd_driver.cpp): a variant is its
// plan and its per-tile kernels, already dispatched to the active ISA.
#pragma once

#include "winograd.hpp"

namespace cnn4j {

// The per-tile kernels of one Winograd variant (signatures as winograd.hpp's 2-D kernels; a 1-D
// variant's tiles all have ty = 0).
struct WinogradKernelSet {
    void (*input)(const WinogradPlan &p, const float *image, int ty, int tx, float *v);
    void (*products)(const WinogradPlan &p, const float *v, const float *u, float *m, int t, int panel, long rows);
    void (*output)(const WinogradPlan &p, const float *m, int ty, int tx, const float *bias, const float *residual,
                   bool relu, float *image);
    void (*gradient)(const WinogradPlan &p, const float *image, int ty, int tx, float *y);
    void (*weight_products)(const WinogradPlan &p, const float *v, const float *y, float *g, int t, int panel, long rows);
    void (*weight_gradient)(const WinogradPlan &p, const float *g, int panel, int c, float *dw);
};

// The plan without its chunking (rows and the V and M row strides are the driver's): output tiles of
// m (x m), `points` Winograd-domain points per tile ((m+2)^2 in 2-D, m+2 in 1-D).
WinogradPlan winograd_plan(int m, int points, int c, int k, int in_h, int in_w, int out_h, int out_w, int pad_top,
                           int pad_left);

// Convolves n NHWC images [in_h, in_w, c] into [out_h, out_w, k] with the transformed filter u; the
// output transform adds the bias and the residual (both may be null) and applies ReLU if asked.
void winograd_convolve(const WinogradPlan &p, const WinogradKernelSet &kernels, int n, const float *src, const float *u,
                       const float *bias, const float *residual, bool relu, float *dst);

// The weight gradient (OIHW) and, when db is not null, the bias gradient of a convolution of n NHWC
// images [in_h, in_w, c] whose output gradient is dy [out_h, out_w, k].
void winograd_weight_gradient(const WinogradPlan &p, const WinogradKernelSet &kernels, int n, const float *src,
                              const float *dy, float *dw, float *db);

}  // namespace cnn4j
