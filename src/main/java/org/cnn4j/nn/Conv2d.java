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
 * or the full constructor in PyTorch's argument order. Default initialisation as PyTorch's:
 * weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = inChannels/groups * kernel^2
 * (the zoo re-initialises with He normal where an architecture says so).
 */
public final class Conv2d extends Module implements Convolutional {
    private final ConvGeometry g;
    private final Parameter weight;
    private final Parameter bias;
    private Conv2dSpec spec;
    private Tensor input, output, gradInput;

    /** In PyTorch's order: in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        g = new ConvGeometry(in, out, kernel, stride, padding, dilation, groups);
        this.weight = new Parameter("weight", out, in / groups, kernel, kernel);
        this.bias = bias ? new Parameter("bias", out) : null;
        Init.pytorchDefault(weight.value(), g.fanIn());
        if (bias) {
            Init.pytorchDefault(this.bias.value(), g.fanIn());
        }
    }

    /** A replica of {@code of}: its configuration and its parameters themselves ({@link Module#newReplica}). */
    private Conv2d(Conv2d of) {
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
        private final int in, out, kernel;
        private int stride = 1, padding, dilation = 1, groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) {
            stride = s;
            return this;
        }

        public Builder padding(int p) {
            padding = p;
            return this;
        }

        public Builder dilation(int d) {
            dilation = d;
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
            return new Conv2d(in, out, kernel, stride, padding, dilation, groups, bias);
        }
    }

    /** Rebuilds a convolution from its {@link #config()} (the model-file form). */
    static Conv2d fromConfig(LayerConfig c) {
        return new Conv2d(c.integer("in"), c.integer("out"), c.integer("kernel"), c.integer("stride"), c.integer("padding"),
                c.integer("dilation"), c.integer("groups"), c.bool("bias"));
    }

    /** The floats {@link #fromConfig} would allocate, counted without allocating (sizes below 2^31 each). */
    static long weightFloats(LayerConfig c) {
        long k = Math.max(0, c.integer("kernel")), o = Math.max(0, c.integer("out"));
        long per = Math.max(0, c.integer("in")) / Math.max(1, c.integer("groups"));
        return LayerRegistry.product(o, per, k, k) + (c.bool("bias") ? o : 0);
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("Conv2d").put("in", g.in()).put("out", g.out()).put("kernel", g.kernel()).put("stride", g.stride())
                .put("padding", g.padding()).put("dilation", g.dilation()).put("groups", g.groups()).put("bias", bias != null);
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

    /** fan_in = inChannels/groups * kernel^2, for initialisers. */
    public int fanIn() {
        return g.fanIn();
    }

    public int fanOut() {
        return g.out() / g.groups() * g.kernel() * g.kernel();
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

    public int kernelSize() {
        return g.kernel();
    }

    public int stride() {
        return g.stride();
    }

    public int padding() {
        return g.padding();
    }

    public int dilation() {
        return g.dilation();
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
    private static void biasGradient(Tensor gradOutput, Tensor gradBias) {
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
