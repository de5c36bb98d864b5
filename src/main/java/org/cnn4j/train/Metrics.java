package org.cnn4j.train;

import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.tensor.Tensor;

/**
 * Classification metrics accumulated over batches: mean loss, accuracy, top-k accuracy, per-class
 * accuracy and the confusion matrix (rows: true class, columns: predicted class). An image whose
 * scores hold a NaN has no prediction: it counts as wrong (top-1 and top-k), stays out of the
 * confusion matrix and is counted by {@link #unscored}.
 */
public final class Metrics {
    private final int classes, topK;
    private final long[][] confusion;
    private double lossSum;
    private long count, topKHits, unscored;

    public Metrics(int classes, int topK) {
        if (classes <= 0 || topK <= 0) {
            throw new IllegalArgumentException("metrics: classes and k must be > 0");
        }
        this.classes = classes;
        this.topK = Math.min(topK, classes);
        this.confusion = new long[classes][classes];
    }

    /** Adds a batch: its mean loss, the probabilities (or logits) [N, K] and the labels [N]. */
    public void add(double meanLoss, Tensor scores, Tensor labels) {
        int n = scores.dim(0);
        FloatBuffer s = scores.buffer(), y = labels.buffer();
        for (int i = 0; i < n; i++) {
            int truth = (int) y.get(i), best = 0, better = 0;
            float truthScore = s.get(i * classes + truth);
            boolean nan = false;
            for (int k = 0; k < classes; k++) {
                float v = s.get(i * classes + k);
                nan |= Float.isNaN(v);
                if (v > s.get(i * classes + best)) {
                    best = k;
                }
                if (v > truthScore) {
                    better++;
                }
            }
            if (nan) { // every comparison with NaN is false: it would rank the true class first
                unscored++;
                continue;
            }
            confusion[truth][best]++;
            if (better < topK) {
                topKHits++;
            }
        }
        lossSum += meanLoss * n;
        count += n;
    }

    public long count() {
        return count;
    }

    /** Images whose scores held a NaN (counted as wrong). */
    public long unscored() {
        return unscored;
    }

    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        long hits = 0;
        for (int k = 0; k < classes; k++) {
            hits += confusion[k][k];
        }
        return count == 0 ? Double.NaN : (double) hits / count;
    }

    public double topKAccuracy() {
        return count == 0 ? Double.NaN : (double) topKHits / count;
    }

    public int topK() {
        return topK;
    }

    /** Accuracy of each true class (NaN for a class with no examples). */
    public double[] perClassAccuracy() {
        double[] acc = new double[classes];
        for (int k = 0; k < classes; k++) {
            long total = 0;
            for (long v : confusion[k]) {
                total += v;
            }
            acc[k] = total == 0 ? Double.NaN : (double) confusion[k][k] / total;
        }
        return acc;
    }

    public long[][] confusionMatrix() {
        long[][] copy = new long[classes][];
        for (int k = 0; k < classes; k++) {
            copy[k] = confusion[k].clone();
        }
        return copy;
    }

    /** A printable report with the per-class accuracies and the confusion matrix. */
    public String report(List<String> classNames) {
        StringBuilder sb = new StringBuilder(String.format("loss %.4f, accuracy %.2f%%, top-%d %.2f%% (%d images%s)%n",
                loss(), 100 * accuracy(), topK, 100 * topKAccuracy(), count, unscored == 0 ? "" : ", " + unscored + " with NaN scores"));
        double[] per = perClassAccuracy();
        sb.append("per-class accuracy:\n");
        for (int k = 0; k < classes; k++) {
            sb.append(String.format("  %-14s %6.2f%%%n", classNames.get(k), 100 * per[k]));
        }
        sb.append("confusion matrix (rows: true class, columns: predicted):\n      ");
        for (int k = 0; k < classes; k++) {
            sb.append(String.format("%6d", k));
        }
        sb.append('\n');
        for (int k = 0; k < classes; k++) {
            sb.append(String.format("  %2d  ", k));
            for (int j = 0; j < classes; j++) {
                sb.append(String.format("%6d", confusion[k][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
