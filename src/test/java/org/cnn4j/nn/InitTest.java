package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initialisers draw from the distributions they name. With n = 1.2 M draws, the sample mean has a
 * standard error of std / sqrt(n) ~ std / 1100, so |mean| < 5 std / 1000 is a > 5-sigma bound; the
 * sample standard deviation is within 1% of the target (its standard error is ~0.07% for these laws).
 */
class InitTest {
    private static final int[] CONV = {256, 512, 3, 3}; // fan_in 4608, fan_out 2304

    private static double[] meanStd(Tensor t) {
        double s = 0, sq = 0;
        for (float v : t.toArray()) {
            s += v;
            sq += (double) v * v;
        }
        double mean = s / t.numel();
        return new double[] {mean, Math.sqrt(sq / t.numel() - mean * mean)};
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void assertLaw(Tensor t, double std) {
        double[] ms = meanStd(t);
        assertThat(ms[0]).as("mean").isCloseTo(0, within(5e-3 * std));
        assertThat(ms[1]).as("std").isCloseTo(std, within(0.01 * std));
    }

    @Test
    void fansComeFromTheWeightShape() {
        try (Tensor conv = Tensor.zeros(CONV); Tensor linear = Tensor.zeros(10, 300)) {
            assertThat(Init.fanIn(conv)).isEqualTo(4608);
            assertThat(Init.fanOut(conv)).isEqualTo(2304);
            assertThat(Init.fanIn(linear)).isEqualTo(300);
            assertThat(Init.fanOut(linear)).isEqualTo(10);
        }
    }

    @Test
    void kaimingAndXavierHaveTheirVariances() {
        Init.manualSeed(1);
        try (Tensor w = Tensor.zeros(CONV)) {
            Init.kaimingNormal(w, Init.Fan.IN);
            assertLaw(w, Math.sqrt(2.0 / 4608));
            Init.kaimingNormal(w, Init.Fan.OUT);
            assertLaw(w, Math.sqrt(2.0 / 2304));
            Init.kaimingUniform(w, Init.Fan.IN);
            assertLaw(w, Math.sqrt(2.0 / 4608)); // U(-b, b) with b = sqrt(6 / fan) has variance b^2 / 3 = 2 / fan
            assertThat(maxAbs(w)).isLessThanOrEqualTo((float) Math.sqrt(6.0 / 4608));
            Init.xavierNormal(w);
            assertLaw(w, Math.sqrt(2.0 / (4608 + 2304)));
            Init.xavierUniform(w);
            assertLaw(w, Math.sqrt(2.0 / (4608 + 2304)));
        }
    }

    @Test
    void layerDefaultsArePyTorchs() {
        Init.manualSeed(2);
        try (Conv2d conv = new Conv2d(512, 256, 3, 1, 1, 1, 1, true); Linear fc = new Linear(4096, 300); BatchNorm2d bn = new BatchNorm2d(7)) {
            assertLaw(conv.weight().value(), 1 / Math.sqrt(4608) / Math.sqrt(3)); // U(-1/sqrt(fan_in), 1/sqrt(fan_in))
            assertLaw(fc.weight().value(), 1 / Math.sqrt(4096) / Math.sqrt(3));
            assertThat(maxAbs(conv.bias().value())).isLessThanOrEqualTo((float) (1 / Math.sqrt(4608)));
            assertThat(bn.gamma().value().toArray()).containsOnly(1f);
            assertThat(bn.beta().value().toArray()).containsOnly(0f);
            assertThat(bn.runningVar().toArray()).containsOnly(1f);
        }
    }

    @Test
    void constantsAndSeeds() {
        try (Tensor a = Tensor.zeros(1000); Tensor b = Tensor.zeros(1000)) {
            Init.constant(a, 0.25f);
            assertThat(a.toArray()).containsOnly(0.25f);
            Init.ones(a);
            assertThat(a.toArray()).containsOnly(1f);
            Init.zeros(a);
            assertThat(a.toArray()).containsOnly(0f);
            Init.manualSeed(9);
            Init.normal(a, 1);
            Init.manualSeed(9);
            Init.normal(b, 1);
            assertThat(b.toArray()).containsExactly(a.toArray());
            Init.normal(b, 1);
            assertThat(b.toArray()).isNotEqualTo(a.toArray());
        }
    }
}
