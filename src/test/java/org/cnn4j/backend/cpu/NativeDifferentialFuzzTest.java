package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cnn4j.selftest.DifferentialFuzz;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzz in CI: a few hundred seeded random cases of every native op against the
 * reference backend (the long run is {@code cnn4j selftest --fuzz N}), on 1 and 2 threads, and the
 * reproducibility a failing case's re-run relies on.
 */
class NativeDifferentialFuzzTest {
    private static final long SEED = 18;

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @Test
    void aSeededRunFindsNoMismatchOnOneAndTwoThreads() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DifferentialFuzz.Summary s = new DifferentialFuzz(new PrintStream(buf, true, StandardCharsets.UTF_8), null, true)
                .run(SEED, 0, 200);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("FAIL").endsWith("200 passed, 0 failed\n");
        assertThat(s.failed()).isZero();
        assertThat(out).contains("threads=1").contains("threads=2").contains("conv2d").contains("batch norm").contains("pool2d");
    }

    @Test
    void aCaseRunAloneDrawsWhatItDrewInTheRun() {
        String run = verbose(0, 8), alone = verbose(6, 1);
        String case6 = run.substring(run.indexOf("case 6:"), run.indexOf("case 7:"));
        assertThat(alone).startsWith(case6);
        assertThat(case6).as("case 6 of seed 18 is a convolution").contains("conv2d", "Conv2dSpec[", "threads=");
    }

    private static String verbose(int first, int count) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new DifferentialFuzz(new PrintStream(buf, true, StandardCharsets.UTF_8), null, true).run(SEED, first, count);
        return buf.toString(StandardCharsets.UTF_8);
    }
}
