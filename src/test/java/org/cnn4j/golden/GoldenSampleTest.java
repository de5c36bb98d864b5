package org.cnn4j.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.Isa;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden sample cases (a copy in test resources, without the 3 MB fmnist-cnn weights; the full
 * shared set too when ../shared/fixtures/sample exists) on the reference backend and on the native
 * backend with every convolution algorithm on every ISA path.
 */
class GoldenSampleTest {
    private static final Path BUNDLED = Path.of("src/test/resources/golden/sample");
    private static final Path SHARED = Path.of("../shared/fixtures/sample");

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
        ConvAlgorithm.fallBackToAuto(false);
        if (NativeLibrary.isLoaded()) {
            NativeLibrary.useIsa(Isa.AVX512);
        }
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    private static List<Path> sets() {
        List<Path> sets = new ArrayList<>(List.of(BUNDLED));
        if (Files.isDirectory(SHARED)) {
            sets.add(SHARED);
        }
        return sets;
    }

    private static String runAll(Backend backend) throws Exception {
        Backends.use(backend);
        StringBuilder report = new StringBuilder();
        for (Path set : sets()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            GoldenRunner.Summary s = new GoldenRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), 2e-6).run(set);
            String text = buf.toString(StandardCharsets.UTF_8);
            assertThat(s.failed()).as(text).isZero();
            assertThat(s.passed()).isGreaterThanOrEqualTo(14);
            report.append(text);
        }
        return report.toString();
    }

    @Test
    void everyCasePassesOnTheReferenceBackend() throws Exception {
        assertThat(runAll(ReferenceBackend.INSTANCE)).contains("passed, 0 failed");
    }

    @Test
    void everyCasePassesOnTheNativeBackendWithEveryAlgorithmAndIsa() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeBackend.isAvailable(), "native library not loaded");
        for (Isa isa : List.of(Isa.AVX512, Isa.AVX2, Isa.SCALAR)) {
            if (isa.ordinal() > NativeLibrary.supportedIsa().ordinal()) {
                continue;
            }
            NativeLibrary.useIsa(isa);
            ConvAlgorithm.fallBackToAuto(true); // Winograd cannot do the strided and dilated cases
            for (ConvAlgorithm algo : ConvAlgorithm.values()) {
                ConvAlgorithm.use(algo);
                runAll(NativeBackend.instance());
            }
        }
    }

    @Test
    void aBrokenCaseFailsAloneAndTheOthersStillRun(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.json"),
                "[{\"case\": \"missing\", \"op\": \"relu\"}, {\"case\": \"short\", \"op\": \"relu\"}, {\"case\": \"ok\", \"op\": \"relu\"}]");
        Path ok = dir.resolve("ok");
        Files.createDirectories(ok);
        Path relu = BUNDLED.resolve("sample_relu_n2_c2_3x3");
        for (String f : List.of("case.json", "input.f32", "grad_output.f32", "output.f32", "grad_input.f32")) {
            Files.copy(relu.resolve(f), ok.resolve(f));
        }
        Path shortCase = dir.resolve("short");
        Files.createDirectories(shortCase);
        for (String f : List.of("case.json", "grad_output.f32", "output.f32", "grad_input.f32")) {
            Files.copy(relu.resolve(f), shortCase.resolve(f));
        }
        Files.write(shortCase.resolve("input.f32"), new byte[12]);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        GoldenRunner.Summary s = new GoldenRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), 2e-6).run(dir);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(s).isEqualTo(new GoldenRunner.Summary(1, 2));
        assertThat(text).contains("missing").contains("12 bytes").endsWith("1 passed, 2 failed" + System.lineSeparator());
    }
}
