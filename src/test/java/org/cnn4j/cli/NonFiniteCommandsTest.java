package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A diverging run ends in an error and writes no model; a model with NaN weights evaluates as NaN, with a warning. */
class NonFiniteCommandsTest {

    @Test
    void aDivergingRunFailsWithoutSavingTheModel(@TempDir Path dir) {
        Path model = dir.resolve("diverged.cnn4j");
        assertThat(Main.run("train", "--model", "fmnist-cnn-small", "--epochs", "1", "--limit", "128", "--batch", "64", "--lr", "1e30",
                "--no-progress", "--out", model.toString())).isEqualTo(2);
        assertThat(Files.exists(model)).as("no model written").isFalse();
    }

    @Test
    void aModelWithNanWeightsEvaluatesAsNan(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("nan.cnn4j");
        Init.manualSeed(3);
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            String first = net.namedParameters().keySet().iterator().next();
            net.namedParameters().get(first).value().fill(Float.NaN);
            ModelFile.writeAllowingNonFinite(file, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of()));
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            PrintStream stdout = System.out, stderr = System.err;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                assertThat(Main.run("eval", "--model-file", file.toString(), "--limit", "64")).isZero();
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("loss NaN, accuracy 0.00%, top-3 0.00% (64 images, 64 with NaN scores)");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("parameter " + first + " holds NaN");
        }
    }
}
