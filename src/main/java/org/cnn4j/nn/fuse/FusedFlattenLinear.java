package org.cnn4j.nn.fuse;

import java.util.List;
import org.cnn4j.kernels.Bf16Ops;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * An inference-only {@link org.cnn4j.nn.Flatten} and {@link Linear} in one layer, made by
 * {@link FlattenLinearPass}. Flatten's (c, h, w) order makes a channels-last map reorder once per pass
 * where a CNN turns into its fully connected head; here such a map is read in its own (h, w, c) order by a
 * copy of the weights whose columns are put in that order (made once per map shape), and an NCHW map is a
 * view as before. Its parameters are copies taken when it is made and frozen, as {@link FusedConv2d}'s.
 * {@link #inBf16} is the same layer computed in bf16 (input and weights rounded to bf16, f32 accumulation).
 */
public final class FusedFlattenLinear extends Module {
    private final Parameter weight, bias;
    private final int in, out;
    private final String described;
    private final boolean bf16;
    private Tensor channelsLastWeight, output;
    private int channelsLastC = -1, channelsLastHw = -1;

    private FusedFlattenLinear(Parameter weight, Parameter bias, String described, boolean bf16) {
        this.weight = weight;
        this.bias = bias;
        this.out = weight.value().dim(0);
        this.in = weight.value().dim(1);
        this.described = described;
        this.bf16 = bf16;
        eval();
    }

    /** The layer that runs {@code linear} on the flattened input, with copies of its parameters. */
    public static FusedFlattenLinear of(Linear linear) {
        return copy(linear, "Flatten + " + linear.describe());
    }

    /** An inference copy of {@code linear} alone (its input already [N, features]), to be put {@linkplain #inBf16 in bf16}. */
    public static FusedFlattenLinear copyOf(Linear linear) {
        return copy(linear, linear.describe());
    }

    private static FusedFlattenLinear copy(Linear linear, String described) {
        Parameter w = new Parameter("weight", linear.weight().value().dims());
        w.value().copyFrom(linear.weight().value()).freeze();
        Parameter b = null;
        if (linear.bias() != null) {
            b = new Parameter("bias", linear.outFeatures());
            b.value().copyFrom(linear.bias().value()).freeze();
        }
        return new FusedFlattenLinear(w, b, described, false);
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = x.rank() == 0 ? 1 : x.dim(0), features = n == 0 ? 0 : x.numel() / n;
        if (x.rank() < 2 || features != in) {
            throw new IllegalArgumentException(describe() + ": input must flatten to [N, " + in + "], got " + x.shape());
        }
        boolean channelsLast = x.layout() == Layout.NHWC && x.rank() == 4 && x.dim(1) > 1 && x.dim(2) * x.dim(3) > 1;
        Tensor rows = channelsLast ? x.memoryOrderRows() : x.reshape(n, features);
        output = ensure(output, n, out);
        Tensor w = channelsLast ? channelsLastWeight(x.dim(1), x.dim(2) * x.dim(3)) : weight.value(), b = bias == null ? null : bias.value();
        if (bf16) {
            Bf16Ops.linear(rows, w, b, false, output);
        } else {
            org.cnn4j.kernels.Linear.forward(rows, w, b, output);
        }
        return output;
    }

    /** The weights with column ch*hw + p moved to p*c + ch: the (h, w, c) order of a channels-last map of c channels. */
    private Tensor channelsLastWeight(int c, int hw) {
        if (c != channelsLastC || hw != channelsLastHw) {
            float[] w = weight.value().toArray(), moved = new float[w.length];
            for (int o = 0; o < out; o++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < hw; p++) {
                        moved[o * in + p * c + ch] = w[o * in + ch * hw + p];
                    }
                }
            }
            release(channelsLastWeight);
            channelsLastWeight = Tensor.of(moved, out, in).freeze();
            channelsLastC = c;
            channelsLastHw = hw;
        }
        return channelsLastWeight;
    }

    /** This layer computed in bf16, on the same frozen weights (use it instead of this one). */
    public FusedFlattenLinear inBf16() {
        return new FusedFlattenLinear(weight, bias, described, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException(describe() + ": a fused inference layer has no backward pass");
    }

    @Override
    public int[] outputShape(int[]... inputs) {
        long features = 1;
        for (int d : inputs[0]) {
            features *= d;
        }
        if (features != in) {
            throw new IllegalArgumentException(describe() + ": expects an input of " + in + " features, got " + java.util.Arrays.toString(inputs[0]));
        }
        return new int[] {out};
    }

    @Override
    public long macs(int[][] inputs, int[] output) {
        return (long) in * out;
    }

    @Override
    public LayerConfig config() {
        throw new IllegalArgumentException("network description: " + describe() + " is an inference copy; save the original network");
    }

    @Override
    protected Module newReplica() {
        return new FusedFlattenLinear(weight, bias, described, bf16);
    }

    @Override
    public String describe() {
        return (bf16 ? "bf16 " : "") + described;
    }

    @Override
    public void close() {
        super.close();
        release(output, channelsLastWeight);
    }
}
