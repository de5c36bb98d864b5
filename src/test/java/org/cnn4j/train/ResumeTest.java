package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run is a function of its seed, and a run stopped after epoch 1 and resumed from its checkpoint (weights,
 * batch norm statistics, Adam's moments and step counts, history) ends bit for bit where an uninterrupted
 * run ends; evaluating on a validation set after each epoch changes nothing in the run either.
 */
class ResumeTest {
    private static final long SEED = 21;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private Backend before;

    /** Bit-for-bit comparisons need the same arithmetic in both runs: the reference backend has no run-time algorithm choice. */
    @BeforeEach
    void reference() {
        before = Backends.current();
        Backends.use(ReferenceBackend.INSTANCE);
    }

    @AfterEach
    void restore() {
        Backends.use(before);
    }

    private static ImageDataset data() throws IOException {
        return FashionMnist.sample(true).limit(160);
    }

    private static LrSchedule schedule() {
        return LrSchedule.cosine(3e-3f, 1e-4f, 2).withWarmup(0.5);
    }

    /** Trains a fresh seeded model for {@code epochs}; writes a checkpoint after each epoch when {@code checkpoint} is set. */
    private static Map<String, float[]> train(int epochs, Path checkpoint, List<EpochResult> history) throws IOException {
        return train(epochs, checkpoint, history, false, "fmnist-cnn-small");
    }

    private static Map<String, float[]> train(int epochs, Path checkpoint, List<EpochResult> history, boolean validate, String model)
            throws IOException {
        ImageDataset train = data();
        Init.manualSeed(SEED);
        Module net = Zoo.build(model, 1, 28, 28, 10);
        try (net; Adam adam = Adam.of(net.parameters(), 3e-3f); Trainer t = new Trainer(net, adam, schedule());
             DataLoader loader = new DataLoader(train, 32, true, SEED, FashionMnist.MEAN, FashionMnist.STD);
             DataLoader validation = new DataLoader(FashionMnist.sample(false).limit(96), 40, false, 0, FashionMnist.MEAN, FashionMnist.STD)) {
            t.console(QUIET, false);
            if (checkpoint != null) {
                t.addCallback(r -> {
                    ModelFile.write(checkpoint, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, train.classNames(), net, t.history()), adam);
                    return true;
                });
            }
            history.addAll(t.fit(loader, validate ? validation : null, epochs));
            return snapshot(net);
        }
    }

    private static Map<String, float[]> resume(Path checkpoint, int epochs, List<EpochResult> history) throws IOException {
        ModelFile.Saved saved = ModelFile.read(checkpoint);
        Module net = saved.model();
        try (net; Adam adam = Adam.of(net.parameters(), 3e-3f); Trainer t = new Trainer(net, adam, schedule());
             DataLoader loader = new DataLoader(data(), 32, true, SEED, FashionMnist.MEAN, FashionMnist.STD)) {
            t.console(QUIET, false);
            assertThat(ModelFile.restoreOptimizer(checkpoint, adam)).isTrue();
            t.resumeFrom(saved.history());
            history.addAll(t.fit(loader, null, epochs));
            return snapshot(net);
        }
    }

    private static Map<String, float[]> snapshot(Module net) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        net.namedParameters().forEach((n, p) -> out.put(n, p.value().toArray()));
        net.namedBuffers().forEach((n, t) -> out.put(n, t.toArray()));
        return out;
    }

    @Test
    void aResumedRunEndsExactlyWhereAnUninterruptedOneEnds(@TempDir Path dir) throws IOException {
        List<EpochResult> straight = new java.util.ArrayList<>(), stopped = new java.util.ArrayList<>(), resumed = new java.util.ArrayList<>();
        Map<String, float[]> full = train(2, null, straight);
        Path checkpoint = dir.resolve("ckpt.cnn4j");
        train(1, checkpoint, stopped);
        assertThat(stopped.get(0).trainLoss()).as("same seed, same first epoch").isEqualTo(straight.get(0).trainLoss());
        Map<String, float[]> after = resume(checkpoint, 2, resumed);
        assertThat(resumed).hasSize(2);
        assertThat(resumed.get(1).trainLoss()).isEqualTo(straight.get(1).trainLoss());
        assertThat(resumed.get(1).learningRate()).isEqualTo(straight.get(1).learningRate());
        full.forEach((name, values) -> assertThat(after.get(name)).as(name).isEqualTo(values)); // Arrays.equals: bit for bit, and linear (containsExactly is quadratic)
    }

    /**
     * Eval mode between epochs must leave no trace: batch norm's statistics, cached buffers and the data
     * order stay the run's own. Natively the full-width fmnist-cnn, whose 32- and 64-channel layers run
     * Winograd in all three directions: the native backend repeats bit for bit too at a fixed thread count.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void validatingAfterEachEpochChangesNothingInTheRun(String backend) throws IOException {
        Backends.use(Backends.byName(backend));
        String model = backend.equals("native") ? "fmnist-cnn" : "fmnist-cnn-small";
        List<EpochResult> plain = new java.util.ArrayList<>(), validated = new java.util.ArrayList<>();
        Map<String, float[]> without = train(2, null, plain, false, model);
        Map<String, float[]> with = train(2, null, validated, true, model);
        assertThat(validated.get(1).validationAccuracy()).isBetween(0.0, 1.0);
        assertThat(validated.get(1).trainLoss()).isEqualTo(plain.get(1).trainLoss());
        without.forEach((name, values) -> assertThat(with.get(name)).as(name).isEqualTo(values)); // bit for bit
    }
}
