package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * One node of a {@link QuantizedNetwork}: it reads its inputs as int8 ({@link org.cnn4j.tensor.Int8Tensor}) or
 * f32 ({@link Tensor}), as {@link #int8Input} says (the network converts values between the two), and returns
 * one of them. Its output buffer is its own and reused by the next call.
 */
abstract class QuantizedStep implements AutoCloseable {
    final String name;
    final List<String> inputs;

    QuantizedStep(String name, List<String> inputs) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
    }

    abstract boolean int8Input(int i);

    abstract Object run(Object[] in);

    /** The quantised weights a model file stores for this step (by name). */
    Map<String, Int8Weights> int8Tensors() {
        return Map.of();
    }

    /** The f32 tensors a model file stores for this step (by name). */
    abstract Map<String, Tensor> floatTensors();

    /** A line for summaries: what runs here and how. */
    abstract String describe();

    @Override
    public abstract void close();
}
