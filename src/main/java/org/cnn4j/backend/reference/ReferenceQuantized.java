package org.cnn4j.backend.reference;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;

/**
 * The quantised ops as definitions: integer products summed exactly (in double, exact below 2^53), then
 * real = src_scale * w_scale[k] * acc + bias + residual, ReLU, and requantisation q = saturate(rint(real /
 * dst_scale)) with round-half-to-even (Math.rint), as oneDNN rounds. Arrays are logical NCHW / OIHW; 4-D
 * int8 tensors are NHWC in memory.
 */
final class ReferenceQuantized {
    private ReferenceQuantized() {
    }

    /** The integer values of {@code t} in logical (NCHW) order. */
    static double[] values(Int8Tensor t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(memoryIndex(t.dims(), i));
        }
        return out;
    }

    /** The values of {@code t} times its scale, in logical order. */
    static double[] real(Int8Tensor t) {
        double[] v = values(t);
        for (int i = 0; i < v.length; i++) {
            v[i] *= t.scale();
        }
        return v;
    }

    static double[] values(Int8Weights w) {
        double[] out = new double[w.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.values().get(i);
        }
        return out;
    }

    /** Requantises logical-order real values into {@code out} with its scale and type. */
    static void store(double[] real, Int8Tensor out) {
        int lo = out.isUnsigned() ? 0 : -128, hi = out.isUnsigned() ? 255 : 127;
        for (int i = 0; i < real.length; i++) {
            double q = Math.rint(real[i] / out.scale());
            out.set(memoryIndex(out.dims(), i), (int) Math.max(lo, Math.min(hi, q)));
        }
    }

    /** q = saturate(rint(x / scale)) with x / scale in float, as the native quantize computes it. */
    static void quantize(float[] x, Int8Tensor out) {
        int lo = out.isUnsigned() ? 0 : -128, hi = out.isUnsigned() ? 255 : 127;
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                throw new IllegalArgumentException("quantize: input element " + i + " is NaN, which has no int8 value");
            }
            double q = Math.rint(x[i] / out.scale());
            out.set(memoryIndex(out.dims(), i), (int) Math.max(lo, Math.min(hi, q)));
        }
    }

    /** The real outputs (logical order) of a quantised convolution before requantisation. */
    static double[] conv(Conv2dSpec s, Int8Tensor x, Int8Weights w, double[] bias, Int8Tensor residual, boolean relu) {
        double[] acc = ReferenceConvolution.forward(s, values(x), values(w), null);
        int plane = s.outH() * s.outW();
        return epilogue(acc, s.k(), plane, x.scale(), w, bias, residual == null ? null : real(residual), relu);
    }

    /** The real outputs [n, out] of a quantised linear layer on [n, c, h, w] or [n, in] before requantisation. */
    static double[] linear(Int8Tensor x, Int8Weights w, double[] bias, boolean relu) {
        int n = x.dim(0), in = w.dim(1), out = w.dim(0);
        double[] acc = ReferenceLinear.forward(values(x), values(w), null, n, in, out);
        return epilogue(acc, out, 1, x.scale(), w, bias, null, relu);
    }

    private static double[] epilogue(double[] acc, int channels, int plane, float srcScale, Int8Weights w, double[] bias,
                                     double[] residual, boolean relu) {
        double[] y = new double[acc.length];
        for (int i = 0; i < acc.length; i++) {
            int k = (i / plane) % channels;
            double v = (double) srcScale * w.scale(k) * acc[i] + (bias == null ? 0 : bias[k]) + (residual == null ? 0 : residual[i]);
            y[i] = relu ? Math.max(v, 0) : v;
        }
        return y;
    }

    /** Max pooling of the integer values (exact), as real values in the input's scale. */
    static double[] maxPool(Pool2dSpec s, Int8Tensor x) {
        double[] q = ReferencePooling.forward(s, values(x));
        for (int i = 0; i < q.length; i++) {
            q[i] *= x.scale();
        }
        return q;
    }

    /** x rounded to bf16 (round to nearest, ties to even; NaN stays NaN), as a float. */
    static float bf16(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        int bits = Float.floatToRawIntBits(x);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    static double[] bf16(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = bf16((float) v[i]);
        }
        return out;
    }

    /** Memory index of logical element i: NHWC for a 4-D tensor, the logical order otherwise. */
    static int memoryIndex(int[] d, int i) {
        if (d.length != 4) {
            return i;
        }
        int w = i % d[3], h = (i / d[3]) % d[2], c = (i / (d[3] * d[2])) % d[1], n = i / (d[3] * d[2] * d[1]);
        return ((n * d[2] + h) * d[3] + w) * d[1] + c;
    }
}
