package org.cnn4j.backend;

/**
 * The geometry of a 2-D convolution: input [n, c, h, w], weight [k, c/groups, kh, kw], output
 * [n, k, outH, outW]. Padding is given per side (top, bottom, left, right); dilation 1 means a dense
 * kernel (PyTorch's convention). The constructor rejects impossible geometries with a message that
 * names the argument and the values.
 */
public record Conv2dSpec(int n, int c, int h, int w, int k, int kh, int kw,
                         int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                         int dilationH, int dilationW, int groups) {

    public Conv2dSpec {
        positive("n", n, true);
        positive("c", c, false);
        positive("h", h, false);
        positive("w", w, false);
        positive("k", k, false);
        positive("kh", kh, false);
        positive("kw", kw, false);
        positive("strideH", strideH, false);
        positive("strideW", strideW, false);
        positive("dilationH", dilationH, false);
        positive("dilationW", dilationW, false);
        positive("groups", groups, false);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("conv2d: padding must be >= 0, got top=" + padTop + " bottom=" + padBottom
                    + " left=" + padLeft + " right=" + padRight);
        }
        if (c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups=" + groups + " must divide both in_channels=" + c
                    + " and out_channels=" + k);
        }
        // in long: sizes that pass the checks above can still overflow int (a 5-tap kernel with dilation 2^30 spans 2^32 + 1)
        long paddedH = (long) h + padTop + padBottom, paddedW = (long) w + padLeft + padRight;
        if (paddedH > Integer.MAX_VALUE || paddedW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conv2d: padded input " + paddedH + "x" + paddedW + " (h=" + h + " + padding "
                    + padTop + "+" + padBottom + ", w=" + w + " + padding " + padLeft + "+" + padRight + ") exceeds 2^31-1");
        }
        if (paddedH < span(kh, dilationH) || paddedW < span(kw, dilationW)) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " (dilation " + dilationH + "x" + dilationW
                    + ", spanning " + span(kh, dilationH) + "x" + span(kw, dilationW) + ") is larger than the padded input "
                    + paddedH + "x" + paddedW);
        }
        TensorSize.requireFits("conv2d", "input", n, c, h, w);
        TensorSize.requireFits("conv2d", "weight", k, c / groups, kh, kw);
        // the accessors read fields, which a compact constructor assigns only when it ends
        TensorSize.requireFits("conv2d", "output", n, k, outSize(paddedH, kh, dilationH, strideH),
                outSize(paddedW, kw, dilationW, strideW));
    }

    /** At least 1 and an int once the constructor checked that the kernel fits the padded size, which fits an int. */
    private static int outSize(long padded, int taps, int dilation, int stride) {
        return (int) ((padded - span(taps, dilation)) / stride + 1);
    }

    /** The extent of a kernel of {@code taps} taps with this dilation, in long. */
    private static long span(int taps, int dilation) {
        return (taps - 1L) * dilation + 1;
    }

    /** The common case: square kernel, same stride and padding on every side, no dilation, one group. */
    public static Conv2dSpec of(int n, int c, int h, int w, int k, int kernel, int stride, int pad) {
        return new Conv2dSpec(n, c, h, w, k, kernel, kernel, stride, stride, pad, pad, pad, pad, 1, 1, 1);
    }

    /** Symmetric padding, square parameters, with dilation and groups. */
    public static Conv2dSpec of(int n, int c, int h, int w, int k, int kernel, int stride, int pad, int dilation, int groups) {
        return new Conv2dSpec(n, c, h, w, k, kernel, kernel, stride, stride, pad, pad, pad, pad, dilation, dilation, groups);
    }

    /** The same convolution for another batch size. */
    public Conv2dSpec withBatch(int batch) {
        return new Conv2dSpec(batch, c, h, w, k, kh, kw, strideH, strideW, padTop, padBottom, padLeft, padRight,
                dilationH, dilationW, groups);
    }

    public int outH() {
        return outSize((long) h + padTop + padBottom, kh, dilationH, strideH);
    }

    public int outW() {
        return outSize((long) w + padLeft + padRight, kw, dilationW, strideW);
    }

    public int[] inputDims() {
        return new int[] {n, c, h, w};
    }

    public int[] weightDims() {
        return new int[] {k, c / groups, kh, kw};
    }

    public int[] outputDims() {
        return new int[] {n, k, outH(), outW()};
    }

    /** Multiply-adds times two, as benchdnn counts them: 2 * n * k * outH * outW * (c/groups) * kh * kw. */
    public double flops() {
        return 2.0 * n * k * outH() * outW() * (c / groups) * kh * kw;
    }

    private static void positive(String name, int v, boolean zeroAllowed) {
        if (v < 0 || (v == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException("conv2d: " + name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + v);
        }
    }
}
