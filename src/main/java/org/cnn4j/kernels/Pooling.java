package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Tensor;

/** Max, average and global average pooling, forward and backward, on the active backend. */
public final class Pooling {
    private Pooling() {
    }

    public static void forward(Pool2dSpec spec, Tensor input, Tensor output) {
        check(spec);
        Check.shape("pool2d", "input", input, spec.inputDims());
        Check.shape("pool2d", "output", output, spec.outputDims());
        Backends.current().pool2dForward(spec, input, output);
    }

    public static void backward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput) {
        check(spec);
        Check.shape("pool2d backward", "input", input, spec.inputDims());
        Check.shape("pool2d backward", "grad_output", gradOutput, spec.outputDims());
        Check.shape("pool2d backward", "grad_input", gradInput, spec.inputDims());
        Backends.current().pool2dBackward(spec, input, gradOutput, gradInput);
    }

    /** [N, C, H, W] to [N, C, 1, 1]. */
    public static void globalAvgForward(Tensor input, Tensor output) {
        Check.rank("global_avgpool2d", "input", input, 4);
        Check.shape("global_avgpool2d", "output", output, input.dim(0), input.dim(1), 1, 1);
        if (input.dim(2) * input.dim(3) == 0) {
            throw new IllegalArgumentException("global_avgpool2d: input " + input.shape() + " has no pixels");
        }
        Backends.current().globalAvgPoolForward(input, output);
    }

    public static void globalAvgBackward(Tensor gradOutput, Tensor gradInput) {
        Check.rank("global_avgpool2d backward", "grad_input", gradInput, 4);
        Check.shape("global_avgpool2d backward", "grad_output", gradOutput, gradInput.dim(0), gradInput.dim(1), 1, 1);
        Backends.current().globalAvgPoolBackward(gradOutput, gradInput);
    }

    private static void check(Pool2dSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("pool2d: spec is null");
        }
    }
}
