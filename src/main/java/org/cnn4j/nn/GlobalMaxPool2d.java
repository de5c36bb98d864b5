package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * The maximum of each channel over the image: [N, C, H, W] to [N, C, 1, 1], as ONNX's GlobalMaxPool and
 * PyTorch's {@code AdaptiveMaxPool2d(1)}. One max-pooling window the size of the image, so it runs on the
 * pooling kernels (native and reference) and passes the gradient to each channel's first maximum.
 */
public class GlobalMaxPool2d extends Module {
    private Pool2dSpec spec;
    private Tensor input, output, gradInput;

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("GlobalMaxPool2d: input must be 4-D, got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.c() != x.dim(1) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = new Pool2dSpec(Pool2dSpec.Kind.MAX, x.dim(0), x.dim(1), x.dim(2), x.dim(3), x.dim(2), x.dim(3), x.dim(2), x.dim(3),
                    0, 0, false, false);
        }
        input = x;
        output = ensure(output, x.layout(), x.dim(0), x.dim(1), 1, 1);
        Pooling.forward(spec, x, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), input.dims());
        Pooling.backward(spec, input, gradOutput, gradInput);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("expects [C, H, W], got " + Arrays.toString(in[0]));
        }
        return new int[] {in[0][0], 1, 1};
    }

    @Override
    protected Module newReplica() {
        return new GlobalMaxPool2d();
    }

    @Override
    public String describe() {
        return "GlobalMaxPool2d";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
