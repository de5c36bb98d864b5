package org.cnn4j.nn;

import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * [N, C, H, W] to [N, C*H*W] in (c, h, w) order, as PyTorch flattens: a view of an NCHW input; a
 * channels-last input is reordered once here (the one reorder of a channels-last network, where it
 * leaves images for vectors), and the gradient is reordered back.
 */
public final class Flatten extends Module {
    private int[] inputDims;
    private Layout inputLayout;
    private Tensor plain, gradInput;

    @Override
    public Tensor forward(Tensor x) {
        inputDims = x.dims();
        inputLayout = x.layout();
        int n = x.dim(0), rest = x.numel() / Math.max(1, n);
        if (x.layout() != Layout.NHWC || x.rank() != 4 || x.dim(1) == 1 || x.dim(2) * x.dim(3) == 1) {
            return x.reshape(n, rest);
        }
        plain = ensure(plain, Layout.NCHW, inputDims);
        plain.copyFrom(x);
        return plain.reshape(n, rest);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(inputDims != null);
        if (!needsInputGrad()) {
            return null;
        }
        Tensor g = gradOutput.reshape(inputDims);
        if (inputLayout != Layout.NHWC) {
            return g;
        }
        gradInput = ensure(gradInput, Layout.NHWC, inputDims);
        gradInput.copyFrom(g);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        return new int[] {java.util.Arrays.stream(in[0]).reduce(1, (a, b) -> a * b)};
    }

    @Override
    protected Module newReplica() {
        return new Flatten();
    }

    @Override
    public String describe() {
        return "Flatten";
    }

    @Override
    public void close() {
        super.close();
        release(plain, gradInput);
    }
}
