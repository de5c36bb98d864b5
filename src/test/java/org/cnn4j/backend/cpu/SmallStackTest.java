package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's static initialisers take about 500 KB of the loading thread's stack, so a JVM of -Xss256k (a
 * server's small request threads) died with SIGSEGV and no error report when its first native op loaded
 * the library (exit 139). The library now loads on a thread of its own; the kernels run on the small stack.
 */
class SmallStackTest {

    @Test
    void nativeOpsRunOnA256KStack() throws Exception {
        NativeTestSupport.requireNative();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss256k",
                "-cp", System.getProperty("java.class.path"), "org.cnn4j.cli.Main", "--threads", "2", "selftest", "--fuzz", "30",
                "--seed", "1");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("30 passed, 0 failed");
    }
}
