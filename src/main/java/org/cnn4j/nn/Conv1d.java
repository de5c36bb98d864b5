package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * 1-D convolution over signals [N, in, 1, L], as torch.nn.Conv1d: a {@link Conv2d} with a 1 x k kernel,
 * so it runs on every 2-D convolution algorithm with no reorder. Weights are [out, in/groups, 1, k],
 * the same memory as PyTorch's [out, in/groups, k]. {@code new Conv1d.Builder(in, out, k).stride(2).padding(1).build()},
 * or the full constructor in PyTorch's order; {@link Builder#causal()} pads (k-1)*dilation on the left
 * and nothing on the right, so output t sees inputs up to t only (WaveNet, TCNs).
 */
public final class Conv1d extends Conv2d implements SignalLayer {
    /** In PyTorch's order: in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias. */
    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        this(in, out, kernel, stride, padding, padding, dilation, groups, bias);
    }

    private Conv1d(int in, int out, int kernel, int stride, int padLeft, int padRight, int dilation, int groups, boolean bias) {
        super(geometry(in, out, kernel, stride, padLeft, padRight, dilation, groups), bias);
    }

    /** The 1 x k geometry, checked here so that a bad argument is reported in 1-D terms. */
    private static ConvGeometry geometry(int in, int out, int kernel, int stride, int padLeft, int padRight, int dilation, int groups) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padLeft < 0 || padRight < 0 || dilation <= 0 || groups <= 0
                || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv1d: invalid arguments in=" + in + " out=" + out + " kernel=" + kernel + " stride=" + stride
                    + " padding=" + padLeft + "/" + padRight + " (left/right) dilation=" + dilation + " groups=" + groups);
        }
        return new ConvGeometry(in, out, 1, kernel, 1, stride, 0, 0, padLeft, padRight, 1, dilation, groups);
    }

    private Conv1d(Conv1d of) {
        super(of);
    }

    /**
     * Names each hyper-parameter, so that no reader mistakes a stride for a padding. (A constructor, not a static
     * {@code builder()}, which would clash with {@link Conv2d#builder}.)
     */
    public static final class Builder {
        private final int in, out, kernel;
        private int stride = 1, padLeft, padRight, dilation = 1, groups = 1;
        private boolean bias = true, causal;

        /** A convolution of {@code in} to {@code out} channels: stride 1, no padding, with bias unless told. */
        public Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) {
            stride = s;
            return this;
        }

        public Builder padding(int p) {
            return padding(p, p);
        }

        /** Zero padding before and after the signal. */
        public Builder padding(int left, int right) {
            padLeft = left;
            padRight = right;
            return this;
        }

        /** Left padding (kernel-1)*dilation, right none, in place of any padding given. */
        public Builder causal() {
            causal = true;
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

        public Conv1d build() {
            return causal ? new Conv1d(in, out, kernel, stride, (kernel - 1) * dilation, 0, dilation, groups, bias)
                    : new Conv1d(in, out, kernel, stride, padLeft, padRight, dilation, groups, bias);
        }
    }

    static Conv1d fromConfig(LayerConfig c) {
        boolean symmetric = c.values().containsKey("padding");
        return new Conv1d(c.integer("in"), c.integer("out"), c.integer("kernel"), c.integer("stride"),
                c.integer(symmetric ? "padding" : "pad_left"), c.integer(symmetric ? "padding" : "pad_right"), c.integer("dilation"),
                c.integer("groups"), c.bool("bias"));
    }

    /** The floats {@link #fromConfig} would allocate, counted without allocating. */
    static long weightFloats(LayerConfig c) {
        long o = Math.max(0, c.integer("out")), per = Math.max(0, c.integer("in")) / Math.max(1, c.integer("groups"));
        return LayerRegistry.product(o, per, Math.max(0, c.integer("kernel"))) + (c.bool("bias") ? o : 0);
    }

    @Override
    public String typeName() {
        return "Conv1d";
    }

    /** PyTorch's fields; an asymmetric (causal) padding as pad_left and pad_right. */
    @Override
    public LayerConfig config() {
        ConvGeometry g = geometry();
        LayerConfig c = new LayerConfig("Conv1d").put("in", g.in()).put("out", g.out()).put("kernel", g.kernelW()).put("stride", g.strideW());
        if (g.padLeft() == g.padRight()) {
            c.put("padding", g.padLeft());
        } else {
            c.put("pad_left", g.padLeft()).put("pad_right", g.padRight());
        }
        return c.put("dilation", g.dilationW()).put("groups", g.groups()).put("bias", bias() != null);
    }

    @Override
    public LayerConfig planarConfig() {
        return super.config();
    }

    @Override
    public Tensor forward(Tensor x) {
        SignalLayer.requireSignalBatch(describe(), x);
        return super.forward(x);
    }

    @Override
    public int[] outputShape(int[]... in) {
        return super.outputShape(SignalLayer.requireSignal(describe(), in[0]));
    }

    @Override
    protected Module newReplica() {
        return new Conv1d(this);
    }

    @Override
    public String describe() {
        ConvGeometry g = geometry();
        String pad = g.padLeft() == g.padRight() ? "pad " + g.padLeft()
                : g.padRight() == 0 && g.padLeft() == (g.kernelW() - 1) * g.dilationW() ? "causal" : "pad " + g.padLeft() + "/" + g.padRight();
        return "Conv1d(" + g.in() + "->" + g.out() + ", k " + g.kernelW() + ", stride " + g.strideW() + ", " + pad
                + (g.dilationW() > 1 ? ", dilation " + g.dilationW() : "") + (g.groups() > 1 ? ", groups " + g.groups() : "")
                + (bias() == null ? ", no bias" : "") + ")";
    }
}
