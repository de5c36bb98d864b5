package org.cnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;

/**
 * One worker's part of a training set: the images of one partition of the input, normalised for the
 * model, and their labels, in the partition's order. Kept in executor memory for the whole run; if it
 * is lost, Spark rebuilds it from the input's lineage (which must give the same rows again, as files,
 * tables and Spark's round-robin repartition do).
 */
final class Shard implements Serializable {
    private final float[] images;
    private final int[] labels;
    private final int imageSize;

    private Shard(float[] images, int[] labels, int imageSize) {
        this.images = images;
        this.labels = labels;
        this.imageSize = imageSize;
    }

    /** The rows of a partition as a shard; labels must be class indices below {@code classes}. */
    static Shard of(Iterator<Row> rows, ModelInputs inputs, int labelColumn, String labelName, int classes, int partition) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        float[] images = new float[all.size() * inputs.imageSize()];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Row row = all.get(i);
            String where = "row " + i + " of partition " + partition;
            inputs.write(row, where, images, i * inputs.imageSize());
            if (row.isNullAt(labelColumn)) {
                throw new IllegalArgumentException(where + ": label column '" + labelName + "' is null");
            }
            long label = ((Number) row.get(labelColumn)).longValue();
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(where + ": label column '" + labelName + "' holds " + label
                        + ", not a class index 0 to " + (classes - 1));
            }
            labels[i] = (int) label;
        }
        return new Shard(images, labels, inputs.imageSize());
    }

    int size() {
        return labels.length;
    }

    int imageSize() {
        return imageSize;
    }

    /**
     * The shard's order of images in {@code epoch}: a permutation drawn from (seed, epoch, partition)
     * when shuffling, else the partition's order. The same on every attempt of a task.
     */
    int[] order(boolean shuffle, long seed, int epoch, int partition) {
        int[] order = new int[labels.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom((seed * 1_000_003L + epoch) * 0x9E3779B97F4A7C15L + partition);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Copies image {@code i} into {@code out} at image slot {@code slot}. */
    void copyImage(int i, float[] out, int slot) {
        System.arraycopy(images, i * imageSize, out, slot * imageSize, imageSize);
    }

    int label(int i) {
        return labels[i];
    }
}
