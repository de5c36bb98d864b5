package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * The maximum of each channel over the signal: [N, C, 1, L] to [N, C, 1, 1], as PyTorch's
 * {@code AdaptiveMaxPool1d(1)} (one more unit dimension): a {@link GlobalMaxPool2d} over H = 1.
 */
public final class GlobalMaxPool1d extends GlobalMaxPool2d implements SignalLayer {
    @Override
    public LayerConfig planarConfig() {
        return new LayerConfig("GlobalMaxPool2d");
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
        return new GlobalMaxPool1d();
    }

    @Override
    public String describe() {
        return "GlobalMaxPool1d";
    }
}
