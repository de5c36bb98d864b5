package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * A short seeded training run on the embedded sample learns (that the same seed gives the same run, and a
 * resumed run the same end, is {@link ResumeTest}'s job).
 */
class TrainingTest {

    private static List<EpochResult> run(long seed) throws IOException {
        ImageDataset train = FashionMnist.sample(true).limit(1200), test = FashionMnist.sample(false).limit(300);
        Init.manualSeed(seed);
        Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10);
        try (net; Adam adam = Adam.of(net.parameters(), 3e-3f); Trainer t = new Trainer(net, adam, LrSchedule.constant(3e-3f));
             DataLoader tl = new DataLoader(train, 64, true, seed, FashionMnist.MEAN, FashionMnist.STD);
             DataLoader vl = new DataLoader(test, 100, false, seed, FashionMnist.MEAN, FashionMnist.STD)) {
            t.console(new PrintStream(new ByteArrayOutputStream()), false);
            return t.fit(tl, vl, 3);
        }
    }

    @Test
    void lossFallsAndAccuracyIsFarAboveChance() throws IOException {
        List<EpochResult> a = run(11);
        assertThat(a).hasSize(3);
        assertThat(a.get(1).trainLoss()).isLessThan(a.get(0).trainLoss());
        assertThat(a.get(2).trainLoss()).isLessThan(a.get(1).trainLoss());
        assertThat(a.get(2).validationAccuracy()).as("10 classes: chance is 10%").isGreaterThan(0.6);
    }

    @Test
    void schedulesAndEarlyStopping() {
        assertThat(LrSchedule.step(0.1f, 2, 0.5f).at(3, 0)).isEqualTo(0.05f);
        assertThat(LrSchedule.cosine(0.1f, 0f, 10).at(5, 0)).isCloseTo(0.05f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(LrSchedule.constant(0.1f).withWarmup(2).at(0, 0.5)).isCloseTo(0.025f, org.assertj.core.api.Assertions.within(1e-6f));
        EarlyStopping stop = new EarlyStopping(2, 0);
        assertThat(stop.afterEpoch(new EpochResult(1, 1, 0, 0.5, 0, 0, 0, 0))).isTrue();
        assertThat(stop.afterEpoch(new EpochResult(2, 1, 0, 0.6, 0, 0, 0, 0))).isTrue();
        assertThat(stop.afterEpoch(new EpochResult(3, 1, 0, 0.7, 0, 0, 0, 0))).isFalse();
    }
}
