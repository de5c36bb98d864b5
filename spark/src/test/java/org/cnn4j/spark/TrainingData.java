package org.cnn4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/** Training sets as DataFrames of (pixels, label), cut into contiguous partitions, and weight comparisons. */
final class TrainingData {
    static final StructType SCHEMA = new StructType()
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("label", DataTypes.IntegerType);

    private TrainingData() {
    }

    /** {@code data} in {@code partitions} contiguous partitions (partition p holds the p-th block of images, in order). */
    static Dataset<Row> frame(SparkSession spark, ImageDataset data, int partitions) {
        return frame(spark, data, partitions, row -> row);
    }

    /** The same, each row passing through {@code lineage} as Spark computes the partition. */
    static Dataset<Row> frame(SparkSession spark, ImageDataset data, int partitions, Function<Row, Row> lineage) {
        int per = data.imageSize();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(Arrays.copyOfRange(data.pixels(), i * per, (i + 1) * per), data.labels()[i]));
        }
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions).map(lineage);
        return spark.createDataFrame(rdd, SCHEMA);
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

    static List<Tensor> tensors(Module m) {
        List<Tensor> out = new ArrayList<>();
        m.namedParameters().values().forEach(p -> out.add(p.value()));
        out.addAll(m.namedBuffers().values());
        return out;
    }
}
