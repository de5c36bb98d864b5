package org.cnn4j.quant;

import java.util.List;
import org.cnn4j.kernels.Bf16Ops;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/**
 * A linear layer computed in bf16 (input and weights rounded to bf16, f32 accumulation and bias), on a frozen copy
 * of the weights of the trained {@link Linear} it replaces (which stays trainable).
 */
final class Bf16Linear extends Module {
    private final Parameter weight, bias;
    private final String described;
    private Tensor output;

    Bf16Linear(Linear l) {
        weight = new Parameter("weight", l.weight().value().dims());
        weight.value().copyFrom(l.weight().value()).freeze();
        if (l.bias() != null) {
            bias = new Parameter("bias", l.bias().value().dims());
            bias.value().copyFrom(l.bias().value()).freeze();
        } else {
            bias = null;
        }
        described = "bf16 " + l.describe();
        eval();
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != weight.value().dim(1)) {
            throw new IllegalArgumentException(describe() + ": input must be [N, " + weight.value().dim(1) + "], got " + x.shape());
        }
        output = ensure(output, x.dim(0), weight.value().dim(0));
        Bf16Ops.linear(x, weight.value(), bias == null ? null : bias.value(), false, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException(describe() + ": a bf16 inference layer has no backward pass");
    }

    @Override
    public int[] outputShape(int[]... in) {
        return new int[] {weight.value().dim(0)};
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public void close() {
        super.close();
        release(output);
    }
}
