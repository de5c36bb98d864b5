package org.cnn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.tensor.Tensor;

/**
 * The memory a training run holds, printed after every epoch so that a leak shows as a rising
 * column: the off-heap tensor bytes cnn4j allocated and not yet freed, the Java heap the JVM has
 * committed (it grows towards -Xmx as the collector sees fit, which is not a leak), and the whole
 * process's resident set (heap, tensors and the native libraries' scratch buffers), which is -1
 * where {@code /proc/self/status} does not exist.
 */
public record MemoryUsage(long tensorBytes, long heapBytes, long residentBytes) {

    public static MemoryUsage now() {
        return new MemoryUsage(Tensor.liveBytes(), Runtime.getRuntime().totalMemory(), processResidentBytes());
    }

    private static long processResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) { // "VmRSS:	  123456 kB"
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public String toString() {
        String resident = residentBytes < 0 ? "n/a" : String.format("%.0f MB", residentBytes / 1e6);
        return String.format("tensors %.1f MB, java heap %.0f MB, resident %s", tensorBytes / 1e6, heapBytes / 1e6, resident);
    }
}
