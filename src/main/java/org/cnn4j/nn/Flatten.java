package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/** [N, C, H, W] to [N, C*H*W] in (c, h, w) order, as PyTorch flattens: a view, no copy. */
public final class Flatten extends Module {
    private int[] inputDims;

    @Override
    public Tensor forward(Tensor x) {
        inputDims = x.dims();
        return x.reshape(x.dim(0), x.numel() / Math.max(1, x.dim(0)));
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return needsInputGrad() ? gradOutput.reshape(inputDims) : null;
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
