package org.cnn4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.data.ImageDataset;

/**
 * A dataset held on the driver (e.g. Fashion-MNIST read from its IDX files) as a DataFrame of
 * {@code pixels} (array of float in [0, 1], channels x height x width) and {@code label} (int): the columns
 * {@link DataParallelTrainer} and {@link SparkPredictor} take. Partition p holds the p-th contiguous block
 * of images, in order, so runs are repeatable. The images travel once per executor as a broadcast, not
 * inside the partitions: a task carries its partition, and {@link DataParallelTrainer} runs one task per
 * partition every step (with {@code parallelize(rows)} every step would ship the whole shard again).
 */
final class ImageFrames {
    static final StructType SCHEMA = new StructType()
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("label", DataTypes.IntegerType);

    private ImageFrames() {
    }

    /** The frame; the broadcast of the images lives as long as the Spark application. */
    static Dataset<Row> of(SparkSession spark, ImageDataset data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("ImageFrames: partitions must be >= 1, got " + partitions);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[]> pixels = jsc.broadcast(data.pixels());
        Broadcast<int[]> labels = jsc.broadcast(data.labels());
        int n = data.size(), per = data.imageSize();
        List<Integer> blocks = IntStream.range(0, partitions).boxed().toList();
        // the block bounds of parallelize(rows, partitions), so that either way partition p holds the same images
        return spark.createDataFrame(jsc.parallelize(blocks, partitions).flatMap(p -> rows(pixels.value(), labels.value(), per,
                (int) ((long) n * p / partitions), (int) ((long) n * (p + 1) / partitions)).iterator()), SCHEMA);
    }

    /** The rows of {@link #SCHEMA} for all the images of {@code data}, in order. */
    static List<Row> rows(ImageDataset data) {
        return rows(data.pixels(), data.labels(), data.imageSize(), 0, data.size());
    }

    private static List<Row> rows(float[] pixels, int[] labels, int per, int from, int to) {
        List<Row> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            rows.add(RowFactory.create(Arrays.copyOfRange(pixels, i * per, (i + 1) * per), labels[i]));
        }
        return rows;
    }
}
