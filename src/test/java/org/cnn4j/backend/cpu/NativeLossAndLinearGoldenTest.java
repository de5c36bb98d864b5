package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The classifier head: linear forward and backward (with and without bias, with absent optional
 * gradients, N = 1 and odd sizes), softmax and softmax cross-entropy, against the reference backend,
 * with our own GEMM on every ISA path and with OpenBLAS.
 *
 * <p>Tolerances: linear outputs and gradients are float32 dot products of R terms (R = in for the
 * output, out for the input gradient, N for weight and bias gradients) with inputs in [-1, 1]: as in
 * the convolution tests, 2.4e-7 * R relative to the largest value, floored at 1e-5. Softmax values are
 * one float exp per element over a double sum: 1e-6 absolute on probabilities in [0, 1]. The mean loss
 * sums in double: 1e-6 relative.
 */
class NativeLossAndLinearGoldenTest {
    private static final int[][] LINEAR = {{1, 1, 1}, {1, 7, 3}, {5, 33, 10}, {16, 64, 17}, {3, 250, 1}, {2, 1, 40}, {37, 19, 23}, {1, 300, 130}};

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restore() {
        NativeLibrary.useIsa(Isa.AVX512);
        NativeLibrary.useOwnGemm(false);
    }

    @Test
    void linearMatchesTheReferenceWithEveryGemm() {
        for (boolean own : List.of(false, true)) {
            NativeLibrary.useOwnGemm(own);
            for (Isa isa : own ? NativeTestSupport.runnableIsas() : List.of(Isa.AVX512)) {
                NativeLibrary.useIsa(isa);
                for (int[] g : LINEAR) {
                    for (boolean bias : List.of(true, false)) {
                        checkLinear(g[0], g[1], g[2], bias, (own ? "own " + isa : "openblas") + " bias=" + bias + " " + Arrays.toString(g));
                    }
                }
            }
        }
    }

    private static void checkLinear(int n, int in, int out, boolean withBias, String what) {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        try (Tensor x = NativeGoldenSupport.random(new int[] {n, in}, Layout.PLAIN, n * 31L + in);
             Tensor w = NativeGoldenSupport.random(new int[] {out, in}, Layout.PLAIN, out);
             Tensor b = NativeGoldenSupport.random(new int[] {out}, Layout.PLAIN, 5);
             Tensor dy = NativeGoldenSupport.random(new int[] {n, out}, Layout.PLAIN, 6);
             Tensor y = Tensor.zeros(n, out); Tensor yRef = Tensor.zeros(n, out);
             Tensor dx = Tensor.zeros(n, in); Tensor dxRef = Tensor.zeros(n, in);
             Tensor dw = Tensor.zeros(out, in); Tensor dwRef = Tensor.zeros(out, in);
             Tensor db = Tensor.zeros(out); Tensor dbRef = Tensor.zeros(out)) {
            Tensor bias = withBias ? b : null;
            y.fill(9f); // outputs are overwritten, not accumulated
            nat.linearForward(x, w, bias, y);
            ref.linearForward(x, w, bias, yRef);
            NativeConvolutionGoldenTest.assertClose(what + " forward", y.toArray(), yRef.toArray(), in + 1);
            nat.linearBackward(x, w, dy, dx, dw, withBias ? db : null);
            ref.linearBackward(x, w, dy, dxRef, dwRef, withBias ? dbRef : null);
            NativeConvolutionGoldenTest.assertClose(what + " grad input", dx.toArray(), dxRef.toArray(), out);
            NativeConvolutionGoldenTest.assertClose(what + " grad weight", dw.toArray(), dwRef.toArray(), n);
            if (withBias) {
                NativeConvolutionGoldenTest.assertClose(what + " grad bias", db.toArray(), dbRef.toArray(), n);
            }
            dx.fill(3f);
            nat.linearBackward(x, w, dy, null, dw, null); // a first layer: no input gradient
            assertThat(dx.toArray()).as(what + " untouched grad input").containsOnly(3f);
        }
    }

    @Test
    void softmaxAndCrossEntropyMatchTheReference() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        int[][] shapes = {{1, 1}, {1, 2}, {3, 10}, {64, 10}, {7, 1000}, {2, 17}};
        SplittableRandom r = new SplittableRandom(8);
        for (int[] s : shapes) {
            int n = s[0], k = s[1];
            float[] classes = new float[n];
            for (int i = 0; i < n; i++) {
                classes[i] = r.nextInt(k);
            }
            String what = Arrays.toString(s);
            try (Tensor z = scaled(n, k, 10f, r.nextLong()); Tensor t = Tensor.of(classes, n);
                 Tensor p = Tensor.zeros(n, k); Tensor pRef = Tensor.zeros(n, k);
                 Tensor g = Tensor.zeros(n, k); Tensor gRef = Tensor.zeros(n, k)) {
                nat.softmax(z, p);
                ref.softmax(z, pRef);
                NativeGoldenSupport.assertWithin(what + " softmax", p.toArray(), pRef.toArray(), 1e-6);
                p.zero();
                double loss = nat.softmaxCrossEntropy(z, t, p, g);
                double lossRef = ref.softmaxCrossEntropy(z, t, pRef, gRef);
                NativeGoldenSupport.assertWithin(what + " loss", new float[] {(float) loss}, new float[] {(float) lossRef},
                        Tolerance.relative(1e-6));
                NativeGoldenSupport.assertWithin(what + " probs", p.toArray(), pRef.toArray(), 1e-6);
                NativeGoldenSupport.assertWithin(what + " grad", g.toArray(), gRef.toArray(), 1e-6);
                assertThat(nat.softmaxCrossEntropy(z, t, p, null)).as(what + " loss without gradient").isEqualTo(loss);
            }
        }
    }

    @Test
    void aTargetOutsideTheClassesIsAnErrorNotACrash() {
        try (Tensor z = Tensor.zeros(2, 3); Tensor t = Tensor.of(new float[] {1, 3}, 2); Tensor p = Tensor.zeros(2, 3)) {
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_softmax_cross_entropy(2, 3, z.buffer(), t.buffer(), p.buffer(),
                    null, new double[1]), "loss")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target 3");
        }
    }

    private static Tensor scaled(int n, int k, float scale, long seed) {
        try (Tensor t = NativeGoldenSupport.random(new int[] {n, k}, Layout.PLAIN, seed)) {
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            return Tensor.of(v, n, k);
        }
    }
}
