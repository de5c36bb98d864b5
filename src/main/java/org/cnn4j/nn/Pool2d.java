package org.cnn4j.nn;

import java.nio.ByteBuffer;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * Max or average pooling: {@link #max(int, int)} is MaxPool2d, {@link #avg(int, int)} AvgPool2d; the
 * full constructor adds padding, ceil mode and (for average) whether padded zeros count.
 */
public final class Pool2d extends Module {
    private final Pool2dSpec.Kind kind;
    private final int kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;
    private Pool2dSpec spec;
    private Tensor input, output, gradInput;
    // Where each output's maximum was, in the output's memory order, recorded by training forwards so the
    // backward pass reads a byte per output instead of the input.
    private ByteBuffer argmax;
    private boolean argmaxRecorded;

    public Pool2d(Pool2dSpec.Kind kind, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (kind == null || kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("Pool2d: need a kind, kernel > 0, stride > 0 and 0 <= padding <= kernel/2, got "
                    + kind + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    public static Pool2d max(int kernel, int stride) {
        return new Pool2d(Pool2dSpec.Kind.MAX, kernel, stride, 0, false, false);
    }

    public static Pool2d avg(int kernel, int stride) {
        return new Pool2d(Pool2dSpec.Kind.AVG, kernel, stride, 0, false, true);
    }

    public Pool2dSpec.Kind kind() {
        return kind;
    }

    public int kernelSize() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + ": input must be 4-D, got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.c() != x.dim(1) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = new Pool2dSpec(kind, x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, kernel, stride, stride, padding, padding,
                    ceilMode, countIncludePad);
        }
        input = x;
        output = ensure(output, x.layout(), spec.outputDims());
        argmaxRecorded = isTraining() && needsInputGrad() && Pooling.recordsArgmax(spec);
        if (argmaxRecorded) {
            if (argmax == null || argmax.capacity() < output.numel()) {
                argmax = ByteBuffer.allocateDirect(output.numel());
            }
            Pooling.maxForward(spec, x, output, argmax);
        } else {
            Pooling.forward(spec, x, output);
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), spec.inputDims());
        if (argmaxRecorded && gradOutput.layout() == output.layout()) {
            Pooling.maxBackward(spec, argmax, gradOutput, gradInput);
        } else {
            Pooling.backward(spec, input, gradOutput, gradInput);
        }
        return gradInput;
    }

    static Pool2d fromConfig(LayerConfig c) {
        return new Pool2d(c.type().equals("MaxPool2d") ? Pool2dSpec.Kind.MAX : Pool2dSpec.Kind.AVG, c.integer("kernel"), c.integer("stride"),
                c.integer("padding"), c.bool("ceil_mode"), c.bool("count_include_pad"));
    }

    @Override
    public String typeName() {
        return kind == Pool2dSpec.Kind.MAX ? "MaxPool2d" : "AvgPool2d";
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig(typeName()).put("kernel", kernel).put("stride", stride).put("padding", padding).put("ceil_mode", ceilMode)
                .put("count_include_pad", countIncludePad);
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("expects [C, H, W], got " + java.util.Arrays.toString(in[0]));
        }
        Pool2dSpec s = new Pool2dSpec(kind, 1, in[0][0], in[0][1], in[0][2], kernel, kernel, stride, stride, padding, padding, ceilMode,
                countIncludePad);
        return new int[] {in[0][0], s.outH(), s.outW()};
    }

    @Override
    protected Module newReplica() {
        return new Pool2d(kind, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String describe() {
        return (kind == Pool2dSpec.Kind.MAX ? "MaxPool2d(" : "AvgPool2d(") + kernel + "x" + kernel + ", stride " + stride
                + (padding > 0 ? ", pad " + padding : "") + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
