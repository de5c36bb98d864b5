package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.io.OutputStream;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.golden.GoldenRunner;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Sgd;
import org.junit.jupiter.api.Test;

/** The Java API refuses the hyper-parameters the command line refuses, so the CLI check is not the only guard. */
class TrainingApiValidationTest {

    @Test
    void learningRatesMustBeFiniteAndNotNegative() {
        try (Linear fc = new Linear(2, 2)) {
            for (float lr : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.1f}) {
                assertThatThrownBy(() -> new Sgd(fc.parameters(), lr, 0f)).hasMessageContaining("learning rate").hasMessageContaining(Float.toString(lr));
                assertThatThrownBy(() -> Adam.of(fc.parameters(), lr)).hasMessageContaining(Float.toString(lr));
                assertThatThrownBy(() -> LrSchedule.constant(lr)).hasMessageContaining(Float.toString(lr));
                assertThatThrownBy(() -> LrSchedule.step(lr, 10, 0.1f)).hasMessageContaining(Float.toString(lr));
                assertThatThrownBy(() -> LrSchedule.cosine(lr, 0f, 3)).hasMessageContaining(Float.toString(lr));
                try (Sgd sgd = new Sgd(fc.parameters(), 0.1f, 0f)) {
                    assertThatThrownBy(() -> sgd.setLearningRate(lr)).hasMessageContaining(Float.toString(lr));
                }
            }
            assertThatThrownBy(() -> new AdamSpec(Float.POSITIVE_INFINITY, 0.9f, 0.999f, 1e-8f, 0f, false)).hasMessageContaining("Infinity");
            assertThatThrownBy(() -> new SgdSpec(0.1f, Float.POSITIVE_INFINITY, 0f, 0f, false)).hasMessageContaining("Infinity");
        }
    }

    @Test
    void schedulesRefuseBadShapes() {
        assertThatThrownBy(() -> LrSchedule.step(0.1f, 10, Float.NaN)).hasMessageContaining("gamma").hasMessageContaining("NaN");
        assertThatThrownBy(() -> LrSchedule.cosine(0.1f, 0f, 0)).hasMessageContaining("epochs").hasMessageContaining("0");
        assertThatThrownBy(() -> LrSchedule.constant(0.1f).withWarmup(-1)).hasMessageContaining("warm-up").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> LrSchedule.constant(0.1f).withWarmup(Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void aGradientNormBoundMustBePositive() throws Exception {
        try (Linear fc = new Linear(2, 2); Sgd sgd = new Sgd(fc.parameters(), 0.1f, 0f); Trainer t = new Trainer(fc, sgd, null)) {
            for (double bad : new double[] {-1, 0, Double.NaN}) {
                assertThatThrownBy(() -> t.clipGradNorm(bad)).hasMessageContaining("max gradient norm").hasMessageContaining(Double.toString(bad));
                assertThatThrownBy(() -> sgd.clipGradNorm(bad)).hasMessageContaining("max gradient norm").hasMessageContaining(Double.toString(bad));
            }
            t.clipGradNorm(Double.POSITIVE_INFINITY); // no clipping
        }
    }

    @Test
    void earlyStoppingAndEpochs() throws Exception {
        assertThatThrownBy(() -> new EarlyStopping(0, 1e-4)).hasMessageContaining("patience");
        assertThatThrownBy(() -> new EarlyStopping(2, Double.NaN)).hasMessageContaining("min delta").hasMessageContaining("NaN");
        try (Linear fc = new Linear(784, 10); Sequential net = new Sequential().add("flat", new Flatten()).add("fc", fc);
             Sgd sgd = new Sgd(net.parameters(), 0.1f, 0f); Trainer t = new Trainer(net, sgd, null);
             DataLoader loader = new DataLoader(FashionMnist.sample(false).limit(4), 4, false, 0, 0.5f, 0.5f)) {
            t.console(new PrintStream(OutputStream.nullOutputStream()), false);
            assertThatThrownBy(() -> t.fit(loader, null, -1)).hasMessageContaining("epochs").hasMessageContaining("-1");
        }
    }

    @Test
    void aNaNGoldenToleranceWouldPassEverything() {
        assertThatThrownBy(() -> new GoldenRunner(System.out, Double.NaN)).hasMessageContaining("tolerance").hasMessageContaining("NaN");
    }
}
