package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * A Flatten before int8 linear layers: it passes the 4-D int8 value on unchanged, since the int8 linear layer reads
 * [N, C, H, W] channels-last in Flatten's order itself (no copy, no reorder).
 */
final class Int8FlattenStep extends QuantizedStep {
    Int8FlattenStep(String name, List<String> inputs) {
        super(name, inputs);
    }

    @Override
    boolean int8Input(int i) {
        return true;
    }

    @Override
    Object run(Object[] in) {
        return in[0];
    }

    @Override
    Map<String, Tensor> floatTensors() {
        return Map.of();
    }

    @Override
    String describe() {
        return "flatten (read in place by the int8 linear layer)";
    }

    @Override
    public void close() {
    }
}
