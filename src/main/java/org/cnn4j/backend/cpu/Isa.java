package org.cnn4j.backend.cpu;

import java.util.Locale;

/** The instruction sets native kernels are compiled for, in increasing order (codes match cnn4j.h). */
public enum Isa {
    SCALAR, AVX2, AVX512;

    /** Parses "avx512", "avx2" or "scalar" (any case). */
    public static Isa parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("isa: unknown instruction set '" + name + "' (expected avx512, avx2 or scalar)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
