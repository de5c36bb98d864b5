package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.backend.Conv2dSpec;

/**
 * A 2-D convolution's hyper-parameters, shared by {@link Conv2d} and the fused convolutions made of it:
 * kernel, stride and dilation per dimension and padding per side (ONNX's rectangular kernels and
 * asymmetric pads, e.g. Keras' SAME padding of a stride-2 layer); the square constructor is PyTorch's usual case.
 */
public record ConvGeometry(int in, int out, int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                           int padLeft, int padRight, int dilationH, int dilationW, int groups) {
    public ConvGeometry {
        if (in <= 0 || out <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padTop < 0 || padBottom < 0
                || padLeft < 0 || padRight < 0 || dilationH <= 0 || dilationW <= 0 || groups <= 0 || in % groups != 0
                || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: invalid arguments in=" + in + " out=" + out + " kernel=" + kernelH + "x" + kernelW
                    + " stride=" + strideH + "x" + strideW + " padding=" + padTop + "/" + padBottom + "/" + padLeft + "/" + padRight
                    + " (top/bottom/left/right) dilation=" + dilationH + "x" + dilationW + " groups=" + groups);
        }
    }

    /** A square kernel with one stride, padding and dilation in both dimensions. */
    public ConvGeometry(int in, int out, int kernel, int stride, int padding, int dilation, int groups) {
        this(in, out, kernel, kernel, stride, stride, padding, padding, padding, padding, dilation, dilation, groups);
    }

    /** Whether kernel, stride, dilation and padding are the same in both dimensions (and padding on every side). */
    public boolean isSquare() {
        return kernelH == kernelW && strideH == strideW && dilationH == dilationW && padTop == padBottom && padTop == padLeft
                && padTop == padRight;
    }

    /** The geometry of a pass over a batch of {@code n} images of {@code h x w}. */
    public Conv2dSpec spec(int n, int h, int w) {
        return new Conv2dSpec(n, in, h, w, out, kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight,
                dilationH, dilationW, groups);
    }

    /** [out, outH, outW] for one image of [in, H, W]. */
    public int[] outputShape(int[] image) {
        if (image.length != 3 || image[0] != in) {
            throw new IllegalArgumentException("expects [C, H, W] with " + in + " channels, got " + Arrays.toString(image));
        }
        Conv2dSpec s = spec(1, image[1], image[2]);
        return new int[] {out, s.outH(), s.outW()};
    }

    public long macs(int[] output) {
        return (long) output[0] * output[1] * output[2] * (in / groups) * kernelH * kernelW;
    }

    /** fan_in = in/groups * kh * kw, for initialisers. */
    public int fanIn() {
        return in / groups * kernelH * kernelW;
    }

    @Override
    public String toString() {
        String shape = isSquare() ? kernelH + "x" + kernelW + ", stride " + strideH + ", pad " + padTop
                + (dilationH > 1 ? ", dilation " + dilationH : "")
                : kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW + ", pad " + padTop + "/" + padBottom + "/" + padLeft
                + "/" + padRight + (dilationH > 1 || dilationW > 1 ? ", dilation " + dilationH + "x" + dilationW : "");
        return "Conv2d(" + in + "->" + out + ", " + shape + (groups > 1 ? ", groups " + groups : "");
    }
}
