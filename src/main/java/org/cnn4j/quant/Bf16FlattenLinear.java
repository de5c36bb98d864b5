package org.cnn4j.quant;

import java.util.List;
import org.cnn4j.kernels.Bf16Ops;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.fuse.FusedFlattenLinear;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * A fused Flatten + Linear in bf16 (input and weights rounded to bf16, f32 accumulation and bias), with the frozen
 * weights of the {@link FusedFlattenLinear} it replaces. A channels-last map is put in Flatten's (c, h, w) order
 * first: one small reorder per call where the f32 layer permutes its weights instead (left for later).
 */
final class Bf16FlattenLinear extends Module {
    private final Parameter weight, bias;
    private final String described;
    private Tensor output;

    Bf16FlattenLinear(FusedFlattenLinear l) {
        weight = l.namedParameters().get("weight");
        bias = l.namedParameters().get("bias");
        described = "bf16 " + l.describe();
        eval();
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = x.rank() == 0 ? 1 : x.dim(0), in = weight.value().dim(1);
        if (x.rank() < 2 || x.numel() != (long) n * in) {
            throw new IllegalArgumentException(describe() + ": input must flatten to [N, " + in + "], got " + x.shape());
        }
        output = ensure(output, n, weight.value().dim(0));
        if (x.layout() == Layout.NHWC) {
            try (Tensor nchw = x.toLayout(Layout.NCHW)) {
                Bf16Ops.linear(nchw.reshape(n, in), weight.value(), bias == null ? null : bias.value(), false, output);
            }
        } else {
            Bf16Ops.linear(x.reshape(n, in), weight.value(), bias == null ? null : bias.value(), false, output);
        }
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
