package org.cnn4j.data;

import java.util.SplittableRandom;
import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Cuts a dataset into batches of off-heap tensors: images [B, C, H, W] normalised with (x - mean) / std
 * and labels [B] as class indices in floats. The two batch tensors are allocated once and refilled for
 * every batch (a smaller pair for a last, partial batch), so iterating allocates no per-image garbage.
 * With shuffling, each epoch's order is a permutation drawn from (seed, epoch): runs are reproducible.
 * Image batches are channels-last (NHWC) on the native backend, the layout its kernels keep from the
 * first layer to the last, and NCHW on the reference backend; {@link #layout(Layout)} overrides.
 * With {@link #augment}, each image is transformed on its way into the batch, drawing from a generator
 * seeded by (seed, epoch, position in the epoch): the same run gives the same images whatever the
 * thread count, and every epoch sees new variants.
 */
public final class DataLoader implements AutoCloseable {
    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final float mean, std;
    private final int[] order;
    private Layout layout = Backends.current().activationLayout();
    private Tensor images, labels, lastImages, lastLabels;
    private int epoch;
    private org.cnn4j.data.augment.AugmentationPipeline augmentation;
    private float[][] image, scratch; // per worker

    public DataLoader(ImageDataset data, int batchSize, boolean shuffle, long seed, float mean, float std) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("data loader: batch size must be > 0, got " + batchSize);
        }
        if (!(std > 0)) {
            throw new IllegalArgumentException("data loader: std must be > 0, got " + std);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.mean = mean;
        this.std = std;
        this.order = new int[data.size()];
        startEpoch(0); // batches are valid before the first explicit startEpoch
    }

    /** Sets the memory layout of image batches (before the first batch). */
    public DataLoader layout(Layout l) {
        if (images != null || lastImages != null) {
            throw new IllegalStateException("data loader: the layout must be chosen before the first batch");
        }
        layout = l;
        return this;
    }

    /** Augments every image of every batch with {@code pipeline} (for a training set; null for none). */
    public DataLoader augment(org.cnn4j.data.augment.AugmentationPipeline pipeline) {
        augmentation = pipeline;
        int workers = pipeline == null ? 0 : Math.max(1, Math.min(batchSize, Runtime.getRuntime().availableProcessors()));
        image = new float[workers][data.imageSize()];
        scratch = new float[workers][data.imageSize()];
        return this;
    }

    public int numBatches() {
        return (int) ((data.size() + (long) batchSize - 1) / batchSize); // long: a batch size near 2^31 would wrap to 0 batches
    }

    public ImageDataset dataset() {
        return data;
    }

    /** Fixes the order of the images for {@code epoch} (a seeded shuffle, or dataset order). */
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    /** Batch {@code b} of the current epoch: {@code [images, labels]}, valid until the next call. */
    public Tensor[] batch(int b) {
        int start = b * batchSize, n = Math.min(batchSize, data.size() - start);
        if (b < 0 || n <= 0) {
            throw new IllegalArgumentException("data loader: batch " + b + " is outside 0.." + (numBatches() - 1));
        }
        Tensor x, y;
        if (n == batchSize) {
            if (images == null) {
                images = Tensor.zeros(Shape.of(batchSize, data.channels(), data.height(), data.width()), layout).detach();
                labels = Tensor.zeros(batchSize).detach();
            }
            x = images;
            y = labels;
        } else {
            if (lastImages == null || lastImages.dim(0) != n) {
                close(lastImages, lastLabels);
                lastImages = Tensor.zeros(Shape.of(n, data.channels(), data.height(), data.width()), layout).detach();
                lastLabels = Tensor.zeros(n).detach();
            }
            x = lastImages;
            y = lastLabels;
        }
        if (augmentation == null || image.length == 1) {
            fill(x, y, start, 0, 1, n, 0);
        } else { // augmenting a clip costs milliseconds: the workers fill interleaved slices while the kernels' threads wait
            int workers = Math.min(n, image.length);
            Tensor bx = x, by = y;
            java.util.stream.IntStream.range(0, workers).parallel().forEach(w -> fill(bx, by, start, w, workers, n, w));
        }
        return new Tensor[] {x, y};
    }

    /**
     * Writes positions first, first + step, ... below n of the batch that starts at epoch position start, augmenting
     * with {@code worker}'s buffers (each image draws from its own stream, so any split gives the same batch).
     */
    private void fill(Tensor x, Tensor y, int start, int first, int step, int n, int worker) {
        int per = data.imageSize(), c = data.channels(), hw = per / c;
        boolean nhwc = layout == Layout.NHWC && c > 1;
        java.nio.FloatBuffer xb = x.buffer(), yb = y.buffer(); // absolute puts: each worker writes its own positions
        float[] px = data.pixels();
        for (int i = first; i < n; i += step) {
            int idx = order[start + i];
            float[] src = px;
            int from = idx * per;
            if (augmentation != null) {
                System.arraycopy(px, from, image[worker], 0, per);
                long stream = (seed * 1_000_003L + epoch) * 0x9E3779B97F4A7C15L + start + i;
                augmentation.apply(image[worker], scratch[worker], c, data.height(), data.width(), new SplittableRandom(stream));
                src = image[worker];
                from = 0;
            }
            for (int q = 0; q < per; q++) {
                int at = nhwc ? i * per + (q % hw) * c + q / hw : i * per + q;
                float v = (src[from + q] - mean) / std; // a division, as torchvision's Normalize: the same bits as PyTorch's inputs
                if (!Float.isFinite(v)) {
                    throw nonFinite(idx, q, src[from + q], v);
                }
                xb.put(at, v);
            }
            yb.put(i, data.labels()[idx]);
        }
    }

    /** A NaN or infinity in an image would spread through every weight at the first step: named here, where it enters. */
    private IllegalArgumentException nonFinite(int image, int q, float raw, float normalised) {
        int hw = data.height() * data.width();
        String value = Float.isFinite(raw) ? raw + ", " + normalised + " once normalised with mean " + mean + " and std " + std : raw + "";
        return new IllegalArgumentException(String.format("data loader: image %d of the dataset%s holds %s at channel %d, row %d, "
                + "column %d", image, augmentation == null ? "" : " (augmented)", value, q / hw, q % hw / data.width(), q % data.width()));
    }

    /** The dataset index of position {@code i} of batch {@code b} in the current epoch. */
    public int indexOf(int b, int i) {
        return order[b * batchSize + i];
    }

    @Override
    public void close() {
        close(images, labels);
        close(lastImages, lastLabels);
    }

    private static void close(Tensor a, Tensor b) {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }
}
