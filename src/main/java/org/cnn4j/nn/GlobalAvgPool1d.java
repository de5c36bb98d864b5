package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * The mean of each channel over the signal: [N, C, 1, L] to [N, C, 1, 1], as PyTorch's
 * {@code AdaptiveAvgPool1d(1)} (one more unit dimension): a {@link GlobalAvgPool2d} over H = 1.
 */
public final class GlobalAvgPool1d extends GlobalAvgPool2d implements SignalLayer {
    @Override
    public LayerConfig planarConfig() {
        return new LayerConfig("GlobalAvgPool2d");
    }

    @Override
    public Tensor forward(Tensor x) {
        SignalLayer.requireSignalBatch(describe(), x);
        return super.forward(x);
    }

    @Override
    public int[] outputShape(int[]... in) {
        return super.outputShape(SignalLayer.requireSignal(describe(), in[0]));
    }

    @Override
    protected Module newReplica() {
        return new GlobalAvgPool1d();
    }

    @Override
    public String describe() {
        return "GlobalAvgPool1d";
    }
}
