package org.cnn4j.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cnn4j.tensor.Tensor;

/** Reading images into tensors and writing tensors as pictures (PNG), with javax.imageio. */
public final class Images {
    private Images() {
    }

    /** A PNG/JPEG/BMP/GIF file as a grayscale tensor [1, 1, H, W] with values in [0, 1]. */
    public static Tensor readGray(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image: no such file " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("image: " + file + " is not an image javax.imageio can read (PNG, JPEG, BMP, GIF)");
        }
        int h = img.getHeight(), w = img.getWidth();
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                v[y * w + x] = (0.299f * ((rgb >> 16) & 255) + 0.587f * ((rgb >> 8) & 255) + 0.114f * (rgb & 255)) / 255f;
            }
        }
        return Tensor.of(v, 1, 1, h, w);
    }

    /** A grayscale picture of a 2-D map, scaled so its minimum is black and its maximum white. */
    public static BufferedImage grayPicture(float[] values, int h, int w) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = Math.round(255 * (values[y * w + x] - lo) / range);
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        return img;
    }

    /** Writes {@code image} as PNG, atomically (a temporary file renamed into place). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("image: no PNG writer available");
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
