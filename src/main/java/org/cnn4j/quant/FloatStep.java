package org.cnn4j.quant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * A node left in f32 (global average pooling, a Flatten before f32 layers, any layer without an int8 kernel): its
 * inputs are dequantised before it and its output quantised again where an int8 step reads it.
 */
final class FloatStep extends QuantizedStep {
    private final Module module;
    private final boolean owned;

    /** {@code owned}: the module is this step's to close (false when it is still the trained network's layer). */
    FloatStep(String name, List<String> inputs, Module module, boolean owned) {
        super(name, inputs);
        this.module = module;
        this.owned = owned;
    }

    @Override
    boolean int8Input(int i) {
        return false;
    }

    @Override
    Object run(Object[] in) {
        Tensor[] t = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            t[i] = (Tensor) in[i];
        }
        return module.forward(t);
    }

    @Override
    Map<String, Tensor> floatTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        module.namedParameters().forEach((k, p) -> out.put(name + "." + k, p.value()));
        module.namedBuffers().forEach((k, b) -> out.put(name + "." + k, b));
        return out;
    }

    @Override
    String describe() {
        return "f32 " + module.describe();
    }

    @Override
    public void close() {
        if (owned) {
            module.close();
        }
    }
}
