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
 * header, so {@code .gz} and raw files both work; they are read to the end, so that the gzip trailer's
 * CRC-32 and length are checked. Memory grows with the data actually read, never with what a header
 * claims. Anything malformed (no images, a count the data does not hold, bytes after the data) is an
 * {@link IOException} that says what is wrong with which source.
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
            if (n == 0 || rows == 0 || cols == 0) {
                throw new IOException(source + ": the IDX header declares " + n + " images of " + rows + "x" + cols + ", no data");
            }
            long total = (long) n * rows * cols;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(source + ": " + n + " images of " + rows + "x" + cols + " are too many to hold");
            }
            byte[] pixels = readData(data, (int) total, n + " images of " + rows + "x" + cols, source);
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
            if (n == 0) {
                throw new IOException(source + ": the IDX header declares 0 labels");
            }
            byte[] raw = readData(data, n, n + " labels", source);
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

    /**
     * The {@code length} data bytes the header declares, and then the end of the file: readNBytes grows its
     * buffer with the bytes that arrive, so a header claiming 2^31-1 labels over 100 bytes costs 100 bytes,
     * and reading on to the end makes a gzip stream check its trailer.
     */
    private static byte[] readData(DataInputStream data, int length, String what, String source) throws IOException {
        byte[] bytes;
        try {
            bytes = data.readNBytes(length);
            if (bytes.length < length) {
                throw new IOException(source + ": IDX file is truncated: its header declares " + what + " (" + length
                        + " data bytes), the data ends after " + bytes.length);
            }
            if (data.read() != -1) {
                throw new IOException(source + ": IDX file has more data than the " + what + " its header declares");
            }
        } catch (EOFException e) {
            throw new IOException(source + ": gzip data is truncated (" + e.getMessage() + ")", e);
        }
        return bytes;
    }
}
