package org.cnn4j.nn;

import java.nio.ByteBuffer;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * Max or average pooling: {@link #max(int, int)} is MaxPool2d, {@link #avg(int, int)} AvgPool2d; the
 * full constructor adds padding, ceil mode and (for average) whether padded zeros count, and the
 * rectangular one a window, stride and padding per dimension (ONNX's pools, and {@link Pool1d}'s 1 x k window).
 */
public class Pool2d extends Module {
    private final Pool2dSpec.Kind kind;
    private final int kernelH, kernelW, strideH, strideW, padH, padW;
    private final boolean ceilMode, countIncludePad;
    private Pool2dSpec spec;
    private Tensor input, output, gradInput;
    // Where each output's maximum was, in the output's memory order, recorded by training forwards so the
    // backward pass reads a byte per output instead of the input.
    private ByteBuffer argmax;
    private boolean argmaxRecorded;

    public Pool2d(Pool2dSpec.Kind kind, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this(kind, kernel, kernel, stride, stride, padding, padding, ceilMode, countIncludePad);
    }

    /** A window of {@code kernelH x kernelW}, a stride and a padding (on both sides) per dimension. */
    public Pool2d(Pool2dSpec.Kind kind, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceilMode,
                  boolean countIncludePad) {
        if (kind == null || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0 || padH > kernelH / 2
                || padW > kernelW / 2) {
            throw new IllegalArgumentException("Pool2d: need a kind, kernel > 0, stride > 0 and 0 <= padding <= kernel/2, got "
                    + kind + " kernel=" + kernelH + "x" + kernelW + " stride=" + strideH + "x" + strideW + " padding=" + padH + "x" + padW);
        }
        this.kind = kind;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    /** A pool of {@code of}'s configuration with activations of its own ({@link Module#newReplica}). */
    protected Pool2d(Pool2d of) {
        this(of.kind, of.kernelH, of.kernelW, of.strideH, of.strideW, of.padH, of.padW, of.ceilMode, of.countIncludePad);
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

    public int kernelH() {
        return kernelH;
    }

    public int kernelW() {
        return kernelW;
    }

    public int strideH() {
        return strideH;
    }

    public int strideW() {
        return strideW;
    }

    public int padH() {
        return padH;
    }

    public int padW() {
        return padW;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The pooling of a batch of {@code n} images of {@code c} channels and {@code h x w}. */
    public Pool2dSpec spec(int n, int c, int h, int w) {
        return new Pool2dSpec(kind, n, c, h, w, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, countIncludePad);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + ": input must be 4-D, got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.c() != x.dim(1) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = spec(x.dim(0), x.dim(1), x.dim(2), x.dim(3));
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

    /** The per-dimension fields a non-square pool's config has instead of kernel, stride and padding. */
    private static final String[] RECTANGULAR = {"kernel_h", "kernel_w", "stride_h", "stride_w", "pad_h", "pad_w"};

    static Pool2d fromConfig(LayerConfig c) {
        Pool2dSpec.Kind kind = c.type().equals("MaxPool2d") ? Pool2dSpec.Kind.MAX : Pool2dSpec.Kind.AVG;
        if (!c.values().containsKey("kernel_h")) {
            return new Pool2d(kind, c.integer("kernel"), c.integer("stride"), c.integer("padding"), c.bool("ceil_mode"),
                    c.bool("count_include_pad"));
        }
        int[] v = new int[RECTANGULAR.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.integer(RECTANGULAR[i]);
        }
        return new Pool2d(kind, v[0], v[1], v[2], v[3], v[4], v[5], c.bool("ceil_mode"), c.bool("count_include_pad"));
    }

    private boolean isSquare() {
        return kernelH == kernelW && strideH == strideW && padH == padW;
    }

    @Override
    public String typeName() {
        return kind == Pool2dSpec.Kind.MAX ? "MaxPool2d" : "AvgPool2d";
    }

    /** The 2-D pool's config (also what a {@link Pool1d} runs as: its type is written out, not {@link #typeName()}). */
    @Override
    public LayerConfig config() {
        LayerConfig c = new LayerConfig(kind == Pool2dSpec.Kind.MAX ? "MaxPool2d" : "AvgPool2d");
        if (isSquare()) { // the fields of files written before rectangular pools, which they still read
            c.put("kernel", kernelH).put("stride", strideH).put("padding", padH);
        } else {
            int[] v = {kernelH, kernelW, strideH, strideW, padH, padW};
            for (int i = 0; i < v.length; i++) {
                c.put(RECTANGULAR[i], v[i]);
            }
        }
        return c.put("ceil_mode", ceilMode).put("count_include_pad", countIncludePad);
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("expects [C, H, W], got " + java.util.Arrays.toString(in[0]));
        }
        Pool2dSpec s = spec(1, in[0][0], in[0][1], in[0][2]);
        return new int[] {in[0][0], s.outH(), s.outW()};
    }

    @Override
    protected Module newReplica() {
        return new Pool2d(this);
    }

    @Override
    public String describe() {
        String window = isSquare() ? kernelH + "x" + kernelW + ", stride " + strideH + (padH > 0 ? ", pad " + padH : "")
                : kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW + (padH > 0 || padW > 0 ? ", pad " + padH + "x" + padW : "");
        return (kind == Pool2dSpec.Kind.MAX ? "MaxPool2d(" : "AvgPool2d(") + window + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
