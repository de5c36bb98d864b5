package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/** Mirrors the image left to right with probability {@code p}. */
public record HorizontalFlip(double p) implements Augmentation {
    public HorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip: probability must be in [0, 1], got " + p);
        }
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        if (rnd.nextDouble() >= p) {
            return;
        }
        for (int row = 0; row < channels * height; row++) {
            for (int l = row * width, r = l + width - 1; l < r; l++, r--) {
                float t = pixels[l];
                pixels[l] = pixels[r];
                pixels[r] = t;
            }
        }
    }
}
