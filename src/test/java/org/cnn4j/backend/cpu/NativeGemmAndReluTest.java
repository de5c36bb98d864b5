package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cnn4j.backend.Activation;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenBLAS and our own sgemm, and oneDNN ReLU through the binding, against plain Java on seeded shapes. */
class NativeGemmAndReluTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restore() {
        NativeLibrary.useOwnGemm(false);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    @Test
    void openblasSgemmMatchesDoubleLoops() {
        checkSgemm("openblas");
    }

    @Test
    void ownSgemmMatchesDoubleLoopsOnEveryIsa() {
        NativeLibrary.useOwnGemm(true);
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            checkSgemm("own " + isa);
        }
    }

    /** Sizes straddle the micro-tiles (8x32, 6x16, 4x4), the K block (256) and the split by columns (few rows); every transposition. */
    private static void checkSgemm(String which) {
        SplittableRandom rnd = new SplittableRandom(99);
        int[][] shapes = {{1, 1, 1}, {1, 17, 3}, {5, 1, 9}, {7, 13, 1}, {33, 65, 17}, {64, 64, 64}, {3, 129, 250},
                {9, 33, 257}, {130, 31, 300}, {200, 48, 520}, {1, 200, 70}, {1, 1000, 300}, {20, 130, 40}};
        for (int[] mnk : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = mnk[0], n = mnk[1], k = mnk[2];
                try (Tensor a = NativeIm2colTest.random(new int[] {m * k}, rnd.nextLong());
                     Tensor b = NativeIm2colTest.random(new int[] {k * n}, rnd.nextLong());
                     Tensor c = NativeIm2colTest.random(new int[] {m * n}, rnd.nextLong())) {
                    float[] av = a.toArray(), bv = b.toArray(), c0 = c.toArray();
                    NativeBackend.instance().gemm(ta, tb, m, n, k, 0.5f, a, b, 2f, c);
                    float[] got = c.toArray();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int p = 0; p < k; p++) {
                                sum += (double) av[ta ? p * m + i : i * k + p] * bv[tb ? j * k + p : p * n + j];
                            }
                            double want = 0.5 * sum + 2.0 * c0[i * n + j];
                            // float32 accumulation over k terms of magnitude <= 1: error grows like k * 2^-24
                            assertThat((double) got[i * n + j]).as("%s m=%d n=%d k=%d ta=%b tb=%b [%d,%d]", which, m, n, k, ta, tb, i, j)
                                    .isCloseTo(want, within(4e-7 * (k + 4)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void onednnReluMatchesPlainJava() {
        for (int numel : new int[] {1, 15, 16, 17, 1000, 4099}) {
            for (float slope : new float[] {0f, 0.1f}) {
                try (Tensor x = NativeIm2colTest.random(new int[] {numel}, numel); Tensor y = Tensor.zeros(numel)) {
                    Activation act = slope == 0 ? Activation.RELU : Activation.leakyRelu(slope);
                    NativeBackend.instance().activationForward(act, x, y);
                    float[] in = x.toArray(), out = y.toArray();
                    for (int i = 0; i < numel; i++) {
                        assertThat(out[i]).isEqualTo(in[i] > 0 ? in[i] : in[i] * slope);
                    }
                }
            }
        }
    }

    @Test
    void reluOnChannelsLastTensorKeepsTheLayout() {
        try (Tensor x = NativeIm2colTest.random(new int[] {2, 3, 4, 5}, 5).toLayout(Layout.NHWC);
             Tensor y = Tensor.zeros(Shape.of(2, 3, 4, 5), Layout.NHWC)) {
            NativeBackend.instance().activationForward(Activation.RELU, x, y);
            float[] in = x.toArray(), out = y.toArray();
            for (int i = 0; i < in.length; i++) {
                assertThat(out[i]).isEqualTo(Math.max(in[i], 0f));
            }
        }
    }
}
