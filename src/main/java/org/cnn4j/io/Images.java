package org.cnn4j.io;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cnn4j.tensor.Tensor;

/** Reading images into tensors and writing tensors as pictures (PNG), with javax.imageio. */
public final class Images {
    /**
     * The most pixels an image file may have, 8192 x 8192 (256 MB decoded): a PNG of 40000 x 40000 pixels
     * compresses to 1.5 MB but decodes to gigabytes, and one of 20000 x 20000 takes 20 s.
     */
    public static final long MAX_PIXELS = 1L << 26;

    private Images() {
    }

    /**
     * Decodes a PNG/JPEG/BMP/GIF file, after reading its size from its header and refusing one of more
     * than {@link #MAX_PIXELS} pixels; every error names the file and the reason.
     */
    public static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image " + file + ": no such file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("image " + file + ": not an image javax.imageio can read (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new ImageTooLarge("image " + file + ": " + w + "x" + h + " pixels is more than the " + MAX_PIXELS
                            + " (8192x8192) cnn4j decodes");
                }
                return reader.read(0);
            } catch (ImageTooLarge e) {
                throw e;
            } catch (IOException | RuntimeException e) { // decoders throw unchecked exceptions on some corrupt files
                throw new IOException("image " + file + ": cannot decode it (" + (e.getMessage() != null ? e.getMessage() : e) + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** An image refused for its size, before decoding, not to be reported as a decoding error. */
    private static final class ImageTooLarge extends IOException {
        ImageTooLarge(String message) {
            super(message);
        }
    }

    /** A PNG/JPEG/BMP/GIF file as a grayscale tensor [1, 1, H, W] with values in [0, 1]. */
    public static Tensor readGray(Path file) throws IOException {
        BufferedImage img = decode(file);
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
            throw new IOException("image " + file + ": no PNG writer available");
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /**
     * {@code img} resized (bilinear) to height x width and written as [channels, height, width] floats in
     * [0, 1] at {@code offset}: grey (ITU-R 601 luma) for 1 channel, RGB for 3. What every image input
     * (image folders, Spark's image columns) turns a decoded image into.
     */
    public static void pixelsInto(BufferedImage img, int channels, int height, int width, float[] out, int offset) {
        BufferedImage sized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = sized.getRGB(x, y), r = (rgb >> 16) & 255, gr = (rgb >> 8) & 255, b = rgb & 255;
                int at = offset + y * width + x;
                if (channels == 1) {
                    out[at] = (0.299f * r + 0.587f * gr + 0.114f * b) / 255f;
                } else {
                    out[at] = r / 255f;
                    out[at + plane] = gr / 255f;
                    out[at + 2 * plane] = b / 255f;
                }
            }
        }
    }
}
