package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * With probability {@code p}, sets a random rectangle covering {@code minArea}..{@code maxArea} of the
 * image (aspect ratio 1/3..3) to {@code value} in every channel: cutout / random erasing (Zhong et al., 2017).
 */
public record RandomErasing(double p, double minArea, double maxArea, float value) implements Augmentation {
    public RandomErasing {
        if (!(p >= 0 && p <= 1) || !(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
            throw new IllegalArgumentException("erase: need 0 <= p <= 1 and 0 < min area <= max area <= 1, got " + p + ", " + minArea
                    + ", " + maxArea);
        }
    }

    /** Erasing to black over 2-20% of the image. */
    public RandomErasing(double p) {
        this(p, 0.02, 0.2, 0f);
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        if (rnd.nextDouble() >= p) {
            return;
        }
        double area = height * width * (minArea + (maxArea - minArea) * rnd.nextDouble());
        double aspect = Math.exp(Math.log(1 / 3.0) + Math.log(9) * rnd.nextDouble());
        int h = (int) Math.max(1, Math.min(height, Math.round(Math.sqrt(area * aspect))));
        int w = (int) Math.max(1, Math.min(width, Math.round(Math.sqrt(area / aspect))));
        int top = rnd.nextInt(height - h + 1), left = rnd.nextInt(width - w + 1);
        for (int c = 0; c < channels; c++) {
            for (int y = top; y < top + h; y++) {
                java.util.Arrays.fill(pixels, (c * height + y) * width + left, (c * height + y) * width + left + w, value);
            }
        }
    }
}
