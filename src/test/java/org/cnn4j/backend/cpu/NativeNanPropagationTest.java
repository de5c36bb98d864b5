package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.Pool2dSpec.Kind;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NaN goes where PyTorch sends it, on the native backend (every ISA) and the reference alike, bit for
 * bit: ReLU keeps a NaN and passes its gradient (clamp_min, threshold_backward); leaky ReLU gives
 * alpha * NaN and the gradient times alpha; max pooling lets a NaN beat everything before it in the
 * window ({@code val > maxval || isnan(val)}), so the output is NaN and the gradient goes to the last
 * NaN; the fused ReLUs (batch norm + ReLU, convolution + ReLU on every algorithm) keep it too.
 */
class NativeNanPropagationTest {
    private static final float NAN = Float.NaN;
    private static final float[] VALUES = {NAN, -1f, -0f, 0f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f, NAN,
        1f, -2f, 5f, 6f, 7f, 8f, 9f, NAN, -3f};

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    /** The trainer's gradient check: NaN, both infinities, but not the largest float, subnormals or -0; buffers on both sides of the threaded size. */
    @Test
    void countNonFiniteFindsEveryNanAndInfinity() {
        for (int n : new int[] {1, 17, 100_003}) {
            float[] v = new float[n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(n);
            int bad = 0;
            for (int i = 0; i < n; i++) {
                float[] kinds = {(float) r.nextGaussian(), Float.MAX_VALUE, -Float.MIN_VALUE, -0f, Float.NaN, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)};
                v[i] = kinds[r.nextInt(i == 0 ? kinds.length - 4 : kinds.length)];
                bad += Float.isFinite(v[i]) ? 0 : 1;
            }
            try (Tensor t = Tensor.of(v, n)) {
                assertThat(NativeBackend.instance().countNonFinite(t)).as("native, %d floats", n).isEqualTo(bad);
                assertThat(ReferenceBackend.INSTANCE.countNonFinite(t)).as("reference, %d floats", n).isEqualTo(bad);
            }
        }
    }

    @Test
    void reluLeakyReluAndRelu6TreatNanAsPyTorchDoes() {
        float[] dy = new float[VALUES.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = 0.5f + i;
        }
        for (Activation a : List.of(Activation.RELU, Activation.leakyRelu(0.1f), Activation.leakyRelu(0f), Activation.RELU6,
                Activation.hardSigmoid(1f / 6, 0.5f), Activation.HARD_SWISH)) {
            float alpha = a.alpha();
            float[] y = new float[VALUES.length], dx = new float[VALUES.length];
            for (int i = 0; i < VALUES.length; i++) {
                float x = VALUES[i];
                switch (a.kind()) { // PyTorch's relu, leaky_relu, hardtanh(0, 6), hardsigmoid, hardswish with their backward kernels
                    case RELU -> {
                        y[i] = x < 0 ? 0f : x;
                        dx[i] = x <= 0 ? 0f : dy[i];
                    }
                    case RELU6 -> {
                        y[i] = x < 0 ? 0f : x > 6 ? 6f : x;
                        dx[i] = x <= 0 || x >= 6 ? 0f : dy[i];
                    }
                    case HARD_SIGMOID -> {
                        y[i] = Float.isNaN(x) ? x : Math.min(Math.max(x / 6 + 0.5f, 0f), 1f);
                        dx[i] = x > -3 && x < 3 ? dy[i] / 6 : 0f;
                    }
                    case HARD_SWISH -> {
                        y[i] = Float.isNaN(x) ? x : x * Math.min(Math.max(x / 6 + 0.5f, 0f), 1f);
                        dx[i] = x < -3 ? 0f : x <= 3 ? dy[i] * (x / 3 + 0.5f) : dy[i];
                    }
                    default -> {
                        y[i] = x > 0 ? x : alpha * x;
                        dx[i] = x > 0 ? dy[i] : alpha * dy[i];
                    }
                }
            }
            assertThat(y[0]).as("%s keeps NaN", a).isNaN();
            for (Backend backend : backends()) {
                String what = backend.name() + " " + NativeLibrary.activeIsa() + " " + a;
                try (Tensor x = Tensor.of(VALUES, VALUES.length); Tensor out = Tensor.zeros(VALUES.length);
                     Tensor g = Tensor.of(dy, dy.length); Tensor gx = Tensor.zeros(VALUES.length)) {
                    backend.activationForward(a, x, out);
                    backend.activationBackward(a, x, out, g, gx);
                    if (a.kind() == Activation.Kind.HARD_SIGMOID || a.kind() == Activation.Kind.HARD_SWISH) {
                        assertNanWhereExpected(what + " forward", out.toArray(), y);
                        assertNanWhereExpected(what + " backward", gx.toArray(), dx);
                    } else {
                        NativeGoldenSupport.assertExact(what + " forward", out.toArray(), y);
                        NativeGoldenSupport.assertExact(what + " backward", gx.toArray(), dx);
                    }
                }
            }
        }
    }

    /**
     * NaN exactly where expected, infinities equal, and finite values within 2e-6: the hard activations' x / 6 + 1 / 2
     * rounds differently fused, unfused and in double, which is not what this test is about.
     */
    private static void assertNanWhereExpected(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.isInfinite(expected[i]) ? actual[i] == expected[i] : Math.abs(actual[i] - expected[i]) <= 2e-6;
            assertThat(same).as("%s at %d (x = %s): %s, expected %s", what, i, VALUES[i], actual[i], expected[i]).isTrue();
        }
    }

    /** One output per window (stride = kernel), 2 channels: a NaN at each position of the window, alone and with a later one. */
    @Test
    void maxPoolingPropagatesNanFromEveryWindowPosition() {
        for (int kernel : new int[] {2, 3}) { // 2x2 stride 2 has its own unrolled kernel
            Pool2dSpec s = Pool2dSpec.of(Kind.MAX, 1, 2, kernel, kernel, kernel, kernel, 0);
            int size = kernel * kernel;
            for (int first = 0; first < size; first++) {
                for (int second = first; second < size; second++) {
                    float[] plane = new float[size];
                    for (int i = 0; i < size; i++) {
                        plane[i] = i == 1 ? 100f : i - 4f; // a large finite maximum that NaN must still beat
                    }
                    plane[first] = NAN;
                    plane[second] = NAN;
                    checkMaxPool(s, plane, second, "NaN at " + first + " and " + second);
                }
            }
        }
    }

    /** Overlapping, padded windows over an input with NaNs: the native kernels agree with the reference. */
    @Test
    void maxPoolingWithOverlappingWindowsAgreesWithTheReferenceOnNan() {
        List<Pool2dSpec> specs = List.of(Pool2dSpec.of(Kind.MAX, 2, 19, 7, 9, 3, 2, 1), Pool2dSpec.of(Kind.MAX, 1, 16, 8, 8, 2, 2, 0),
                new Pool2dSpec(Kind.MAX, 1, 5, 5, 8, 3, 2, 2, 3, 1, 1, true, false));
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Pool2dSpec s : specs) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    try (Tensor x = withNans(NativeGoldenSupport.random(s.inputDims(), layout, 8), 7);
                         Tensor dy = NativeGoldenSupport.random(s.outputDims(), layout, 9)) {
                        String what = isa + " " + layout + " " + s;
                        float[] y = forward(ReferenceBackend.INSTANCE, s, x);
                        assertThat(y).as("some window has a NaN").contains(NAN);
                        NativeGoldenSupport.assertExact(what + " forward", forward(NativeBackend.instance(), s, x), y);
                        // overlapping windows add gradients up, in float natively and in double in the reference
                        NativeGoldenSupport.assertWithin(what + " backward", backward(NativeBackend.instance(), s, x, dy),
                                backward(ReferenceBackend.INSTANCE, s, x, dy), 1e-5);
                        assertArgmaxAgrees(s, x, what);
                    }
                }
            }
        }
    }

    private static void checkMaxPool(Pool2dSpec s, float[] plane, int lastNan, String what) {
        int size = plane.length;
        float[] values = new float[2 * size];
        System.arraycopy(plane, 0, values, 0, size);
        for (int i = 0; i < size; i++) {
            values[size + i] = i; // the second channel has no NaN: its maximum is the last element
        }
        float[] gradient = new float[2 * size];
        gradient[lastNan] = 3f;
        gradient[2 * size - 1] = 5f;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                try (Tensor plain = Tensor.of(values, s.inputDims()); Tensor x = plain.toLayout(layout);
                     Tensor dyPlain = Tensor.of(new float[] {3f, 5f}, s.outputDims()); Tensor dy = dyPlain.toLayout(layout)) {
                    for (Backend backend : List.<Backend>of(NativeBackend.instance(), ReferenceBackend.INSTANCE)) {
                        String where = backend.name() + " " + isa + " " + layout + " " + s + " " + what;
                        float[] y = forward(backend, s, x);
                        assertThat(y[0]).as(where).isNaN();
                        assertThat(y[1]).as(where).isEqualTo(size - 1f);
                        NativeGoldenSupport.assertExact(where + " backward", backward(backend, s, x, dy), gradient);
                    }
                    assertArgmaxAgrees(s, x, what);
                }
            }
        }
    }

    /** The argmax the forward records, and the backward from it, match the reference's. */
    private static void assertArgmaxAgrees(Pool2dSpec s, Tensor x, String what) {
        int outputs = s.n() * s.c() * s.outH() * s.outW();
        ByteBuffer at = ByteBuffer.allocateDirect(outputs), atRef = ByteBuffer.allocateDirect(outputs);
        try (Tensor y = NativeGoldenSupport.zeros(s.outputDims(), x.layout()); Tensor yRef = NativeGoldenSupport.zeros(s.outputDims(), x.layout())) {
            NativeBackend.instance().maxPool2dForward(s, x, y, at);
            ReferenceBackend.INSTANCE.maxPool2dForward(s, x, yRef, atRef);
            NativeGoldenSupport.assertExact(what + " forward with argmax", y.toArray(), yRef.toArray());
            for (int i = 0; i < outputs; i++) {
                assertThat(at.get(i)).as("%s argmax %d", what, i).isEqualTo(atRef.get(i));
            }
        }
    }

    @Test
    void batchNormWithReluKeepsNanAndPassesItsGradient() {
        int n = 2, c = 19, h = 3, w = 5;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                int[] dims = {n, c, h, w};
                try (Tensor x = NativeGoldenSupport.random(dims, layout, 3); Tensor gamma = Tensor.zeros(c); Tensor beta = Tensor.zeros(c);
                     Tensor mean = NativeGoldenSupport.uniform(new int[] {c}, -0.1f, 0.1f, 4);
                     Tensor var = NativeGoldenSupport.uniform(new int[] {c}, 0.5f, 1.5f, 5);
                     Tensor dy = NativeGoldenSupport.random(dims, layout, 6)) {
                    gamma.fill(1f);
                    int at = 7 * w + 2; // image 0, channel 2, pixel (1, 2)
                    x.buffer().put(x.memoryIndex(at), NAN);
                    String what = isa + " " + layout + " batch norm + ReLU";
                    float[][] nat = batchNorm(NativeBackend.instance(), x, gamma, beta, mean, var, dy);
                    float[][] ref = batchNorm(ReferenceBackend.INSTANCE, x, gamma, beta, mean, var, dy);
                    assertThat(nat[0]).as(what).contains(NAN);
                    assertSameNans(what + " inference forward", nat[0], ref[0]);
                    assertSameNans(what + " backward", nat[1], ref[1]);
                    assertThat(nat[1][at]).as(what + " gradient at the NaN passes the ReLU").isNotZero().isCloseTo(ref[1][at],
                            org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    /** Inference forward and its backward with a fused ReLU, as NCHW arrays. */
    private static float[][] batchNorm(Backend b, Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, Tensor dy) {
        try (Tensor y = NativeGoldenSupport.zeros(x.dims(), x.layout()); Tensor dx = NativeGoldenSupport.zeros(x.dims(), x.layout());
             Tensor dg = Tensor.zeros(gamma.numel()); Tensor db = Tensor.zeros(gamma.numel())) {
            b.batchNormInferenceForward(1e-5f, x, null, gamma, beta, mean, var, y, true);
            b.batchNormBackward(1e-5f, false, x, null, gamma, beta, mean, var, dy, dx, null, dg, db, true);
            return new float[][] {y.toArray(), dx.toArray()};
        }
    }

    @Test
    void batchNormStatisticsOfABatchWithNanAreNan() {
        int c = 3;
        int[] dims = {2, c, 4, 4};
        for (Backend b : List.<Backend>of(NativeBackend.instance(), ReferenceBackend.INSTANCE)) {
            try (Tensor x = NativeGoldenSupport.random(dims, b.activationLayout(), 1); Tensor gamma = Tensor.zeros(c); Tensor beta = Tensor.zeros(c);
                 Tensor runMean = Tensor.zeros(c); Tensor runVar = Tensor.zeros(c); Tensor y = NativeGoldenSupport.zeros(dims, b.activationLayout());
                 Tensor mean = Tensor.zeros(c); Tensor var = Tensor.zeros(c)) {
                gamma.fill(1f);
                runVar.fill(1f);
                x.buffer().put(x.memoryIndex(((c + 1) * 4 + 2) * 4 + 3), NAN); // image 1, channel 1
                b.batchNormTrainingForward(1e-5f, 0.1f, x, null, gamma, beta, runMean, runVar, y, mean, var, false);
                assertThat(var.toArray()).as(b.name() + " batch variance").containsExactly(var.get(0), NAN, var.get(2));
                assertThat(runVar.get(1)).as(b.name() + " running variance").isNaN();
            }
        }
    }

    /** A NaN input pixel: the direct algorithms give NaN exactly where the reference does; Winograd at least there (a tile shares it). */
    @Test
    void fusedConvolutionReluKeepsNanOnEveryAlgorithm() {
        Conv2dSpec spec = Conv2dSpec.of(1, 16, 9, 7, 16, 3, 1, 1);
        for (ConvAlgorithm algo : List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.WINOGRAD_4X4_3X3,
                ConvAlgorithm.WINOGRAD_2X2_3X3)) {
            for (Isa isa : algo.isWinograd() ? NativeTestSupport.runnableIsas() : List.of(Isa.AVX512)) {
                NativeLibrary.useIsa(isa);
                for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                    for (boolean residual : new boolean[] {false, true}) {
                        String what = algo + " " + isa + " " + layout + (residual ? " with residual" : "");
                        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), layout, 1);
                             Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2);
                             Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3);
                             Tensor r = NativeGoldenSupport.random(spec.outputDims(), layout, 4);
                             Tensor want = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NCHW);
                             Tensor out = NativeGoldenSupport.zeros(spec.outputDims(), layout)) {
                            x.buffer().put(x.memoryIndex((5 * 9 + 4) * 7 + 3), NAN); // channel 5, pixel (4, 3)
                            ReferenceBackend.INSTANCE.conv2dForwardAddRelu(spec, x, w, b, residual ? r : null, want);
                            ConvAlgorithm.use(algo);
                            Convolution.forwardAddRelu(spec, x, w, b, residual ? r : null, out);
                            float[] got = out.toArray(), ref = want.toArray();
                            int nans = 0;
                            for (int i = 0; i < ref.length; i++) {
                                if (Float.isNaN(ref[i])) {
                                    nans++;
                                    assertThat(got[i]).as("%s element %d", what, i).isNaN();
                                } else if (!algo.isWinograd()) {
                                    assertThat(got[i]).as("%s element %d", what, i).isNotNaN();
                                }
                            }
                            assertThat(nans).as(what + ": a 3x3 neighbourhood of 16 channels").isEqualTo(9 * 16);
                        }
                    }
                }
            }
        }
    }

    private static List<Backend> backends() {
        return List.of(NativeBackend.instance(), ReferenceBackend.INSTANCE);
    }

    private static Tensor withNans(Tensor t, int every) {
        java.nio.FloatBuffer b = t.buffer();
        for (int i = 3; i < b.capacity(); i += every) {
            b.put(i, NAN);
        }
        return t;
    }

    private static float[] forward(Backend b, Pool2dSpec s, Tensor x) {
        try (Tensor y = NativeGoldenSupport.zeros(s.outputDims(), x.layout())) {
            b.pool2dForward(s, x, y);
            return y.toArray();
        }
    }

    private static float[] backward(Backend b, Pool2dSpec s, Tensor x, Tensor dy) {
        try (Tensor dx = NativeGoldenSupport.zeros(s.inputDims(), x.layout())) {
            dx.fill(7f);
            b.pool2dBackward(s, x, dy, dx);
            return dx.toArray();
        }
    }

    /** NaN in the same elements; the other elements within float rounding of each other. */
    private static void assertSameNans(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.isNaN(actual[i])).as("%s element %d is %s, reference %s", what, i, actual[i], expected[i])
                    .isEqualTo(Float.isNaN(expected[i]));
        }
    }
}
