package org.cnn4j.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D convolution over [N, inChannels, H, W]: {@code Conv2d.builder(in, out, kernel).stride(2).padding(1).build()},
 * or the full constructor in PyTorch's argument order. The builder also takes a rectangular kernel, a stride
 * and dilation per dimension and padding per side. Default initialisation as PyTorch's:
 * weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = inChannels/groups * kh * kw
 * (the zoo re-initialises with He normal where an architecture says so).
 */
public class Conv2d extends Module implements Convolutional {
    private final ConvGeometry g;
    private final Parameter weight;
    private final Parameter bias;
    private Conv2dSpec spec;
    private Tensor input, output, gradInput;

    /** In PyTorch's order: in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        this(new ConvGeometry(in, out, kernel, stride, padding, dilation, groups), bias);
    }

    public Conv2d(ConvGeometry g, boolean bias) {
        this.g = g;
        int in = g.in(), out = g.out(), groups = g.groups();
        this.weight = new Parameter("weight", out, in / groups, g.kernelH(), g.kernelW());
        this.bias = bias ? new Parameter("bias", out) : null;
        Init.pytorchDefault(weight.value(), g.fanIn());
        if (bias) {
            Init.pytorchDefault(this.bias.value(), g.fanIn());
        }
    }

    /** A replica of {@code of}: its configuration and its parameters themselves ({@link Module#newReplica}). */
    protected Conv2d(Conv2d of) {
        g = of.g;
        weight = of.weight;
        bias = of.bias;
    }

    /** A builder for a convolution of {@code in} to {@code out} channels with a square kernel: stride 1, no padding, with bias unless told. */
    public static Builder builder(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    /** Names each hyper-parameter, so that no reader mistakes a stride for a padding. */
    public static final class Builder {
        private final int in, out;
        private int kernelH, kernelW, strideH = 1, strideW = 1, padTop, padBottom, padLeft, padRight, dilationH = 1, dilationW = 1;
        private int groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            kernelH = kernelW = kernel;
        }

        /** A kernel of {@code h} rows and {@code w} columns (Inception's 1x7 and 7x1). */
        public Builder kernel(int h, int w) {
            kernelH = h;
            kernelW = w;
            return this;
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int h, int w) {
            strideH = h;
            strideW = w;
            return this;
        }

        public Builder padding(int p) {
            return padding(p, p, p, p);
        }

        /** Zero padding per side: ONNX's asymmetric pads and Keras' SAME padding of even sizes. */
        public Builder padding(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            return this;
        }

        public Builder dilation(int d) {
            return dilation(d, d);
        }

        public Builder dilation(int h, int w) {
            dilationH = h;
            dilationW = w;
            return this;
        }

        public Builder groups(int n) {
            groups = n;
            return this;
        }

        public Builder bias(boolean on) {
            bias = on;
            return this;
        }

        public Conv2d build() {
            return new Conv2d(new ConvGeometry(in, out, kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight,
                    dilationH, dilationW, groups), bias);
        }
    }

    /** The per-dimension fields a non-square convolution's config has instead of kernel, stride, padding and dilation. */
    private static final String[] RECTANGULAR = {"kernel_h", "kernel_w", "stride_h", "stride_w", "pad_top", "pad_bottom", "pad_left",
        "pad_right", "dilation_h", "dilation_w"};

    /** Rebuilds a convolution from its {@link #config()} (the model-file form). */
    static Conv2d fromConfig(LayerConfig c) {
        return new Conv2d(geometry(c), c.bool("bias"));
    }

    private static ConvGeometry geometry(LayerConfig c) {
        if (!c.values().containsKey("kernel_h")) {
            return new ConvGeometry(c.integer("in"), c.integer("out"), c.integer("kernel"), c.integer("stride"), c.integer("padding"),
                    c.integer("dilation"), c.integer("groups"));
        }
        int[] v = new int[RECTANGULAR.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.integer(RECTANGULAR[i]);
        }
        return new ConvGeometry(c.integer("in"), c.integer("out"), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                c.integer("groups"));
    }

    /** The floats {@link #fromConfig} would allocate, counted without allocating (sizes below 2^31 each). */
    static long weightFloats(LayerConfig c) {
        boolean square = !c.values().containsKey("kernel_h");
        long kh = Math.max(0, c.integer(square ? "kernel" : "kernel_h")), kw = Math.max(0, c.integer(square ? "kernel" : "kernel_w"));
        long o = Math.max(0, c.integer("out")), per = Math.max(0, c.integer("in")) / Math.max(1, c.integer("groups"));
        return LayerRegistry.product(o, per, kh, kw) + (c.bool("bias") ? o : 0);
    }

    /** The 2-D convolution's config (also what a {@link Conv1d} runs as). */
    @Override
    public LayerConfig config() {
        LayerConfig c = new LayerConfig("Conv2d").put("in", g.in()).put("out", g.out());
        if (g.isSquare()) { // the fields of files written before rectangular kernels, which they still read
            c.put("kernel", g.kernelH()).put("stride", g.strideH()).put("padding", g.padTop()).put("dilation", g.dilationH());
        } else {
            int[] v = {g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padBottom(), g.padLeft(), g.padRight(),
                g.dilationH(), g.dilationW()};
            for (int i = 0; i < v.length; i++) {
                c.put(RECTANGULAR[i], v[i]);
            }
        }
        return c.put("groups", g.groups()).put("bias", bias != null);
    }

    public ConvGeometry geometry() {
        return g;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** fan_in = inChannels/groups * kh * kw, for initialisers. */
    public int fanIn() {
        return g.fanIn();
    }

    public int fanOut() {
        return g.out() / g.groups() * g.kernelH() * g.kernelW();
    }

    @Override
    public Conv2dSpec lastSpec() {
        return spec;
    }

    public int inChannels() {
        return g.in();
    }

    public int outChannels() {
        return g.out();
    }

    public int groups() {
        return g.groups();
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != g.in()) {
            throw new IllegalArgumentException("Conv2d(" + g.in() + "->" + g.out() + "): input must be [N, " + g.in() + ", H, W], got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = g.spec(x.dim(0), x.dim(2), x.dim(3));
        }
        input = x;
        // the backend's layout whatever the input's: an NCHW batch (the natural way to hand over images)
        // is read as it is by the first convolution, and the rest of the network runs channels-last
        output = ensure(output, Backends.current().activationLayout(), spec.outputDims());
        Convolution.forward(spec, x, weight.value(), bias == null ? null : bias.value(), output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        Tensor gradBias = bias == null || bias.isFrozen() ? null : bias.grad();
        if (!weight.isFrozen()) {
            Convolution.backwardWeights(spec, input, gradOutput, weight.grad(), gradBias);
        } else if (gradBias != null) {
            biasGradient(gradOutput, gradBias);
        }
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), spec.inputDims());
        Convolution.backwardData(spec, gradOutput, weight.value(), gradInput);
        return gradInput;
    }

    /** The bias gradient alone (weight frozen, bias trainable): the sum of gradOutput over N, H and W per channel. */
    static void biasGradient(Tensor gradOutput, Tensor gradBias) {
        int n = gradOutput.dim(0), k = gradOutput.dim(1), hw = gradOutput.dim(2) * gradOutput.dim(3);
        boolean channelsLast = gradOutput.layout() == Layout.NHWC;
        FloatBuffer g = gradOutput.buffer();
        double[] sum = new double[k];
        for (int i = 0; i < n * k * hw; i++) {
            sum[channelsLast ? i % k : i / hw % k] += g.get(i);
        }
        FloatBuffer b = gradBias.buffer();
        for (int c = 0; c < k; c++) {
            b.put(c, (float) sum[c]);
        }
    }

    @Override
    public int[] outputShape(int[]... in) {
        return g.outputShape(in[0]);
    }

    @Override
    public long macs(int[][] in, int[] out) {
        return g.macs(out);
    }

    @Override
    protected Module newReplica() {
        return new Conv2d(this);
    }

    @Override
    public String describe() {
        return g + (bias == null ? ", no bias" : "") + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
