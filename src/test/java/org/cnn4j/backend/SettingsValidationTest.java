package org.cnn4j.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.backend.cpu.NativeThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad setting is the user's error: the run fails with a message naming the variable and its value,
 * instead of falling back to the 100x slower reference backend. Settings are read once per JVM, so each
 * case runs {@code cnn4j info} in a JVM of its own with the variable set.
 */
class SettingsValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "CNN4J_THREADS, abc, CNN4J_THREADS=abc",
            "CNN4J_THREADS, 0, 'CNN4J_THREADS must be between 1 and 1024 threads, got 0'",
            "CNN4J_THREADS, 7000, 'CNN4J_THREADS must be between 1 and 1024 threads, got 7000'",
            "CNN4J_ISA, avx9, CNN4J_ISA=avx9",
            "CNN4J_GEMM, x, CNN4J_GEMM=x",
            "CNN4J_BACKEND, foo, CNN4J_BACKEND=foo",
            "-Dcnn4j.threads, abc, cnn4j.threads=abc",
            "CNN4J_CONV_ALGO, fastest, CNN4J_CONV_ALGO=fastest",
            "-Dcnn4j.conv.winograd, maybe, cnn4j.conv.winograd=maybe",
    })
    void aBadSettingFailsNamingTheVariableAndTheValue(String variable, String value, String message) throws Exception {
        Run r = cnn4j(variable, value, "info");
        assertThat(r.code).as(r.output).isEqualTo(2);
        assertThat(r.output).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theThreadsOptionWinsOverABadVariable() throws Exception {
        Run r = cnn4j("CNN4J_THREADS", "abc", "--threads", "1", "info");
        assertThat(r.code).as(r.output).isZero();
    }

    @Test
    void theJavaApiBoundsTheThreadsToo() {
        assumeTrue(NativeLibrary.isLoaded(), "native library");
        int before = NativeLibrary.threads();
        for (int bad : new int[] {0, -1, NativeThreads.MAX + 1, 7000}) {
            assertThatThrownBy(() -> NativeLibrary.useThreads(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1 and 1024").hasMessageContaining("got " + bad);
        }
        assertThat(NativeLibrary.threads()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "cnn4j.conv.algo, fastest, 'cnn4j.conv.algo=fastest: conv2d: unknown algorithm'",
            "cnn4j.conv.winograd, flase, 'cnn4j.conv.winograd=flase: unknown switch (expected true, false)'",
            "cnn4j.gemm, mkl, 'cnn4j.gemm=mkl: unknown GEMM (expected own, openblas)'",
    })
    void parsingNamesTheBadPropertyAndItsValue(String property, String value, String message) {
        assertThatThrownBy(() -> Settings.parse(Map.of(property, value)::get, name -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
    }

    @Test
    void anAutotuneFileThatIsNoPathIsNamed() {
        assertThatThrownBy(() -> Settings.parse(name -> null, Map.of("CNN4J_AUTOTUNE_FILE", "a\0b")::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CNN4J_AUTOTUNE_FILE=a");
    }

    @Test
    void aPropertyWinsOverTheEnvironmentVariable() {
        Settings s = Settings.parse(Map.of("cnn4j.conv.algo", "onednn")::get,
                Map.of("CNN4J_CONV_ALGO", "im2col_gemm", "CNN4J_CONV_WINOGRAD", "false", "CNN4J_THREADS", "3")::get);
        assertThat(s.convAlgorithm()).isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(s.winograd()).isFalse();
        assertThat(s.threads()).isEqualTo(3);
        assertThat(s.backend()).isNull();
        assertThat(s.autotuneFile()).isNull();
    }

    @Test
    void nothingSetMeansAutoWithWinogradOnAllProcessors() {
        Settings s = Settings.parse(name -> null, name -> null);
        assertThat(s.convAlgorithm()).isEqualTo(ConvAlgorithm.AUTO);
        assertThat(s.winograd()).isTrue();
        assertThat(s.ownGemm()).isFalse();
        assertThat(s.threads()).isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), NativeThreads.MAX));
    }

    private record Run(int code, String output) {
    }

    /** The command line in a new JVM; {@code variable} is an environment variable, or a system property as -Dname. */
    private static Run cnn4j(String variable, String value, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (variable.startsWith("-D")) {
            command.add(variable + "=" + value);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cnn4j.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CNN4J_"));
        if (!variable.startsWith("-D")) {
            pb.environment().put(variable, value);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cnn4j " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
