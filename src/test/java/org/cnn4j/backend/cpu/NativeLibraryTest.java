package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native library loads from the jar's resources and runs on exactly one OpenMP runtime. */
class NativeLibraryTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restore() {
        NativeLibrary.useIsa(Isa.AVX512);
        NativeLibrary.useThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void exactlyOneOpenMpRuntimeIsMappedAndItIsOneDnns() throws IOException {
        List<String> gomps = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("libgomp"))
                .map(l -> l.substring(l.indexOf('/')))
                .distinct().toList();
        assertThat(gomps).hasSize(1);
        assertThat(gomps.get(0)).contains("dnnl").isEqualTo(NativeLibrary.openmpRuntime());
    }

    @Test
    void isaCanBeForcedDownButNeverAboveTheCpu() {
        Isa best = NativeLibrary.supportedIsa();
        assertThat(NativeLibrary.useIsa(Isa.SCALAR)).isEqualTo(Isa.SCALAR);
        assertThat(NativeLibrary.activeIsa()).isEqualTo(Isa.SCALAR);
        assertThat(NativeLibrary.useIsa(Isa.AVX512)).isEqualTo(best);
    }

    @Test
    void threadsAreSetForEveryRuntime() {
        NativeLibrary.useThreads(1);
        assertThat(NativeLibrary.threads()).isEqualTo(1);
        assertThat(NativeLibrary.onednnVersion()).startsWith("3.11");
        assertThat(NativeLibrary.openblasConfig()).contains("OpenBLAS 0.3.31");
    }
}
