package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ConvTranspose2d's forward and backward passes against direct loops written from the definition (the
 * scatter y[n, o, i*s - p + kh*d, j*s - p + kw*d] += x[n, c, i, j] * w[c, o, kh, kw], and for the gradients
 * the same loop read backwards), on the reference backend and on the native one with its two direct
 * convolution algorithms, for NCHW and NHWC inputs, over a grid of awkward shapes: stride 1, 2 and 3 (also
 * larger than the kernel), padding 0-2, output padding (also one at least the stride, which dilation allows,
 * and one so large that no input reaches the last rows), dilation 2 and 3, groups and depthwise, batch 1 and
 * 3, 1x1 and non-square images, channel counts that are not multiples of 16.
 *
 * <p>Tolerances. The loops sum in double and round once. The reference backend also sums in double and rounds
 * once, and the layer adds the bias in float, one more rounding: two half-ulps of values at most
 * max(|y|, 1) (the sum before the bias is at most |y| + 1 with |bias| <= 1), 1.2e-7 relative, so 1e-6
 * relative to max(scale, 1) ({@link Tolerance#relative}) leaves a margin of 8. The native algorithms sum in
 * float32 over R terms: R = (in/groups)*k*k products per output (those of the convolution's backward-data pass,
 * whose "K" is in) plus the bias, R = (out/groups)*k*k for the input gradient (that convolution's forward) and
 * R = N*H*W for the weight gradient (its backward-weights), with every value in [-1, 1]: {@link Tolerance#sum}
 * (4 R 2^-24 relative to max(scale, 1), floored at 1e-5; the reason is given there), the tolerance the native
 * convolution golden tests use for the same passes. The bias gradient is summed in double by the layer on
 * every backend (1e-6 relative).
 */
class ConvTranspose2dTest {

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    /** One case of the grid, its data and what the loops say. */
    private record Case(int n, int in, int out, int k, int s, int p, int op, int d, int g, int h, int w, boolean bias,
                        float[] x, float[] weight, float[] b, float[] gy, int outH, int outW,
                        double[] y, double[] gx, double[] gw, double[] gb) {

        static Case of(int n, int in, int out, int k, int s, int p, int op, int d, int g, int h, int w, boolean bias) {
            SplittableRandom r = new SplittableRandom(((((n * 31L + in) * 31 + out) * 31 + k) * 31 + s) * 31 + p * 7L + op * 3L + d + g + h * 13L + w);
            int perGroupIn = in / g, perGroupOut = out / g;
            int outH = (h - 1) * s - 2 * p + d * (k - 1) + op + 1, outW = (w - 1) * s - 2 * p + d * (k - 1) + op + 1;
            float[] x = random(r, n * in * h * w), weight = random(r, in * perGroupOut * k * k), b = bias ? random(r, out) : new float[out];
            float[] gy = random(r, n * out * outH * outW);
            double[] y = new double[gy.length], gx = new double[x.length], gw = new double[weight.length], gb = new double[out];
            for (int img = 0; img < n; img++) {
                for (int c = 0; c < in; c++) {
                    int group = c / perGroupIn;
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            int xi = ((img * in + c) * h + i) * w + j;
                            for (int ol = 0; ol < perGroupOut; ol++) {
                                int o = group * perGroupOut + ol;
                                for (int kh = 0; kh < k; kh++) {
                                    int oy = i * s - p + kh * d;
                                    if (oy < 0 || oy >= outH) {
                                        continue;
                                    }
                                    for (int kw = 0; kw < k; kw++) {
                                        int ox = j * s - p + kw * d;
                                        if (ox < 0 || ox >= outW) {
                                            continue;
                                        }
                                        int yi = ((img * out + o) * outH + oy) * outW + ox, wi = ((c * perGroupOut + ol) * k + kh) * k + kw;
                                        y[yi] += (double) x[xi] * weight[wi];
                                        gx[xi] += (double) gy[yi] * weight[wi];
                                        gw[wi] += (double) gy[yi] * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < y.length; i++) {
                int o = i / (outH * outW) % out;
                y[i] += b[o];
                gb[o] += gy[i];
            }
            return new Case(n, in, out, k, s, p, op, d, g, h, w, bias, x, weight, b, gy, outH, outW, y, gx, gw, gb);
        }

        ConvTranspose2d layer() {
            ConvTranspose2d t = ConvTranspose2d.builder(in, out, k).stride(s).padding(p).outputPadding(op).dilation(d).groups(g).bias(bias).build();
            t.weight().value().copyFrom(weight);
            if (bias) {
                t.bias().value().copyFrom(b);
            }
            return t;
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    private static float[] rounded(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static List<Backend> backends() {
        List<Backend> b = new ArrayList<>(List.of(ReferenceBackend.INSTANCE));
        if (!Boolean.getBoolean("cnn4j.skipNative")) { // as the native tests: the library must load unless the build skipped it
            assertThat(NativeBackend.isAvailable()).as("native library loads: %s", NativeBackend.loadError()).isTrue();
            b.add(NativeBackend.instance());
        }
        return b;
    }

    @ParameterizedTest(name = "n{0} {1}->{2} k{3} s{4} p{5} op{6} d{7} g{8} {9}x{10} bias {11}")
    @CsvSource({
            "1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, true",
            "3, 2, 3, 3, 2, 1, 1, 1, 1, 5, 7, true",
            "1, 3, 2, 3, 3, 0, 2, 1, 1, 4, 3, true",
            "2, 4, 6, 3, 2, 2, 1, 2, 2, 6, 5, true",
            "1, 4, 4, 3, 1, 1, 1, 2, 4, 5, 6, true", // depthwise; output padding 1 = stride, allowed by dilation 2
            "2, 2, 3, 3, 1, 0, 1, 2, 1, 4, 4, true", // the last row and column are reached by no input: bias alone
            "1, 2, 2, 2, 1, 0, 2, 3, 1, 3, 3, true", // two such rows and columns
            "1, 3, 5, 2, 3, 0, 0, 1, 1, 3, 5, true", // stride 3 > kernel 2: rows between the taps hold the bias alone
            "1, 17, 16, 4, 2, 1, 0, 1, 1, 7, 9, true",
            "3, 6, 6, 3, 2, 1, 1, 1, 3, 4, 4, false",
            "2, 4, 2, 5, 2, 2, 0, 1, 2, 3, 2, true",
            "1, 2, 2, 3, 2, 2, 0, 1, 1, 2, 2, true", // padding crops all but one row and column
            "2, 8, 8, 3, 2, 1, 1, 1, 8, 1, 1, false", // depthwise on a 1x1 image
            "1, 3, 33, 3, 1, 1, 0, 1, 1, 6, 5, true"})
    void forwardAndBackwardAsTheDefinitionOnEveryBackend(int n, int in, int out, int k, int s, int p, int op, int d, int g, int h, int w,
                                                         boolean bias) {
        Case c = Case.of(n, in, out, k, s, p, op, d, g, h, w, bias);
        for (Backend backend : backends()) {
            Backends.use(backend);
            boolean reference = backend == ReferenceBackend.INSTANCE;
            ConvAlgorithm[] algorithms = reference ? new ConvAlgorithm[] {null} : new ConvAlgorithm[] {ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM};
            for (ConvAlgorithm algorithm : algorithms) {
                ConvAlgorithm.use(algorithm);
                for (Layout layout : new Layout[] {Layout.NCHW, Layout.NHWC}) {
                    String where = backend.name() + (algorithm == null ? "" : " " + algorithm) + " " + layout + " input";
                    try (ConvTranspose2d t = c.layer(); Tensor x = Tensor.zeros(Shape.of(n, in, h, w), layout).copyFrom(c.x)) {
                        t.setNeedsInputGrad(true);
                        Tensor y = t.forward(x);
                        assertThat(y.dims()).as(where).containsExactly(n, out, c.outH, c.outW);
                        assertThat(t.outputShape(new int[] {in, h, w})).containsExactly(out, c.outH, c.outW);
                        Tolerance.Comparison forward = (reference ? Tolerance.relative(1e-6) : Tolerance.sum(in / g * k * k + 1))
                                .compare(y.toArray(), rounded(c.y));
                        assertThat(forward.ok()).as("%s forward: %s", where, forward).isTrue();
                        try (Tensor gy = Tensor.zeros(Shape.of(y.dims()), y.layout()).copyFrom(c.gy)) {
                            Tolerance.Comparison gx = (reference ? Tolerance.relative(1e-6) : Tolerance.sum(out / g * k * k))
                                    .compare(t.backward(gy).toArray(), rounded(c.gx));
                            assertThat(gx.ok()).as("%s input gradient: %s", where, gx).isTrue();
                        }
                        Tolerance.Comparison gw = (reference ? Tolerance.relative(1e-6) : Tolerance.sum(n * h * w))
                                .compare(t.weight().grad().toArray(), rounded(c.gw));
                        assertThat(gw.ok()).as("%s weight gradient: %s", where, gw).isTrue();
                        if (bias) {
                            Tolerance.Comparison gb = Tolerance.relative(1e-6).compare(t.bias().grad().toArray(), rounded(c.gb));
                            assertThat(gb.ok()).as("%s bias gradient: %s", where, gb).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSecondBatchOfAnotherSizeAndAFrozenWeightWithATrainableBias() {
        Case small = Case.of(1, 2, 4, 3, 2, 1, 1, 1, 2, 3, 4, true), big = Case.of(3, 2, 4, 3, 2, 1, 1, 1, 2, 5, 2, true);
        for (Backend backend : backends()) {
            Backends.use(backend);
            Tolerance tolerance = backend == ReferenceBackend.INSTANCE ? Tolerance.relative(1e-6) : Tolerance.sum(2 / 2 * 9 + 1);
            try (ConvTranspose2d t = small.layer(); Tensor a = Tensor.of(small.x, 1, 2, 3, 4); Tensor b = Tensor.of(big.x, 3, 2, 5, 2)) {
                assertThat(tolerance.compare(t.forward(a).toArray(), rounded(small.y)).ok()).isTrue();
                t.weight().value().copyFrom(big.weight);
                t.bias().value().copyFrom(big.b);
                assertThat(tolerance.compare(t.forward(b).toArray(), rounded(big.y)).ok()).as("%s after a batch of another shape", backend.name())
                        .isTrue();
                t.weight().setFrozen(true);
                float[] before = t.weight().grad().toArray();
                try (Tensor gy = Tensor.zeros(Shape.of(3, 4, big.outH, big.outW), Backends.current().activationLayout()).copyFrom(big.gy)) {
                    t.setNeedsInputGrad(false);
                    assertThat(t.backward(gy)).as("no input gradient asked for").isNull();
                }
                assertThat(t.weight().grad().toArray()).as("a frozen weight's gradient is left alone").containsExactly(before);
                assertThat(Tolerance.relative(1e-6).compare(t.bias().grad().toArray(), rounded(big.gb)).ok()).as("%s bias gradient", backend.name())
                        .isTrue();
            }
        }
    }

    @Test
    void configShapesAndCountsAsPytorch() {
        Init.manualSeed(4);
        try (ConvTranspose2d t = ConvTranspose2d.builder(16, 8, 4).stride(2).padding(1).groups(2).build();
             ConvTranspose2d u = new ConvTranspose2d(3, 6, 3, 2, 1, 1, 3, false, 2)) {
            // nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, groups=2): weight [16, 4, 4, 4], 14x14 -> 28x28
            assertThat(t.weight().value().dims()).containsExactly(16, 4, 4, 4);
            assertThat(t.outputShape(new int[] {16, 14, 14})).containsExactly(8, 28, 28);
            assertThat(t.macs(new int[][] {{16, 14, 14}}, new int[] {8, 28, 28})).isEqualTo(14L * 14 * 16 * 4 * 4 * 4);
            assertThat(t.parameterCount()).isEqualTo(16 * 4 * 16 + 8).isEqualTo(LayerRegistry.weightFloats(t.config()));
            // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = weight.size(1) * k * k = 4 * 16
            float[] w = t.weight().value().toArray();
            double bound = 1 / Math.sqrt(64), largest = 0;
            for (float v : w) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertThat(largest).isLessThanOrEqualTo(bound).isGreaterThan(0.95 * bound);
            assertThat(t.fanIn()).isEqualTo(64);
            assertThat(t.describe()).isEqualTo("ConvTranspose2d(16->8, 4x4, stride 2, pad 1, groups 2)");
            // PyTorch's argument order: in, out, kernel, stride, padding, output_padding, groups, bias, dilation
            assertThat(u.config().values()).containsExactly(entry("in", 3), entry("out", 6), entry("kernel", 3), entry("stride", 2),
                    entry("padding", 1), entry("output_padding", 1), entry("dilation", 2), entry("groups", 3), entry("bias", false));
            assertThat(u.describe()).isEqualTo("ConvTranspose2d(3->6, 3x3, stride 2, pad 1, output pad 1, dilation 2, groups 3, no bias)");
            assertThat(u.outputShape(new int[] {3, 5, 1})).containsExactly(6, 4 * 2 - 2 + 4 + 1 + 1, 0 - 2 + 4 + 1 + 1);
            try (Module rebuilt = LayerRegistry.build(u.config())) {
                assertThat(rebuilt).isInstanceOf(ConvTranspose2d.class);
                assertThat(rebuilt.config()).isEqualTo(u.config());
                assertThat(rebuilt.typeName()).isEqualTo("ConvTranspose2d");
            }
        }
    }

    @Test
    void aPredictorRunsAReplicaOnTheModelsWeights() {
        Case c = Case.of(2, 3, 4, 3, 2, 1, 1, 1, 1, 4, 3, true);
        Sequential net = new Sequential().add("up", c.layer());
        try (net; Predictor p = Predictor.of(net); Tensor x = Tensor.of(c.x, 2, 3, 4, 3)) {
            Tolerance tolerance = Backends.current() == ReferenceBackend.INSTANCE ? Tolerance.relative(1e-6) : Tolerance.sum(3 * 9 + 1);
            assertThat(tolerance.compare(p.forward(x).toArray(), rounded(c.y)).ok()).isTrue();
        }
    }
}
