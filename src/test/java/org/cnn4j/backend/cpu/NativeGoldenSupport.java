package org.cnn4j.backend.cpu;

import java.util.SplittableRandom;
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

    /** Elements may differ by {@code tol} (absolute). */
    static void assertWithin(String what, float[] actual, float[] expected, double tol) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " elements, reference " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /** Elements may differ by {@code ulps} units in the last place of the reference (and by 1e-30 near 0). */
    static void assertUlps(String what, float[] actual, float[] expected, int ulps) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= ulps * Math.ulp(expected[i]) + 1e-30)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]
                        + " (" + ulps + " ulps)");
            }
        }
    }

    /** Bit-for-bit equal (so 0.0 and -0.0 differ). */
    static void assertExact(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]);
            }
        }
    }

    static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
