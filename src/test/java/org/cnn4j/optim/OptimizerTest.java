package org.cnn4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cnn4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * Optimiser updates against PyTorch's formulas worked by hand on one or two numbers, gradient clipping,
 * learning-rate schedules, and the state a checkpoint saves.
 */
class OptimizerTest {

    private static Parameter param(float value, float grad) {
        Parameter p = new Parameter("w", 1);
        p.value().fill(value);
        p.grad().fill(grad);
        return p;
    }

    private static float value(Parameter p) {
        return p.value().toArray()[0];
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecay() {
        try (Parameter p = param(1f, 0.5f); Sgd sgd = new Sgd(List.of(p), 0.1f, 0.9f)) {
            sgd.step(); // b = g = 0.5; p = 1 - 0.1 * 0.5
            assertThat(value(p)).isCloseTo(0.95f, within(1e-6f));
            sgd.step(); // b = 0.9 * 0.5 + 0.5 = 0.95; p = 0.95 - 0.095
            assertThat(value(p)).isCloseTo(0.855f, within(1e-6f));
        }
        try (Parameter p = param(1f, 0.5f); Sgd sgd = new Sgd(List.of(p), 0.1f, 0.9f, 0f, 0.2f, true)) {
            sgd.step(); // g = 0.5 + 0.2 * 1 = 0.7; b = 0.7; nesterov g' = 0.7 + 0.9 * 0.7 = 1.33; p = 1 - 0.133
            assertThat(value(p)).isCloseTo(0.867f, within(1e-6f));
        }
        assertThatThrownBy(() -> new Sgd(List.of(), 0.1f, 0f, 0f, 0f, true)).hasMessageContaining("nesterov");
    }

    @Test
    void adamMovesByTheLearningRateAtFirstAndAdamWDecaysTheWeight() {
        try (Parameter p = param(1f, 123f); Adam adam = Adam.of(List.of(p), 0.01f)) {
            adam.step(); // bias-corrected m / sqrt(v) = g / |g| = 1
            assertThat(value(p)).isCloseTo(0.99f, within(1e-6f));
        }
        try (Parameter p = param(2f, 0f); Adam adamW = new Adam(List.of(p), 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, true)) {
            adamW.step(); // zero gradient: only the decoupled decay p *= 1 - lr * wd
            assertThat(value(p)).isCloseTo(2f * (1 - 0.05f), within(1e-6f));
        }
        try (Parameter p = param(2f, 0f); Adam adamL2 = new Adam(List.of(p), 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, false)) {
            adamL2.step(); // L2: g = wd * p = 1, and Adam's first step is lr * sign(g)
            assertThat(value(p)).isCloseTo(1.9f, within(1e-6f));
        }
    }

    @Test
    void frozenParametersAreNeitherUpdatedNorClipped() {
        try (Parameter a = param(1f, 3f); Parameter b = param(1f, 4f); Parameter frozen = param(1f, 100f);
             Sgd sgd = new Sgd(List.of(a, b, frozen), 1f, 0f)) {
            frozen.setFrozen(true);
            assertThat(sgd.clipGradNorm(1.0)).isCloseTo(5.0, within(1e-9));
            assertThat(a.grad().toArray()[0]).isCloseTo(0.6f, within(1e-6f));
            assertThat(b.grad().toArray()[0]).isCloseTo(0.8f, within(1e-6f));
            assertThat(frozen.grad().toArray()[0]).isEqualTo(100f);
            assertThat(sgd.clipGradNorm(10.0)).as("below the limit nothing changes").isCloseTo(1.0, within(1e-6));
            assertThat(a.grad().toArray()[0]).isCloseTo(0.6f, within(1e-6f));
            sgd.step();
            assertThat(value(a)).isCloseTo(0.4f, within(1e-6f));
            assertThat(value(frozen)).isEqualTo(1f);
            assertThat(sgd.stepCounts()).containsExactly(1, 1, 1, 0);
        }
    }

    @Test
    void schedules() {
        LrSchedule step = LrSchedule.step(0.1f, 2, 0.5f);
        assertThat(step.at(0, 0.9)).isEqualTo(0.1f);
        assertThat(step.at(2, 0)).isEqualTo(0.05f);
        assertThat(step.at(5, 0.5)).isCloseTo(0.025f, within(1e-8f));
        LrSchedule cosine = LrSchedule.cosine(0.1f, 0.01f, 10);
        assertThat(cosine.at(0, 0)).isCloseTo(0.1f, within(1e-7f));
        assertThat(cosine.at(5, 0)).isCloseTo(0.055f, within(1e-7f));
        assertThat(cosine.at(9, 0.999999)).isCloseTo(0.01f, within(1e-6f));
        assertThat(cosine.at(12, 0)).as("stays at the minimum after the last epoch").isCloseTo(0.01f, within(1e-7f));
        LrSchedule warm = LrSchedule.constant(0.2f).withWarmup(2);
        assertThat(warm.at(0, 0.5)).isCloseTo(0.05f, within(1e-6f));
        assertThat(warm.at(1, 0.5)).isCloseTo(0.15f, within(1e-6f));
        assertThat(warm.at(2, 0)).isEqualTo(0.2f);
        assertThat(warm.at(0, 0.1)).isLessThan(warm.at(0, 0.2));
    }

    @Test
    void stateNamesItsTensorsAndRestoresStepCounts() {
        try (Parameter a = param(1f, 1f); Parameter b = param(2f, 1f); Adam adam = Adam.of(List.of(a, b), 0.1f);
             Sgd plain = new Sgd(List.of(a), 0.1f, 0f)) {
            assertThat(adam.state()).containsOnlyKeys("0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq");
            assertThat(adam.kind()).isEqualTo("adam");
            assertThat(plain.state()).as("no momentum, no state").isEmpty();
            adam.step();
            adam.step();
            assertThat(adam.stepCount()).isEqualTo(2);
            adam.restoreStepCounts(new int[] {7, 7, 5});
            assertThat(adam.stepCounts()).containsExactly(7, 7, 5);
            assertThatThrownBy(() -> adam.restoreStepCounts(new int[] {1})).hasMessageContaining("2 parameters");
        }
    }
}
