package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * A random transformation of one training image, applied on the fly as batches are made. Pixels are
 * in [0, 1], channel-major ([channels][height][width], as {@link org.cnn4j.data.ImageDataset} holds
 * them); {@code scratch} is a buffer of the same size a transformation may use, so augmenting
 * allocates nothing per image. All randomness comes from {@code rnd}, so a seeded run repeats exactly.
 */
public interface Augmentation {
    void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd);
}
