package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * Scales brightness by a factor in [1 - brightness, 1 + brightness] and contrast (distance from the
 * image mean) by one in [1 - contrast, 1 + contrast], then clamps to [0, 1], as torchvision's ColorJitter.
 */
public record ColorJitter(double brightness, double contrast) implements Augmentation {
    public ColorJitter {
        if (!(brightness >= 0 && brightness < 1) || !(contrast >= 0 && contrast < 1)) {
            throw new IllegalArgumentException("jitter: brightness and contrast must be in [0, 1), got " + brightness + ", " + contrast);
        }
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        float b = (float) (1 + brightness * (2 * rnd.nextDouble() - 1)), k = (float) (1 + contrast * (2 * rnd.nextDouble() - 1));
        int n = channels * height * width;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += pixels[i];
        }
        float mean = (float) (sum / n) * b;
        for (int i = 0; i < n; i++) {
            pixels[i] = Math.min(1f, Math.max(0f, (pixels[i] * b - mean) * k + mean));
        }
    }
}
