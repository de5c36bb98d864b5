package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GlobalMaxPool2d on both backends and both layouts against a direct loop: the maximum of each channel,
 * and the whole gradient to its first maximum (exact: no arithmetic but comparisons and copies).
 */
class GlobalMaxPool2dTest {
    @AfterEach
    void restore() {
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}x{3}")
    @CsvSource({"1, 1, 1, 1", "2, 3, 5, 7", "3, 16, 56, 56", "1, 5, 13, 1", "4, 17, 7, 7"})
    void maximaAndTheirGradientAsADirectLoop(int n, int c, int h, int w) {
        SplittableRandom r = new SplittableRandom(n * 1000L + c * 100L + h * 10L + w);
        float[] x = new float[n * c * h * w], gy = new float[n * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextInt(-50, 50) / 8; // ties happen: the first maximum takes the gradient
        }
        for (int i = 0; i < gy.length; i++) {
            gy[i] = (float) r.nextDouble(-1, 1);
        }
        float[] max = new float[n * c], gx = new float[x.length];
        for (int p = 0; p < n * c; p++) {
            int best = p * h * w;
            for (int i = p * h * w; i < (p + 1) * h * w; i++) {
                if (x[i] > x[best]) {
                    best = i;
                }
            }
            max[p] = x[best];
            gx[best] = gy[p];
        }
        Backend[] backends = NativeBackend.isAvailable() ? new Backend[] {ReferenceBackend.INSTANCE, NativeBackend.instance()}
                : new Backend[] {ReferenceBackend.INSTANCE};
        for (Backend b : backends) {
            Backends.use(b);
            for (Layout layout : new Layout[] {Layout.NCHW, Layout.NHWC}) {
                try (GlobalMaxPool2d pool = new GlobalMaxPool2d(); Tensor in = Tensor.zeros(Shape.of(n, c, h, w), layout).copyFrom(x);
                     Tensor g = Tensor.zeros(Shape.of(n, c, 1, 1), layout).copyFrom(gy)) {
                    pool.setNeedsInputGrad(true);
                    assertThat(pool.forward(in).toArray()).as("%s %s forward", b.getClass().getSimpleName(), layout).containsExactly(max);
                    assertThat(pool.backward(g).toArray()).as("%s %s backward", b.getClass().getSimpleName(), layout).containsExactly(gx);
                }
            }
        }
    }
}
