package org.cnn4j.backend.cpu;

import java.util.SplittableRandom;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Seeded tensors in a chosen layout and comparisons for the native-vs-reference golden tests. */
final class NativeGoldenSupport {
    private NativeGoldenSupport() {
    }

    /** Uniform values in [-1, 1) from {@code seed}, in {@code layout} (4-D) or plain (other ranks). */
    static Tensor random(int[] dims, Layout layout, long seed) {
        try (Tensor plain = NativeIm2colTest.random(dims, seed)) {
            return dims.length == 4 ? plain.toLayout(layout) : plain.copy();
        }
    }

    /** Uniform values in [lo, hi) from {@code seed}, plain layout. */
    static Tensor uniform(int[] dims, float lo, float hi, long seed) {
        Tensor t = Tensor.zeros(dims);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return t.copyFrom(v);
    }

    static Tensor zeros(int[] dims, Layout layout) {
        return dims.length == 4 ? Tensor.zeros(Shape.of(dims), layout) : Tensor.zeros(dims);
    }

    /** Each element within {@code tolerance} of the reference's (the rules and their reasons are in {@link Tolerance}). */
    static void assertWithin(String what, float[] actual, float[] expected, Tolerance tolerance) {
        Tolerance.Comparison c = tolerance.compare(actual, expected);
        if (!c.ok()) {
            throw new AssertionError(what + ": " + c);
        }
    }

    /** Elements may differ by {@code tol} (absolute). */
    static void assertWithin(String what, float[] actual, float[] expected, double tol) {
        assertWithin(what, actual, expected, Tolerance.absolute(tol));
    }

    /** Elements may differ by {@code ulps} units in the last place of the reference (and by 1e-30 near 0). */
    static void assertUlps(String what, float[] actual, float[] expected, int ulps) {
        assertWithin(what, actual, expected, Tolerance.ulps(ulps));
    }

    /** Bit-for-bit equal (so 0.0 and -0.0 differ). */
    static void assertExact(String what, float[] actual, float[] expected) {
        assertWithin(what, actual, expected, Tolerance.exact());
    }

    static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
