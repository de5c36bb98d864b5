package org.cnn4j.spark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cnn4j.io.Images;

/**
 * Decodes the bytes of a PNG/JPEG/BMP/GIF file (a row of Spark's {@code binaryFile} source) into a
 * model's input pixels, [channels, height, width] in [0, 1], exactly as the core's
 * {@code ImageFolder.readImage} does for a file (same resize, same gray weights): an image scored on
 * Spark gets the bits it gets from {@code cnn4j predict} and the core's loaders.
 */
final class EncodedImages {
    private EncodedImages() {
    }

    /**
     * Writes image {@code bytes}, resized to height x width, into {@code out} at {@code offset}; errors
     * name {@code what} (the row's file or position) and the reason.
     */
    static void decodeInto(byte[] bytes, String what, int channels, int height, int width, float[] out, int offset) {
        Images.pixelsInto(decode(bytes, what), channels, height, width, out, offset);
    }

    /** The decoded image, refusing one of more than {@link Images#MAX_PIXELS} pixels before decoding it. */
    private static BufferedImage decode(byte[] bytes, String what) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(what + ": not an image javax.imageio can read (PNG, JPEG, BMP, GIF), "
                        + bytes.length + " bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = readSafely(() -> reader.getWidth(0), what), h = readSafely(() -> reader.getHeight(0), what);
                if ((long) w * h > Images.MAX_PIXELS) {
                    throw new IllegalArgumentException(what + ": " + w + "x" + h + " pixels is more than the " + Images.MAX_PIXELS
                            + " (8192x8192) cnn4j decodes");
                }
                return readSafely(() -> reader.read(0), what);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw cannotDecode(what, e);
        }
    }

    private interface ImageRead<T> {
        T get() throws IOException;
    }

    /** {@code read}'s result; decoders throw unchecked exceptions on some corrupt files, reported like their IOExceptions. */
    private static <T> T readSafely(ImageRead<T> read, String what) {
        try {
            return read.get();
        } catch (IOException | RuntimeException e) {
            throw cannotDecode(what, e);
        }
    }

    private static IllegalArgumentException cannotDecode(String what, Exception e) {
        return new IllegalArgumentException(what + ": cannot decode it (" + (e.getMessage() != null ? e.getMessage() : e) + ")", e);
    }
}
