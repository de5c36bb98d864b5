package org.cnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Graph;

/**
 * Batch inference on Spark with a cnn4j model file: {@link #transform} takes a DataFrame whose input
 * column holds images, as file bytes (Spark's {@code binaryFile} source: column {@code content}, the
 * default) or as pixels in [0, 1] (array of float or double, channels x height x width), and returns it
 * with prediction columns appended ({@code prediction}, {@code predicted_class}, {@code probability},
 * {@code top_k}, and optionally {@code embedding}, a named layer's output for feature extraction).
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("hdfs:///images/*.png");
 * Dataset<Row> scored = SparkPredictor.of(Path.of("fmnist-cnn.cnn4j")).batchSize(64).topK(3).transform(images);
 * }</pre>
 *
 * The model file is broadcast once; each executor JVM reads it once and its tasks share it (each
 * borrowing a predictor with activations of its own), running every partition through the native
 * kernels in batches. Images are resized to the model's input and normalised as in training, exactly
 * as the core's loaders and {@code cnn4j predict} do, so the outputs are the single-JVM outputs, bit
 * for bit (docs/spark.md says when). A {@code path} string column, as {@code binaryFile} gives, names
 * a row's file in errors.
 */
public final class SparkPredictor {
    private final Path file;
    private final ModelFile.Saved model;
    private final List<String> layers;
    private String inputColumn = "content";
    private int batchSize = 64;
    private int topK;
    private String embeddingLayer;

    private SparkPredictor(Path file, ModelFile.Saved model, List<String> layers) {
        this.file = file;
        this.model = model;
        this.layers = layers;
        this.topK = Math.min(3, model.classNames().size());
    }

    /** A predictor for the model in {@code file}, read here (on the driver) to check it; errors name the file. */
    public static SparkPredictor of(Path file) throws IOException {
        ModelFile.Saved saved = ModelFile.read(file);
        try (var network = saved.model()) { // executors read their own copies; the driver keeps the header's facts
            return new SparkPredictor(file, saved, Graph.of(network, "SparkPredictor").nodeNames());
        }
    }

    /** The column holding the images (default {@code content}, the binaryFile source's). */
    public SparkPredictor inputColumn(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("SparkPredictor: input column must be a column name, got '" + column + "'");
        }
        inputColumn = column;
        return this;
    }

    /**
     * Images per forward pass (default 64; a multiple of 16 keeps outputs independent of an image's
     * place in its batch, as measured in docs/spark.md).
     */
    public SparkPredictor batchSize(int images) {
        if (images < 1 || images > 65536) {
            throw new IllegalArgumentException("SparkPredictor: batch size must be 1 to 65536 images, got " + images);
        }
        batchSize = images;
        return this;
    }

    /** How many classes {@code top_k} lists (default 3, or the class count when smaller). */
    public SparkPredictor topK(int k) {
        int classes = model.classNames().size();
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException("SparkPredictor: top-k must be 1 to the model's " + classes + " classes, got " + k);
        }
        topK = k;
        return this;
    }

    /** Also appends {@code embedding}: the output of node {@code layer} (e.g. "fc1"), flattened; null for none. */
    public SparkPredictor embedding(String layer) {
        if (layer != null && !layers.contains(layer)) {
            throw new IllegalArgumentException("SparkPredictor: embedding layer '" + layer + "' is not a layer of " + file
                    + " (layers: " + String.join(", ", layers) + ")");
        }
        embeddingLayer = layer;
        return this;
    }

    /** {@code images} with the prediction columns appended; lazy, like every Spark transformation. */
    public Dataset<Row> transform(Dataset<Row> images) {
        StructType schema = images.schema();
        int column = Arrays.asList(schema.fieldNames()).indexOf(inputColumn);
        if (column < 0) {
            throw new IllegalArgumentException("SparkPredictor: no input column '" + inputColumn + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set it with inputColumn(name)");
        }
        InputKind kind = InputKind.of(inputColumn, schema.fields()[column].dataType());
        int path = pathColumn(schema);
        ModelInputs inputs = new ModelInputs(kind, column, inputColumn, path, model.channels(), model.height(), model.width(),
                model.mean(), model.std());
        StructType out = PredictionColumns.appendedTo(schema, embeddingLayer != null);
        Broadcast<ShippedModel> shipped;
        try {
            shipped = JavaSparkContext.fromSparkContext(images.sparkSession().sparkContext()).broadcast(ShippedModel.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("SparkPredictor: " + e.getMessage(), e);
        }
        return images.mapPartitions(new PartitionScorer(shipped, inputs, batchSize, topK, embeddingLayer), Encoders.row(out));
    }

    /** The index of a string column {@code path}, or -1. */
    private static int pathColumn(StructType schema) {
        int i = Arrays.asList(schema.fieldNames()).indexOf("path");
        StructField f = i < 0 ? null : schema.fields()[i];
        return f != null && f.dataType().equals(DataTypes.StringType) ? i : -1;
    }
}
