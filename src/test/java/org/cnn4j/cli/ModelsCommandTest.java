package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code cnn4j models} prints the published sizes and refuses bad arguments with an exit code. */
class ModelsCommandTest {

    private static String run(int expectedCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isEqualTo(expectedCode);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsTheZooWithParametersAndMacs() {
        String out = run(0, "models", "resnet50", "lenet5");
        assertThat(out).contains("resnet50").contains("25,557,032").contains("4,089.2").contains("lenet5").contains("61,706");
    }

    @Test
    void layersAndOtherInputs() {
        String out = run(0, "models", "resnet18", "--input", "3x64x64", "--classes", "10", "--layers");
        assertThat(out).contains("3x64x64").contains("layer4_1_out").contains("512x2x2").contains("Linear(512->10)");
    }

    @Test
    void badArgumentsAreErrorsNotStackTraces() {
        run(2, "models", "no-such-net");
        run(2, "models", "--input", "3x0x4");
        run(2, "models", "--classes", "0");
    }
}
