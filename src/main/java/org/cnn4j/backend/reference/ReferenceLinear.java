package org.cnn4j.backend.reference;

/** Matrix products in plain loops with double accumulation: GEMM and the fully connected layer. */
final class ReferenceLinear {
    private ReferenceLinear() {
    }

    /** C = alpha * op(A) op(B) + beta * C, row-major, A stored [m,k] ([k,m] if transA), B [k,n] ([n,k] if transB). */
    static double[] gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                out[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** y[n, out] = x[n, in] w[out, in]^T + b. */
    static double[] forward(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int p = 0; p < in; p++) {
                    sum += x[i * in + p] * w[o * in + p];
                }
                y[i * out + o] = sum;
            }
        }
        return y;
    }

    /** Gradients of y = x w^T + b: {@code out[0]} dx [n, in], {@code out[1]} dw [out, in], {@code out[2]} db [out]. */
    static double[][] backward(double[] x, double[] w, double[] gy, int n, int in, int out) {
        double[] gx = gemm(false, false, n, in, out, 1, gy, w, 0, null);
        double[] gw = gemm(true, false, out, in, n, 1, gy, x, 0, null);
        double[] gb = new double[out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                gb[o] += gy[i * out + o];
            }
        }
        return new double[][] {gx, gw, gb};
    }
}
