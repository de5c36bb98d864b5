package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-per-folder datasets: sorted classes and files, resizing, gray and RGB channels, clear errors. */
class ImageFolderTest {

    private static void picture(Path file, int w, int h, Color color, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    }

    @Test
    void classesAreSortedFolderNamesAndImagesAreResized(@TempDir Path root) throws IOException {
        picture(root.resolve("zebra/b.png"), 10, 6, Color.WHITE, "png");
        picture(root.resolve("zebra/a.PNG"), 3, 3, Color.BLACK, "png");
        picture(root.resolve("apple/x.jpg"), 40, 40, Color.RED, "jpg");
        Files.writeString(root.resolve("apple/notes.txt"), "not an image");
        Files.writeString(root.resolve("README"), "not a class");

        ImageDataset gray = ImageFolder.load(root, 1, 4, 5);
        assertThat(gray.classNames()).containsExactly("apple", "zebra");
        assertThat(gray.labels()).containsExactly(0, 1, 1);
        assertThat(gray.height()).isEqualTo(4);
        assertThat(gray.width()).isEqualTo(5);
        float[] px = gray.pixels();
        assertThat(px[0]).as("red's luma").isCloseTo(0.299f, within(0.03f)); // JPEG is lossy
        assertThat(px[20]).as("a.PNG, black, sorts before b.png").isEqualTo(0f);
        assertThat(px[40 + 19]).as("b.png, white").isEqualTo(1f);

        ImageDataset rgb = ImageFolder.load(root, 3, 2, 2);
        assertThat(rgb.imageSize()).isEqualTo(12);
        assertThat(rgb.pixels()[0]).as("red plane").isGreaterThan(0.9f);
        assertThat(rgb.pixels()[4]).as("green plane").isLessThan(0.1f);
        assertThat(rgb.pixels()[8]).as("blue plane").isLessThan(0.1f);

        float[] ms = gray.meanAndStd();
        assertThat(ms[0]).isCloseTo((px[0] + 1f) / 3, within(1e-3f));
        try (DataLoader loader = new DataLoader(gray, 2, false, 0, ms[0], ms[1])) {
            loader.startEpoch(0);
            Tensor[] xy = loader.batch(1);
            assertThat(xy[0].dims()).containsExactly(1, 1, 4, 5);
            assertThat(xy[1].toArray()).containsExactly(1f);
        }
    }

    @Test
    void missingEmptyAndBrokenFoldersSayWhatIsWrong(@TempDir Path root) throws IOException {
        assertThatThrownBy(() -> ImageFolder.load(root.resolve("nope"), 1, 8, 8)).isInstanceOf(IOException.class).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> ImageFolder.load(root, 1, 8, 8)).isInstanceOf(IOException.class).hasMessageContaining("no class sub-folders");
        Files.createDirectories(root.resolve("cats"));
        assertThatThrownBy(() -> ImageFolder.load(root, 1, 8, 8)).isInstanceOf(IOException.class).hasMessageContaining("no .png");
        Files.writeString(root.resolve("cats/broken.png"), "these bytes are no PNG");
        assertThatThrownBy(() -> ImageFolder.load(root, 1, 8, 8)).isInstanceOf(IOException.class).hasMessageContaining("broken.png");
        assertThatThrownBy(() -> ImageFolder.load(root, 2, 8, 8)).hasMessageContaining("channels must be 1 or 3");
    }

    /** The first 33 bytes of a PNG: signature and an IHDR chunk declaring {@code w} x {@code h} 8-bit gray, then IEND. */
    private static byte[] pngHeader(int w, int h) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4 + 12).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue())
                .putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xae426082).array();
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderAndDecodeErrorsNameTheFile(@TempDir Path root) throws IOException {
        Path huge = Files.write(Files.createDirectories(root.resolve("big")).resolve("huge.png"), pngHeader(40000, 40000));
        assertThatThrownBy(() -> ImageFolder.load(root, 1, 8, 8)).isInstanceOf(IOException.class).hasMessageContaining(huge.toString())
                .hasMessageContaining("40000x40000 pixels is more than the 67108864 (8192x8192) cnn4j decodes");
        assertThatThrownBy(() -> org.cnn4j.io.Images.readGray(huge)).isInstanceOf(IOException.class).hasMessageContaining(huge.toString())
                .hasMessageContaining("more than the 67108864");

        Path noData = Files.write(root.resolve("big/huge.png"), pngHeader(4, 4));
        assertThatThrownBy(() -> ImageFolder.readImage(noData, 1, 8, 8)).isInstanceOf(IOException.class)
                .hasMessageContaining("image " + noData + ": cannot decode it (");
        Path text = Files.writeString(root.resolve("big/notes.png"), "no picture");
        assertThatThrownBy(() -> org.cnn4j.io.Images.readGray(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("image " + text + ": not an image");
    }

    @Test
    void emptyClassFoldersAndSplitsWithOtherClassesAreRefused(@TempDir Path root) throws IOException {
        picture(root.resolve("train/cat/1.png"), 4, 4, Color.WHITE, "png");
        picture(root.resolve("train/dog/1.png"), 4, 4, Color.BLACK, "png");
        picture(root.resolve("test/cat/1.png"), 4, 4, Color.WHITE, "png");
        Files.createDirectories(root.resolve("test/dog"));
        assertThatThrownBy(() -> ImageFolder.load(root.resolve("test"), 1, 4, 4)).isInstanceOf(IOException.class)
                .hasMessageContaining("class folder dog holds no .png, .jpg or .jpeg files");
        Files.delete(root.resolve("test/dog"));
        picture(root.resolve("test/bird/1.png"), 4, 4, Color.BLACK, "png");
        assertThatThrownBy(() -> ImageFolder.checkSameClasses(root.resolve("train"), root.resolve("test"))).isInstanceOf(IOException.class)
                .hasMessageContaining("has classes [cat, dog] but " + root.resolve("test") + " has [bird, cat]");
    }
}
