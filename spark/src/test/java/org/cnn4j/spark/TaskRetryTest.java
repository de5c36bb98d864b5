package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Sgd;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose first attempt fails half-way is re-run by Spark (local[2,3]: 2 threads, up to 3 attempts
 * of a task) and the job's result is the one of a run without the failure, bit for bit. The failure is
 * an exception thrown in the task thread (what Spark sees of a lost task); killing a whole executor
 * needs local-cluster mode, which needs a Spark distribution (docs/spark.md). Both runs use 2 partitions:
 * the sum of two gradients does not depend on which task finishes first.
 */
class TaskRetryTest {
    private static final int IMAGES = 128, B = 16, FAULTY_STEP = 2, FAULTY_PARTITION = 1;
    /** Faults thrown so far: tasks run in this JVM in local mode, so the count is the test's to read. */
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static SparkSession spark;
    private static ImageDataset data;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.start("local[2,3]");
        data = FashionMnist.sample(true).limit(IMAGES);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void aTrainingTaskThatFailsMidStepIsRerunToTheSameWeights() throws IOException {
        int[] clean = trainedBits(StepFault.NONE);
        FAULTS.set(0);
        int[] rerun = trainedBits((epoch, step) -> {
            TaskContext task = TaskContext.get();
            if (epoch == 0 && step == FAULTY_STEP && task.partitionId() == FAULTY_PARTITION && task.attemptNumber() == 0) {
                FAULTS.incrementAndGet();
                throw new IllegalStateException("injected fault after the gradients of step " + step);
            }
        });
        assertThat(FAULTS).as("faults injected").hasValue(1);
        assertThat(rerun).as("weights and buffers after a re-run task, bit for bit").isEqualTo(clean);
    }

    @Test
    void aScoringTaskThatFailsMidPartitionIsRerunToTheSamePredictions(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("fmnist-cnn-small.cnn4j");
        Init.manualSeed(5);
        try (Module net = Zoo.entry("fmnist-cnn-small").build()) {
            ModelFile.write(model, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of()));
        }
        // batches of 16: the fault at row 40 of partition 1 comes after two of its batches were scored
        SparkPredictor predictor = SparkPredictor.of(model).inputColumn("pixels").batchSize(16).topK(10).embedding("fc1");
        List<Row> clean = predictor.transform(numbered(-1)).collectAsList();
        FAULTS.set(0);
        List<Row> rerun = predictor.transform(numbered(IMAGES / 2 + 40)).collectAsList();
        assertThat(FAULTS).as("faults injected").hasValue(1);
        assertThat(rerun).hasSize(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            assertThat(rerun.get(i).<Integer>getAs("id")).isEqualTo(i);
            assertThat(bits(rerun.get(i))).as("image %d", i).isEqualTo(bits(clean.get(i)));
        }
    }

    /** The bits of fmnist-cnn-small's weights and buffers after 2 epochs of 2 workers x batch B (8 steps). */
    private static int[] trainedBits(StepFault fault) throws IOException {
        Init.manualSeed(9);
        try (Module net = Zoo.entry("fmnist-cnn-small").build(); Sgd sgd = new Sgd(net.parameters(), 0.05f, 0.9f)) {
            new DataParallelTrainer(new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of()), sgd)
                    .batchSize(B).fault(fault).fit(TrainingData.frame(spark, data, 2), 2);
            return TrainingData.bits(net);
        }
    }

    /** The images as rows (id, pixels) in 2 partitions; the first attempt of the task reading row {@code faultyId} fails there. */
    private static Dataset<Row> numbered(int faultyId) {
        List<Integer> ids = IntStream.range(0, IMAGES).boxed().toList();
        int per = data.imageSize();
        float[] pixels = data.pixels();
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, 2).map(id -> {
            if (id == faultyId && TaskContext.get().attemptNumber() == 0) {
                FAULTS.incrementAndGet();
                throw new IllegalStateException("injected fault at row " + id);
            }
            float[] image = new float[per];
            System.arraycopy(pixels, id * per, image, 0, per);
            return RowFactory.create(id, image);
        }), new StructType().add("id", DataTypes.IntegerType)
                .add("pixels", ImageFrames.SCHEMA.apply("pixels").dataType()));
    }

    /** Every float a scored row carries (probability, top-k probabilities, embedding) as bits. */
    private static int[] bits(Row r) {
        List<Row> top = r.getList(r.fieldIndex("top_k"));
        List<Float> embedding = r.getList(r.fieldIndex("embedding"));
        return IntStream.concat(IntStream.of(r.<Integer>getAs("prediction"), Float.floatToRawIntBits(r.getAs("probability"))),
                IntStream.concat(top.stream().flatMapToInt(t -> IntStream.of(t.getInt(0), Float.floatToRawIntBits(t.getFloat(2)))),
                        embedding.stream().mapToInt(Float::floatToRawIntBits))).toArray();
    }
}
