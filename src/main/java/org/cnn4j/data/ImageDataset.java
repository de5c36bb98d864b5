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

    /**
     * Only the images of {@code classes} (indices into {@link #classNames}), relabelled 0, 1, ... in the
     * order given: a task made of some of the classes, e.g. to pretrain on the others.
     */
    public ImageDataset onlyClasses(int... classes) {
        int[] newLabel = new int[numClasses()];
        java.util.Arrays.fill(newLabel, -1);
        List<String> names = new java.util.ArrayList<>();
        for (int c : classes) {
            if (c < 0 || c >= numClasses() || newLabel[c] >= 0) {
                throw new IllegalArgumentException("dataset: class " + c + " is not one of 0.." + (numClasses() - 1) + " or is repeated "
                        + "(classes: " + classNames + ")");
            }
            newLabel[c] = names.size();
            names.add(classNames.get(c));
        }
        int per = imageSize(), n = 0;
        for (int label : labels) {
            n += newLabel[label] >= 0 ? 1 : 0;
        }
        float[] px = new float[n * per];
        int[] lb = new int[n];
        for (int i = 0, j = 0; i < size(); i++) {
            if (newLabel[labels[i]] >= 0) {
                System.arraycopy(pixels, i * per, px, j * per, per);
                lb[j++] = newLabel[labels[i]];
            }
        }
        return new ImageDataset(px, lb, channels, height, width, List.copyOf(names));
    }
}
