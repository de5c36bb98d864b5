package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.ConvCalibration;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn4j calibrate} times each convolution shape of a network and writes one entry per shape and direction. */
class CalibrateCommandTest {

    private static String run(int expectedCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).as("exit code of %s", String.join(" ", args)).isEqualTo(expectedCode);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheFastestAlgorithmOfEveryShapeOfTheNetwork(@TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isLoaded(), "native backend");
        Path file = dir.resolve("cpu.properties");
        String out = run(0, "calibrate", "--network", "fmnist-cnn", "--mb", "2", "--mode", "inference", "--min-time", "0.01",
                "--file", file.toString());
        // fmnist-cnn's four 3x3 convolutions are four shapes, each with im2col, oneDNN and both Winograd sizes to choose from
        assertThat(ConvCalibration.at(file).entries()).hasSize(4).allSatisfy((key, e) -> {
            assertThat(key).startsWith("forward:" + NativeLibrary.threads() + ":");
            assertThat(e.medianMs()).containsKeys(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.WINOGRAD_4X4_3X3);
            assertThat(e.medianMs().get(e.winner())).isEqualTo(e.medianMs().values().stream().min(Double::compare).orElseThrow());
        });
        assertThat(out).contains("4 shapes and directions timed").contains("-Dcnn4j.conv.calibration=" + file);
    }

    @Test
    void badOptionsAreErrors(@TempDir Path dir) {
        String file = dir.resolve("c.properties").toString();
        run(2, "calibrate", "--network", "no-such-net", "--file", file);
        run(2, "calibrate", "--mb", "0", "--file", file);
        run(2, "calibrate", "--mode", "sideways", "--file", file);
        run(2, "calibrate", "--min-time", "-1", "--file", file);
        run(2, "calibrate", "--file", file, "--network", "fmnist-cnn", "--mb", "1", "--mode", "inference", "--min-time", "0.01",
                "--no-such-option");
        assertThat(dir.resolve("c.properties")).doesNotExist();
    }
}
