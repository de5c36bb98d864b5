package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over the channels of signals [N, C, 1, L], as torch.nn.BatchNorm1d on [N, C, L]
 * (statistics over N and L; eps 1e-5, momentum 0.1 by default): a {@link BatchNorm2d} over H = 1, so
 * its fusions (with a ReLU, into a preceding convolution) apply as they are.
 */
public final class BatchNorm1d extends BatchNorm2d implements SignalLayer {
    public BatchNorm1d(int channels, float eps, float momentum) {
        super(checked(channels), eps, momentum);
    }

    public BatchNorm1d(int channels) {
        this(channels, 1e-5f, 0.1f);
    }

    private BatchNorm1d(BatchNorm1d of) {
        super(of, false, false);
    }

    private static int checked(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("BatchNorm1d: channels must be > 0, got " + channels);
        }
        return channels;
    }

    static BatchNorm1d fromConfig(LayerConfig c) {
        return new BatchNorm1d(c.integer("channels"), c.number("eps"), c.number("momentum"));
    }

    @Override
    public String typeName() {
        return "BatchNorm1d";
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("BatchNorm1d").put("channels", channels()).put("eps", eps()).put("momentum", momentum());
    }

    @Override
    public LayerConfig planarConfig() {
        return super.config();
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
        return new BatchNorm1d(this);
    }

    @Override
    public String describe() {
        return "BatchNorm1d(" + channels() + ")";
    }
}
