package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;

/** Shared set-up of native tests: the library must load unless the build skipped it on purpose. */
final class NativeTestSupport {
    private NativeTestSupport() {
    }

    static void requireNative() {
        assumeFalse(Boolean.getBoolean("cnn4j.skipNative"), "native build skipped (-Dcnn4j.skipNative)");
        assertThat(NativeLibrary.isLoaded()).as("native library loads: %s", NativeLibrary.loadError()).isTrue();
    }

    /** Every ISA this CPU can run, highest first: golden tests repeat on each. */
    static List<Isa> runnableIsas() {
        return List.of(Isa.AVX512, Isa.AVX2, Isa.SCALAR).stream()
                .filter(i -> i.ordinal() <= NativeLibrary.supportedIsa().ordinal()).toList();
    }
}
