package org.cnn4j.spark;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The runnable example of docs/spark.md: trains fmnist-cnn on the Fashion-MNIST training set with
 * {@link DataParallelTrainer} (one worker per partition, checkpointing to {@code --out}), then scores the
 * test set with {@link SparkPredictor} and a model file (the one just trained, or {@code --model}) and
 * prints the accuracy. Runs under {@code spark-submit} (the master comes from it) or as a plain Java
 * program with {@code --master local[N]}.
 */
@Command(name = "org.cnn4j.spark.Example", mixinStandardHelpOptions = true,
        description = {"Trains fmnist-cnn on Fashion-MNIST with data-parallel Spark workers, then scores the test set with a model file.",
                "Example: spark-submit --class org.cnn4j.spark.Example cnn4j-spark-0.1.0-SNAPSHOT-all.jar --workers 8 --epochs 1"})
public final class Example implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's).")
    String master;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path data = Path.of(FashionMnist.DEBIAN_DIR);

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train; 0 only scores --model (default: ${DEFAULT-VALUE}).")
    int epochs = 1;

    @Option(names = "--workers", paramLabel = "W", description = "Training workers (partitions) (default: Spark's default parallelism).")
    Integer workers;

    @Option(names = "--batch", paramLabel = "B", description = "Images per worker per step (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    float lr = 1e-3f;

    @Option(names = "--seed", description = "Seed of the initial weights and of the shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--train-images", paramLabel = "N", description = "Use only the first N training images (default: all).")
    Integer trainImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Score only the first N test images (default: all).")
    Integer testImages;

    @Option(names = "--out", paramLabel = "FILE", description = "The checkpoint of the trained model (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("fmnist-cnn-spark.cnn4j");

    @Option(names = "--model", paramLabel = "FILE", description = "The model file to score with (default: the one trained, --out).")
    Path model;

    public static void main(String[] args) {
        System.exit(CommandLines.run(new Example(), args));
    }

    @Override
    public Integer call() throws Exception {
        check();
        ImageDataset train = limited(FashionMnist.fromDirectory(data, true), trainImages, "--train-images");
        ImageDataset test = limited(FashionMnist.fromDirectory(data, false), testImages, "--test-images");
        SparkSession.Builder builder = SparkSession.builder().appName("cnn4j-spark-example");
        if (master != null) {
            builder.master(master);
        } else if (!new SparkConf().contains("spark.master")) {
            throw CommandLines.bad(spec.commandLine(), "--master", "nothing", "needs a Spark master outside spark-submit, e.g. local[2]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            if (epochs > 0) {
                train(spark, train);
            }
            score(spark, test, model == null ? out : model);
        } finally {
            spark.stop();
        }
        return 0;
    }

    private void check() {
        if (epochs < 0) {
            throw CommandLines.bad(spec.commandLine(), "--epochs", epochs, "must be >= 0");
        }
        if (epochs == 0 && model == null) {
            throw CommandLines.bad(spec.commandLine(), "--epochs", epochs, "trains nothing, so --model FILE must name the model to score");
        }
        if (workers != null && workers < 1) {
            throw CommandLines.bad(spec.commandLine(), "--workers", workers, "must be >= 1");
        }
        if (batch < 1 || batch > 65536) {
            throw CommandLines.bad(spec.commandLine(), "--batch", batch, "must be 1 to 65536 images");
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw CommandLines.bad(spec.commandLine(), "--lr", lr, "must be finite and > 0");
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw CommandLines.bad(spec.commandLine(), "--model", model, "must be a model file; there is no such file");
        }
        atLeastOne(trainImages, "--train-images");
        atLeastOne(testImages, "--test-images");
    }

    private void atLeastOne(Integer n, String option) {
        if (n != null && n < 1) {
            throw CommandLines.bad(spec.commandLine(), option, n, "must be >= 1");
        }
    }

    private ImageDataset limited(ImageDataset all, Integer n, String option) {
        if (n != null && n > all.size()) {
            throw CommandLines.bad(spec.commandLine(), option, n, "is more than the " + all.size() + " images in " + data);
        }
        return n == null ? all : all.limit(n);
    }

    private void train(SparkSession spark, ImageDataset train) throws Exception {
        int w = workers != null ? workers : spark.sparkContext().defaultParallelism();
        Init.manualSeed(seed);
        try (Module net = Zoo.entry("fmnist-cnn").build(); Adam adam = Adam.of(net.parameters(), lr)) {
            ModelFile.Saved start = new ModelFile.Saved("fmnist-cnn", 1, 28, 28, FashionMnist.CLASSES, net, List.of());
            System.out.printf("training fmnist-cnn on %d images: %d workers x batch %d, %d epoch(s), checkpoint %s%n",
                    train.size(), w, batch, epochs, out);
            List<EpochResult> history = new DataParallelTrainer(start, adam).batchSize(batch).shuffle(true, seed).checkpoint(out)
                    .onStep(s -> {
                        if (s.step() % 50 == 0 || s.step() == s.steps()) {
                            System.out.printf("  epoch %d step %d/%d: loss %.4f, %.0f ms/step%n", s.epoch(), s.step(), s.steps(), s.loss(), s.millis());
                        }
                    })
                    .fit(ImageFrames.of(spark, train, w), epochs);
            for (EpochResult r : history) {
                System.out.printf("epoch %d: train loss %.4f, accuracy %.2f%%, %.1f s, %.0f images/s%n", r.epoch(), r.trainLoss(),
                        100 * r.trainAccuracy(), r.seconds(), r.imagesPerSecond());
            }
        }
    }

    private void score(SparkSession spark, ImageDataset test, Path file) throws Exception {
        long start = System.nanoTime();
        Dataset<Row> scored = SparkPredictor.of(file).inputColumn("pixels").transform(ImageFrames.of(spark, test, spark.sparkContext().defaultParallelism()))
                .cache();
        long correct = scored.filter(col("prediction").equalTo(col("label"))).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("scored %d test images with %s in %.1f s: accuracy %.2f%%%n", test.size(), file, seconds, 100.0 * correct / test.size());
        scored.select("label", "predicted_class", "probability").show(5, false);
        scored.unpersist();
    }
}
