package org.cnn4j.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A quantised activation: int8 values q (signed, or unsigned after a ReLU) standing for q * scale, one scale
 * for the whole tensor (symmetric, zero point 0). The logical shape is NCHW like {@link Tensor}'s; a 4-D
 * tensor is stored channels-last (NHWC), as the native int8 kernels read it. Memory is a 64-byte aligned
 * direct buffer; {@link #close()} makes the tensor unusable (the memory goes with its last reference).
 */
public final class Int8Tensor implements AutoCloseable {
    private final int[] dims;
    private final boolean unsigned;
    private final float scale;
    private ByteBuffer data;

    public Int8Tensor(boolean unsigned, float scale, int... dims) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("Int8Tensor: scale must be positive and finite, got " + scale);
        }
        this.dims = dims.clone();
        this.unsigned = unsigned;
        this.scale = scale;
        long count = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Int8Tensor: negative dimension in " + Arrays.toString(dims));
            }
            count *= d;
        }
        if (count > Integer.MAX_VALUE - 128) {
            throw new IllegalArgumentException("Int8Tensor: " + Arrays.toString(dims) + " holds over 2^31 values");
        }
        data = aligned((int) count);
    }

    /** A direct buffer of {@code bytes} bytes starting on a 64-byte boundary (alignedSlice also trims the end to one). */
    static ByteBuffer aligned(int bytes) {
        return ByteBuffer.allocateDirect(bytes + 128).alignedSlice(64).limit(bytes).slice().order(ByteOrder.nativeOrder());
    }

    public int[] dims() {
        return dims.clone();
    }

    public int dim(int i) {
        return dims[i];
    }

    public int rank() {
        return dims.length;
    }

    public int numel() {
        return data().capacity();
    }

    /** Whether the values are u8 (non-negative, after a ReLU) rather than s8. */
    public boolean isUnsigned() {
        return unsigned;
    }

    public float scale() {
        return scale;
    }

    public boolean isClosed() {
        return data == null;
    }

    /** The values in memory order (NHWC for 4-D), position 0; valid while the tensor is open. */
    public ByteBuffer buffer() {
        return data().duplicate();
    }

    /** Value at memory index i as an int (0..255 unsigned, -128..127 signed). */
    public int get(int i) {
        byte b = data().get(i);
        return unsigned ? Byte.toUnsignedInt(b) : b;
    }

    public void set(int i, int q) {
        int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
        if (q < lo || q > hi) {
            throw new IllegalArgumentException("Int8Tensor.set: " + q + " is outside [" + lo + ", " + hi + "]");
        }
        data().put(i, (byte) q);
    }

    public void checkOpen(String op) {
        if (data == null) {
            throw new IllegalStateException(op + ": int8 tensor " + Arrays.toString(dims) + " is closed");
        }
    }

    private ByteBuffer data() {
        checkOpen("Int8Tensor");
        return data;
    }

    @Override
    public void close() {
        data = null;
    }

    @Override
    public String toString() {
        return (unsigned ? "u8" : "s8") + Arrays.toString(dims) + " x " + scale;
    }
}
