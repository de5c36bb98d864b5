package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.Pool2dSpec.Kind;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 1-D layers (Conv1d, MaxPool1d, AvgPool1d, BatchNorm1d, the global pools), forward and backward, on the
 * native backend against the reference over a seeded grid of signals [N, C, 1, L] with the awkward cases:
 * L = 1, odd L, stride larger than the kernel, dilation, groups and depthwise, causal and uneven padding, C
 * and K not multiples of 16, the 80-tap stride-16 stem of M5. Each layer runs on a channels-last and a plain
 * batch, and each convolution on im2col+GEMM and on oneDNN.
 *
 * <p>Tolerances, as for the 2-D ops (reasons in {@link Tolerance}): a max pool selects an input, so its forward
 * is exact; everything else is a float32 sum of R terms of size at most 1, {@link Tolerance#sum}(R), with
 * R = C/groups*k forward, K/groups*k backward-data and N*outL backward-weights for a convolution; k for
 * average pooling and for pooling backward (at most ceil(k/stride) <= k windows cover a sample); L for
 * global pooling; 16 for batch-norm outputs and N*L for its gradients.
 */
class SignalLayersGoldenTest {
    private Backend before;

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeBackend.isAvailable(), "native backend not built");
        before = Backends.current();
    }

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
        Backends.use(before);
    }

    /** in, out, kernel, stride, pad left, pad right, dilation, groups, causal, bias, N, L. */
    private record ConvCase(int in, int out, int kernel, int stride, int padLeft, int padRight, int dilation, int groups, boolean causal,
                            boolean bias, int n, int length) {
        Conv1d build() {
            Conv1d.Builder b = new Conv1d.Builder(in, out, kernel).stride(stride).padding(padLeft, padRight).dilation(dilation).groups(groups)
                    .bias(bias);
            return (causal ? b.causal() : b).build();
        }
    }

    static List<ConvCase> convCases() {
        List<ConvCase> cases = new ArrayList<>(List.of(
                new ConvCase(1, 1, 1, 1, 0, 0, 1, 1, false, true, 1, 1), // L = 1
                new ConvCase(3, 5, 3, 1, 1, 1, 1, 1, false, true, 2, 1), // L = 1 with padding
                new ConvCase(1, 32, 80, 16, 0, 0, 1, 1, false, true, 2, 1000), // M5's stem
                new ConvCase(17, 33, 3, 1, 1, 1, 1, 1, false, false, 2, 31),
                new ConvCase(4, 6, 2, 5, 0, 0, 1, 1, false, true, 1, 23), // stride > kernel
                new ConvCase(6, 9, 3, 1, 0, 0, 4, 3, false, true, 2, 19), // dilation and groups
                new ConvCase(16, 16, 5, 1, 2, 2, 1, 16, false, true, 1, 33), // depthwise
                new ConvCase(5, 7, 3, 1, 0, 0, 2, 1, true, true, 2, 17), // causal, dilated
                new ConvCase(8, 8, 4, 2, 0, 0, 1, 8, true, false, 3, 9), // causal depthwise, stride 2
                new ConvCase(3, 4, 3, 2, 2, 0, 1, 1, false, true, 2, 8))); // uneven padding
        SplittableRandom r = new SplittableRandom(13);
        while (cases.size() < 40) {
            int groups = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1;
            int in = groups * (1 + r.nextInt(r.nextBoolean() ? 4 : 20)), out = groups * (1 + r.nextInt(r.nextBoolean() ? 4 : 20));
            int k = 1 + r.nextInt(7), d = r.nextInt(4) == 0 ? 2 : 1, s = 1 + r.nextInt(3);
            boolean causal = r.nextInt(4) == 0;
            int pl = r.nextInt(k), pr = r.nextInt(k);
            int span = (k - 1) * d + 1;
            int length = Math.max(1, span - pl - pr) + r.nextInt(30);
            cases.add(new ConvCase(in, out, k, s, pl, pr, d, groups, causal, r.nextBoolean(), 1 + r.nextInt(3), length));
        }
        return cases;
    }

    @Test
    void conv1dMatchesTheReferenceOnIm2colAndOnednn() {
        int checked = 0;
        SplittableRandom seeds = new SplittableRandom(3);
        for (ConvCase c : convCases()) {
            for (ConvAlgorithm algorithm : List.of(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.ONEDNN)) {
                for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                    ConvAlgorithm.use(algorithm);
                    long seed = seeds.nextLong();
                    Init.manualSeed(seed);
                    try (Conv1d conv = c.build()) {
                        String what = conv.describe() + " on " + c.n() + "x" + c.length() + " " + layout + " " + algorithm;
                        int outL = conv.outputShape(new int[] {c.in(), 1, c.length()})[2];
                        compare(what, conv, new int[] {c.n(), c.in(), 1, c.length()}, layout, seed, new Tolerance[] {
                            Tolerance.sum(c.in() / c.groups() * c.kernel()), Tolerance.sum(c.out() / c.groups() * c.kernel()),
                            Tolerance.sum(c.n() * outL)});
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(160);
    }

    @Test
    void poolsMatchTheReference() {
        SplittableRandom r = new SplittableRandom(17);
        List<Supplier<Pool1d>> pools = new ArrayList<>(List.of(() -> Pool1d.max(1, 1), () -> Pool1d.max(4, 4), () -> Pool1d.avg(3, 5),
                () -> new Pool1d(Kind.AVG, 5, 2, 2, true, false), () -> new Pool1d(Kind.AVG, 4, 3, 2, false, true),
                () -> new Pool1d(Kind.MAX, 3, 2, 1, true, false)));
        while (pools.size() < 30) {
            int k = 1 + r.nextInt(6), s = 1 + r.nextInt(4), p = r.nextInt(k / 2 + 1);
            boolean ceil = r.nextBoolean(), countPad = r.nextBoolean();
            Kind kind = r.nextBoolean() ? Kind.MAX : Kind.AVG;
            pools.add(() -> new Pool1d(kind, k, s, p, ceil, countPad));
        }
        SplittableRandom seeds = new SplittableRandom(5);
        for (Supplier<Pool1d> make : pools) {
            for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                try (Pool1d pool = make.get()) {
                    int k = pool.kernelW(), length = Math.max(1, k - 2 * pool.padW()) + seeds.nextInt(20);
                    int[] dims = {1 + seeds.nextInt(3), seeds.nextBoolean() ? 1 + seeds.nextInt(5) : 1 + seeds.nextInt(40), 1, length};
                    Tolerance forward = pool.kind() == Kind.MAX ? Tolerance.exact() : Tolerance.sum(k);
                    compare(pool.describe() + " on " + java.util.Arrays.toString(dims) + " " + layout, pool, dims, layout, seeds.nextLong(),
                            new Tolerance[] {forward, Tolerance.sum(k)});
                }
            }
        }
    }

    @Test
    void batchNormAndGlobalPoolsMatchTheReference() {
        int[][] shapes = {{1, 1, 1, 1}, {2, 3, 1, 1}, {3, 17, 1, 31}, {2, 33, 1, 8}, {1, 16, 1, 250}, {4, 5, 1, 7}};
        SplittableRandom seeds = new SplittableRandom(9);
        for (int[] dims : shapes) {
            for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                int perChannel = dims[0] * dims[3];
                for (boolean training : new boolean[] {true, false}) {
                    if (training && perChannel == 1) {
                        continue; // one value per channel has no batch variance to normalise by
                    }
                    try (BatchNorm1d bn = new BatchNorm1d(dims[1])) {
                        if (!training) {
                            bn.eval();
                        }
                        compare(bn.describe() + (training ? " training" : " eval") + " on " + java.util.Arrays.toString(dims) + " " + layout,
                                bn, dims, layout, seeds.nextLong(), new Tolerance[] {Tolerance.sum(16), Tolerance.sum(perChannel)});
                    }
                }
                try (GlobalAvgPool1d avg = new GlobalAvgPool1d(); GlobalMaxPool1d max = new GlobalMaxPool1d()) {
                    compare("GlobalAvgPool1d on " + java.util.Arrays.toString(dims), avg, dims, layout, seeds.nextLong(),
                            new Tolerance[] {Tolerance.sum(dims[3]), Tolerance.sum(1)});
                    compare("GlobalMaxPool1d on " + java.util.Arrays.toString(dims), max, dims, layout, seeds.nextLong(),
                            new Tolerance[] {Tolerance.exact(), Tolerance.sum(1)});
                }
            }
        }
    }

    /**
     * Runs {@code m} forward and backward on the native backend, then on the reference, on the same input
     * and output gradient, and compares the output, the input gradient and (in parameter order) each
     * parameter gradient with {@code tolerances} (the last one standing for the rest).
     */
    private static void compare(String what, Module m, int[] dims, Layout layout, long seed, Tolerance[] tolerances) {
        m.setNeedsInputGrad(true);
        Backends.use(NativeBackend.instance());
        List<float[]> nativeResults = run(m, dims, layout, seed);
        Backends.use(ReferenceBackend.INSTANCE);
        List<float[]> referenceResults = run(m, dims, Layout.NCHW, seed);
        Backends.use(NativeBackend.instance());
        String[] names = {"output", "grad_input", "grad_weight", "grad_bias"};
        for (int i = 0; i < nativeResults.size(); i++) {
            Tolerance t = tolerances[Math.min(i, tolerances.length - 1)];
            Tolerance.Comparison c = t.compare(nativeResults.get(i), referenceResults.get(i));
            if (!c.ok()) {
                throw new AssertionError(what + " " + (i < names.length ? names[i] : "result " + i) + ": " + c);
            }
        }
    }

    /** Output, input gradient and parameter gradients of one forward and backward pass on the active backend. */
    private static List<float[]> run(Module m, int[] dims, Layout layout, long seed) {
        try (Tensor x = random(dims, layout, seed)) {
            Tensor y = m.forward(x);
            List<float[]> results = new ArrayList<>();
            results.add(y.toArray());
            try (Tensor gy = random(y.dims(), y.layout(), seed + 1)) {
                results.add(m.backward(gy).toArray());
            }
            m.parameters().forEach(p -> results.add(p.grad().toArray()));
            return results;
        }
    }

    private static Tensor random(int[] dims, Layout layout, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        try (Tensor plain = Tensor.of(v, dims)) {
            return plain.toLayout(layout);
        }
    }

    @Test
    void inputsThatAreNotSignalsAreRefusedNamingTheLayerAndTheShape() {
        try (Conv1d conv = new Conv1d(2, 4, 3, 1, 1, 1, 1, true); Tensor image = Tensor.zeros(1, 2, 3, 5)) {
            assertThatThrownBy(() -> conv.forward(image)).hasMessageContaining("Conv1d(2->4").hasMessageContaining("[1, 2, 3, 5]");
            assertThatThrownBy(() -> conv.outputShape(new int[] {2, 3, 5})).hasMessageContaining("Conv1d(2->4")
                    .hasMessageContaining("[2, 3, 5]").hasMessageContaining("[C, 1, L]");
        }
        assertThatThrownBy(() -> Pool1d.max(2, 2).outputShape(new int[] {2, 2, 8})).hasMessageContaining("MaxPool1d(2");
        assertThatThrownBy(() -> new BatchNorm1d(3).outputShape(new int[] {3, 8})).hasMessageContaining("BatchNorm1d(3)");
        assertThatThrownBy(() -> new GlobalAvgPool1d().outputShape(new int[] {3, 4, 4})).hasMessageContaining("GlobalAvgPool1d");
        assertThatThrownBy(() -> new Conv1d(3, 4, 3, 1, 0, 1, 2, true)).hasMessageContaining("Conv1d").hasMessageContaining("in=3")
                .hasMessageContaining("groups=2");
        assertThatThrownBy(() -> new Pool1d(Kind.AVG, 2, 1, 2, false, true)).hasMessageContaining("Pool1d").hasMessageContaining("padding=2");
        assertThatThrownBy(() -> new BatchNorm1d(0)).hasMessageContaining("BatchNorm1d").hasMessageContaining("0");
    }

    @Test
    void causalPaddingIsKMinusOneTimesDilationOnTheLeftAndKeepsTheLength() {
        try (Conv1d conv = new Conv1d.Builder(2, 3, 3).dilation(4).causal().build()) {
            assertThat(conv.geometry().padLeft()).isEqualTo(8);
            assertThat(conv.geometry().padRight()).isZero();
            assertThat(conv.outputShape(new int[] {2, 1, 50})).containsExactly(3, 1, 50);
            assertThat(conv.weight().value().dims()).containsExactly(3, 2, 1, 3);
            assertThat(conv.describe()).isEqualTo("Conv1d(2->3, k 3, stride 1, causal, dilation 4)");
            assertThat(conv.config().values()).containsEntry("pad_left", 8).containsEntry("pad_right", 0).doesNotContainKey("padding");
        }
    }
}
