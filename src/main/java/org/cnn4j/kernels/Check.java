package org.cnn4j.kernels;

import java.util.Arrays;
import org.cnn4j.tensor.Tensor;

/**
 * Argument checks shared by the op API: every failure names the op, the argument and the values, and
 * happens in Java before any native call.
 */
final class Check {
    private Check() {
    }

    /** The tensor is not null and not closed. */
    static Tensor open(String op, String arg, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + arg + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + arg + " " + t.shape() + " is closed");
        }
        return t;
    }

    /** An output the op writes: null (an optional output not asked for) or not {@linkplain Tensor#freeze() frozen}. */
    static void writable(String op, String arg, Tensor t) {
        if (t != null && t.isFrozen()) {
            throw new IllegalStateException(op + ": " + arg + " " + t.shape() + " is frozen (read-only)");
        }
    }

    /** Null is allowed (an optional argument); otherwise as {@link #shape}. */
    static void optionalShape(String op, String arg, Tensor t, int... dims) {
        if (t != null) {
            shape(op, arg, t, dims);
        }
    }

    /** The tensor is open and has exactly these dimensions. */
    static void shape(String op, String arg, Tensor t, int... dims) {
        open(op, arg, t);
        if (!Arrays.equals(t.dims(), dims)) {
            throw new IllegalArgumentException(op + ": " + arg + " has shape " + t.shape() + ", expected " + Arrays.toString(dims));
        }
    }

    /** The tensor is open and has this rank. */
    static void rank(String op, String arg, Tensor t, int rank) {
        open(op, arg, t);
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + arg + " must be " + rank + "-D, got shape " + t.shape());
        }
    }

    /** Both are open and have the same shape. */
    static void sameShape(String op, String argA, Tensor a, String argB, Tensor b) {
        open(op, argA, a);
        open(op, argB, b);
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": " + argA + " " + a.shape() + " and " + argB + " " + b.shape()
                    + " must have the same shape");
        }
    }

    static void finite(String op, String arg, float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(op + ": " + arg + " must be finite, got " + v);
        }
    }
}
