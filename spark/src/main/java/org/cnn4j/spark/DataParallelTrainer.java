package org.cnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.NonFiniteException;

/**
 * Synchronous data-parallel training of a cnn4j network on Spark. Each partition of the training
 * DataFrame is one worker's shard (repartition to the number of workers first). Every step, the driver
 * broadcasts the model's weights and buffers; each worker runs its next batch of {@code batchSize}
 * images through a replica and returns its gradients; Spark sums them with a tree aggregation; the driver
 * applies one step of the core optimiser to the mean gradient, exactly as a single process would on the
 * workers' batches taken together (W workers x batch B behave as one process with batch W x B, up to the
 * order of summation). Batch norm normalises with each worker's own batch statistics; its running
 * statistics are averaged over the workers (docs/spark.md). With {@link #checkpoint}, the model and the
 * optimiser state are written after every epoch with the core's atomic model files; {@link #resume}
 * continues a run from such a file. A failed task is re-run by Spark and computes what the lost attempt
 * would have: a step is a pure function of the broadcast state and the shard.
 *
 * <pre>{@code
 * ModelFile.Saved model = new ModelFile.Saved("fmnist-cnn", 1, 28, 28, FashionMnist.CLASSES, net, List.of());
 * try (Adam adam = Adam.of(net.parameters(), 1e-3f)) {
 *     new DataParallelTrainer(model, adam).batchSize(64).checkpoint(Path.of("ckpt.cnn4j"))
 *             .fit(train.repartition(8), 5);             // columns "pixels" (array<float> in [0, 1]) and "label"
 * }
 * }</pre>
 */
public final class DataParallelTrainer {
    private final ModelFile.Saved model;
    private final Optimizer optimizer;
    private final List<EpochResult> history;
    private String inputColumn = "pixels", labelColumn = "label";
    private int batchSize = 32, depth = 2;
    private boolean shuffle = true;
    private long seed = 42;
    private LrSchedule schedule;
    private Path checkpoint;
    private Consumer<StepResult> stepListener = s -> { };
    private StepFault fault = StepFault.NONE;

    /**
     * Trains {@code model.model()} in place with {@code optimizer} (built on its parameters); epochs in
     * {@code model.history()} count as done, so a checkpoint read back resumes where it stopped.
     */
    public DataParallelTrainer(ModelFile.Saved model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        this.history = new ArrayList<>(model.history());
    }

    /** The column of images: array of float/double pixels in [0, 1] (default "pixels") or binary image file bytes. */
    public DataParallelTrainer inputColumn(String column) {
        inputColumn = column;
        return this;
    }

    /** The column of class indices, an integer type (default "label"). */
    public DataParallelTrainer labelColumn(String column) {
        labelColumn = column;
        return this;
    }

    /**
     * A trainer that continues the run saved in {@code checkpoint} (a file this trainer's
     * {@link #checkpoint} wrote): the model with its weights, buffers and history, and an optimiser that
     * {@code newOptimizer} builds on the model's parameters (same kind and settings as the first run), with
     * its saved state (momentum, Adam's moments, step counts) restored. {@link #fit} then carries on at the
     * epoch after the history's last and, given the same data, partitioning, batch size and seed, trains
     * exactly as the uninterrupted run would have. The model and optimiser are the caller's to close
     * ({@link #model()}, {@link #optimizer()}). Errors name the file.
     */
    public static DataParallelTrainer resume(Path checkpoint, Function<List<Parameter>, Optimizer> newOptimizer) throws IOException {
        if (checkpoint == null || newOptimizer == null) {
            throw new IllegalArgumentException("DataParallelTrainer.resume: checkpoint " + checkpoint + " and optimizer function "
                    + newOptimizer + " must both be given");
        }
        ModelFile.Saved saved = ModelFile.read(checkpoint);
        Optimizer optimizer = null;
        try {
            optimizer = newOptimizer.apply(saved.model().parameters());
            if (optimizer == null) {
                throw new IllegalArgumentException("DataParallelTrainer.resume(" + checkpoint + "): the optimizer function returned null");
            }
            if (!ModelFile.restoreOptimizer(checkpoint, optimizer)) {
                throw new IllegalArgumentException("DataParallelTrainer.resume(" + checkpoint + "): the file holds no optimizer state, "
                        + "so training cannot continue exactly; it is a model file, not a checkpoint written by checkpoint(file)");
            }
            return new DataParallelTrainer(saved, optimizer);
        } catch (IOException | RuntimeException e) {
            if (optimizer != null) {
                optimizer.close();
            }
            saved.model().close();
            throw e;
        }
    }

    /** The model being trained (its weights are the current ones), with the header facts it is saved with. */
    public ModelFile.Saved model() {
        return model;
    }

    /** The optimiser applying the steps; its state is what a checkpoint saves. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Images per worker per step (default 32). */
    public DataParallelTrainer batchSize(int images) {
        if (images < 1 || images > 65536) {
            throw new IllegalArgumentException("DataParallelTrainer: batch size per worker must be 1 to 65536 images, got " + images);
        }
        batchSize = images;
        return this;
    }

    /** Whether each worker shuffles its shard every epoch (default true), with {@code seed} (default 42). */
    public DataParallelTrainer shuffle(boolean shuffle, long seed) {
        this.shuffle = shuffle;
        this.seed = seed;
        return this;
    }

    /** The learning rate by epoch and progress (default: the optimiser's rate throughout). */
    public DataParallelTrainer schedule(LrSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Writes the model and optimiser state to {@code file} after every epoch (atomically); null for never. */
    public DataParallelTrainer checkpoint(Path file) {
        checkpoint = file;
        return this;
    }

    /** The depth of Spark's tree aggregation of gradients (default 2: with many workers, executors pre-sum). */
    public DataParallelTrainer aggregationDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("DataParallelTrainer: aggregation depth must be >= 1, got " + depth);
        }
        this.depth = depth;
        return this;
    }

    /** Called on the driver after every step (progress, logs, measurements). */
    public DataParallelTrainer onStep(Consumer<StepResult> listener) {
        stepListener = listener;
        return this;
    }

    /** Sets the test seam {@link StepFault} (package-private: no production use). */
    DataParallelTrainer fault(StepFault fault) {
        this.fault = fault;
        return this;
    }

    /** Epochs trained so far, those of the model it started from included. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** Trains up to epoch {@code epochs} (counting those already in the history) on {@code data}'s partitions. */
    public List<EpochResult> fit(Dataset<Row> data, int epochs) throws IOException {
        if (epochs < 0) {
            throw new IllegalArgumentException("DataParallelTrainer: epochs must be >= 0, got " + epochs);
        }
        ModelInputs inputs = inputs(data.schema());
        int labels = labelIndex(data.schema()), classes = model.classNames().size();
        String labelName = labelColumn;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        JavaRDD<Shard> shards = data.javaRDD()
                .mapPartitionsWithIndex((p, rows) -> Collections.singletonList(Shard.of(rows, inputs, labels, labelName, classes, p)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        Broadcast<ShippedModel> architecture = jsc.broadcast(ShippedModel.of(model, model.architecture()));
        try {
            List<Integer> sizes = shards.map(Shard::size).collect();
            int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
            if (largest == 0) {
                throw new IllegalArgumentException("DataParallelTrainer: the training data has no rows");
            }
            int steps = (largest + batchSize - 1) / batchSize;
            for (int epoch = history.size(); epoch < epochs; epoch++) {
                history.add(epoch(jsc, shards, architecture, epoch, steps));
                if (checkpoint != null) {
                    ModelFile.write(checkpoint, new ModelFile.Saved(model.architecture(), model.channels(), model.height(), model.width(),
                            model.classNames(), model.model(), history(), model.mean(), model.std()), optimizer);
                }
            }
        } finally {
            shards.unpersist(false);
            architecture.destroy();
        }
        return history();
    }

    private EpochResult epoch(JavaSparkContext jsc, JavaRDD<Shard> shards, Broadcast<ShippedModel> architecture, int epoch, int steps) {
        Module net = model.model();
        List<Parameter> parameters = new ArrayList<>(net.namedParameters().values());
        long start = System.nanoTime(), images = 0, correct = 0;
        double loss = 0;
        for (int step = 0; step < steps; step++) {
            long stepStart = System.nanoTime();
            if (schedule != null) {
                optimizer.setLearningRate(schedule.at(epoch, (double) step / steps));
            }
            Broadcast<ModelState> state = jsc.broadcast(ModelState.of(net));
            long broadcast = System.nanoTime();
            GradientSum sum;
            try {
                sum = shards.treeAggregate(GradientSum.none(),
                        new WorkerStep(architecture, state, epoch, step, batchSize, shuffle, seed, fault), GradientSum::add, depth);
            } finally {
                state.destroy();
            }
            long aggregated = System.nanoTime();
            String where = String.format("epoch %d, step %d of %d", epoch + 1, step + 1, steps);
            if (!Double.isFinite(sum.meanLoss())) {
                throw new NonFiniteException(where, "the loss is " + sum.meanLoss());
            }
            sum.meanGradientsInto(parameters);
            Parameter bad = optimizer.nonFiniteGradient();
            if (bad != null) {
                throw new NonFiniteException(where, "the gradient of " + nameOf(net.namedParameters(), bad) + " is not finite");
            }
            sum.meanBuffersInto(net.namedBuffers().values());
            optimizer.step();
            long end = System.nanoTime();
            images += sum.images();
            correct += sum.correct();
            loss += sum.meanLoss() * sum.images();
            stepListener.accept(new StepResult(epoch + 1, step + 1, steps, sum.images(), sum.meanLoss(), (end - stepStart) / 1e6,
                    (broadcast - stepStart) / 1e6, sum.fetchNanos() / 1e6, sum.computeNanos() / 1e6, (aggregated - broadcast) / 1e6,
                    (end - aggregated) / 1e6, sum.bytes()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch + 1, loss / images, (double) correct / images, Double.NaN, Double.NaN, optimizer.learningRate(),
                seconds, images / seconds);
    }

    private ModelInputs inputs(StructType schema) {
        int column = Arrays.asList(schema.fieldNames()).indexOf(inputColumn);
        if (column < 0) {
            throw new IllegalArgumentException("DataParallelTrainer: no input column '" + inputColumn + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set it with inputColumn(name)");
        }
        InputKind kind = InputKind.of(inputColumn, schema.fields()[column].dataType());
        return new ModelInputs(kind, column, inputColumn, -1, model.channels(), model.height(), model.width(), model.mean(), model.std());
    }

    private int labelIndex(StructType schema) {
        int column = Arrays.asList(schema.fieldNames()).indexOf(labelColumn);
        if (column < 0) {
            throw new IllegalArgumentException("DataParallelTrainer: no label column '" + labelColumn + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set it with labelColumn(name)");
        }
        DataType type = schema.fields()[column].dataType();
        if (!List.of(DataTypes.IntegerType, DataTypes.LongType, DataTypes.ShortType, DataTypes.ByteType).contains(type)) {
            throw new IllegalArgumentException("DataParallelTrainer: label column '" + labelColumn + "' is of type " + type.simpleString()
                    + "; it must hold class indices (int, long, short or byte)");
        }
        return column;
    }

    private static String nameOf(Map<String, Parameter> parameters, Parameter p) {
        return parameters.entrySet().stream().filter(e -> e.getValue() == p).map(Map.Entry::getKey).findFirst().orElse(p.name());
    }
}
