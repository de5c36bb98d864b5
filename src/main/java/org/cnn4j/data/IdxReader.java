package org.cnn4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST-style datasets: a magic number (0x0803 for images, 0x0801 for
 * labels), big-endian dimension sizes, then unsigned bytes. Gzipped files are recognised by their
 * header, so {@code .gz} and raw files both work. Anything malformed is an {@link IOException} that
 * says what is wrong with which source.
 */
public final class IdxReader {
    private static final int UBYTE_IMAGES = 0x00000803, UBYTE_LABELS = 0x00000801;

    private IdxReader() {
    }

    /** Images as unsigned bytes [n * rows * cols]; {@code dims} receives {n, rows, cols}. */
    public static byte[] readImages(InputStream in, String source, int[] dims) throws IOException {
        try (DataInputStream data = open(in, source)) {
            int magic = header(data, source);
            if (magic != UBYTE_IMAGES) {
                throw new IOException(source + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            }
            int n = size(data, source), rows = size(data, source), cols = size(data, source);
            long total = (long) n * rows * cols;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(source + ": " + n + " images of " + rows + "x" + cols + " are too many to hold");
            }
            byte[] pixels = new byte[(int) total];
            readFully(data, pixels, source);
            dims[0] = n;
            dims[1] = rows;
            dims[2] = cols;
            return pixels;
        }
    }

    /** Labels as class indices. */
    public static int[] readLabels(InputStream in, String source) throws IOException {
        try (DataInputStream data = open(in, source)) {
            int magic = header(data, source);
            if (magic != UBYTE_LABELS) {
                throw new IOException(source + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ", expected 0x801)");
            }
            int n = size(data, source);
            byte[] raw = new byte[n];
            readFully(data, raw, source);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read(), b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (!gzip) {
            return new DataInputStream(buffered);
        }
        try {
            return new DataInputStream(new BufferedInputStream(new NamedGzipStream(buffered, source), 1 << 16));
        } catch (EOFException e) {
            throw new IOException(source + ": gzip header is truncated", e);
        }
    }

    /** A gzip stream whose decompression errors name the file (java.util.zip's messages do not). */
    private static final class NamedGzipStream extends GZIPInputStream {
        private final String source;

        NamedGzipStream(InputStream in, String source) throws IOException {
            super(in, 1 << 16);
            this.source = source;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return super.read(buf, off, len);
            } catch (ZipException e) {
                throw new IOException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
        }
    }

    private static int header(DataInputStream data, String source) throws IOException {
        try {
            return data.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": empty or truncated IDX file", e);
        }
    }

    private static int size(DataInputStream data, String source) throws IOException {
        try {
            int v = data.readInt();
            if (v < 0) {
                throw new IOException(source + ": negative dimension " + v + " in the IDX header");
            }
            return v;
        } catch (EOFException e) {
            throw new IOException(source + ": IDX header is truncated", e);
        }
    }

    private static void readFully(DataInputStream data, byte[] into, String source) throws IOException {
        try {
            data.readFully(into);
        } catch (EOFException e) {
            throw new IOException(source + ": IDX file is truncated (expected " + into.length + " data bytes)", e);
        }
    }
}
