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
        int effH = (kh - 1) * dilationH + 1, effW = (kw - 1) * dilationW + 1;
        if (h + padTop + padBottom < effH || w + padLeft + padRight < effW) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " (dilation " + dilationH + "x" + dilationW
                    + ") is larger than the padded input " + (h + padTop + padBottom) + "x" + (w + padLeft + padRight));
        }
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
        return (h + padTop + padBottom - (kh - 1) * dilationH - 1) / strideH + 1;
    }

    public int outW() {
        return (w + padLeft + padRight - (kw - 1) * dilationW - 1) / strideW + 1;
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
