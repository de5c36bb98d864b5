package org.cnn4j.selftest;

import java.util.Locale;
import org.cnn4j.backend.ConvAlgorithm;

/**
 * How far a native result may be from the reference backend's (which computes in double and rounds
 * once), per element: {@code |actual - expected| <= relative * max(scale, scaleFloor) + absolute + ulps * ulp(expected)},
 * where {@code scale} is max |expected| unless the caller knows a better one; {@code bitwise} asks for equal
 * bits (so 0.0 and -0.0 differ). Each factory says why its bound holds; the golden tests and the
 * differential fuzz ({@link DifferentialFuzz}) share them.
 */
public record Tolerance(double relative, double scaleFloor, double absolute, int ulps, boolean bitwise) {

    /**
     * Documented error bounds of the convolution algorithms, in units of sqrt(R) * 2^-24 relative to the
     * output's scale, R the reduction length. Rounding errors of a sum of R random terms add up like a
     * random walk, so the error grows as sqrt(R) 2^-24; Winograd's transforms add their own rounding,
     * amplified by their constants (up to 8 in F(4x4)'s A^T, 5 in its B^T). Measured over C = 16..512
     * forward (NativeWinogradGoldenTest's error tables, copied into conv_winograd.cpp and docs/winograd.md):
     * at most 0.25 for F(2x2), 4.5 for F(4x4) and 0.52 for float32 direct convolution (im2col+GEMM);
     * backward-weights at R = 784..50176: 0.03-0.15 for F(2x2), 0.29-1.93 for F(4x4), 0.03-0.21 for
     * im2col+GEMM. The bounds are about twice the worst measured.
     */
    public static final double F2_BOUND = 0.5, F4_BOUND = 10, DIRECT_BOUND = 1;

    /**
     * The same for the 1-D Winograd algorithms, R = C*3 (NativeWinograd1dGoldenTest.errorTable, C = 16..512,
     * copied into docs/winograd.md): at most 1.33 for F(4,3) and 2.11 for F(6,3) forward, 0.21-1.04 for both in backward-weights at R = 124..7936; the bounds
     * are about twice that.
     */
    public static final double F4_1D_BOUND = 3, F6_1D_BOUND = 5;

    /** Bit for bit: selections, copies, and single correctly rounded float operations (multiply, dropout). */
    public static Tolerance exact() {
        return new Tolerance(0, 0, 0, 0, true);
    }

    /** Equal values (so up to the sign of zero): ReLU and leaky ReLU. */
    public static Tolerance equal() {
        return absolute(0);
    }

    /**
     * A fixed absolute error: sigmoid and tanh (oneDNN's polynomials, a few ulps: 1e-6, about 16 ulps at 1,
     * on values in (-1, 1) and gradients |dy| < 1), softmax probabilities (one float exp per element over
     * a double sum: 1e-6), optimiser states (a handful of float operations per element and step, each
     * drifting by a few ulps: 1e-5 over five steps on values of order 1).
     */
    public static Tolerance absolute(double error) {
        return new Tolerance(0, 0, error, 0, false);
    }

    /** {@code n} units in the last place of the reference (and 1e-30 near 0): add, which the reference rounds twice. */
    public static Tolerance ulps(int n) {
        return new Tolerance(0, 0, 1e-30, n, false);
    }

    /**
     * A float32 sum of R terms of size at most 1 (the reference sums in double): the rounding error of
     * such a sum is bounded by about R * 2^-24 * sum|terms|; we allow 4 * R * 2^-24 relative to the
     * largest output (floored at 1), i.e. 2.4e-7 * R, floored at 1e-5. R is (C/groups)*kh*kw for a
     * direct convolution's forward, (K/groups)*kh*kw for backward-data, N*outH*outW for backward-weights,
     * kh*kw for average pooling, the windows covering a pixel for pooling backward, H*W for global
     * pooling, the inputs for a linear layer's output and the batch for its weight gradient. Batch norm
     * forward (normalised or averaged values, a few ulps of their scale) uses R = 16 and its gradients
     * R = N*H*W.
     */
    public static Tolerance sum(int terms) {
        return new Tolerance(Math.max(1e-5, 2.4e-7 * terms), 1, 0, 0, false);
    }

    /** An error relative to the value's scale (floored at 1): a mean loss summed in double, 1e-6. */
    public static Tolerance relative(double error) {
        return new Tolerance(error, 1, 0, 0, false);
    }

    /** The documented bound on max |y - ref| / max |ref| of {@code algorithm} for a reduction of {@code terms} products. */
    public static double convolutionBound(ConvAlgorithm algorithm, int terms) {
        double coefficient = switch (algorithm) {
            case WINOGRAD_2X2_3X3 -> F2_BOUND;
            case WINOGRAD_4X4_3X3 -> F4_BOUND;
            case WINOGRAD_1D_F4_3 -> F4_1D_BOUND;
            case WINOGRAD_1D_F6_3 -> F6_1D_BOUND;
            default -> DIRECT_BOUND;
        };
        return coefficient * Math.sqrt(terms) * 0x1p-24;
    }

    /**
     * A convolution by {@code algorithm} over a reduction of {@code terms} products: for Winograd twice the
     * documented bound (for other seeds), relative to max |ref| alone, where reductions shorter than the
     * error table's shortest (R = 144) get the tolerance of R = 144, because with a few terms the output's
     * scale is set by cancellation more than by the terms and the sqrt(R) law no longer holds; for the
     * direct algorithms (oneDNN, im2col+GEMM) {@link #sum}.
     */
    public static Tolerance convolution(ConvAlgorithm algorithm, int terms) {
        if (!algorithm.isWinograd()) {
            return sum(terms);
        }
        return new Tolerance(2 * convolutionBound(algorithm, Math.max(terms, 16 * 9)), 1e-30, 0, 0, false);
    }

    /** The error allowed at an element whose reference value is {@code expected}, in a result of scale {@code scale}. */
    public double allowed(float expected, double scale) {
        return relative * Math.max(scale, scaleFloor) + absolute + ulps * Math.ulp(expected);
    }

    /** Compares {@code actual} with {@code expected} at the scale max |expected|. */
    public Comparison compare(float[] actual, float[] expected) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        return compare(actual, expected, scale);
    }

    /**
     * Compares {@code actual} with {@code expected} at a given scale (a fused ReLU's output is compared at the
     * scale of the convolution before it, whose rounding it carries).
     */
    public Comparison compare(float[] actual, float[] expected, double scale) {
        if (actual.length != expected.length) {
            return new Comparison(false, -1, actual.length, expected.length, Double.NaN, 0, Double.NaN, scale);
        }
        int firstOutside = -1, nearest = -1;
        double nearestRatio = -1, maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) actual[i] - expected[i]);
            maxError = Double.isNaN(error) || Double.isNaN(maxError) ? Double.NaN : Math.max(maxError, error);
            double allowed = allowed(expected[i], scale);
            boolean within = bitwise ? Float.floatToIntBits(actual[i]) == Float.floatToIntBits(expected[i]) : error <= allowed;
            if (!within) {
                if (firstOutside < 0) {
                    firstOutside = i;
                }
            } else if (!bitwise && allowed > 0 && error / allowed > nearestRatio) {
                nearestRatio = error / allowed;
                nearest = i;
            }
        }
        boolean ok = firstOutside < 0;
        int worst = ok ? nearest : firstOutside;
        if (worst < 0) {
            return new Comparison(true, -1, 0, 0, 0, 0, 0, scale);
        }
        return new Comparison(ok, worst, actual[worst], expected[worst], Math.abs((double) actual[worst] - expected[worst]),
                bitwise ? 0 : allowed(expected[worst], scale), maxError, scale);
    }

    /**
     * One comparison's verdict and its worst element (the first outside the tolerance, else the one nearest
     * to it): index, values, error and allowed error; the largest error of all and the scale.
     */
    public record Comparison(boolean ok, int index, double actual, double expected, double error, double allowed,
                             double maxError, double scale) {

        /** "element i is a, reference e (error, tolerance); max |err| m = r of max |ref| s", or the length mismatch. */
        @Override
        public String toString() {
            if (index < 0) {
                return ok ? "equal" : String.format(Locale.ROOT, "%d elements, reference %d", (int) actual, (int) expected);
            }
            return String.format(Locale.ROOT, "element %d is %.9g, reference %.9g (|err| %.3g, tolerance %.3g); max |err| %.3g = %.3g of max |ref| %.4g",
                    index, actual, expected, error, allowed, maxError, scale > 0 ? maxError / scale : maxError, scale);
        }
    }
}
