package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cnn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, eval and predict on your own images: a folder of train/ and test/ splits with a sub-folder per
 * class (here: red squares and blue discs). The model file keeps the colour channels, the size and the
 * normalisation measured on the training images, and predict applies them.
 */
class ImageFolderCommandsTest {

    private static void draw(Path file, boolean square, int shift) throws IOException {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40 + shift * 10, 40, 40));
        g.fillRect(0, 0, 20, 20);
        g.setColor(square ? Color.RED : Color.BLUE);
        if (square) {
            g.fillRect(3 + shift, 4, 10, 10);
        } else {
            g.fillOval(4, 3 + shift, 11, 11);
        }
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void trainEvaluateAndPredictOnAnImageFolder(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("shapes");
        for (int i = 0; i < 6; i++) {
            draw(data.resolve("train/square/" + i + ".png"), true, i);
            draw(data.resolve("train/disc/" + i + ".png"), false, i);
        }
        draw(data.resolve("test/square/t.png"), true, 2);
        draw(data.resolve("test/disc/t.png"), false, 3);
        Path model = dir.resolve("shapes.cnn4j");

        assertThat(Main.run("train", "--model", "fmnist-cnn-small", "--data", data.toString(), "--rgb", "--image-size", "12",
                "--epochs", "3", "--batch", "4", "--lr", "0.01", "--no-progress", "--out", model.toString())).isZero();
        ModelFile.Saved saved = ModelFile.read(model);
        saved.model().close();
        assertThat(saved.classNames()).containsExactly("disc", "square");
        assertThat(new int[] {saved.channels(), saved.height(), saved.width()}).containsExactly(3, 12, 12);
        assertThat(saved.mean()).as("measured on the training images, not Fashion-MNIST's 0.286").isNotCloseTo(0.286f, within(0.01f));

        PrintStream stdout = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true));
        try {
            assertThat(Main.run("eval", "--model-file", model.toString(), "--data", data.toString())).isZero();
            assertThat(Main.run("predict", "--model-file", model.toString(), data.resolve("test/square/t.png").toString())).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(text.toString()).as("two shapes in different colours are easy").contains("accuracy 100.00%", "(2 images)")
                .contains("t.png:  square");
        assertThat(Main.run("eval", "--model-file", model.toString())).as("Fashion-MNIST's classes are not the model's").isEqualTo(2);
        Files.move(data.resolve("test"), dir.resolve("elsewhere"));
        assertThat(Main.run("eval", "--model-file", model.toString(), "--data", data.toString())).as("no test split").isEqualTo(2);
    }
}
