package org.cnn4j.backend;

/**
 * A 2-D max or average pooling window over an input [n, c, h, w]. Output sizes follow PyTorch:
 * floor((h + 2*pad - kernel) / stride) + 1, or ceil in ceil mode, where a window that would start
 * entirely in the right/bottom padding is dropped. {@code countIncludePad} only matters for average
 * pooling: whether padded zeros count in the divisor.
 */
public record Pool2dSpec(Kind kind, int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                         int padH, int padW, boolean ceilMode, boolean countIncludePad) {

    public enum Kind { MAX, AVG }

    public Pool2dSpec {
        if (kind == null) {
            throw new IllegalArgumentException("pool2d: kind is null");
        }
        if (n < 0 || c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("pool2d: input must be [n>=0, c>0, h>0, w>0], got [" + n + ", " + c + ", " + h + ", " + w + "]");
        }
        if (kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool2d: kernel and stride must be > 0, got kernel " + kh + "x" + kw + " stride " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0 || 2L * padH > kh || 2L * padW > kw) {
            throw new IllegalArgumentException("pool2d: padding must be between 0 and half the kernel, got pad " + padH + "x" + padW
                    + " for kernel " + kh + "x" + kw);
        }
        // in long: h + 2 * pad, and ceil mode's rounding, can overflow int for sizes that pass the checks above
        long paddedH = h + 2L * padH, paddedW = w + 2L * padW;
        if (paddedH > Integer.MAX_VALUE || paddedW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pool2d: padded input " + paddedH + "x" + paddedW + " (input " + h + "x" + w
                    + ", padding " + padH + "x" + padW + ") exceeds 2^31-1");
        }
        if (paddedH < kh || paddedW < kw) {
            throw new IllegalArgumentException("pool2d: kernel " + kh + "x" + kw + " is larger than the padded input "
                    + paddedH + "x" + paddedW);
        }
        TensorSize.requireFits("pool2d", "input", n, c, h, w);
        // the accessors read fields, which a compact constructor assigns only when it ends
        TensorSize.requireFits("pool2d", "output", n, c, outSize(h, kh, strideH, padH, ceilMode), outSize(w, kw, strideW, padW, ceilMode));
    }

    /** Square window, stride and padding; floor mode; padded zeros not counted. */
    public static Pool2dSpec of(Kind kind, int n, int c, int h, int w, int kernel, int stride, int pad) {
        return new Pool2dSpec(kind, n, c, h, w, kernel, kernel, stride, stride, pad, pad, false, false);
    }

    public Pool2dSpec withBatch(int batch) {
        return new Pool2dSpec(kind, batch, c, h, w, kh, kw, strideH, strideW, padH, padW, ceilMode, countIncludePad);
    }

    public int outH() {
        return outSize(h, kh, strideH, padH, ceilMode);
    }

    public int outW() {
        return outSize(w, kw, strideW, padW, ceilMode);
    }

    public int[] inputDims() {
        return new int[] {n, c, h, w};
    }

    public int[] outputDims() {
        return new int[] {n, c, outH(), outW()};
    }

    /** In long, then at most the padded input size, which the constructor checked fits an int. */
    private static int outSize(int size, int k, int s, int p, boolean ceilMode) {
        long span = size + 2L * p - k;
        long out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        if (ceilMode && (out - 1) * s >= (long) size + p) {
            out--; // the last window would start in the padding
        }
        return (int) out;
    }
}
