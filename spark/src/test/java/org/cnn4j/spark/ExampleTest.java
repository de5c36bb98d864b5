package org.cnn4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main classes refuse bad options with a line naming the option and the value, before starting Spark. */
class ExampleTest {
    @Test
    void badOptionsAreNamedWithTheirValues() {
        assertThat(errorOf(new Example(), "--batch", "0")).contains("option '--batch': must be 1 to 65536 images, got 0");
        assertThat(errorOf(new Example(), "--workers", "-2")).contains("option '--workers': must be >= 1, got -2");
        assertThat(errorOf(new Example(), "--epochs", "0")).contains("option '--epochs'").contains("--model FILE");
        assertThat(errorOf(new Example(), "--epochs", "0", "--model", "/nonexistent.cnn4j"))
                .contains("option '--model': must be a model file; there is no such file, got /nonexistent.cnn4j");
        assertThat(errorOf(new Example(), "--lr", "abc")).contains("'abc'").contains("--lr");
        assertThat(errorOf(new Example(), "--master", "local[1]", "--data", "/nonexistent"))
                .contains("/nonexistent").contains("dataset-fashion-mnist");
        assertThat(errorOf(new ScalingRun(), "--images", "20000")).contains("option '--images': must be 1 to the 10000 test images, got 20000");
    }

    private static String errorOf(Object command, String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(CommandLines.run(command, args)).as("exit code of %s", String.join(" ", args)).isNotZero();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
