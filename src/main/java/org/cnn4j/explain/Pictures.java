package org.cnn4j.explain;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.cnn4j.tensor.Tensor;

/**
 * Pictures of what a network sees: heat maps over images, grids of convolution filters and of
 * feature maps. Values are scaled to the picture's range (min to max); pictures are enlarged with
 * nearest-neighbour scaling so 28x28 images stay readable.
 */
public final class Pictures {
    private Pictures() {
    }

    /** The image in gray with the heat map blended over it in a blue-to-red colour scale. */
    public static BufferedImage heatOverlay(float[] image, float[] heat, int h, int w, int scale) {
        float[] g = normalized(image), m = normalized(heat);
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int i = (y / scale) * w + x / scale;
                Color c = colour(m[i]);
                float a = 0.55f * m[i] + 0.15f, gray = g[i] * 255;
                int r = Math.round((1 - a) * gray + a * c.getRed()), gr = Math.round((1 - a) * gray + a * c.getGreen()),
                        b = Math.round((1 - a) * gray + a * c.getBlue());
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    /** A gray picture of a [h, w] map, scaled from its minimum (black) to its maximum (white). */
    public static BufferedImage gray(float[] values, int h, int w, int scale) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float x : values) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return gray(values, h, w, scale, lo, hi);
    }

    /** A gray picture of a [h, w] map on a fixed scale: {@code lo} and below black, {@code hi} and above white. */
    public static BufferedImage gray(float[] values, int h, int w, int scale, float lo, float hi) {
        float range = hi > lo ? hi - lo : 1;
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                float t = Math.min(1, Math.max(0, (values[(y / scale) * w + x / scale] - lo) / range));
                int g = Math.round(255 * t);
                out.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return out;
    }

    /**
     * Every filter of a convolution weight [K, C, kh, kw] as a small picture in a grid: each filter
     * averaged over its input channels (for the first layer of a grayscale net, the filter itself).
     */
    public static BufferedImage filterGrid(Tensor weight, int scale) {
        int k = weight.dim(0), kh = weight.dim(2), kw = weight.dim(3);
        float[][] filters = meanOverInputChannels(weight);
        java.util.List<BufferedImage> tiles = new java.util.ArrayList<>();
        for (int f = 0; f < k; f++) {
            tiles.add(gray(filters[f], kh, kw, scale));
        }
        return grid(tiles, null, (int) Math.ceil(Math.sqrt(k)));
    }

    /** Each filter of a convolution weight [K, C, kh, kw] averaged over its C input channels: K arrays of kh * kw. */
    static float[][] meanOverInputChannels(Tensor weight) {
        int k = weight.dim(0), c = weight.dim(1), taps = weight.dim(2) * weight.dim(3);
        float[] w = weight.toArray();
        float[][] mean = new float[k][taps];
        for (int f = 0; f < k; f++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < taps; i++) {
                    mean[f][i] += w[(f * c + ch) * taps + i] / c;
                }
            }
        }
        return mean;
    }

    /** Pictures side by side in rows of {@code columns}, with an optional caption under each. */
    public static BufferedImage grid(List<BufferedImage> tiles, List<String> captions, int columns) {
        int tw = tiles.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int th = tiles.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int pad = 4, text = captions == null ? 0 : 14;
        int rows = (tiles.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * (tw + pad) + pad, rows * (th + pad + text) + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.BLACK);
        for (int i = 0; i < tiles.size(); i++) {
            int x = pad + (i % columns) * (tw + pad), y = pad + (i / columns) * (th + pad + text);
            g.drawImage(tiles.get(i), x, y, null);
            if (captions != null) {
                g.drawString(captions.get(i), x, y + th + 11);
            }
        }
        g.dispose();
        return out;
    }

    static float[] normalized(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        float range = hi > lo ? hi - lo : 1;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - lo) / range;
        }
        return out;
    }

    /** Blue (0) through green to red (1). */
    static Color colour(float t) {
        float r = Math.min(1, Math.max(0, 1.5f - Math.abs(4 * t - 3))), g = Math.min(1, Math.max(0, 1.5f - Math.abs(4 * t - 2))),
                b = Math.min(1, Math.max(0, 1.5f - Math.abs(4 * t - 1)));
        return new Color(r, g, b);
    }
}
