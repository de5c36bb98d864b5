package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/** Shared checks of the {@link SpectrogramAugmentation}s' tests. */
final class AugmentationChecks {
    private AugmentationChecks() {
    }

    static float[] random(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }

    static int size(int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    /** Modules of one seed draw alike, of another seed otherwise, and the next call draws anew: the saved counter moved. */
    static void theSameSeedDrawsTheSameAndTheCounterMovesOn(LongFunction<SpectrogramAugmentation> seeded, int... shape) {
        try (SpectrogramAugmentation a = seeded.apply(7); SpectrogramAugmentation b = seeded.apply(7);
             SpectrogramAugmentation other = seeded.apply(8); Tensor in = Tensor.of(random(2, size(shape)), shape)) {
            float[] first = a.forward(in).toArray();
            assertThat(b.forward(in).toArray()).containsExactly(first);
            assertThat(other.forward(in).toArray()).isNotEqualTo(first);
            assertThat(a.forward(in).toArray()).as("the next call draws anew").isNotEqualTo(first);
            assertThat(a.namedBuffers().get("calls").toArray()).containsExactly(2, 0);
        }
    }

    /** A channels-last input gives a channels-last output holding the same values. */
    static void channelsLastGivesTheSameResult(Supplier<SpectrogramAugmentation> fresh, int... shape) {
        try (SpectrogramAugmentation a = fresh.get(); SpectrogramAugmentation b = fresh.get();
             Tensor in = Tensor.of(random(3, size(shape)), shape); Tensor nhwc = in.toLayout(Layout.NHWC)) {
            Tensor y = b.forward(nhwc);
            assertThat(y.layout()).isEqualTo(Layout.NHWC);
            assertThat(y.toArray()).containsExactly(a.forward(in).toArray());
        }
    }

    /**
     * Checks backward against central differences of sum(forward(x) * gy) at every {@code step}-th input. Fresh
     * modules of one seed draw the same randomness, so every difference sees one fixed map; the map is linear, so
     * h = 0.1 is exact but for float32 rounding.
     */
    static void backwardIsTheExactGradient(Supplier<SpectrogramAugmentation> fresh, int step, int... shape) {
        int size = size(shape);
        float[] x = random(4, size), gy = random(5, size);
        float[] gx;
        try (SpectrogramAugmentation aug = fresh.get(); Tensor in = Tensor.of(x, shape); Tensor g = Tensor.of(gy, shape)) {
            aug.forward(in);
            gx = aug.backward(g).toArray();
        }
        double h = 0.1;
        for (int i = 0; i < size; i += step) {
            float keep = x[i];
            x[i] = (float) (keep + h);
            double up = loss(fresh, x, gy, shape);
            x[i] = (float) (keep - h);
            double down = loss(fresh, x, gy, shape);
            x[i] = keep;
            assertThat((double) gx[i]).as("d/dx[%d]", i).isCloseTo((up - down) / (2 * h), within(1e-4));
        }
    }

    private static double loss(Supplier<SpectrogramAugmentation> fresh, float[] x, float[] gy, int[] shape) {
        try (SpectrogramAugmentation aug = fresh.get(); Tensor in = Tensor.of(x, shape)) {
            float[] y = aug.forward(in).toArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) y[i] * gy[i];
            }
            return s;
        }
    }
}
