package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Data-parallel training in local[2]: two workers of batch B train as one process of batch 2B. */
class DataParallelTrainerTest {
    private static final int IMAGES = 256, B = 32;
    private static SparkSession spark;
    private static ImageDataset data;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.start("local[2]");
        data = FashionMnist.sample(true).limit(IMAGES);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void twoWorkersOfBatchBTrainAsOneProcessOfBatch2B() throws IOException {
        Init.manualSeed(3);
        Module distributed = Zoo.entry("lenet5").build();
        Init.manualSeed(3);
        Module single = Zoo.entry("lenet5").build();
        assertThat(TrainingData.maxDifference(distributed, single)).isZero();
        try (Sgd sgd = new Sgd(distributed.parameters(), 0.05f, 0.9f)) {
            new DataParallelTrainer(saved(distributed), sgd).batchSize(B).shuffle(false, 0).fit(TrainingData.frame(spark, data, 2), 2);
        }
        try (Sgd sgd = new Sgd(single.parameters(), 0.05f, 0.9f); Trainer trainer = new Trainer(single, sgd, null);
             DataLoader loader = new DataLoader(TrainingData.interleavedHalves(data, B), 2 * B, false, 0, FashionMnist.MEAN, FashionMnist.STD)) {
            single.train();
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int b = 0; b < loader.numBatches(); b++) {
                    Tensor[] xy = loader.batch(b);
                    trainer.step(xy[0], xy[1]);
                }
            }
        }
        double difference = TrainingData.maxDifference(distributed, single);
        System.out.printf("2 workers x batch %d vs one process x batch %d, 16 SGD steps: max weight difference %.3g%n", B, 2 * B, difference);
        assertThat(difference).isLessThan(1e-5);
        assertThat(TrainingData.maxDifference(distributed, Zoo.entry("lenet5").build())).as("the weights moved").isGreaterThan(1e-3);
    }

    @Test
    void badTrainingInputsAreNamed() {
        Module net = Zoo.entry("lenet5").build();
        Sgd sgd = new Sgd(net.parameters(), 0.01f, 0f);
        DataParallelTrainer trainer = new DataParallelTrainer(saved(net), sgd);
        assertThatThrownBy(() -> trainer.labelColumn("class").fit(TrainingData.frame(spark, data.limit(8), 2), 1))
                .hasMessageContaining("no label column 'class' (columns: pixels, label)");
        assertThatThrownBy(() -> trainer.batchSize(0)).hasMessageContaining("batch size per worker must be 1 to 65536 images, got 0");
        assertThatThrownBy(() -> trainer.labelColumn("label")
                .fit(TrainingData.frame(spark, data.limit(4), 1, row -> RowFactory.create(row.get(0), 12)), 1))
                .hasStackTraceContaining("label column 'label' holds 12, not a class index 0 to 9");
    }

    private static ModelFile.Saved saved(Module net) {
        return new ModelFile.Saved("lenet5", 1, 28, 28, FashionMnist.CLASSES, net, List.of());
    }
}
