package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/** Adds Gaussian noise of standard deviation {@code sigma} to every pixel and clamps to [0, 1]. */
public record GaussianNoise(double sigma) implements Augmentation {
    public GaussianNoise {
        if (!(sigma >= 0 && sigma <= 1)) {
            throw new IllegalArgumentException("noise: sigma must be in [0, 1], got " + sigma);
        }
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        int n = channels * height * width;
        for (int i = 0; i < n; i += 2) { // Box-Muller gives two independent normals per pair of draws
            double r = sigma * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())), a = 2 * Math.PI * rnd.nextDouble();
            pixels[i] = clamp(pixels[i] + r * Math.cos(a));
            if (i + 1 < n) {
                pixels[i + 1] = clamp(pixels[i + 1] + r * Math.sin(a));
            }
        }
    }

    private static float clamp(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }
}
