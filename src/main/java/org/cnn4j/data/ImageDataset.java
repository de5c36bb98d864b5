package org.cnn4j.data;

import java.util.List;

/**
 * Labelled images held on the heap as floats in [0, 1], [n, channels, height, width] in C order, with
 * the class names. Normalisation happens when batches are made ({@link DataLoader}).
 */
public record ImageDataset(float[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {

    public ImageDataset {
        int per = channels * height * width;
        if (per <= 0 || pixels.length != (long) labels.length * per) {
            throw new IllegalArgumentException("dataset: " + pixels.length + " pixel values do not make " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("dataset: label " + labels[i] + " of image " + i + " is not one of the "
                        + classNames.size() + " classes");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** {mean, standard deviation} of all pixel values: the normalisation a {@link DataLoader} needs for a new dataset. */
    public float[] meanAndStd() {
        double sum = 0, sq = 0;
        for (float v : pixels) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / pixels.length;
        return new float[] {(float) mean, (float) Math.sqrt(Math.max(0, sq / pixels.length - mean * mean))};
    }

    /** The first {@code n} images (all when n <= 0 or n >= size). */
    public ImageDataset limit(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new ImageDataset(java.util.Arrays.copyOf(pixels, n * imageSize()), java.util.Arrays.copyOf(labels, n),
                channels, height, width, classNames);
    }
}
