package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.Sgd;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped after epoch 1 and resumed from its checkpoint trains epoch 2 exactly as the uninterrupted
 * run: the checkpoint holds the weights, batch-norm statistics, history and Adam's moments and step
 * counts, and the shuffled order of an epoch depends only on (seed, epoch, partition).
 */
class CheckpointResumeTest {
    private static final int IMAGES = 128, B = 16;
    private static final float LR = 2e-3f;
    private static SparkSession spark;
    private static Dataset<Row> data;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.start("local[2]");
        data = TrainingData.frame(spark, FashionMnist.sample(true).limit(IMAGES), 2);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheWeightsOfTheUninterruptedRun(@TempDir Path dir) throws IOException {
        Init.manualSeed(11);
        try (Module whole = Zoo.entry("fmnist-cnn-small").build(); Adam adam = Adam.of(whole.parameters(), LR)) {
            new DataParallelTrainer(saved(whole), adam).batchSize(B).checkpoint(dir.resolve("whole.cnn4j")).fit(data, 2);

            Path checkpoint = dir.resolve("stopped.cnn4j");
            Init.manualSeed(11);
            try (Module first = Zoo.entry("fmnist-cnn-small").build(); Adam firstAdam = Adam.of(first.parameters(), LR)) {
                new DataParallelTrainer(saved(first), firstAdam).batchSize(B).checkpoint(checkpoint).fit(data, 1);
            }
            DataParallelTrainer resumed = DataParallelTrainer.resume(checkpoint, parameters -> Adam.of(parameters, LR));
            try (Module net = resumed.model().model(); Optimizer optimizer = resumed.optimizer()) {
                assertThat(resumed.history()).extracting(EpochResult::epoch).containsExactly(1);
                List<EpochResult> history = resumed.batchSize(B).checkpoint(checkpoint).fit(data, 2);
                assertThat(history).extracting(EpochResult::epoch).containsExactly(1, 2);
                double difference = TrainingData.maxDifference(net, whole);
                System.out.printf("resumed after epoch 1 of 2 vs uninterrupted: max weight difference %.3g%n", difference);
                assertThat(TrainingData.bits(net)).as("weights and buffers, bit for bit").isEqualTo(TrainingData.bits(whole));
                assertThat(optimizer.stepCounts()).isEqualTo(adam.stepCounts());
            }
        }
    }

    @Test
    void resumingFromAModelWithoutOptimizerStateOrWithAnotherOptimizerIsRefused(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("plain.cnn4j"), checkpoint = dir.resolve("adam.cnn4j");
        try (Module net = Zoo.entry("fmnist-cnn-small").build(); Adam adam = Adam.of(net.parameters(), LR)) {
            ModelFile.write(plain, saved(net));
            ModelFile.write(checkpoint, saved(net), adam);
        }
        assertThatThrownBy(() -> DataParallelTrainer.resume(plain, parameters -> Adam.of(parameters, LR)))
                .hasMessageContaining(plain.toString()).hasMessageContaining("holds no optimizer state");
        assertThatThrownBy(() -> DataParallelTrainer.resume(checkpoint, parameters -> new Sgd(parameters, 0.1f, 0.9f)))
                .hasMessageContaining(checkpoint.toString()).hasMessageContaining("not sgd's");
        assertThatThrownBy(() -> DataParallelTrainer.resume(dir.resolve("none.cnn4j"), parameters -> Adam.of(parameters, LR)))
                .hasMessageContaining("none.cnn4j").hasMessageContaining("no such file");
    }

    private static ModelFile.Saved saved(Module net) {
        return new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of());
    }
}
