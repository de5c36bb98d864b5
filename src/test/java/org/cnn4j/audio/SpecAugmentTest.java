package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.nn.LayerRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** SpecAugment masks bands of rows and frames in training only, reproducibly from its seed, and its backward is exact. */
class SpecAugmentTest {
    private static final int N = 3, C = 2, F = 12, T = 20;

    @Test
    void trainingMasksBandsWithTheMeanAndEvaluationIsTheIdentity() {
        float[] x = AugmentationChecks.random(1, N * C * F * T);
        try (SpecAugment aug = new SpecAugment(2, 4, 2, 6, 7); Tensor in = Tensor.of(x, N, C, F, T)) {
            float[] y = aug.forward(in).toArray();
            int changedRows = 0, changedFrames = 0;
            for (int i = 0; i < N; i++) {
                double mean0 = 0;
                for (int q = 0; q < F * T; q++) {
                    mean0 += x[i * C * F * T + q];
                }
                float mean = (float) (mean0 / (F * T));
                for (int f = 0; f < F; f++) {
                    for (int t = 0; t < T; t++) {
                        int a = ((i * C) * F + f) * T + t;
                        assertThat(y[a] == x[a] || y[a] == mean).as("example %d (%d, %d) is kept or the mean", i, f, t).isTrue();
                        assertThat(y[a + F * T] == x[a + F * T]).as("both channels share the masks").isEqualTo(y[a] == x[a]);
                    }
                }
                for (int f = 0; f < F; f++) {
                    boolean whole = true;
                    for (int t = 0; t < T; t++) {
                        whole &= y[((i * C) * F + f) * T + t] != x[((i * C) * F + f) * T + t];
                    }
                    changedRows += whole ? 1 : 0;
                }
                for (int t = 0; t < T; t++) {
                    boolean whole = true;
                    for (int f = 0; f < F; f++) {
                        whole &= y[((i * C) * F + f) * T + t] != x[((i * C) * F + f) * T + t];
                    }
                    changedFrames += whole ? 1 : 0;
                }
            }
            assertThat(changedRows).as("at most 2 bands of 4 rows per example").isBetween(1, N * 8);
            assertThat(changedFrames).as("at most 2 bands of 6 frames per example").isBetween(1, N * 12);
            aug.eval();
            assertThat(aug.forward(in)).isSameAs(in);
            try (Tensor g = Tensor.of(x, N, C, F, T)) {
                assertThat(aug.backward(g)).isSameAs(g);
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameMasksAndTheCounterMovesOn() {
        AugmentationChecks.theSameSeedDrawsTheSameAndTheCounterMovesOn(seed -> new SpecAugment(2, 4, 2, 6, seed), N, C, F, T);
    }

    @Test
    void channelsLastGivesTheSameResult() {
        AugmentationChecks.channelsLastGivesTheSameResult(() -> new SpecAugment(1, 5, 1, 8, 4), N, C, F, T);
    }

    @Test
    void backwardIsTheExactGradient() {
        AugmentationChecks.backwardIsTheExactGradient(() -> new SpecAugment(2, 4, 2, 6, 9), 7, N, C, F, T);
    }

    @Test
    void configAndErrors() {
        try (SpecAugment aug = new SpecAugment(2, 6, 2, 10, 1); Module copy = LayerRegistry.build(aug.config())) {
            assertThat(copy.config()).isEqualTo(aug.config());
            assertThat(copy.describe()).isEqualTo("SpecAugment(2 frequency masks <= 6, 2 time masks <= 10)");
            assertThat(aug.outputShape(new int[] {1, 40, 101})).containsExactly(1, 40, 101);
            try (Tensor flat = Tensor.zeros(2, 40)) {
                assertThatThrownBy(() -> aug.forward(flat)).hasMessageContaining("SpecAugment").hasMessageContaining("[N, C, F, T]");
            }
        }
        assertThatThrownBy(() -> new SpecAugment(-1, 6, 2, 10, 1)).hasMessageContaining("SpecAugment").hasMessageContaining("freq_masks -1");
    }
}
