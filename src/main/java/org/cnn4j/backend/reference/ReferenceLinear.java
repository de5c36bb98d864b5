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
}
