package org.cnn4j.nn;

import java.util.List;
import org.cnn4j.tensor.Tensor;

/**
 * Fully connected layer y = x W^T + b over [N, in]. Default initialisation as PyTorch's:
 * weight and bias U(-1/sqrt(in), 1/sqrt(in)).
 */
public final class Linear extends Module {
    private final int in, out;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor input, output, gradInput;

    public Linear(int in, int out, boolean bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: in and out must be > 0, got " + in + " and " + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter("weight", out, in);
        this.bias = bias ? new Parameter("bias", out) : null;
        Init.pytorchDefault(weight.value(), in);
        if (bias) {
            Init.pytorchDefault(this.bias.value(), in);
        }
    }

    /** A replica of {@code of}: its configuration and its parameters themselves ({@link Module#newReplica}). */
    private Linear(Linear of) {
        in = of.in;
        out = of.out;
        weight = of.weight;
        bias = of.bias;
    }

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + "->" + out + "): input must be [N, " + in + "], got " + x.shape());
        }
        input = x;
        output = ensure(output, x.dim(0), out);
        org.cnn4j.kernels.Linear.forward(x, weight.value(), bias == null ? null : bias.value(), output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        Tensor gx = needsInputGrad() ? (gradInput = ensure(gradInput, input.dims())) : null;
        Tensor gw = weight.isFrozen() ? null : weight.grad(), gb = bias == null || bias.isFrozen() ? null : bias.grad();
        if (gx != null || gw != null || gb != null) {
            org.cnn4j.kernels.Linear.backward(input, weight.value(), gradOutput, gx, gw, gb);
        }
        return gx;
    }

    static Linear fromConfig(LayerConfig c) {
        return new Linear(c.integer("in"), c.integer("out"), c.bool("bias"));
    }

    static long weightFloats(LayerConfig c) {
        long o = Math.max(0, c.integer("out"));
        return LayerRegistry.product(o, Math.max(0, c.integer("in"))) + (c.bool("bias") ? o : 0);
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("Linear").put("in", in).put("out", out).put("bias", bias != null);
    }

    @Override
    public int[] outputShape(int[]... inputs) {
        if (inputs[0].length != 1 || inputs[0][0] != in) {
            throw new IllegalArgumentException("expects [features] with " + in + " features, got " + java.util.Arrays.toString(inputs[0]));
        }
        return new int[] {out};
    }

    @Override
    public long macs(int[][] inputs, int[] output) {
        return (long) in * out;
    }

    @Override
    protected Module newReplica() {
        return new Linear(this);
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + (bias == null ? ", no bias" : "") + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
