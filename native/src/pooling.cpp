// C ABI for pooling: decodes the geometry in baseline code, then runs the active ISA's kernel. Our
// own kernels rather than oneDNN's: they read NCHW and NHWC alike (oneDNN is slow on plain NCHW),
// follow PyTorch's ceil-mode divisor exactly, and route max-pool gradients to the first maximum, whose
// positions the forward pass can record (argmax) so the backward pass need not read the input again.
#include <string>

#include "isa.hpp"
#include "pooling.hpp"
#include "status.hpp"

namespace {

cnn4j::PoolPlan plan_of(const int32_t *f, int nhwc, bool argmax) {
    if (!f) throw cnn4j::invalid_argument("null geometry");
    for (int i = 0; i < CNN4J_POOL_FIELDS; ++i) {
        if (f[i] < 0) throw cnn4j::invalid_argument("negative geometry field " + std::to_string(i));
    }
    cnn4j::PoolPlan p{};
    p.images = nhwc ? f[CNN4J_POOL_N] : (long)f[CNN4J_POOL_N] * f[CNN4J_POOL_C];
    p.channels = nhwc ? f[CNN4J_POOL_C] : 1;
    p.h = f[CNN4J_POOL_H], p.w = f[CNN4J_POOL_W], p.kh = f[CNN4J_POOL_KH], p.kw = f[CNN4J_POOL_KW];
    p.stride_h = f[CNN4J_POOL_STRIDE_H], p.stride_w = f[CNN4J_POOL_STRIDE_W];
    p.pad_h = f[CNN4J_POOL_PAD_H], p.pad_w = f[CNN4J_POOL_PAD_W];
    p.out_h = f[CNN4J_POOL_OUT_H], p.out_w = f[CNN4J_POOL_OUT_W];
    p.average = f[CNN4J_POOL_AVERAGE] != 0, p.count_include_pad = f[CNN4J_POOL_COUNT_INCLUDE_PAD] != 0;
    if (f[CNN4J_POOL_C] == 0 || p.h == 0 || p.w == 0 || p.kh == 0 || p.kw == 0 || p.stride_h == 0 || p.stride_w == 0
        || p.out_h == 0 || p.out_w == 0) {
        throw cnn4j::invalid_argument("zero size in geometry");
    }
    if (2L * p.pad_h > p.kh || 2L * p.pad_w > p.kw) throw cnn4j::invalid_argument("padding over half the kernel");
    const long padded_h = p.h + 2L * p.pad_h, padded_w = p.w + 2L * p.pad_w;  // as Java's Pool2dSpec, in long
    if (padded_h > INT32_MAX || padded_w > INT32_MAX || padded_h < p.kh || padded_w < p.kw) {
        throw cnn4j::invalid_argument("invalid pooling geometry: kernel " + std::to_string(p.kh) + "x" + std::to_string(p.kw)
                                      + " does not fit the padded input " + std::to_string(padded_h) + "x"
                                      + std::to_string(padded_w) + ", or that exceeds 2^31-1");
    }
    if (argmax && (p.average || (long)p.kh * p.kw > 256)) {
        throw cnn4j::invalid_argument("argmax needs max pooling with windows of at most 256 elements");
    }
    // Every window must start inside the padded input (output sizes come from Java's Pool2dSpec).
    if ((long)(p.out_h - 1) * p.stride_h >= (long)p.h + p.pad_h || (long)(p.out_w - 1) * p.stride_w >= (long)p.w + p.pad_w) {
        throw cnn4j::invalid_argument("output size does not fit the input");
    }
    return p;
}

}  // namespace

extern "C" int cnn4j_pool2d_forward(const int32_t *pool, int nhwc, const float *src, float *dst, uint8_t *argmax) {
    return cnn4j::guarded("pool2d forward", [&] {
        const cnn4j::PoolPlan p = plan_of(pool, nhwc, argmax != nullptr);
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::pool_forward_scalar, &cnn4j::pool_forward_avx2, &cnn4j::pool_forward_avx512)(p, src, dst, argmax);
    });
}

extern "C" int cnn4j_pool2d_backward(const int32_t *pool, int nhwc, const float *src, const uint8_t *argmax,
                                     const float *diff_dst, float *diff_src) {
    return cnn4j::guarded("pool2d backward", [&] {
        const cnn4j::PoolPlan p = plan_of(pool, nhwc, argmax != nullptr);
        if ((!src && !argmax) || !diff_dst || !diff_src) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::pool_backward_scalar, &cnn4j::pool_backward_avx2, &cnn4j::pool_backward_avx512)(
            p, src, argmax, diff_dst, diff_src);
    });
}

extern "C" int cnn4j_global_avg_pool_forward(int n, int c, int hw, int nhwc, const float *src, float *dst) {
    return cnn4j::guarded("global avg pool forward", [&] {
        if (n < 0 || c <= 0 || hw <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!src || !dst) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::global_avg_forward_scalar, &cnn4j::global_avg_forward_avx2,
                        &cnn4j::global_avg_forward_avx512)(nhwc ? n : (long)n * c, nhwc ? c : 1, hw, src, dst);
    });
}

extern "C" int cnn4j_global_avg_pool_backward(int n, int c, int hw, int nhwc, const float *diff_dst, float *diff_src) {
    return cnn4j::guarded("global avg pool backward", [&] {
        if (n < 0 || c <= 0 || hw <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!diff_dst || !diff_src) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::global_avg_backward_scalar, &cnn4j::global_avg_backward_avx2,
                        &cnn4j::global_avg_backward_avx512)(nhwc ? n : (long)n * c, nhwc ? c : 1, hw, diff_dst, diff_src);
    });
}
