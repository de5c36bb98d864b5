package org.cnn4j.bench;

import org.cnn4j.backend.cpu.NativeLibrary;

/**
 * The machine's fp32 FMA peak in GFLOP/s, measured (not looked up): every thread runs independent
 * chains of vector FMAs with the active ISA for a fraction of a second. Benchmarks express their
 * throughput as a percentage of it.
 */
public final class FmaPeak {
    private FmaPeak() {
    }

    public static double measure(double seconds) {
        if (!NativeLibrary.isLoaded()) {
            throw new IllegalStateException("bench: the FMA peak probe needs the native library: " + NativeLibrary.loadError());
        }
        return NativeLibrary.fmaPeakGflops(seconds);
    }
}
