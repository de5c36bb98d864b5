package org.cnn4j.filters;

import java.util.Arrays;
import java.util.Locale;

/**
 * Classic image filters as plain convolution kernels: what a CNN's first layer learns, written by
 * hand. Each is a square kernel applied by cross-correlation (like a convolution layer), with padding
 * that keeps the image size.
 */
public enum ImageFilter {
    /** Responds to a one-pixel horizontal line: 2 on the line's row, -1 above and below. */
    HORIZONTAL_LINE(new float[] {-1, -1, -1, 2, 2, 2, -1, -1, -1}),
    /** Responds to a one-pixel vertical line. */
    VERTICAL_LINE(new float[] {-1, 2, -1, -1, 2, -1, -1, 2, -1}),
    /** Horizontal intensity gradient (vertical edges), Sobel's weights. */
    SOBEL_X(new float[] {-1, 0, 1, -2, 0, 2, -1, 0, 1}),
    /** Vertical intensity gradient (horizontal edges). */
    SOBEL_Y(new float[] {-1, -2, -1, 0, 0, 0, 1, 2, 1}),
    PREWITT_X(new float[] {-1, 0, 1, -1, 0, 1, -1, 0, 1}),
    PREWITT_Y(new float[] {-1, -1, -1, 0, 0, 0, 1, 1, 1}),
    /** Second derivative in every direction: edges in any orientation. */
    LAPLACIAN(new float[] {0, 1, 0, 1, -4, 1, 0, 1, 0}),
    /** The mean of the 3x3 neighbourhood. */
    BOX_BLUR(scaled(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1f / 9)),
    /** A 5x5 binomial approximation of a Gaussian with sigma about 1. */
    GAUSSIAN_BLUR(scaled(outer(new float[] {1, 4, 6, 4, 1}), 1f / 256)),
    SHARPEN(new float[] {0, -1, 0, -1, 5, -1, 0, -1, 0}),
    EMBOSS(new float[] {-2, -1, 0, -1, 1, 1, 0, 1, 2});

    private final float[] weights;
    private final int size;

    ImageFilter(float[] weights) {
        this.weights = weights;
        this.size = (int) Math.round(Math.sqrt(weights.length));
    }

    /** The kernel, row-major, {@code size() * size()} values. */
    public float[] weights() {
        return weights.clone();
    }

    public int size() {
        return size;
    }

    /** The CLI name: lower case with dashes, e.g. {@code sobel-x}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ImageFilter byLabel(String label) {
        for (ImageFilter f : values()) {
            if (f.label().equalsIgnoreCase(label) || f.name().equalsIgnoreCase(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("filter: unknown filter '" + label + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(ImageFilter::label).toList()) + ")");
    }

    private static float[] scaled(float[] w, float s) {
        for (int i = 0; i < w.length; i++) {
            w[i] *= s;
        }
        return w;
    }

    private static float[] outer(float[] v) {
        float[] w = new float[v.length * v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                w[i * v.length + j] = v[i] * v[j];
            }
        }
        return w;
    }
}
