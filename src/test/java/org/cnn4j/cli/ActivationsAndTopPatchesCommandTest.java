package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** activations and top-patches end to end on a model file, and their errors. */
class ActivationsAndTopPatchesCommandTest {

    @Test
    void drawFeatureMapsAndTopPatches(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.cnn4j");
        Init.manualSeed(5);
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            ModelFile.write(model, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of()));
        }
        Path act = dir.resolve("act.png"), patches = dir.resolve("patches.png");
        assertThat(Main.run("activations", "--model-file", model.toString(), "examples/sneaker.png", "--layer", "relu1",
                "--out", act.toString())).isZero();
        BufferedImage a = ImageIO.read(act.toFile());
        assertThat(a.getWidth()).as("input and 8 maps of 84 pixels in 3 columns").isGreaterThan(3 * 84);
        assertThat(Main.run("top-patches", "--model-file", model.toString(), "--layer", "conv4", "--filters", "3", "--limit", "100",
                "--out", patches.toString())).isZero();
        BufferedImage p = ImageIO.read(patches.toFile());
        assertThat(p.getWidth()).as("9 patches of 14 pixels, enlarged 4 times").isGreaterThan(9 * 14 * 4);

        assertThat(Main.run("activations", "--model-file", model.toString(), "examples/sneaker.png", "--layer", "fc2",
                "--out", act.toString())).as("not feature maps").isEqualTo(2);
        assertThat(Main.run("top-patches", "--model-file", model.toString(), "--layer", "nope", "--limit", "10",
                "--out", patches.toString())).isEqualTo(2);
        assertThat(Main.run("top-patches", "--model-file", model.toString(), "--filters", "99", "--limit", "10",
                "--out", patches.toString())).isEqualTo(2);
    }
}
