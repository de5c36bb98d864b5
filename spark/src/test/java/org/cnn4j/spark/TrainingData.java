package org.cnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/** Training sets as DataFrames of (pixels, label) ({@link ImageFrames}), cut into contiguous partitions, and weight comparisons. */
final class TrainingData {
    private TrainingData() {
    }

    /** {@code data} in {@code partitions} contiguous partitions (partition p holds the p-th block of images, in order). */
    static Dataset<Row> frame(SparkSession spark, ImageDataset data, int partitions) {
        return ImageFrames.of(spark, data, partitions);
    }

    /** The same, each row passing through {@code lineage} as Spark computes the partition. */
    static Dataset<Row> frame(SparkSession spark, ImageDataset data, int partitions, Function<Row, Row> lineage) {
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ImageFrames.rows(data), partitions).map(lineage);
        return spark.createDataFrame(rdd, ImageFrames.SCHEMA);
    }

    /** The images of {@code data} in the order one process sees them when two workers take batches of {@code b} from its halves. */
    static ImageDataset interleavedHalves(ImageDataset data, int b) {
        int half = data.size() / 2, per = data.imageSize();
        float[] pixels = new float[data.pixels().length];
        int[] labels = new int[data.size()];
        int at = 0;
        for (int start = 0; start < half; start += b) {
            for (int worker = 0; worker < 2; worker++) {
                for (int i = start; i < Math.min(half, start + b); i++) {
                    int from = worker * half + i;
                    System.arraycopy(data.pixels(), from * per, pixels, at * per, per);
                    labels[at++] = data.labels()[from];
                }
            }
        }
        return new ImageDataset(pixels, labels, data.channels(), data.height(), data.width(), data.classNames());
    }

    /** The largest absolute difference between the parameters and buffers of two networks of one architecture. */
    static double maxDifference(Module a, Module b) {
        List<Tensor> ta = tensors(a), tb = tensors(b);
        double max = 0;
        for (int t = 0; t < ta.size(); t++) {
            float[] x = ta.get(t).toArray(), y = tb.get(t).toArray();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs((double) x[i] - y[i]));
            }
        }
        return max;
    }

    /** The bits of every parameter and buffer of {@code m}, in order: equal arrays mean bit-for-bit equal networks. */
    static int[] bits(Module m) {
        return tensors(m).stream().flatMapToInt(t -> {
            float[] v = t.toArray();
            return IntStream.range(0, v.length).map(i -> Float.floatToRawIntBits(v[i]));
        }).toArray();
    }

    static List<Tensor> tensors(Module m) {
        List<Tensor> out = new ArrayList<>();
        m.namedParameters().values().forEach(p -> out.add(p.value()));
        out.addAll(m.namedBuffers().values());
        return out;
    }
}
