package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * Rotates by up to {@code maxDegrees} either way, scales by a factor in [1 - maxScale, 1 + maxScale]
 * and shifts by up to {@code maxShift} of the size, about the image centre, sampling bilinearly (zeros
 * outside). A draw of the identity costs nothing.
 */
public record RandomAffine(double maxDegrees, double maxScale, double maxShift) implements Augmentation {
    public RandomAffine {
        if (!(maxDegrees >= 0 && maxDegrees <= 180) || !(maxScale >= 0 && maxScale < 1) || !(maxShift >= 0 && maxShift < 1)) {
            throw new IllegalArgumentException("affine: need 0 <= degrees <= 180, 0 <= scale < 1, 0 <= shift < 1, got "
                    + maxDegrees + ", " + maxScale + ", " + maxShift);
        }
    }

    @Override
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        double angle = Math.toRadians(maxDegrees * (2 * rnd.nextDouble() - 1));
        double scale = 1 + maxScale * (2 * rnd.nextDouble() - 1);
        double tx = maxShift * width * (2 * rnd.nextDouble() - 1), ty = maxShift * height * (2 * rnd.nextDouble() - 1);
        if (angle == 0 && scale == 1 && tx == 0 && ty == 0) {
            return;
        }
        int plane = height * width;
        System.arraycopy(pixels, 0, scratch, 0, channels * plane);
        // inverse map: each output pixel reads the source point that lands on it
        double cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double ox = x - cx - tx, oy = y - cy - ty;
                double sx = cos * ox + sin * oy + cx, sy = -sin * ox + cos * oy + cy;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0), fy = (float) (sy - y0);
                for (int c = 0; c < channels; c++) {
                    int base = c * plane;
                    float v = (1 - fy) * ((1 - fx) * at(scratch, base, x0, y0, height, width) + fx * at(scratch, base, x0 + 1, y0, height, width))
                            + fy * ((1 - fx) * at(scratch, base, x0, y0 + 1, height, width) + fx * at(scratch, base, x0 + 1, y0 + 1, height, width));
                    pixels[base + y * width + x] = v;
                }
            }
        }
    }

    private static float at(float[] img, int base, int x, int y, int height, int width) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0f : img[base + y * width + x];
    }
}
