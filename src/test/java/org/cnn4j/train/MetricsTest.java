package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Accuracy, top-k, per-class accuracy, the confusion matrix and early stopping on hand-made scores. */
class MetricsTest {

    @Test
    void countsHitsPerClassAndInTheTopK() {
        // 3 classes; truths 0, 1, 2, 2; predictions 0, 2 (truth 1 second), 2, 1 (truth 2 third)
        float[] scores = {
            0.8f, 0.1f, 0.1f,
            0.1f, 0.3f, 0.6f,
            0.2f, 0.2f, 0.6f,
            0.3f, 0.6f, 0.1f};
        try (Tensor s = Tensor.of(scores, 4, 3); Tensor y = Tensor.of(new float[] {0, 1, 2, 2}, 4)) {
            Metrics m = new Metrics(3, 2);
            m.add(0.5, s, y);
            m.add(1.5, s, y);
            assertThat(m.count()).isEqualTo(8);
            assertThat(m.loss()).isCloseTo(1.0, within(1e-12));
            assertThat(m.accuracy()).isEqualTo(0.5);
            assertThat(m.topKAccuracy()).isEqualTo(0.75);
            assertThat(m.perClassAccuracy()).containsExactly(1.0, 0.0, 0.5);
            assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] {{2, 0, 0}, {0, 0, 2}, {0, 2, 2}});
            assertThat(m.report(List.of("a", "b", "c"))).contains("accuracy 50.00%", "top-2 75.00%", "confusion matrix");
        }
    }

    /** Every comparison with NaN is false: unchecked, a NaN row would rank its true class first. */
    @Test
    void nanScoresAreNeverCorrect() {
        float nan = Float.NaN;
        float[] scores = {nan, nan, nan, 0.2f, nan, 0.3f, 0.7f, 0.2f, 0.1f};
        try (Tensor s = Tensor.of(scores, 3, 3); Tensor y = Tensor.of(new float[] {0, 2, 0}, 3)) {
            Metrics m = new Metrics(3, 3);
            m.add(Double.NaN, s, y);
            assertThat(m.topKAccuracy()).isEqualTo(1.0 / 3);
            assertThat(m.accuracy()).isEqualTo(1.0 / 3);
            assertThat(m.unscored()).isEqualTo(2);
            assertThat(m.loss()).isNaN();
            assertThat(m.report(List.of("a", "b", "c"))).contains("loss NaN", "top-3 33.33%", "3 images, 2 with NaN scores");
        }
    }

    @Test
    void earlyStoppingWatchesTheTrainingLossWithoutValidationData() {
        EarlyStopping stop = new EarlyStopping(1, 0.01);
        assertThat(stop.afterEpoch(new EpochResult(1, 1.0, 0, Double.NaN, Double.NaN, 0, 0, 0))).isTrue();
        assertThat(stop.afterEpoch(new EpochResult(2, 0.9, 0, Double.NaN, Double.NaN, 0, 0, 0))).isTrue();
        assertThat(stop.afterEpoch(new EpochResult(3, 0.895, 0, Double.NaN, Double.NaN, 0, 0, 0))).as("improved by less than min delta").isFalse();
        EarlyStopping resumed = new EarlyStopping(2, 0).replay(List.of(new EpochResult(1, 1, 0, 0.5, 0, 0, 0, 0),
                new EpochResult(2, 1, 0, 0.6, 0, 0, 0, 0)));
        assertThat(resumed.afterEpoch(new EpochResult(3, 1, 0, 0.55, 0, 0, 0, 0))).as("patience counts the replayed epoch").isFalse();
    }
}
