package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/** Predictions in dataset order, and a run whose loss or gradient turns NaN stops before the update and says where. */
class TrainerTest {

    @Test
    void predictionsComeInDatasetOrder() throws IOException {
        ImageDataset test = FashionMnist.sample(false).limit(40);
        Init.manualSeed(21);
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10); Adam adam = Adam.of(net.parameters(), 1e-3f);
             Trainer t = new Trainer(net, adam, null);
             DataLoader inOrder = new DataLoader(test, 16, false, 0, FashionMnist.MEAN, FashionMnist.STD);
             DataLoader shuffled = new DataLoader(test, 16, true, 5, FashionMnist.MEAN, FashionMnist.STD)) {
            float[][] a = t.predict(inOrder), b = t.predict(shuffled);
            assertThat(a).hasDimensions(40, 10);
            for (int i = 0; i < 40; i++) {
                float sum = 0;
                for (float p : a[i]) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1f, within(1e-5f));
                // Not bit for bit: an image's place in its batch moves the last bits of oneDNN's and Winograd's
                // blockings (seen on Zen 4; scalar im2col+GEMM with our own GEMM is batch-invariant), while a wrong
                // order would swap whole rows of probabilities.
                for (int j = 0; j < 10; j++) {
                    assertThat(b[i][j]).as("image %d, class %d", i, j).isCloseTo(a[i][j], within(1e-6f));
                }
            }
        }
    }

    @Test
    void aDivergedRunStopsWithTheReason() throws IOException {
        ImageDataset data = FashionMnist.sample(false).limit(8);
        try (Linear fc = new Linear(784, 10); Sequential net = new Sequential().add("flat", new Flatten()).add("fc", fc);
             Sgd sgd = new Sgd(net.parameters(), 0.1f, 0f); Trainer t = new Trainer(net, sgd, null);
             DataLoader loader = new DataLoader(data, 4, false, 0, 0.5f, 0.5f)) {
            fc.weight().value().set(Float.NaN, 3, 100);
            float[] before = fc.weight().value().toArray();
            t.console(new PrintStream(OutputStream.nullOutputStream()), false);
            assertThatThrownBy(() -> t.fit(loader, null, 1)).isInstanceOf(NonFiniteException.class)
                    .hasMessageStartingWith("training stopped at epoch 1, batch 1 of 2: the loss is NaN");
            assertThat(sgd.stepCount()).as("no update").isZero();
            assertThat(fc.weight().value().toArray()).containsExactly(before);
        }
    }

    /** A gradient that is not finite under a finite loss stops the step before the update, naming the parameter. */
    @Test
    void aNonFiniteGradientStopsTheRunNamingTheParameter() throws IOException {
        ImageDataset data = FashionMnist.sample(false).limit(8);
        for (boolean clip : new boolean[] {false, true}) {
            try (Linear fc = new Linear(784, 10); Sequential net = new Sequential().add("flat", new Flatten()).add("fc", fc)
                    .add("poison", new PoisonedGradient()); Sgd sgd = new Sgd(net.parameters(), 0.1f, 0f);
                 Trainer t = new Trainer(net, sgd, null); DataLoader loader = new DataLoader(data, 4, false, 0, 0.5f, 0.5f)) {
                float[] before = fc.weight().value().toArray();
                t.console(new PrintStream(OutputStream.nullOutputStream()), false);
                if (clip) {
                    t.clipGradNorm(1);
                }
                assertThatThrownBy(() -> t.fit(loader, null, 1)).isInstanceOf(NonFiniteException.class)
                        .hasMessageStartingWith("training stopped at epoch 1, batch 1 of 2: the gradient of poison.scale is not finite"
                                + (clip ? " (gradient norm NaN)" : " ("));
                assertThat(fc.weight().value().toArray()).as("clip %b: no update", clip).containsExactly(before);
            }
        }
    }

    /** The identity, with a parameter whose gradient its backward sets to NaN. */
    private static final class PoisonedGradient extends Module {
        private final Parameter scale = new Parameter("scale", 1);

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            scale.grad().fill(Float.NaN);
            return gradOutput;
        }

        @Override
        protected List<Parameter> ownParameters() {
            return List.of(scale);
        }

        @Override
        public String describe() {
            return "PoisonedGradient";
        }

        @Override
        public void close() {
            scale.close();
        }
    }
}
