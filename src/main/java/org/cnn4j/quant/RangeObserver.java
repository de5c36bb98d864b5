package org.cnn4j.quant;

import org.cnn4j.tensor.Tensor;

/**
 * What calibration saw of one value over its batches: the minimum, the largest magnitude and, in a second
 * pass over the same batches, a histogram of magnitudes on [0, that largest magnitude] for percentile ranges.
 * A NaN or infinite activation stops calibration: it would make every range meaningless.
 */
final class RangeObserver {
    private static final int BINS = 8192;
    private final String value;
    private double min = Double.POSITIVE_INFINITY, maxAbs;
    private long[] histogram;
    private long count;

    RangeObserver(String value) {
        this.value = value;
    }

    void observe(Tensor t) {
        for (float v : t.toArray()) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("quantization: calibration saw " + v + " in " + value + ": a network whose activations"
                        + " are not finite cannot be calibrated");
            }
            min = Math.min(min, v);
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
    }

    /** Second pass: the magnitudes into the histogram (the first pass fixed its range). */
    void histogram(Tensor t) {
        if (histogram == null) {
            histogram = new long[BINS];
        }
        for (float v : t.toArray()) {
            int bin = maxAbs == 0 ? 0 : (int) Math.min(BINS - 1, Math.abs(v) / maxAbs * BINS);
            histogram[bin]++;
            count++;
        }
    }

    ValueRange range(CalibrationMethod method) {
        if (min == Double.POSITIVE_INFINITY) {
            throw new IllegalStateException("quantization: " + value + " was never observed");
        }
        return new ValueRange(method == CalibrationMethod.MINMAX ? maxAbs : percentile(), min >= 0);
    }

    private double percentile() {
        if (histogram == null) {
            throw new IllegalStateException("quantization: no histogram of " + value + " for a percentile range");
        }
        long target = (long) Math.ceil(CalibrationMethod.PERCENTILE_COVERED * count), seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += histogram[b];
            if (seen >= target) {
                return maxAbs * (b + 1) / BINS;
            }
        }
        return maxAbs;
    }
}
