package org.cnn4j.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Quantised weights: s8 values in the float weights' order (OIHW for a convolution, [out, in] for a linear
 * layer) and one scale per output channel (dimension 0), w = q * scale[o], symmetric with zero point 0. Immutable
 * once made, so native kernels cache their reorders under {@link #id()} (unique in this process).
 */
public final class Int8Weights {
    private static final AtomicLong IDS = new AtomicLong();
    private final int[] dims;
    private final ByteBuffer values;
    private final FloatBuffer scales;
    private final long id = IDS.incrementAndGet();

    public Int8Weights(byte[] values, float[] scales, int... dims) {
        long count = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("Int8Weights: dimensions must be positive, got " + Arrays.toString(dims));
            }
            count *= d;
        }
        if (dims.length == 0 || count != values.length || scales.length != dims[0]) {
            throw new IllegalArgumentException("Int8Weights: " + values.length + " values and " + scales.length + " scales do not fit "
                    + Arrays.toString(dims));
        }
        for (float s : scales) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("Int8Weights: scales must be positive and finite, got " + s);
            }
        }
        this.dims = dims.clone();
        this.values = Int8Tensor.aligned(values.length).put(values).flip().asReadOnlyBuffer();
        this.scales = ByteBuffer.allocateDirect(4 * scales.length).order(ByteOrder.nativeOrder()).asFloatBuffer().put(scales).flip()
                .asReadOnlyBuffer();
    }

    /** Symmetric per-output-channel quantisation of {@code w} (dimension 0 = output channels): scale = max|w| / 127. */
    public static Int8Weights quantize(float[] w, int... dims) {
        int out = dims[0], per = w.length / Math.max(out, 1);
        float[] scales = new float[out];
        byte[] q = new byte[w.length];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < per; i++) {
                float v = w[o * per + i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Int8Weights.quantize: weight " + (o * per + i) + " of output channel " + o
                            + " is " + v);
                }
                max = Math.max(max, Math.abs(v));
            }
            // an all-zero channel quantises to zeros under any scale
            scales[o] = max == 0 ? 1f : max / 127f;
            for (int i = 0; i < per; i++) {
                q[o * per + i] = (byte) Math.max(-127, Math.min(127, Math.rint(w[o * per + i] / scales[o])));
            }
        }
        return new Int8Weights(q, scales, dims);
    }

    public int[] dims() {
        return dims.clone();
    }

    public int dim(int i) {
        return dims[i];
    }

    public int numel() {
        return values.capacity();
    }

    /** The s8 values, read-only, position 0. */
    public ByteBuffer values() {
        return values.duplicate();
    }

    /** The per-output-channel scales, read-only, position 0. */
    public FloatBuffer scales() {
        return scales.duplicate();
    }

    public float scale(int o) {
        return scales.get(o);
    }

    public long id() {
        return id;
    }
}
