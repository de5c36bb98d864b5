package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.backend.Conv2dSpec;

/** A 2-D convolution's hyper-parameters, shared by {@link Conv2d} and the fused convolutions made of it. */
public record ConvGeometry(int in, int out, int kernel, int stride, int padding, int dilation, int groups) {
    public ConvGeometry {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0
                || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: invalid arguments in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " dilation=" + dilation + " groups=" + groups);
        }
    }

    /** The geometry of a pass over a batch of {@code n} images of {@code h x w}. */
    public Conv2dSpec spec(int n, int h, int w) {
        return Conv2dSpec.of(n, in, h, w, out, kernel, stride, padding, dilation, groups);
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
        return (long) output[0] * output[1] * output[2] * (in / groups) * kernel * kernel;
    }

    /** fan_in = in/groups * kernel^2, for initialisers. */
    public int fanIn() {
        return in / groups * kernel * kernel;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + "->" + out + ", " + kernel + "x" + kernel + ", stride " + stride + ", pad " + padding
                + (dilation > 1 ? ", dilation " + dilation : "") + (groups > 1 ? ", groups " + groups : "");
    }
}
