package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** Row-major matrix product C = alpha * op(A) op(B) + beta * C on the active backend (see Backend#gemm). */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Gemm {
    private Gemm() {
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: m, n, k must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        Check.finite("gemm", "alpha", alpha);
        Check.finite("gemm", "beta", beta);
        size("a", Check.open("gemm", "a", a), (long) m * k);
        size("b", Check.open("gemm", "b", b), (long) k * n);
        size("c", Check.open("gemm", "c", c), (long) m * n);
        Check.writable("gemm", "c", c);
        try (TensorUse use = TensorUse.of("gemm", a, b, c)) {
            Backends.current().gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        }
    }

    private static void size(String arg, Tensor t, long need) {
        if (t.numel() != need) {
            throw new IllegalArgumentException("gemm: " + arg + " " + t.shape() + " has " + t.numel() + " elements, the sizes need " + need);
        }
    }
}
