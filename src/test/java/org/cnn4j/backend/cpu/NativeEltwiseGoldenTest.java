package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Activations (forward and backward), add, multiply, dropout and channel concat/split against the
 * reference backend, on NCHW, NHWC and 2-D tensors with sizes that leave vector tails (C not a
 * multiple of 16, 1x1 spatial, N = 1), on every ISA path.
 *
 * <p>Tolerances: ReLU, leaky ReLU, multiply, dropout (mask and output) and concat/split are single
 * correctly rounded float operations or copies, equal to the reference's double result rounded to
 * float: they must match exactly (ReLU up to the sign of zero). add may round twice in the reference
 * (double, then float): 1 ulp. Sigmoid and tanh run oneDNN's polynomial approximations, accurate to a
 * few ulps; we allow 1e-6 absolute, about 16 ulps at 1, on values in (-1, 1) and gradients |dy| < 1.
 */
class NativeEltwiseGoldenTest {
    private static final List<int[]> SHAPES = List.of(new int[] {1, 1, 1, 1}, new int[] {2, 3, 1, 1}, new int[] {1, 17, 5, 3},
            new int[] {2, 16, 4, 4}, new int[] {3, 33, 7, 9}, new int[] {1, 5, 31, 33}, new int[] {4, 250}, new int[] {1, 1},
            new int[] {2, 64, 16, 17});

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restore() {
        NativeLibrary.useIsa(Isa.AVX512);
        NativeLibrary.useThreads(Runtime.getRuntime().availableProcessors());
    }

    private static List<Layout> layouts(int[] d) {
        return d.length == 4 ? List.of(Layout.NCHW, Layout.NHWC) : List.of(Layout.PLAIN);
    }

    @Test
    void activationsMatchTheReference() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        List<Activation> activations = List.of(Activation.RELU, Activation.leakyRelu(0.1f), Activation.leakyRelu(-0.3f),
                Activation.SIGMOID, Activation.TANH, Activation.RELU6, Activation.hardSigmoid(0.2f, 0.5f),
                Activation.hardSigmoid(1f / 6, 0.5f), Activation.HARD_SWISH);
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (int[] d : SHAPES) {
                for (Layout layout : layouts(d)) {
                    for (Activation a : activations) {
                        String what = isa + " " + layout + " " + a + " " + Arrays.toString(d);
                        boolean exact = a.kind() == Activation.Kind.RELU || a.kind() == Activation.Kind.LEAKY_RELU || a.kind() == Activation.Kind.RELU6;
                        // the hard ones round alpha x + beta in float where the reference rounds once: a few ulps below 5
                        boolean hard = a.kind() == Activation.Kind.HARD_SIGMOID || a.kind() == Activation.Kind.HARD_SWISH;
                        double tol = exact ? 0 : hard ? 2e-6 : 1e-6;
                        float range = a.kind() == Activation.Kind.RELU6 ? 9f : hard ? 5f : 3f; // past ReLU6's 6, the hard ones' ramps
                        try (Tensor x = scaled(d, layout, 31 + d.length, range);
                             Tensor dy = NativeGoldenSupport.random(d, layout, 7);
                             Tensor y = NativeGoldenSupport.zeros(d, layout); Tensor yRef = NativeGoldenSupport.zeros(d, layout);
                             Tensor dx = NativeGoldenSupport.zeros(d, layout); Tensor dxRef = NativeGoldenSupport.zeros(d, layout)) {
                            nat.activationForward(a, x, y);
                            ref.activationForward(a, x, yRef);
                            NativeGoldenSupport.assertWithin(what + " forward", y.toArray(), yRef.toArray(), tol);
                            nat.activationBackward(a, x, yRef, dy, dx);
                            ref.activationBackward(a, x, yRef, dy, dxRef);
                            NativeGoldenSupport.assertWithin(what + " backward", dx.toArray(), dxRef.toArray(), tol);
                        }
                    }
                }
            }
        }
    }

    @Test
    void addAndMultiplyMatchTheReference() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (int[] d : SHAPES) {
                for (Layout layout : layouts(d)) {
                    String what = isa + " " + layout + " " + Arrays.toString(d);
                    try (Tensor a = NativeGoldenSupport.random(d, layout, 1); Tensor b = NativeGoldenSupport.random(d, layout, 2);
                         Tensor out = NativeGoldenSupport.zeros(d, layout); Tensor outRef = NativeGoldenSupport.zeros(d, layout)) {
                        nat.add(a, b, out);
                        ref.add(a, b, outRef);
                        float[] sum = outRef.toArray();
                        NativeGoldenSupport.assertUlps(what + " add", out.toArray(), sum, 1);
                        nat.multiply(a, b, out);
                        ref.multiply(a, b, outRef);
                        NativeGoldenSupport.assertExact(what + " multiply", out.toArray(), outRef.toArray());
                        nat.add(a, b, a); // in place
                        NativeGoldenSupport.assertUlps(what + " add in place", a.toArray(), sum, 1);
                    }
                }
            }
        }
    }

    @Test
    void dropoutDrawsTheReferenceMaskForEveryThreadCountAndLayout() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        int checked = 0;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (int threads : List.of(1, 2, 3)) {
                NativeLibrary.useThreads(threads);
                for (int[] d : SHAPES) {
                    for (Layout layout : layouts(d)) {
                        for (float p : new float[] {0f, 0.3f, 0.9f}) {
                            String what = isa + " threads=" + threads + " " + layout + " p=" + p + " " + Arrays.toString(d);
                            long seed = 0x5EEDL * (checked + 1) - 77;
                            try (Tensor x = NativeGoldenSupport.random(d, layout, 4);
                                 Tensor mask = NativeGoldenSupport.zeros(d, layout); Tensor maskRef = NativeGoldenSupport.zeros(d, layout);
                                 Tensor y = NativeGoldenSupport.zeros(d, layout); Tensor yRef = NativeGoldenSupport.zeros(d, layout)) {
                                nat.dropoutForward(p, seed, x, mask, y);
                                ref.dropoutForward(p, seed, x, maskRef, yRef);
                                NativeGoldenSupport.assertExact(what + " mask", mask.toArray(), maskRef.toArray());
                                NativeGoldenSupport.assertExact(what + " output", y.toArray(), yRef.toArray());
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3 * 15 * 3);
    }

    @Test
    void concatAndSplitMatchTheReference() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        int[][] geometries = {{1, 1, 1}, {2, 5, 7}, {3, 4, 4}, {1, 9, 1}};
        int[][] channelSets = {{1}, {3, 17}, {16, 1, 5}, {2, 2, 2, 33}};
        for (int[] g : geometries) {
            for (int[] channels : channelSets) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    int total = Arrays.stream(channels).sum();
                    int[] whole = {g[0], total, g[1], g[2]};
                    String what = layout + " " + Arrays.toString(g) + " " + Arrays.toString(channels);
                    List<Tensor> parts = new ArrayList<>(), grads = new ArrayList<>(), gradsRef = new ArrayList<>();
                    try (Tensor out = NativeGoldenSupport.zeros(whole, layout); Tensor outRef = NativeGoldenSupport.zeros(whole, layout)) {
                        for (int i = 0; i < channels.length; i++) {
                            int[] d = {g[0], channels[i], g[1], g[2]};
                            parts.add(NativeGoldenSupport.random(d, layout, i));
                            grads.add(NativeGoldenSupport.zeros(d, layout));
                            gradsRef.add(NativeGoldenSupport.zeros(d, layout));
                        }
                        nat.concatChannels(parts, out);
                        ref.concatChannels(parts, outRef);
                        NativeGoldenSupport.assertExact(what + " concat", out.toArray(), outRef.toArray());
                        nat.splitChannels(out, grads);
                        ref.splitChannels(out, gradsRef);
                        for (int i = 0; i < channels.length; i++) {
                            NativeGoldenSupport.assertExact(what + " split " + i, grads.get(i).toArray(), gradsRef.get(i).toArray());
                            NativeGoldenSupport.assertExact(what + " round trip " + i, grads.get(i).toArray(), parts.get(i).toArray());
                        }
                    } finally {
                        parts.forEach(Tensor::close);
                        grads.forEach(Tensor::close);
                        gradsRef.forEach(Tensor::close);
                    }
                }
            }
        }
    }

    private static Tensor scaled(int[] d, Layout layout, long seed, float scale) {
        try (Tensor t = NativeGoldenSupport.random(d, Layout.NCHW, seed)) {
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            Tensor out = NativeGoldenSupport.zeros(d, layout);
            return out.copyFrom(v);
        }
    }
}
