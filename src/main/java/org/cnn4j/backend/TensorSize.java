package org.cnn4j.backend;

import java.util.Arrays;

/** The element-count check of a geometry's tensors: a Tensor holds at most 2^31-1 elements. */
final class TensorSize {
    private TensorSize() {
    }

    /** Throws, naming {@code op}, {@code arg} and the dimensions, when their product exceeds 2^31-1. */
    static void requireFits(String op, String arg, int... dims) {
        long elements = 1;
        for (int d : dims) {
            elements *= d; // below 2^62: both factors are below 2^31
            if (elements > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": " + arg + " " + Arrays.toString(dims) + " has more than 2^31-1 elements");
            }
        }
    }
}
