package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/** Pads the image by {@code padding} pixels of zeros on every side and crops it back at a random offset: a random shift. */
public record RandomCrop(int padding) implements Augmentation {
    public RandomCrop {
        if (padding < 0) {
            throw new IllegalArgumentException("crop: padding must be >= 0, got " + padding);
        }
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        int dy = rnd.nextInt(2 * padding + 1) - padding, dx = rnd.nextInt(2 * padding + 1) - padding;
        if (dx == 0 && dy == 0) {
            return;
        }
        int plane = height * width;
        System.arraycopy(pixels, 0, scratch, 0, channels * plane);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    pixels[c * plane + y * width + x] = inside ? scratch[c * plane + sy * width + sx] : 0f;
                }
            }
        }
    }
}
