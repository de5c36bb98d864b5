package org.cnn4j.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Backends;
import org.cnn4j.kernels.QuantizedOps;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * An int8 inference network made by {@link Quantization#int8}: its forward takes the usual f32 input and returns
 * f32 logits, and in between runs quantised steps (convolutions, linear layers, max pooling) on int8 values, with
 * f32 steps (dequantised around them) where no int8 kernel applies. Each value is converted between int8 and f32
 * only where a reader needs the other kind, with the scale calibration chose for it ({@link #valueScales()}).
 * Inference only; as other modules, one call at a time, its output valid until the next call.
 */
public final class QuantizedNetwork extends Module {
    private final String inputName, outputName;
    private final List<QuantizedStep> steps;
    private final Map<String, ValueScale> scales;
    private final Map<String, ValueRange> ranges;
    private final Map<String, Int8Tensor> quantized = new HashMap<>();
    private final Map<String, Tensor> dequantized = new HashMap<>();
    private Tensor output;

    QuantizedNetwork(String inputName, String outputName, List<QuantizedStep> steps, Map<String, ValueScale> scales,
                     Map<String, ValueRange> ranges) {
        this.inputName = inputName;
        this.outputName = outputName;
        this.steps = List.copyOf(steps);
        this.scales = Map.copyOf(scales);
        this.ranges = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
        eval();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.isClosed()) {
            throw new IllegalArgumentException(label() + ": input is " + (x == null ? "null" : "closed"));
        }
        return confined("forward", () -> run(x));
    }

    private Tensor run(Tensor x) {
        Map<String, Object> values = new HashMap<>();
        values.put(inputName, x);
        for (QuantizedStep s : steps) {
            Object[] in = new Object[s.inputs.size()];
            for (int i = 0; i < in.length; i++) {
                String v = s.inputs.get(i);
                in[i] = s.int8Input(i) ? asInt8(v, values.get(v)) : asFloat(v, values.get(v));
            }
            values.put(s.name, s.run(in));
        }
        Object y = values.get(outputName);
        if (y instanceof Tensor t) {
            return t;
        }
        Int8Tensor q = (Int8Tensor) y;
        if (output == null || !java.util.Arrays.equals(output.dims(), q.dims())) {
            release(output);
            output = floatLike(q);
        }
        QuantizedOps.dequantize(q, output);
        return output;
    }

    private static Tensor floatLike(Int8Tensor q) {
        return q.rank() == 4 ? Tensor.zeros(Shape.of(q.dims()), Backends.current().activationLayout()) : Tensor.zeros(q.dims());
    }

    private Int8Tensor asInt8(String name, Object v) {
        if (v instanceof Int8Tensor q) {
            return q;
        }
        Tensor t = (Tensor) v;
        ValueScale s = scales.get(name);
        Int8Tensor q = quantized.get(name);
        if (q == null || !java.util.Arrays.equals(q.dims(), t.dims())) {
            q = new Int8Tensor(s.unsigned(), s.scale(), t.dims());
            quantized.put(name, q);
        }
        QuantizedOps.quantize(t, q);
        return q;
    }

    private Tensor asFloat(String name, Object v) {
        if (v instanceof Tensor t) {
            return t;
        }
        Int8Tensor q = (Int8Tensor) v;
        Tensor t = dequantized.get(name);
        if (t == null || !java.util.Arrays.equals(t.dims(), q.dims())) {
            release(t);
            t = floatLike(q);
            dequantized.put(name, t);
        }
        QuantizedOps.dequantize(q, t);
        return t;
    }

    /** The int8 storage chosen for each value an int8 step reads or writes (node names, and the input's). */
    public Map<String, ValueScale> valueScales() {
        return scales;
    }

    /** What calibration found for each value: what a model file stores, to rebuild this network exactly. */
    public Map<String, ValueRange> ranges() {
        return ranges;
    }

    /** One line per step: its name and what runs there (int8 or f32). */
    public List<String> stepDescriptions() {
        List<String> out = new ArrayList<>();
        steps.forEach(s -> out.add(s.name + ": " + s.describe()));
        return out;
    }

    /** The quantised weights by name (step.weight), for model files. */
    public Map<String, Int8Weights> int8Tensors() {
        Map<String, Int8Weights> out = new LinkedHashMap<>();
        steps.forEach(s -> out.putAll(s.int8Tensors()));
        return out;
    }

    /** The f32 tensors by name (biases, the parameters of f32 steps), for model files. */
    public Map<String, Tensor> floatTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        steps.forEach(s -> out.putAll(s.floatTensors()));
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException(label() + ": a quantised network is for inference only");
    }

    @Override
    public String describe() {
        long int8 = steps.stream().filter(s -> !(s instanceof FloatStep)).count();
        return "QuantizedNetwork (" + int8 + " of " + steps.size() + " steps in int8)";
    }

    @Override
    public void close() {
        steps.forEach(QuantizedStep::close);
        dequantized.values().forEach(Tensor::close);
        release(output);
        super.close();
    }
}
