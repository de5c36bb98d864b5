package org.cnn4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The per-epoch memory line: tensor bytes follow allocations and frees; the resident set is read on Linux. */
class MemoryUsageTest {

    @Test
    void tensorBytesRiseWithAnAllocationAndFallWhenItIsClosed() {
        long before = MemoryUsage.now().tensorBytes();
        try (Tensor t = Tensor.zeros(1024, 1024)) {
            assertThat(MemoryUsage.now().tensorBytes() - before).isGreaterThanOrEqualTo(4L * 1024 * 1024);
        }
        assertThat(MemoryUsage.now().tensorBytes()).isEqualTo(before);
    }

    @Test
    void theResidentSetIsReadWhereProcSelfStatusExists() {
        MemoryUsage m = MemoryUsage.now();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
            // a running JVM alone holds more than 10 MB; kB were scaled to bytes, not read as bytes
            assertThat(m.residentBytes()).isGreaterThan(10L << 20).isLessThan(1L << 40);
            assertThat(m.toString()).matches("tensors \\d+\\.\\d MB, java heap \\d+ MB, resident \\d+ MB");
        } else {
            assertThat(m.residentBytes()).isEqualTo(-1);
            assertThat(m.toString()).endsWith("resident n/a");
        }
    }
}
