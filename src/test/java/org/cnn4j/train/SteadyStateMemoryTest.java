package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Once warmed up, a training step of a network with every layer kind, skip connections and a
 * concatenation takes no new off-heap memory: the peak of tensor memory during further steps is the
 * memory held before them (layers, the loss and the loader reuse their buffers).
 */
class SteadyStateMemoryTest {
    private Backend before;

    /** The layers' and trainer's buffers are under test here, not a backend's scratch memory: run on the reference backend. */
    @BeforeEach
    void reference() {
        before = Backends.current();
        Backends.use(ReferenceBackend.INSTANCE);
    }

    @AfterEach
    void restore() {
        Backends.use(before);
    }

    @Test
    void aWarmedUpTrainingStepAllocatesNoTensors() throws IOException {
        ImageDataset data = FashionMnist.sample(true).limit(64);
        Init.manualSeed(3);
        Module net = new Graph("x")
                .layer("conv", new Conv2d(1, 4, 3, 2, 1, 1, 1, false), "x").layer("bn", new BatchNorm2d(4), "conv")
                .layer("relu", ActivationLayer.relu(), "bn")
                .layer("b1", Conv2d.builder(4, 2, 1).build(), "relu").layer("b3", Conv2d.builder(4, 2, 3).padding(1).build(), "relu")
                .concat("cat", "b1", "b3").add("res", "cat", "relu").add("res2", "res", "relu")
                .layer("pool", Pool2d.max(2, 2), "res2").layer("drop", new Dropout(0.2f, 5), "pool")
                .layer("gap", new GlobalAvgPool2d(), "drop").layer("flat", new Flatten(), "gap").layer("fc", new Linear(4, 10), "flat");
        try (net; Adam adam = Adam.of(net.parameters(), 1e-3f); Trainer trainer = new Trainer(net, adam, null);
             DataLoader loader = new DataLoader(data, 16, true, 1, FashionMnist.MEAN, FashionMnist.STD)) {
            loader.startEpoch(0);
            for (int b = 0; b < 2; b++) {
                Tensor[] xy = loader.batch(b);
                trainer.step(xy[0], xy[1]);
            }
            long held = Tensor.liveBytes();
            Tensor.resetPeakBytes();
            for (int b = 2; b < 4; b++) {
                Tensor[] xy = loader.batch(b);
                trainer.step(xy[0], xy[1]);
            }
            assertThat(Tensor.liveBytes()).as("nothing leaks").isEqualTo(held);
            assertThat(Tensor.peakBytes()).as("nothing is allocated and freed within a step").isEqualTo(held);
        }
    }
}
