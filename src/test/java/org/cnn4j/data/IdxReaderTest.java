package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    private static byte[] images(int n, int rows, int cols, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + dataBytes);
        b.putInt(0x803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzippedFiles() throws IOException {
        for (byte[] file : new byte[][] {images(2, 2, 3, 12), gzip(images(2, 2, 3, 12))}) {
            int[] dims = new int[3];
            byte[] px = IdxReader.readImages(new ByteArrayInputStream(file), "test", dims);
            assertThat(dims).containsExactly(2, 2, 3);
            assertThat(px).hasSize(12);
            assertThat(px[11]).isEqualTo((byte) 11);
        }
    }

    @Test
    void truncatedOrForeignFilesSayWhatIsWrong() {
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(images(2, 2, 3, 5)), "short.idx", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("short.idx").hasMessageContaining("truncated");
        assertThatThrownBy(() -> IdxReader.readLabels(new ByteArrayInputStream(images(1, 1, 1, 1)), "labels.idx"))
                .isInstanceOf(IOException.class).hasMessageContaining("not an IDX label file");
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(new byte[0]), "empty.idx", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    @Test
    void damagedGzipFilesNameTheFile() throws IOException {
        byte[] gz = gzip(images(4, 8, 8, 256));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(cut), "cut.gz", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("cut.gz").hasMessageContaining("truncated");
        byte[] scrambled = gz.clone();
        for (int i = 12; i < scrambled.length - 8; i++) {
            scrambled[i] ^= (byte) 0x5a;
        }
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(scrambled), "scrambled.gz", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("scrambled.gz");
        assertThatThrownBy(() -> IdxReader.readLabels(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 8}), "stub.gz"))
                .isInstanceOf(IOException.class).hasMessageContaining("stub.gz");
    }

    /** Gzip with stored (uncompressed) deflate blocks: a changed data byte still inflates, only the CRC-32 in the trailer tells. */
    private static byte[] gzipStored(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void theGzipTrailerIsChecked() throws IOException {
        byte[] gz = gzipStored(images(4, 8, 8, 256));
        assertThat(IdxReader.readImages(new ByteArrayInputStream(gz), "good.gz", new int[3])).hasSize(256);
        byte[] flipped = gz.clone();
        flipped[gz.length / 2] ^= 1;
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(flipped), "flipped.gz", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("flipped.gz").hasMessageContaining("corrupt gzip data");
        byte[] noTrailer = java.util.Arrays.copyOf(gz, gz.length - 6);
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(noTrailer), "cut-trailer.gz", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("cut-trailer.gz").hasMessageContaining("truncated");
    }

    @Test
    void countsTheDataDoesNotHoldAreRefusedWithoutAllocatingThem() {
        byte[] labels = ByteBuffer.allocate(108).putInt(0x801).putInt(Integer.MAX_VALUE).array();
        assertThatThrownBy(() -> IdxReader.readLabels(new ByteArrayInputStream(labels), "labels.idx"))
                .isInstanceOf(IOException.class).hasMessageContaining("labels.idx")
                .hasMessageContaining("declares 2147483647 labels (2147483647 data bytes), the data ends after 100");
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(images(0, 28, 28, 0)), "none.idx", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("none.idx").hasMessageContaining("declares 0 images");
        assertThatThrownBy(() -> IdxReader.readLabels(new ByteArrayInputStream(ByteBuffer.allocate(8).putInt(0x801).array()), "none.idx"))
                .isInstanceOf(IOException.class).hasMessageContaining("declares 0 labels");
        assertThatThrownBy(() -> IdxReader.readImages(new ByteArrayInputStream(images(1, 2, 2, 5)), "long.idx", new int[3]))
                .isInstanceOf(IOException.class).hasMessageContaining("long.idx").hasMessageContaining("more data than the 1 images of 2x2");
    }

    @Test
    void aDirectoryWithMismatchedImagesAndLabelsIsRejected(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(3, 28, 28, 3 * 784));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(ByteBuffer.allocate(10).putInt(0x801).putInt(2).array()));
        assertThatThrownBy(() -> FashionMnist.fromDirectory(dir, true)).isInstanceOf(IOException.class)
                .hasMessageContaining("3 images but 2 labels in " + dir.resolve("train-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> FashionMnist.fromDirectory(dir, false)).isInstanceOf(IOException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte");
    }

    @Test
    void theEmbeddedSampleIsClassBalanced() throws IOException {
        ImageDataset train = FashionMnist.sample(true), test = FashionMnist.sample(false);
        assertThat(train.size()).isEqualTo(3400);
        assertThat(test.size()).isEqualTo(1000);
        int[] count = new int[10];
        for (int y : test.labels()) {
            count[y]++;
        }
        assertThat(count).containsOnly(100);
    }
}
