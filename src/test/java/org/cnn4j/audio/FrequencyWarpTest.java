package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.nn.LayerRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** FrequencyWarp moves each example's spectrum along the mel axis in training only, reproducibly, with an exact backward. */
class FrequencyWarpTest {
    private static final int N = 4, C = 2, F = 20, T = 9;
    private static final float F_MIN = 20, F_MAX = 4000;

    @Test
    void theWarpScalesFrequenciesBelowTheKneeAndKeepsTheBandEdges() {
        assertThat(FrequencyWarp.source(1100, 1.1, F_MAX)).isCloseTo(1000, within(1e-9));
        assertThat(FrequencyWarp.source(900, 0.9, F_MAX)).isCloseTo(1000, within(1e-9));
        for (double factor : new double[] {0.85, 0.9, 1, 1.1, 1.15}) {
            assertThat(FrequencyWarp.source(F_MAX, factor, F_MAX)).as("f_max stays for %s", factor).isCloseTo(F_MAX, within(1e-9));
            double previous = -1;
            for (double hz = 0; hz <= F_MAX; hz += 10) {
                double s = FrequencyWarp.source(hz, factor, F_MAX);
                assertThat(s).as("monotone and inside for %s at %s Hz", factor, hz).isGreaterThan(previous).isLessThanOrEqualTo(F_MAX + 1e-9);
                previous = s;
            }
        }
        for (int m = 0; m < F; m++) {
            assertThat(FrequencyWarp.sourceRow(m, F, 1, F_MIN, F_MAX)).as("factor 1 reads row %d", m).isCloseTo(m, within(1e-9));
        }
        assertThat(FrequencyWarp.sourceRow(10, F, 1.1, F_MIN, F_MAX)).as("a longer-tract voice's row 10 comes from lower").isLessThan(10);
        assertThat(FrequencyWarp.sourceRow(10, F, 0.9, F_MIN, F_MAX)).isGreaterThan(10);
    }

    /** A spectrogram constant along the mel axis stays constant (interpolation weights sum to 1); a ramp stays increasing. */
    @Test
    void trainingWarpsEachExampleAndEvaluationIsTheIdentity() {
        float[] x = new float[N * C * F * T];
        for (int a = 0; a < x.length; a++) {
            int row = a / T % F;
            x[a] = row;
        }
        try (FrequencyWarp warp = new FrequencyWarp(F_MIN, F_MAX, 0.15f, 3); Tensor in = Tensor.of(x, N, C, F, T)) {
            float[] y = warp.forward(in).toArray();
            int moved = 0;
            for (int i = 0; i < N; i++) {
                for (int m = 0; m < F; m++) {
                    int a = ((i * C) * F + m) * T;
                    assertThat(y[a]).isBetween(0f, F - 1f);
                    assertThat(y[a + F * T]).as("both channels share the warp").isEqualTo(y[a]);
                    assertThat(y[a + T - 1]).as("every frame alike").isEqualTo(y[a]);
                    if (m > 0) {
                        assertThat(y[a]).as("example %d row %d", i, m).isGreaterThanOrEqualTo(y[a - T]);
                    }
                }
                moved += Math.abs(y[((i * C) * F + 10) * T] - 10) > 0.05 ? 1 : 0;
            }
            assertThat(moved).as("examples whose row 10 moved").isPositive();
            warp.eval();
            assertThat(warp.forward(in)).isSameAs(in);
            try (Tensor g = Tensor.of(x, N, C, F, T)) {
                assertThat(warp.backward(g)).isSameAs(g);
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameWarpsAndTheCounterMovesOn() {
        AugmentationChecks.theSameSeedDrawsTheSameAndTheCounterMovesOn(seed -> new FrequencyWarp(F_MIN, F_MAX, 0.1f, seed), N, C, F, T);
    }

    @Test
    void channelsLastGivesTheSameResult() {
        AugmentationChecks.channelsLastGivesTheSameResult(() -> new FrequencyWarp(F_MIN, F_MAX, 0.1f, 4), N, C, F, T);
    }

    @Test
    void backwardIsTheExactGradient() {
        AugmentationChecks.backwardIsTheExactGradient(() -> new FrequencyWarp(F_MIN, F_MAX, 0.15f, 9), 5, N, C, F, T);
    }

    @Test
    void configAndErrors() {
        try (FrequencyWarp warp = new FrequencyWarp(F_MIN, F_MAX, 0.1f, 1); Module copy = LayerRegistry.build(warp.config())) {
            assertThat(copy.config()).isEqualTo(warp.config());
            assertThat(copy.describe()).isEqualTo("FrequencyWarp(VTLP, frequencies x (1 +- 0.1), 20.0-4000.0 Hz)");
            assertThat(warp.outputShape(new int[] {1, 20, 101})).containsExactly(1, 20, 101);
            try (Tensor flat = Tensor.zeros(2, 40)) {
                assertThatThrownBy(() -> warp.forward(flat)).hasMessageContaining("FrequencyWarp").hasMessageContaining("[N, C, F, T]");
            }
        }
        assertThatThrownBy(() -> new FrequencyWarp(F_MIN, F_MAX, 0.7f, 1)).hasMessageContaining("FrequencyWarp").hasMessageContaining("max_warp")
                .hasMessageContaining("0.7");
        assertThatThrownBy(() -> new FrequencyWarp(4000, 20, 0.1f, 1)).hasMessageContaining("f_min 4000.0, f_max 20.0");
        assertThatThrownBy(() -> new FrequencyWarp(F_MIN, Float.NaN, 0.1f, 1)).hasMessageContaining("f_max NaN");
    }
}
