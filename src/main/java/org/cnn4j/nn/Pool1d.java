package org.cnn4j.nn;

import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Tensor;

/**
 * Max or average pooling over signals [N, C, 1, L], as torch.nn.MaxPool1d / AvgPool1d: a {@link Pool2d}
 * with a 1 x k window. {@link #max(int, int)} and {@link #avg(int, int)} are the common cases; the full
 * constructor adds padding, ceil mode and (for average) whether padded zeros count.
 */
public final class Pool1d extends Pool2d implements SignalLayer {
    public Pool1d(Pool2dSpec.Kind kind, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        super(checked(kind, kernel, stride, padding), 1, kernel, 1, stride, 0, padding, ceilMode, countIncludePad);
    }

    private Pool1d(Pool1d of) {
        super(of);
    }

    /** {@code kind}, once kernel, stride and padding are known to be valid, so that a bad argument is reported in 1-D terms. */
    private static Pool2dSpec.Kind checked(Pool2dSpec.Kind kind, int kernel, int stride, int padding) {
        if (kind == null || kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("Pool1d: need a kind, kernel > 0, stride > 0 and 0 <= padding <= kernel/2, got " + kind
                    + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        return kind;
    }

    /** MaxPool1d(kernel, stride). */
    public static Pool1d max(int kernel, int stride) {
        return new Pool1d(Pool2dSpec.Kind.MAX, kernel, stride, 0, false, false);
    }

    /** AvgPool1d(kernel, stride), padded zeros counted as PyTorch's default (there are none without padding). */
    public static Pool1d avg(int kernel, int stride) {
        return new Pool1d(Pool2dSpec.Kind.AVG, kernel, stride, 0, false, true);
    }

    static Pool1d fromConfig(LayerConfig c) {
        return new Pool1d(c.type().equals("MaxPool1d") ? Pool2dSpec.Kind.MAX : Pool2dSpec.Kind.AVG, c.integer("kernel"), c.integer("stride"),
                c.integer("padding"), c.bool("ceil_mode"), c.bool("count_include_pad"));
    }

    @Override
    public String typeName() {
        return kind() == Pool2dSpec.Kind.MAX ? "MaxPool1d" : "AvgPool1d";
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig(typeName()).put("kernel", kernelW()).put("stride", strideW()).put("padding", padW())
                .put("ceil_mode", ceilMode()).put("count_include_pad", countIncludePad());
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
        return new Pool1d(this);
    }

    @Override
    public String describe() {
        return typeName() + "(" + kernelW() + ", stride " + strideW() + (padW() > 0 ? ", pad " + padW() : "") + (ceilMode() ? ", ceil" : "") + ")";
    }
}
