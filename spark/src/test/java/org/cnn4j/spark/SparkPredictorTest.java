package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch inference in local[2]: Spark's outputs are the core's single-JVM outputs, bit for bit. */
class SparkPredictorTest {
    private static final int IMAGES = 300, BATCH = 64;
    /**
     * Batches are padded to 64, but a partition puts an image at another place in its batch than the single JVM does,
     * and the kernels' order of summation can depend on the place: on a Xeon it did not at 64 (docs/spark.md), on a
     * Zen 4 some probabilities differed in the last bit. 1e-6 is about 16 ulps of 1, far under any difference a wrong
     * row, image or weight would make.
     */
    private static final float PROBABILITY_ROUNDING = 1e-6f;
    private static SparkSession spark;
    private static ImageDataset data;
    private static Path modelFile, imageDir;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws IOException {
        spark = LocalSpark.start("local[2]");
        data = FashionMnist.sample(false).limit(IMAGES);
        Init.manualSeed(7);
        modelFile = dir.resolve("fmnist-cnn.cnn4j");
        try (Module net = Zoo.entry("fmnist-cnn").build()) {
            ModelFile.write(modelFile, new ModelFile.Saved("fmnist-cnn", 1, 28, 28, FashionMnist.CLASSES, net, List.of()));
        }
        imageDir = Files.createDirectories(dir.resolve("images"));
        FashionMnistFiles.write(data, imageDir);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void imageFilesScoreAsTheCoreScoresThemWhateverThePartitioning() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(imageDir)) {
            files = s.sorted().toList();
        }
        float[] pixels = new float[IMAGES * 784];
        for (int i = 0; i < IMAGES; i++) {
            System.arraycopy(normalised(ImageFolder.readImage(files.get(i), 1, 28, 28)), 0, pixels, i * 784, 784);
        }
        float[][] expected = reference(pixels);
        Dataset<Row> images = spark.read().format("binaryFile").load(imageDir.toString());
        SparkPredictor predictor = SparkPredictor.of(modelFile).batchSize(BATCH).topK(10);
        for (int partitions : new int[] {2, 3}) {
            List<Row> rows = predictor.transform(images.repartition(partitions)).collectAsList();
            assertThat(rows).hasSize(IMAGES);
            for (Row r : rows) {
                String name = Path.of(r.<String>getAs("path").replace("file:", "")).getFileName().toString();
                int i = files.indexOf(imageDir.resolve(name));
                assertPredicted(r, expected[i]);
            }
        }
    }

    @Test
    void pixelColumnsAndEmbeddingsScoreAsTheCoreScoresThem() throws IOException {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            List<Float> p = new ArrayList<>(784);
            for (int q = 0; q < 784; q++) {
                p.add(data.pixels()[i * 784 + q]);
            }
            rows.add(RowFactory.create(i, p));
        }
        float[] pixels = normalised(data.pixels());
        float[][] expected = reference(pixels);
        float[][] expectedEmbeddings;
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model()) {
            expectedEmbeddings = SingleJvmPredictions.layerOutputs(net, "fc1", pixels, 1, 28, 28, BATCH);
        }
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);
        List<Row> scored = SparkPredictor.of(modelFile).inputColumn("pixels").batchSize(BATCH).topK(10).embedding("fc1")
                .transform(input).collectAsList();
        assertThat(scored).hasSize(IMAGES);
        for (Row r : scored) {
            int id = r.getAs("id");
            assertPredicted(r, expected[id]);
            List<Float> embedding = r.getList(r.fieldIndex("embedding"));
            assertThat(embedding).hasSize(256);
            float scale = 0;
            for (float v : expectedEmbeddings[id]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int k = 0; k < 256; k++) {
                // a sum of 3,136 products in another order: about sqrt(3136) x 6e-8 = 3.4e-6 of the scale; 1e-5 allowed
                assertThat(embedding.get(k)).as("image %d, fc1 unit %d", id, k).isCloseTo(expectedEmbeddings[id][k], within(1e-5f * scale));
            }
        }
    }

    @Test
    void executorsRunTheNativeKernelsWithTheTaskCores() {
        List<String> seen = spark.range(0, 4, 1, 2).javaRDD()
                .map(i -> NativeLibrary.isLoaded() + " threads " + ExecutorThreads.adopt()).collect();
        assertThat(seen).containsOnly("true threads 1");
    }

    @Test
    void badInputsAndOptionsAreNamed(@TempDir Path dir) throws IOException {
        Dataset<Row> images = spark.read().format("binaryFile").load(imageDir.toString());
        SparkPredictor predictor = SparkPredictor.of(modelFile);
        assertThatThrownBy(() -> predictor.inputColumn("image").transform(images))
                .hasMessageContaining("no input column 'image'").hasMessageContaining("path, modificationTime, length, content");
        assertThatThrownBy(() -> predictor.inputColumn("path").transform(images))
                .hasMessageContaining("input column 'path' is of type string");
        assertThatThrownBy(() -> predictor.batchSize(0)).hasMessageContaining("batch size must be 1 to 65536 images, got 0");
        assertThatThrownBy(() -> predictor.topK(11)).hasMessageContaining("top-k must be 1 to the model's 10 classes, got 11");
        assertThatThrownBy(() -> predictor.embedding("fc9")).hasMessageContaining("embedding layer 'fc9' is not a layer of")
                .hasMessageContaining("fc1");
        Path notAModel = Files.writeString(dir.resolve("model.cnn4j"), "not a model");
        assertThatThrownBy(() -> SparkPredictor.of(notAModel)).hasMessageContaining("model file " + notAModel)
                .hasMessageContaining("not a cnn4j model");

        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.write(corrupt.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Dataset<Row> broken = spark.read().format("binaryFile").load(corrupt.toString());
        assertThatThrownBy(() -> SparkPredictor.of(modelFile).transform(broken).collectAsList())
                .hasStackTraceContaining("broken.png").hasStackTraceContaining("not an image javax.imageio can read");

        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> short_ = spark.createDataFrame(List.of(RowFactory.create(List.of(0.5f, 0.5f))), schema);
        assertThatThrownBy(() -> SparkPredictor.of(modelFile).inputColumn("pixels").transform(short_).collectAsList())
                .hasStackTraceContaining("input column 'pixels' holds 2 values; the model takes 1x28x28 = 784");
    }

    private static void assertPredicted(Row r, float[] probabilities) {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            best = probabilities[k] > probabilities[best] ? k : best;
        }
        assertThat(r.<Integer>getAs("prediction")).isEqualTo(best);
        assertThat(r.<String>getAs("predicted_class")).isEqualTo(FashionMnist.CLASSES.get(best));
        assertThat(r.<Float>getAs("probability")).isCloseTo(probabilities[best], within(PROBABILITY_ROUNDING));
        List<Row> top = r.getList(r.fieldIndex("top_k"));
        assertThat(top).hasSize(10);
        for (Row t : top) {
            int k = t.getInt(0);
            assertThat(t.getFloat(2)).as("class %d", k).isCloseTo(probabilities[k], within(PROBABILITY_ROUNDING));
        }
    }

    private static float[][] reference(float[] pixels) throws IOException {
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model()) {
            return SingleJvmPredictions.probabilities(net, pixels, 1, 28, 28, BATCH);
        }
    }

    private static float[] normalised(float[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] - FashionMnist.MEAN) / FashionMnist.STD;
        }
        return out;
    }
}
