package org.cnn4j.backend;

import java.util.Locale;

/**
 * How a backend computes a convolution. The native backend honours the choice where the algorithm
 * can do the shape; {@link #AUTO} picks by shape. Chosen per process with {@link #use} or the setting
 * {@code cnn4j.conv.algo} (e.g. {@code onednn}, {@code im2col_gemm}, {@code autotune}), per network or
 * call with {@link ExecutionOptions}.
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
    AUTOTUNE,
    /**
     * Winograd F(2x2,3x3) (AVX-512/AVX2/scalar): 16 multiplies for 4 outputs where direct convolution
     * needs 36. Only 3x3 kernels with stride 1, dilation 1 and one group; forward, backward-data and
     * backward-weights (the forward's adjoint in the filter). About as accurate as float32 direct
     * convolution (0.2-0.25 sqrt(C*9) 2^-24 relative to the output's scale).
     */
    WINOGRAD_2X2_3X3,
    /**
     * Winograd F(4x4,3x3): 36 multiplies for 16 outputs where direct convolution needs 144, so it can
     * run faster than the machine's FMA peak in direct-convolution FLOPs. Same shapes and directions as
     * {@link #WINOGRAD_2X2_3X3}; its error, 2.6-4.5 sqrt(C*9) 2^-24 relative to the output's scale, is 8-45x
     * that of float32 direct convolution (docs/winograd.md's table), which is why {@link #allowWinograd} can keep
     * {@link #AUTO} away from it.
     */
    WINOGRAD_4X4_3X3,
    /**
     * Winograd F(4,3) for 1-D signals ([N, C, 1, L] with 1x3 kernels, stride 1, dilation 1, one group, any
     * left/right padding): 6 multiplies for 4 outputs where direct convolution needs 12. Forward, backward-data
     * and backward-weights. Measured forward error 1.03-1.33 sqrt(C*3) 2^-24 (C = 16..512, AVX-512) relative to the output's scale (docs/winograd.md, "1-D").
     */
    WINOGRAD_1D_F4_3,
    /**
     * Winograd F(6,3) for 1-D signals: 8 multiplies for 6 outputs where direct convolution needs 18; same shapes
     * as {@link #WINOGRAD_1D_F4_3}. Its transform constants (32 in A^T, 21/4 in B^T, 1/90 in G) make it the
     * least accurate: 1.18-2.11 sqrt(C*3) 2^-24 forward (direct float32: 0.2-0.63) relative to the output's scale (docs/winograd.md, "1-D").
     */
    WINOGRAD_1D_F6_3;

    private static volatile ConvAlgorithm chosen;
    private static volatile Boolean winograd;
    private static volatile boolean fallBackToAuto;

    /** The algorithm in force on this thread: {@link ExecutionOptions#current()}'s. */
    public static ConvAlgorithm current() {
        return ExecutionOptions.current().algorithm();
    }

    /** Sets the process's algorithm; null returns the choice to {@link Settings} ({@code cnn4j.conv.algo}, else AUTO). */
    public static void use(ConvAlgorithm algorithm) {
        chosen = algorithm;
        ExecutionOptions.processDefaultChanged();
    }

    /** What {@link #use} set, null if nothing (to restore it after a temporary change). */
    public static ConvAlgorithm chosen() {
        return chosen;
    }

    /**
     * Whether, in this process, a convolution the chosen algorithm cannot compute (Winograd on a strided
     * layer, say) runs with AUTO's choice instead of failing with {@link UnsupportedOperationException}. Off
     * by default; golden runs over mixed shapes turn it on.
     */
    public static void fallBackToAuto(boolean on) {
        fallBackToAuto = on;
        ExecutionOptions.processDefaultChanged();
    }

    /** Whether falling back to AUTO is in force on this thread. */
    public static boolean fallsBackToAuto() {
        return ExecutionOptions.current().fallBackToAuto();
    }

    static boolean fallsBackToAutoByDefault() {
        return fallBackToAuto;
    }

    /**
     * Whether {@link #AUTO} and {@link #AUTOTUNE} may choose a Winograd algorithm on this thread (explicit
     * requests are always honoured): {@link ExecutionOptions#current()}'s.
     */
    public static boolean winogradAllowed() {
        return ExecutionOptions.current().winograd();
    }

    /** Allows or forbids Winograd for AUTO and AUTOTUNE in this process; {@code null} returns to {@link Settings}. */
    public static void allowWinograd(Boolean allowed) {
        winograd = allowed;
        ExecutionOptions.processDefaultChanged();
    }

    static Boolean winogradOverride() {
        return winograd;
    }

    /** Whether this is one of the Winograd algorithms. */
    public boolean isWinograd() {
        return this == WINOGRAD_2X2_3X3 || this == WINOGRAD_4X4_3X3 || this == WINOGRAD_1D_F4_3 || this == WINOGRAD_1D_F6_3;
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
