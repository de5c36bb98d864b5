package org.cnn4j.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.augment.AugmentationPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What augmentation costs: one batch of 128 Fashion-MNIST images (the embedded sample) normalised into
 * an off-heap tensor, with no augmentation and with an augmentation spec (as {@code train --augment=SPEC}).
 * Compare the difference with a training step of the same batch ({@code cnn4j bench --network fmnist-cnn
 * --mode training}) to get augmentation's share of training time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DataLoaderBenchmark {

    @Param({"none", "standard", "crop=2,flip", "noise=0.05"})
    public String augment;

    private DataLoader loader;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        loader = new DataLoader(FashionMnist.sample(true), 128, true, 1, FashionMnist.MEAN, FashionMnist.STD);
        if (!augment.equals("none")) {
            loader.augment(AugmentationPipeline.parse(augment));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loader.close();
    }

    @Benchmark
    public Object batch() {
        next = (next + 1) % loader.numBatches();
        return loader.batch(next);
    }
}
