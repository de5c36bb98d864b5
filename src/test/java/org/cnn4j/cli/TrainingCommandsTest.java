package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, eval, predict, explain and filters end to end on tiny settings, and their errors. */
class TrainingCommandsTest {

    @Test
    void trainThenEvaluatePredictExplainAndDrawFilters(@TempDir Path dir) {
        Path model = dir.resolve("m.cnn4j");
        assertThat(Main.run("train", "--model", "fmnist-cnn-small", "--epochs", "1", "--limit", "256", "--batch", "64",
                "--no-progress", "--out", model.toString())).isZero();
        assertThat(model).exists();
        assertThat(Main.run("train", "--model", "fmnist-cnn-small", "--epochs", "2", "--limit", "256", "--batch", "64",
                "--no-progress", "--out", model.toString(), "--resume")).isZero();
        assertThat(Main.run("eval", "--model-file", model.toString(), "--limit", "200")).isZero();
        assertThat(Main.run("predict", "--model-file", model.toString(), "examples/sneaker.png")).isZero();
        for (String method : new String[] {"saliency", "smoothgrad", "gradcam", "occlusion"}) {
            Path png = dir.resolve(method + ".png");
            assertThat(Main.run("explain", "--model-file", model.toString(), "examples/bag.png", "--method", method,
                    "--out", png.toString())).isZero();
            assertThat(png).exists();
        }
        Path filters = dir.resolve("filters.png");
        assertThat(Main.run("filters", "--model-file", model.toString(), "--out", filters.toString())).isZero();
        assertThat(filters).exists();
    }

    @Test
    void badInputEndsInAnErrorCode(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.cnn4j");
        Files.writeString(junk, "garbage garbage garbage garbage garbage");
        assertThat(Main.run("eval", "--model-file", junk.toString())).isEqualTo(2);
        assertThat(Main.run("eval", "--model-file", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(Main.run("train", "--model", "no-such-net", "--epochs", "1", "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(Main.run("train", "--data", dir.toString(), "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(Main.run("explain", "--model-file", junk.toString(), "examples/bag.png")).isEqualTo(2);
        assertThat(Main.run("train", "--resume", "--out", dir.resolve("never-written.cnn4j").toString())).isEqualTo(2);
        assertThat(Main.run("train", "--optimizer", "rmsprop", "--epochs", "1", "--limit", "10", "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(Main.run("train", "--epochs", "zero")).as("a bad number is a usage error").isEqualTo(2);
    }

    @Test
    void everyTrainingCommandExplainsItself() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true));
        try {
            for (String command : new String[] {"train", "eval", "predict", "demo"}) {
                assertThat(Main.run(command, "--help")).isZero();
            }
        } finally {
            System.setOut(stdout);
        }
        assertThat(text.toString()).contains("Usage: cnn4j train", "--resume", "Usage: cnn4j eval", "confusion matrix",
                "Usage: cnn4j predict", "top-3", "Usage: cnn4j demo", "Example:");
    }
}
