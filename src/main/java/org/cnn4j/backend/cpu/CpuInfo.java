package org.cnn4j.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The CPU's model name and feature flags as Linux's /proc/cpuinfo gives them (empty elsewhere). */
public final class CpuInfo {
    private CpuInfo() {
    }

    /** e.g. "Intel(R) Xeon(R) Processor" or "AMD EPYC 9R14 96-Core Processor"; the architecture when unknown. */
    public static String model() {
        return field("model name").orElse(System.getProperty("os.arch"));
    }

    /** The space-separated feature flags, if known. */
    public static Optional<String> flags() {
        return field("flags");
    }

    private static Optional<String> field(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | SecurityException e) { // not Linux, or not readable: nothing to report
            return Optional.empty();
        }
    }
}
