package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.kernels.QuantizedOps;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * A linear layer in int8 (with the ReLU after it fused), reading a 4-D channels-last input as the Flatten before
 * it would (no reorder), requantised to its output's scale or f32 logits when it is the network's output.
 */
final class Int8LinearStep extends QuantizedStep {
    private final Int8Weights weight;
    private final Tensor bias;
    private final boolean relu;
    private final ValueScale out;

    Int8LinearStep(String name, List<String> inputs, Int8Weights weight, Tensor bias, boolean relu, ValueScale out) {
        super(name, inputs);
        this.weight = weight;
        this.bias = bias;
        this.relu = relu;
        this.out = out;
    }

    @Override
    boolean int8Input(int i) {
        return true;
    }

    @Override
    Object run(Object[] in) {
        Int8Tensor x = (Int8Tensor) in[0];
        int n = x.dim(0), features = weight.dim(0);
        if (out == null) {
            Tensor y = floatOutput(Layout.PLAIN, n, features);
            QuantizedOps.linearToFloat(x, weight, bias, relu, y);
            return y;
        }
        Int8Tensor y = int8Output(out.unsigned(), out.scale(), n, features);
        QuantizedOps.linear(x, weight, bias, relu, y);
        return y;
    }

    @Override
    Map<String, Int8Weights> int8Tensors() {
        return Map.of(name + ".weight", weight);
    }

    @Override
    Map<String, Tensor> floatTensors() {
        return bias == null ? Map.of() : Map.of(name + ".bias", bias);
    }

    @Override
    String describe() {
        return "int8 linear " + weight.dim(1) + " -> " + weight.dim(0) + (relu ? " + ReLU" : "") + " -> "
                + (out == null ? "f32" : (out.unsigned() ? "u8" : "s8") + " x " + out.scale());
    }

    @Override
    public void close() {
        super.close();
        if (bias != null) {
            bias.close();
        }
    }
}
