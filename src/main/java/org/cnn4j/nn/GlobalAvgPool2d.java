package org.cnn4j.nn;

import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/** Averages each channel over the image: [N, C, H, W] to [N, C, 1, 1]. */
public class GlobalAvgPool2d extends Module {
    private Tensor input, output, gradInput;

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("GlobalAvgPool2d: input must be 4-D, got " + x.shape());
        }
        input = x;
        output = ensure(output, x.layout(), x.dim(0), x.dim(1), 1, 1);
        Pooling.globalAvgForward(x, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), input.dims());
        Pooling.globalAvgBackward(gradOutput, gradInput);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("expects [C, H, W], got " + java.util.Arrays.toString(in[0]));
        }
        return new int[] {in[0][0], 1, 1};
    }

    @Override
    protected Module newReplica() {
        return new GlobalAvgPool2d();
    }

    @Override
    public String describe() {
        return "GlobalAvgPool2d";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
