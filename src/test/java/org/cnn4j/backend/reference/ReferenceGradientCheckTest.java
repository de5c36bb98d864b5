package org.cnn4j.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.DropoutMask;
import org.cnn4j.backend.Pool2dSpec;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks, in double, of every backward of the reference backend. For an op f and a
 * random weighting gy, L(x) = sum(f(x) * gy); the analytic gradient must match the central difference
 * (L(x + h e_i) - L(x - h e_i)) / 2h. With h = 1e-5 the truncation error is O(h^2 * f''') and the
 * rounding error O(1e-16 / h): both far below the 1e-6 relative tolerance used.
 */
class ReferenceGradientCheckTest {
    private static final double H = 1e-5;
    private final SplittableRandom rnd = new SplittableRandom(17);

    private double[] random(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Compares {@code analytic} with the central difference of x -> sum(f(x) * gy). */
    private static void check(String what, double[] x, Function<double[], double[]> f, double[] gy, double[] analytic) {
        assertThat(analytic).as(what + " gradient length").hasSameSizeAs(x);
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + H;
            double up = dot(f.apply(x), gy);
            x[i] = keep - H;
            double down = dot(f.apply(x), gy);
            x[i] = keep;
            double numeric = (up - down) / (2 * H);
            assertThat(analytic[i]).as("%s: d/dx[%d]", what, i).isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-6 * (1 + Math.abs(numeric))));
        }
    }

    static List<Conv2dSpec> convShapes() {
        return List.of(
                Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1, 0),              // 1x1 input and kernel
                Conv2dSpec.of(2, 3, 5, 4, 2, 3, 1, 1),              // odd sizes, padding
                Conv2dSpec.of(1, 2, 7, 7, 3, 2, 3, 0),              // stride > kernel
                Conv2dSpec.of(1, 2, 7, 6, 2, 3, 1, 2, 2, 1),        // dilation
                Conv2dSpec.of(2, 4, 5, 5, 6, 3, 2, 1, 1, 2),        // groups
                Conv2dSpec.of(1, 3, 6, 5, 3, 3, 1, 1, 1, 3),        // depthwise
                new Conv2dSpec(1, 2, 5, 6, 2, 3, 2, 2, 1, 0, 2, 1, 0, 1, 1, 1)); // uneven padding, rectangular kernel
    }

    @Test
    void convolution() {
        for (Conv2dSpec s : convShapes()) {
            double[] x = random(s.n() * s.c() * s.h() * s.w());
            double[] w = random(s.k() * (s.c() / s.groups()) * s.kh() * s.kw());
            double[] b = random(s.k());
            double[] gy = random(s.n() * s.k() * s.outH() * s.outW());
            double[] gb = new double[s.k()];
            double[] gw = ReferenceConvolution.backwardWeights(s, x, gy, gb);
            check("conv input " + s, x, v -> ReferenceConvolution.forward(s, v, w, b), gy, ReferenceConvolution.backwardData(s, gy, w));
            check("conv weight " + s, w, v -> ReferenceConvolution.forward(s, x, v, b), gy, gw);
            check("conv bias " + s, b, v -> ReferenceConvolution.forward(s, x, w, v), gy, gb);
        }
    }

    @Test
    void pooling() {
        List<Pool2dSpec> specs = List.of(
                Pool2dSpec.of(Pool2dSpec.Kind.MAX, 2, 2, 6, 6, 2, 2, 0),
                Pool2dSpec.of(Pool2dSpec.Kind.MAX, 1, 2, 7, 5, 3, 2, 1),
                new Pool2dSpec(Pool2dSpec.Kind.MAX, 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, true, false),
                Pool2dSpec.of(Pool2dSpec.Kind.AVG, 1, 2, 7, 7, 3, 2, 1),
                new Pool2dSpec(Pool2dSpec.Kind.AVG, 1, 2, 7, 7, 3, 3, 2, 2, 1, 1, false, true),
                new Pool2dSpec(Pool2dSpec.Kind.AVG, 2, 1, 5, 6, 2, 2, 2, 2, 1, 1, true, false),
                new Pool2dSpec(Pool2dSpec.Kind.AVG, 1, 1, 1, 1, 1, 1, 3, 3, 0, 0, false, true));
        for (Pool2dSpec s : specs) {
            double[] x = random(s.n() * s.c() * s.h() * s.w());
            double[] gy = random(s.n() * s.c() * s.outH() * s.outW());
            check("pool " + s, x, v -> ReferencePooling.forward(s, v), gy, ReferencePooling.backward(s, x, gy));
        }
        double[] x = random(2 * 3 * 5);
        double[] gy = random(6);
        check("global avg pool", x, v -> ReferencePooling.globalAvgForward(v, 6, 5), gy, ReferencePooling.globalAvgBackward(gy, 6, 5));
    }

    @Test
    void batchNormTrainingAndInference() {
        int[][] shapes = {{2, 3, 2, 2}, {4, 1, 1, 1}, {1, 2, 3, 5}};
        for (int[] d : shapes) {
            int n = d[0], c = d[1], hw = d[2] * d[3];
            double eps = 1e-5;
            double[] x = random(n * c * hw), gamma = random(c), beta = random(c), gy = random(n * c * hw);
            double[][] st = ReferenceBatchNorm.statistics(x, n, c, hw);
            double[][] g = ReferenceBatchNorm.backward(x, n, c, hw, gamma, st[0], st[1], gy, eps, true);
            Function<Boolean, Function<double[], double[]>> train = relu -> v -> {
                double[][] s = ReferenceBatchNorm.statistics(v, n, c, hw);
                return ReferenceBatchNorm.normalize(v, n, c, hw, gamma, beta, s[0], s[1], eps, relu);
            };
            check("bn train input " + java.util.Arrays.toString(d), x, train.apply(false), gy, g[0]);
            check("bn gamma", gamma, v -> ReferenceBatchNorm.normalize(x, n, c, hw, v, beta, st[0], st[1], eps, false), gy, g[1]);
            check("bn beta", beta, v -> ReferenceBatchNorm.normalize(x, n, c, hw, gamma, v, st[0], st[1], eps, false), gy, g[2]);
            double[] mean = random(c), var = random(c);
            for (int i = 0; i < c; i++) {
                var[i] = Math.abs(var[i]) + 0.1;
            }
            double[][] ge = ReferenceBatchNorm.backward(x, n, c, hw, gamma, mean, var, gy, eps, false);
            check("bn eval input", x, v -> ReferenceBatchNorm.normalize(v, n, c, hw, gamma, beta, mean, var, eps, false), gy, ge[0]);

            // batch norm with a fused ReLU: the mask comes from the recomputed y
            double[] masked = gy.clone();
            ReferenceBatchNorm.maskByRelu(masked, x, n, c, hw, gamma, beta, st[0], st[1], eps);
            double[][] gr = ReferenceBatchNorm.backward(x, n, c, hw, gamma, st[0], st[1], masked, eps, true);
            check("bn+relu train input " + java.util.Arrays.toString(d), x, train.apply(true), gy, gr[0]);
            check("bn+relu beta", beta, v -> ReferenceBatchNorm.normalize(x, n, c, hw, gamma, v, st[0], st[1], eps, true), gy, gr[2]);

            // a residual block's end, batch norm + shortcut + ReLU: the mask comes from y with the shortcut added,
            // and the shortcut's gradient is the masked one
            double[] r = random(n * c * hw), maskedSum = gy.clone();
            ReferenceBatchNorm.maskByRelu(maskedSum, x, r, n, c, hw, gamma, beta, st[0], st[1], eps);
            double[][] gs = ReferenceBatchNorm.backward(x, n, c, hw, gamma, st[0], st[1], maskedSum, eps, true);
            check("bn+add+relu train input " + java.util.Arrays.toString(d), x, v -> {
                double[][] s = ReferenceBatchNorm.statistics(v, n, c, hw);
                return ReferenceBatchNorm.normalize(v, r, n, c, hw, gamma, beta, s[0], s[1], eps, true);
            }, gy, gs[0]);
            check("bn+add+relu shortcut", r, v -> ReferenceBatchNorm.normalize(x, v, n, c, hw, gamma, beta, st[0], st[1], eps, true),
                    gy, maskedSum);
        }
    }

    @Test
    void activations() {
        for (Activation a : List.of(Activation.RELU, Activation.leakyRelu(0.1f), Activation.SIGMOID, Activation.TANH)) {
            double[] x = random(40);
            double[] gy = random(40);
            double[] grad = new double[40];
            for (int i = 0; i < 40; i++) {
                grad[i] = gy[i] * ReferenceActivations.derivative(a, x[i], ReferenceActivations.apply(a, x[i]));
            }
            Function<double[], double[]> f = v -> {
                double[] y = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    y[i] = ReferenceActivations.apply(a, v[i]);
                }
                return y;
            };
            // gy is folded into grad already, so compare against the derivative of sum(f * gy)
            check(a.kind().name(), x, f, gy, grad);
        }
    }

    @Test
    void linear() {
        int n = 3, in = 5, out = 4;
        double[] x = random(n * in), w = random(out * in), b = random(out), gy = random(n * out);
        double[][] g = ReferenceLinear.backward(x, w, gy, n, in, out);
        check("linear input", x, v -> ReferenceLinear.forward(v, w, b, n, in, out), gy, g[0]);
        check("linear weight", w, v -> ReferenceLinear.forward(x, v, b, n, in, out), gy, g[1]);
        check("linear bias", b, v -> ReferenceLinear.forward(x, w, v, n, in, out), gy, g[2]);
    }

    @Test
    void softmaxCrossEntropyIncludingLargeLogits() {
        int n = 3, k = 5;
        int[] targets = {0, 4, 2};
        double[] z = random(n * k);
        z[3] = 800; // exp(800) overflows: the max subtraction must keep the loss finite
        double[] one = {1};
        check("cross entropy", z, v -> new double[] {ReferenceLoss.crossEntropy(v, targets, n, k)}, one,
                ReferenceLoss.crossEntropyGradient(z, targets, n, k));
        assertThat(ReferenceLoss.crossEntropy(z, targets, n, k)).isFinite();
    }

    @Test
    void dropoutIsLinearWithItsMaskAndReproducible() {
        long seed = 99;
        float p = 0.3f;
        int kept = 0;
        for (int i = 0; i < 10000; i++) {
            assertThat(DropoutMask.keep(seed, i, p)).isEqualTo(DropoutMask.keep(seed, i, p));
            kept += DropoutMask.keep(seed, i, p) ? 1 : 0;
        }
        // binomial(10000, 0.7): standard deviation 46, so +-230 is five sigma
        assertThat(kept).isBetween(7000 - 230, 7000 + 230);
    }
}
