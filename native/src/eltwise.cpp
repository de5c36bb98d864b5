// C ABI for element-wise add and multiply (residual connections, dropout's backward): the active
// ISA's kernel over the whole buffer, whatever its layout; and the dispatch of the ReLU kernels.
#include "eltwise.hpp"
#include "isa.hpp"
#include "status.hpp"

namespace {

int binary(const char *name, int op, int64_t count, const float *a, const float *b, float *out) {
    return cnn4j::guarded(name, [&] {
        if (count < 0) throw cnn4j::invalid_argument("negative element count");
        if (!a || !b || !out) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::eltwise_binary_scalar, &cnn4j::eltwise_binary_avx2, &cnn4j::eltwise_binary_avx512)(
            op, count, a, b, out);
    });
}

}  // namespace

void cnn4j::eltwise_relu(int op, float alpha, float beta, long count, const float *x, const float *dy, float *out) {
    cnn4j::dispatch(&cnn4j::eltwise_relu_scalar, &cnn4j::eltwise_relu_avx2, &cnn4j::eltwise_relu_avx512)(op, alpha, beta, count, x,
                                                                                                    dy, out);
}

extern "C" int cnn4j_add(int64_t count, const float *a, const float *b, float *out) {
    return binary("add", cnn4j::ELTWISE_ADD, count, a, b, out);
}

extern "C" int cnn4j_channel_scale(int n, int c, int64_t hw, int nhwc, const float *x, const float *s, float *out) {
    return cnn4j::guarded("channel scale", [&] {
        if (n < 0 || c <= 0 || hw <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!x || !s || !out) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::channel_scale_scalar, &cnn4j::channel_scale_avx2, &cnn4j::channel_scale_avx512)(
            nhwc ? n : (long)n * c, nhwc ? c : 1, hw, x, s, out);
    });
}

extern "C" int cnn4j_channel_scale_grad(int n, int c, int64_t hw, int nhwc, const float *x, const float *dy, float *ds) {
    return cnn4j::guarded("channel scale backward", [&] {
        if (n < 0 || c <= 0 || hw <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!x || !dy || !ds) throw cnn4j::invalid_argument("null buffer");
        cnn4j::dispatch(&cnn4j::channel_scale_grad_scalar, &cnn4j::channel_scale_grad_avx2, &cnn4j::channel_scale_grad_avx512)(
            nhwc ? n : (long)n * c, nhwc ? c : 1, hw, x, dy, ds);
    });
}

extern "C" int cnn4j_multiply(int64_t count, const float *a, const float *b, float *out) {
    return binary("multiply", cnn4j::ELTWISE_MULTIPLY, count, a, b, out);
}
