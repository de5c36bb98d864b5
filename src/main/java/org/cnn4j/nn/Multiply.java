package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * The element-wise product of two inputs: of one shape (SiLU's x * sigmoid(x)), or an image [C, H, W]
 * and a [C, 1, 1] per-channel factor in either order (squeeze-excite's gating), which is broadcast
 * over the image.
 */
public final class Multiply extends Merge {
    private Tensor a, b, product, gradA, gradB;

    public Multiply() {
        super(2, 2);
    }

    @Override
    Tensor merge(Tensor[] in) {
        a = in[0];
        b = in[1];
        Tensor image = broadcastsFirst() ? b : a;
        product = ensure(product, image.layout(), image.dims());
        if (Arrays.equals(a.dims(), b.dims())) {
            Elementwise.multiply(a, b, product);
        } else {
            Elementwise.channelScale(image, image == a ? b : a, product);
        }
        return product;
    }

    /** Whether the first input is the per-channel factor. */
    private boolean broadcastsFirst() {
        return a.rank() == 4 && a.dim(2) * a.dim(3) == 1 && !Arrays.equals(a.dims(), b.dims());
    }

    @Override
    boolean forwarded() {
        return a != null;
    }

    @Override
    public Tensor[] backwardInputs(Tensor gradOutput) {
        requireForward(a != null);
        gradA = ensure(gradA, a.layout(), a.dims());
        gradB = ensure(gradB, b.layout(), b.dims());
        if (Arrays.equals(a.dims(), b.dims())) {
            Elementwise.multiply(gradOutput, b, gradA);
            Elementwise.multiply(gradOutput, a, gradB);
        } else if (broadcastsFirst()) {
            Elementwise.channelScaleGrad(b, gradOutput, gradA);
            Elementwise.channelScale(gradOutput, a, gradB);
        } else {
            Elementwise.channelScale(gradOutput, b, gradA);
            Elementwise.channelScaleGrad(a, gradOutput, gradB);
        }
        return new Tensor[] {gradA, gradB};
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in.length != 2) {
            throw new IllegalArgumentException("Multiply: takes two inputs, got " + in.length);
        }
        if (Arrays.equals(in[0], in[1])) {
            return in[0].clone();
        }
        for (int i = 0; i < 2; i++) {
            int[] image = in[i], factor = in[1 - i];
            if (image.length == 3 && factor.length == 3 && factor[0] == image[0] && factor[1] == 1 && factor[2] == 1) {
                return image.clone();
            }
        }
        throw new IllegalArgumentException("Multiply: inputs " + Arrays.deepToString(in)
                + " are neither of one shape nor an image [C, H, W] and a factor [C, 1, 1]");
    }

    @Override
    protected Module newReplica() {
        return new Multiply();
    }

    @Override
    public String describe() {
        return "Multiply";
    }

    @Override
    public void close() {
        super.close();
        release(product, gradA, gradB);
    }
}
