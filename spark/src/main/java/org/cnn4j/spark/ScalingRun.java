package org.cnn4j.spark;

import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Predictor;
import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The scaling measurement of docs/spark.md, in one run on one machine: (a) inference throughput of
 * fmnist-cnn on Fashion-MNIST test images in one JVM with the core's {@link Predictor} (1 and 2 native
 * threads, no Spark) against {@link SparkPredictor} in local[1] and local[2] (1 core per task); (b) a
 * data-parallel training step at a global batch of 2B: the core's {@link Trainer} in one JVM against
 * {@link DataParallelTrainer} with 1 worker of batch 2B and 2 workers of batch B, the Spark step split
 * into broadcast of the weights, the workers' fetch of them, their compute, the rest of the aggregation
 * stage (task scheduling, gradient transfer and sums) and the driver's update, as the trainer measures
 * them ({@link StepResult}). Prints a table, or JSON with {@code --json}. Run it on a quiet machine:
 * every figure is a wall time.
 */
@Command(name = "org.cnn4j.spark.ScalingRun", mixinStandardHelpOptions = true,
        description = "Measures inference throughput and data-parallel training steps: single JVM vs Spark local[1] and local[2].")
public final class ScalingRun implements Callable<Integer> {
    private static final int INFERENCE_BATCH = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path data = Path.of(FashionMnist.DEBIAN_DIR);

    @Option(names = "--images", paramLabel = "N", description = "Test images to score per inference run (default: ${DEFAULT-VALUE}).")
    int images = 10000;

    @Option(names = "--batch", paramLabel = "B", description = "Images per worker per training step; one JVM trains at 2B (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--steps", paramLabel = "S", description = "Timed training steps per setup (default: ${DEFAULT-VALUE}).")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "S", description = "Untimed steps (and one untimed inference pass) first (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--json", description = "Print the rows as JSON instead of a table.")
    boolean json;

    private final List<Map<String, Object>> rows = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(CommandLines.run(new ScalingRun(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (images < 1 || images > 10000) {
            throw CommandLines.bad(spec.commandLine(), "--images", images, "must be 1 to the 10000 test images");
        }
        if (batch < 1 || batch > 4096) {
            throw CommandLines.bad(spec.commandLine(), "--batch", batch, "must be 1 to 4096 images");
        }
        if (steps < 1 || warmup < 0 || (long) (steps + warmup) * 2 * batch > 60000) {
            throw CommandLines.bad(spec.commandLine(), "--steps", steps + " (--warmup " + warmup + ", --batch " + batch + ")",
                    "needs steps >= 1, warmup >= 0 and (steps + warmup) x 2B at most the 60000 training images");
        }
        if (!NativeLibrary.isLoaded()) {
            throw new IllegalStateException("the native library did not load (" + NativeLibrary.loadError() + "): the figures would be the reference backend's");
        }
        ImageDataset test = FashionMnist.fromDirectory(data, false).limit(images);
        ImageDataset train = FashionMnist.fromDirectory(data, true).limit((steps + warmup) * 2 * batch);
        Init.manualSeed(1);
        Path modelFile = Files.createTempFile("cnn4j-scaling-", ".cnn4j");
        try (Module net = Zoo.entry("fmnist-cnn").build()) {
            ModelFile.write(modelFile, saved(net));
            inferenceInOneJvm(net, test, 1);
            inferenceInOneJvm(net, test, 2);
        }
        trainingInOneJvm(train, 1);
        trainingInOneJvm(train, 2);
        try {
            for (int cores = 1; cores <= 2; cores++) {
                SparkSession spark = session(cores);
                try {
                    inferenceOnSpark(spark, modelFile, test, cores);
                    trainingOnSpark(spark, train, cores);
                } finally {
                    spark.stop();
                }
            }
        } finally {
            Files.deleteIfExists(modelFile);
        }
        print();
        return 0;
    }

    private void inferenceInOneJvm(Module net, ImageDataset test, int threads) {
        NativeLibrary.useThreads(threads);
        float[] pixels = normalised(test.pixels());
        int per = test.imageSize();
        try (Predictor predictor = Predictor.of(net);
             Tensor x = Tensor.zeros(Shape.of(INFERENCE_BATCH, 1, 28, 28), Backends.current().activationLayout())) {
            float[] batchPixels = new float[INFERENCE_BATCH * per];
            double seconds = 0;
            for (int pass = 0; pass < 2; pass++) { // the first pass warms up
                long start = System.nanoTime();
                for (int first = 0; first < test.size(); first += INFERENCE_BATCH) {
                    int n = Math.min(INFERENCE_BATCH, test.size() - first);
                    System.arraycopy(pixels, first * per, batchPixels, 0, n * per);
                    Arrays.fill(batchPixels, n * per, batchPixels.length, 0f);
                    x.copyFrom(batchPixels);
                    predictor.predict(x);
                }
                seconds = (System.nanoTime() - start) / 1e9;
            }
            row("inference", "one JVM, Predictor, " + threads + " thread(s)", Map.of("images_per_s", test.size() / seconds));
        }
    }

    private void inferenceOnSpark(SparkSession spark, Path modelFile, ImageDataset test, int cores) throws Exception {
        Dataset<Row> frame = ImageFrames.of(spark, test, cores).cache();
        frame.count();
        SparkPredictor predictor = SparkPredictor.of(modelFile).inputColumn("pixels").batchSize(INFERENCE_BATCH).topK(1);
        double seconds = 0;
        for (int pass = 0; pass < 2; pass++) {
            long start = System.nanoTime();
            predictor.transform(frame).agg(sum("prediction")).first();
            seconds = (System.nanoTime() - start) / 1e9;
        }
        frame.unpersist();
        row("inference", "Spark local[" + cores + "], " + cores + " partition(s), 1 core per task", Map.of("images_per_s", test.size() / seconds));
    }

    private void trainingOnSpark(SparkSession spark, ImageDataset train, int workers) throws Exception {
        List<StepResult> results = new ArrayList<>();
        Init.manualSeed(2);
        try (Module net = Zoo.entry("fmnist-cnn").build(); Sgd sgd = new Sgd(net.parameters(), 0.01f, 0.9f)) {
            new DataParallelTrainer(saved(net), sgd).batchSize(2 * batch / workers).shuffle(false, 0).onStep(results::add)
                    .fit(ImageFrames.of(spark, train, workers), 1);
        }
        List<StepResult> timed = results.subList(warmup, results.size());
        Map<String, Object> m = new LinkedHashMap<>();
        double step = mean(timed, StepResult::millis);
        m.put("ms_per_step", step);
        m.put("images_per_s", 2 * batch / (step / 1e3));
        m.put("broadcast_ms", mean(timed, StepResult::broadcastMillis));
        m.put("fetch_ms", mean(timed, StepResult::fetchMillis));
        m.put("compute_ms", mean(timed, StepResult::computeMillis));
        m.put("spark_overhead_ms", mean(timed, s -> s.aggregateMillis() - s.fetchMillis() - s.computeMillis()));
        m.put("update_ms", mean(timed, StepResult::updateMillis));
        m.put("gradient_bytes_per_worker", timed.get(0).gradientBytes());
        m.put("gradient_bytes_per_step", (long) workers * timed.get(0).gradientBytes());
        row("training", "Spark local[" + workers + "], " + workers + " worker(s) x batch " + 2 * batch / workers, m);
    }

    private void trainingInOneJvm(ImageDataset train, int threads) throws Exception {
        NativeLibrary.useThreads(threads);
        Init.manualSeed(2);
        try (Module net = Zoo.entry("fmnist-cnn").build(); Sgd sgd = new Sgd(net.parameters(), 0.01f, 0.9f);
             Trainer trainer = new Trainer(net, sgd, null);
             DataLoader loader = new DataLoader(train, 2 * batch, false, 0, FashionMnist.MEAN, FashionMnist.STD)) {
            net.train();
            long start = 0;
            for (int b = 0; b < loader.numBatches(); b++) {
                if (b == warmup) {
                    start = System.nanoTime();
                }
                Tensor[] xy = loader.batch(b);
                trainer.step(xy[0], xy[1]);
            }
            double step = (System.nanoTime() - start) / 1e6 / steps;
            row("training", "one JVM, Trainer, batch " + 2 * batch + ", " + threads + " thread(s)",
                    Map.of("ms_per_step", step, "images_per_s", 2 * batch / (step / 1e3)));
        }
    }

    private static SparkSession session(int cores) {
        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("cnn4j-scaling")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private void row(String kind, String setup, Map<String, Object> figures) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", kind);
        r.put("setup", setup);
        r.putAll(figures);
        rows.add(r);
    }

    private void print() throws Exception {
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            return;
        }
        System.out.printf("fmnist-cnn, %d test images (batches of %d), training at a global batch of %d, %d timed steps after %d%n",
                images, INFERENCE_BATCH, 2 * batch, steps, warmup);
        System.out.printf("%-62s %10s%n", "inference", "images/s");
        rows.stream().filter(r -> r.get("kind").equals("inference"))
                .forEach(r -> System.out.printf("%-62s %10.0f%n", r.get("setup"), r.get("images_per_s")));
        System.out.printf("%n%-50s %8s %8s %9s %6s %8s %9s %7s %12s%n", "training step (ms)", "step", "images/s", "broadcast", "fetch",
                "compute", "overhead", "update", "grad bytes");
        for (Map<String, Object> r : rows) {
            if (r.get("kind").equals("training")) {
                System.out.printf("%-50s %8.1f %8.0f %9s %6s %8s %9s %7s %12s%n", r.get("setup"), r.get("ms_per_step"), r.get("images_per_s"),
                        figure(r, "broadcast_ms"), figure(r, "fetch_ms"), figure(r, "compute_ms"), figure(r, "spark_overhead_ms"),
                        figure(r, "update_ms"), r.getOrDefault("gradient_bytes_per_step", "-"));
            }
        }
    }

    private static String figure(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? "-" : String.format("%.1f", (Double) v);
    }

    private static double mean(List<StepResult> results, ToDoubleFunction<StepResult> f) {
        return results.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static float[] normalised(float[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] - FashionMnist.MEAN) / FashionMnist.STD;
        }
        return out;
    }

    private static ModelFile.Saved saved(Module net) {
        return new ModelFile.Saved("fmnist-cnn", 1, 28, 28, FashionMnist.CLASSES, net, List.of());
    }
}
