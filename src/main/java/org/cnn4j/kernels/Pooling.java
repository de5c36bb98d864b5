package org.cnn4j.kernels;

import java.nio.ByteBuffer;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** Max, average and global average pooling, forward and backward, on the active backend. */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Pooling {
    private Pooling() {
    }

    public static void forward(Pool2dSpec spec, Tensor input, Tensor output) {
        checkForward("pool2d", spec, input, output);
        try (TensorUse use = TensorUse.of("pool2d", input, output)) {
            Backends.current().pool2dForward(spec, input, output);
        }
    }

    public static void backward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput) {
        checkBackward("pool2d backward", spec, gradOutput, gradInput);
        Check.shape("pool2d backward", "input", input, spec.inputDims());
        try (TensorUse use = TensorUse.of("pool2d backward", input, gradOutput, gradInput)) {
            Backends.current().pool2dBackward(spec, input, gradOutput, gradInput);
        }
    }

    /** Whether {@link #maxForward} can record {@code spec}'s positions: max pooling, windows of at most 256 elements. */
    public static boolean recordsArgmax(Pool2dSpec spec) {
        return spec.kind() == Pool2dSpec.Kind.MAX && spec.kh() * spec.kw() <= 256;
    }

    /**
     * Max pooling that also writes into {@code argmax} (a direct buffer of at least one byte per output)
     * each output's position of its window's first maximum, in the output's memory order, for
     * {@link #maxBackward}: the backward pass then reads a byte per output instead of the whole input.
     */
    public static void maxForward(Pool2dSpec spec, Tensor input, Tensor output, ByteBuffer argmax) {
        checkForward("max pool2d", spec, input, output);
        checkArgmax("max pool2d", spec, argmax);
        try (TensorUse use = TensorUse.of("max pool2d", input, output)) {
            Backends.current().maxPool2dForward(spec, input, output, argmax);
        }
    }

    /** The max-pool backward from the positions {@link #maxForward} wrote for an output in {@code gradOutput}'s layout. */
    public static void maxBackward(Pool2dSpec spec, ByteBuffer argmax, Tensor gradOutput, Tensor gradInput) {
        checkBackward("max pool2d backward", spec, gradOutput, gradInput);
        checkArgmax("max pool2d backward", spec, argmax);
        try (TensorUse use = TensorUse.of("max pool2d backward", gradOutput, gradInput)) {
            Backends.current().maxPool2dBackward(spec, argmax, gradOutput, gradInput);
        }
    }

    private static void checkForward(String op, Pool2dSpec spec, Tensor input, Tensor output) {
        check(spec);
        Check.shape(op, "input", input, spec.inputDims());
        Check.shape(op, "output", output, spec.outputDims());
        Check.writable(op, "output", output);
    }

    private static void checkBackward(String op, Pool2dSpec spec, Tensor gradOutput, Tensor gradInput) {
        check(spec);
        Check.shape(op, "grad_output", gradOutput, spec.outputDims());
        Check.shape(op, "grad_input", gradInput, spec.inputDims());
        Check.writable(op, "grad_input", gradInput);
    }

    private static void checkArgmax(String op, Pool2dSpec spec, ByteBuffer argmax) {
        if (!recordsArgmax(spec)) {
            throw new IllegalArgumentException(op + ": argmax needs max pooling with windows of at most 256 elements, got "
                    + spec.kind() + " " + spec.kh() + "x" + spec.kw());
        }
        long outputs = 1;
        for (int d : spec.outputDims()) {
            outputs *= d;
        }
        if (argmax == null || !argmax.isDirect() || argmax.capacity() < outputs) {
            throw new IllegalArgumentException(op + ": argmax must be a direct buffer of at least " + outputs + " bytes, got "
                    + (argmax == null ? "null" : (argmax.isDirect() ? "" : "a heap buffer of ") + argmax.capacity() + " bytes"));
        }
    }

    /** [N, C, H, W] to [N, C, 1, 1]. */
    public static void globalAvgForward(Tensor input, Tensor output) {
        Check.rank("global_avgpool2d", "input", input, 4);
        Check.shape("global_avgpool2d", "output", output, input.dim(0), input.dim(1), 1, 1);
        Check.writable("global_avgpool2d", "output", output);
        if (input.dim(2) * input.dim(3) == 0) {
            throw new IllegalArgumentException("global_avgpool2d: input " + input.shape() + " has no pixels");
        }
        try (TensorUse use = TensorUse.of("global_avgpool2d", input, output)) {
            Backends.current().globalAvgPoolForward(input, output);
        }
    }

    public static void globalAvgBackward(Tensor gradOutput, Tensor gradInput) {
        Check.rank("global_avgpool2d backward", "grad_input", gradInput, 4);
        Check.writable("global_avgpool2d backward", "grad_input", gradInput);
        Check.shape("global_avgpool2d backward", "grad_output", gradOutput, gradInput.dim(0), gradInput.dim(1), 1, 1);
        try (TensorUse use = TensorUse.of("global_avgpool2d backward", gradOutput, gradInput)) {
            Backends.current().globalAvgPoolBackward(gradOutput, gradInput);
        }
    }

    private static void check(Pool2dSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("pool2d: spec is null");
        }
    }
}
