package org.cnn4j.backend;

import java.util.Locale;

/**
 * How a backend computes a convolution. The native backend honours the choice where the algorithm
 * can do the shape; {@link #AUTO} picks by shape. Chosen per process with {@link #use} or the system
 * property {@code cnn4j.conv.algo} (e.g. {@code onednn}, {@code im2col_gemm}, {@code autotune}).
 */
public enum ConvAlgorithm {
    /** The pure-Java oracle's loops. */
    REFERENCE,
    /** Our im2col packing (AVX-512/AVX2/scalar) and OpenBLAS sgemm; 1x1 stride-1 convolutions skip im2col. */
    IM2COL_GEMM,
    /** oneDNN convolution primitives (created with format_tag::any), cached by shape. */
    ONEDNN,
    /** The backend's choice by shape. */
    AUTO,
    /**
     * Times each eligible algorithm once per shape, direction and thread count and remembers the
     * fastest (like cuDNN's benchmark mode); with {@code cnn4j.autotune.file} set, the choices persist.
     */
    AUTOTUNE;

    private static volatile ConvAlgorithm chosen;

    /** The algorithm in force: set by {@link #use}, else {@code cnn4j.conv.algo}, else AUTO. */
    public static ConvAlgorithm current() {
        ConvAlgorithm c = chosen;
        if (c != null) {
            return c;
        }
        String p = System.getProperty("cnn4j.conv.algo");
        return p == null || p.isBlank() ? AUTO : parse(p);
    }

    public static void use(ConvAlgorithm algorithm) {
        chosen = algorithm;
    }

    public static ConvAlgorithm parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv2d: unknown algorithm '" + name + "' (expected one of "
                    + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
        }
    }
}
