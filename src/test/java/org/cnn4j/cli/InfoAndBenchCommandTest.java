package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The info and bench commands end to end, through picocli, in-process. */
class InfoAndBenchCommandTest {

    private static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoNamesTheBackendAndTheIsa() {
        int[] code = new int[1];
        String out = capture(() -> code[0] = Main.run("info"));
        assertThat(code[0]).isZero();
        assertThat(out).contains("backend").contains("cpu features");
        if (NativeLibrary.isLoaded()) {
            assertThat(out).contains("native").contains("isa").contains("OpenMP runtime").contains("oneDNN");
        }
    }

    @Test
    void infoListsTheNativeOpsAndConvolutionAlgorithmsFromTheBackendsOwnTypes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isLoaded(), "the lists are of the native backend");
        String out = capture(() -> Main.run("info"));
        // the hand-kept list this replaced named no Winograd
        assertThat(out).contains("winograd_2x2_3x3, winograd_4x4_3x3").contains("in use: ");
        assertThat(out).contains("conv2dForward").contains("adamStep").contains("leaky_relu").contains("avg");
        assertThat(out).doesNotContain("conv algorithms  reference");
    }

    @Test
    void badArgumentsEndInAnErrorCodeNotAStackTrace() {
        assertThat(Main.run("info", "--no-such-option")).isNotZero();
        assertThat(Main.run("--threads", "0", "info")).isNotZero();
        assertThat(Main.run("bench", "--suite", "/no/such/suite.txt")).isNotZero();
    }

    @Test
    void benchOnTheReferenceBackendSaysWhichOptionChoseIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isLoaded(), "then bench reports the library instead");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("--backend", "reference", "bench", "--layers", "1")).isNotZero();
        } finally {
            System.setErr(old);
            org.cnn4j.backend.Backends.use(org.cnn4j.backend.cpu.NativeBackend.instance());
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench times the native backend, but this run uses reference (--backend reference)");
    }

    @Test
    void benchWritesJsonWithPeakAndRatios(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isLoaded(), "bench needs the native library");
        Path json = dir.resolve("bench.json");
        int[] code = new int[1];
        String out = capture(() -> code[0] = Main.run("bench", "--suite", "fmnist", "--mb", "2", "--layers", "2",
                "--min-time", "0.01", "--json", json.toString()));
        assertThat(code[0]).isZero();
        assertThat(out).contains("FMA peak").contains("fmnist_cnn:conv1").contains("vs1DNN");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("fma_peak_gflops").asDouble()).isPositive();
        assertThat(doc.get("results")).hasSize(4);
        assertThat(doc.get("results").get(0).get("median_ms").asDouble()).isPositive();
    }
}
