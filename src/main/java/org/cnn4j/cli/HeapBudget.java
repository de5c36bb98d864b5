package org.cnn4j.cli;

import java.util.Locale;

/**
 * Checks an allocation an option sizes against the Java heap before it is made, so that a large value
 * is an error naming the option rather than an OutOfMemoryError part-way through.
 */
final class HeapBudget {
    private HeapBudget() {
    }

    /** Fails when {@code bytes} (a double, so that huge option values cannot overflow) exceed half the maximum heap. */
    static void require(double bytes, String options) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max / 2.0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s would need %.0f MB, more than half of the %d MB Java heap (-Xmx); use smaller values", options, bytes / 1e6, max / 1_000_000));
        }
    }
}
