package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code cnn4j selftest}: the fuzz's closing line and exit code, and bad options. */
class SelftestCommandTest {

    @Test
    void aShortFuzzEndsWithItsCountsAndExitsZero() {
        Assumptions.assumeTrue(NativeLibrary.isLoaded(), "the fuzz needs the native backend");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("selftest", "--fuzz", "6", "--seed", "3");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("6 cases from case 0 of seed 3").endsWith("6 passed, 0 failed\n");
    }

    @Test
    void negativeCountsAreRefusedWithTheOption() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("selftest", "--fuzz", "-1")).isEqualTo(2);
            assertThat(Main.run("selftest", "--case", "-4")).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--fuzz must be >= 0, got -1").contains("--case must be >= 0, got -4")
                .doesNotContain("Exception");
    }
}
