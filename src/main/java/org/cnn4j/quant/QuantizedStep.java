package org.cnn4j.quant;

import java.util.Arrays;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;

import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * One node of a {@link QuantizedNetwork}: it reads its inputs as int8 ({@link org.cnn4j.tensor.Int8Tensor}) or
 * f32 ({@link Tensor}), as {@link #int8Input} says (the network converts values between the two), and returns
 * one of them. Its output buffer is its own ({@link #int8Output}, {@link #floatOutput}) and reused by the next call.
 */
abstract class QuantizedStep implements AutoCloseable {
    final String name;
    final List<String> inputs;
    private Int8Tensor int8Out;
    private Tensor floatOut;

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

    /** This step's int8 output of {@code dims} at {@code scale}: the last call's while they stay the same. */
    final Int8Tensor int8Output(boolean unsigned, float scale, int... dims) {
        if (int8Out == null || !Arrays.equals(int8Out.dims(), dims) || int8Out.scale() != scale || int8Out.isUnsigned() != unsigned) {
            int8Out = new Int8Tensor(unsigned, scale, dims);
        }
        return int8Out;
    }

    /** This step's f32 output of {@code dims} in {@code layout}: the last call's while they stay the same. */
    final Tensor floatOutput(Layout layout, int... dims) {
        if (floatOut == null || floatOut.layout() != layout || !Arrays.equals(floatOut.dims(), dims)) {
            releaseOutputs();
            floatOut = Tensor.zeros(Shape.of(dims), layout);
        }
        return floatOut;
    }

    /** Frees the outputs (the int8 one is heap-managed: dropped). */
    final void releaseOutputs() {
        if (floatOut != null) {
            floatOut.close();
            floatOut = null;
        }
        int8Out = null;
    }

    /** Frees what the step holds: its outputs, and what else a step owns. */
    @Override
    public void close() {
        releaseOutputs();
    }
}
