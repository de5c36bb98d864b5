package org.cnn4j.tensor;

import java.util.Arrays;

/** An immutable list of non-negative dimensions, e.g. [N, C, H, W]. */
public final class Shape {
    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("Shape: dimension " + i + " is negative in " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, dims[i]);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Shape: " + Arrays.toString(dims) + " has " + n + " elements, more than 2^31-1");
        }
        this.dims = dims;
        this.numel = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements, the product of the dimensions. */
    public int numel() {
        return (int) numel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
