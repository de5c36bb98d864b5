package org.cnn4j.backend.reference;

/**
 * Batch normalisation per channel of NCHW arrays, as PyTorch defines it: training normalises with the
 * batch mean and biased variance and updates the running statistics with the unbiased variance;
 * inference normalises with fixed statistics.
 */
final class ReferenceBatchNorm {
    private ReferenceBatchNorm() {
    }

    /** Mean and biased variance per channel: {@code out[0]} means, {@code out[1]} variances. */
    static double[][] statistics(double[] x, int n, int c, int hw) {
        double[] mean = new double[c], var = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    sum += x[(i * c + ch) * hw + p];
                }
            }
            mean[ch] = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[(i * c + ch) * hw + p] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / m;
        }
        return new double[][] {mean, var};
    }

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta; with {@code relu}, ReLU(y). */
    static double[] normalize(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double[] mean, double[] var,
                              double eps, boolean relu) {
        return normalize(x, null, n, c, hw, gamma, beta, mean, var, eps, relu);
    }

    /** y = gamma * (x - mean) / sqrt(var + eps) + beta, plus {@code residual} (may be null) element by element, then the ReLU. */
    static double[] normalize(double[] x, double[] residual, int n, int c, int hw, double[] gamma, double[] beta, double[] mean,
                              double[] var, double eps, boolean relu) {
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double inv = 1 / Math.sqrt(var[ch] + eps);
                for (int p = 0; p < hw; p++) {
                    int idx = (i * c + ch) * hw + p;
                    double v = (x[idx] - mean[ch]) * inv * gamma[ch] + beta[ch] + (residual == null ? 0 : residual[idx]);
                    y[idx] = relu ? ReferenceActivations.relu(v) : v;
                }
            }
        }
        return y;
    }

    /** Zeroes the gradient {@code gy} after a fused ReLU where {@link #normalize} gave y <= 0 (the ReLU's backward). */
    static void maskByRelu(double[] gy, double[] x, int n, int c, int hw, double[] gamma, double[] beta, double[] mean, double[] var,
                           double eps) {
        maskByRelu(gy, x, null, n, c, hw, gamma, beta, mean, var, eps);
    }

    /** {@link #maskByRelu} after a fused sum with {@code residual}. */
    static void maskByRelu(double[] gy, double[] x, double[] residual, int n, int c, int hw, double[] gamma, double[] beta,
                           double[] mean, double[] var, double eps) {
        double[] y = normalize(x, residual, n, c, hw, gamma, beta, mean, var, eps, false);
        for (int i = 0; i < gy.length; i++) {
            if (!ReferenceActivations.reluPasses(y[i])) {
                gy[i] = 0;
            }
        }
    }

    /** running = (1 - momentum) * running + momentum * batch, with the unbiased variance (m / (m - 1)). */
    static void updateRunning(double[] runMean, double[] runVar, double[] mean, double[] var, int count, double momentum) {
        for (int ch = 0; ch < mean.length; ch++) {
            double unbiased = count > 1 ? var[ch] * count / (count - 1) : var[ch];
            runMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean[ch];
            runVar[ch] = (1 - momentum) * runVar[ch] + momentum * unbiased;
        }
    }

    /**
     * Gradients: {@code out[0]} dx, {@code out[1]} dgamma, {@code out[2]} dbeta. In training the mean
     * and variance depend on x: dx = gamma * inv / m * (m * dy - sum(dy) - xhat * sum(dy * xhat)).
     */
    static double[][] backward(double[] x, int n, int c, int hw, double[] gamma, double[] mean, double[] var, double[] gy,
                               double eps, boolean training) {
        double[] gx = new double[x.length], gGamma = new double[c], gBeta = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(var[ch] + eps);
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    int idx = (i * c + ch) * hw + p;
                    double xhat = (x[idx] - mean[ch]) * inv;
                    sumDy += gy[idx];
                    sumDyXhat += gy[idx] * xhat;
                }
            }
            gGamma[ch] = sumDyXhat;
            gBeta[ch] = sumDy;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < hw; p++) {
                    int idx = (i * c + ch) * hw + p;
                    if (training) {
                        double xhat = (x[idx] - mean[ch]) * inv;
                        gx[idx] = gamma[ch] * inv / m * (m * gy[idx] - sumDy - xhat * sumDyXhat);
                    } else {
                        gx[idx] = gamma[ch] * inv * gy[idx];
                    }
                }
            }
        }
        return new double[][] {gx, gGamma, gBeta};
    }
}
