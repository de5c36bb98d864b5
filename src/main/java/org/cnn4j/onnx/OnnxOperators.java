package org.cnn4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.ChannelShuffle;
import org.cnn4j.nn.ChannelSlice;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.ConvGeometry;
import org.cnn4j.nn.ConvTranspose2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.GlobalMaxPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Multiply;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.ScaleShift;
import org.cnn4j.onnx.OnnxFolding.Arithmetic;
import org.cnn4j.onnx.OnnxImporter.Activation;
import org.cnn4j.onnx.OnnxTensors.Constant;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.tensor.Tensor;

/**
 * What each ONNX op type becomes in a cnn4j graph: a layer, an alias of its input (Dropout, Identity,
 * a Flatten of what is flat already) or a constant folded at import (shape arithmetic). One entry per
 * op type; an op type not listed fails the import naming it, the node and the opset.
 */
final class OnnxOperators {
    @FunctionalInterface
    private interface Converter {
        void convert(OnnxNode n, OnnxImporter im);
    }

    private static final Map<String, Converter> CONVERTERS = new TreeMap<>();

    static {
        CONVERTERS.put("Conv", OnnxOperators::conv);
        CONVERTERS.put("ConvTranspose", OnnxOperators::convTranspose);
        CONVERTERS.put("BatchNormalization", OnnxOperators::batchNorm);
        CONVERTERS.put("Gemm", OnnxOperators::gemm);
        CONVERTERS.put("MatMul", OnnxOperators::matMul);
        CONVERTERS.put("Relu", (n, im) -> elementwise(n, im, ActivationLayer.relu()));
        CONVERTERS.put("LeakyRelu", (n, im) -> elementwise(n, im, ActivationLayer.leakyRelu(n.number("alpha", 0.01f))));
        CONVERTERS.put("Sigmoid", (n, im) -> elementwise(n, im, ActivationLayer.sigmoid()));
        CONVERTERS.put("Tanh", (n, im) -> elementwise(n, im, ActivationLayer.tanh()));
        CONVERTERS.put("HardSigmoid", (n, im) -> elementwise(n, im, ActivationLayer.hardSigmoid(n.number("alpha", 0.2f),
                n.number("beta", 0.5f))));
        CONVERTERS.put("HardSwish", (n, im) -> elementwise(n, im, ActivationLayer.hardSwish()));
        CONVERTERS.put("Softmax", OnnxOperators::softmax);
        CONVERTERS.put("Clip", OnnxOperators::clip);
        CONVERTERS.put("MaxPool", (n, im) -> pool(n, im, Pool2dSpec.Kind.MAX));
        CONVERTERS.put("AveragePool", (n, im) -> pool(n, im, Pool2dSpec.Kind.AVG));
        CONVERTERS.put("GlobalAveragePool", (n, im) -> im.addLayer(n, new GlobalAvgPool2d(), image(n, im)));
        CONVERTERS.put("GlobalMaxPool", (n, im) -> im.addLayer(n, new GlobalMaxPool2d(), image(n, im)));
        CONVERTERS.put("ReduceMean", OnnxOperators::reduceMean);
        CONVERTERS.put("Flatten", OnnxOperators::flatten);
        CONVERTERS.put("Reshape", OnnxOperators::reshape);
        CONVERTERS.put("Add", (n, im) -> arithmetic(n, im, Arithmetic.ADD));
        CONVERTERS.put("Sub", (n, im) -> arithmetic(n, im, Arithmetic.SUB));
        CONVERTERS.put("Mul", (n, im) -> arithmetic(n, im, Arithmetic.MUL));
        CONVERTERS.put("Div", (n, im) -> arithmetic(n, im, Arithmetic.DIV));
        CONVERTERS.put("Sum", OnnxOperators::add);
        CONVERTERS.put("Transpose", OnnxOperators::transpose);
        CONVERTERS.put("Concat", OnnxOperators::concat);
        CONVERTERS.put("Dropout", OnnxOperators::passThrough);
        CONVERTERS.put("Identity", OnnxOperators::passThrough);
        CONVERTERS.put("Constant", OnnxOperators::constant);
        CONVERTERS.put("Pad", OnnxOperators::pad);
        CONVERTERS.put("Shape", OnnxOperators::shape);
        CONVERTERS.put("Gather", OnnxOperators::gather);
        CONVERTERS.put("Unsqueeze", OnnxOperators::unsqueeze);
        CONVERTERS.put("Squeeze", OnnxOperators::unsqueeze);
        CONVERTERS.put("ConstantOfShape", OnnxOperators::constantOfShape);
        CONVERTERS.put("Slice", OnnxOperators::slice);
        CONVERTERS.put("Split", OnnxOperators::split);
        CONVERTERS.put("Cast", OnnxOperators::cast);
    }

    private OnnxOperators() {
    }

    /** The op types the importer knows. */
    static List<String> supported() {
        return List.copyOf(CONVERTERS.keySet());
    }

    static void convert(OnnxNode n, OnnxImporter im) {
        Converter c = CONVERTERS.get(n.op());
        if (c == null) {
            throw n.unsupported("the op type " + n.op());
        }
        c.convert(n, im);
    }

    private static void conv(OnnxNode n, OnnxImporter im) {
        OnnxImporter.Padded in = im.padded(n);
        Activation x = in.x();
        if (!x.isImage()) {
            throw n.unsupported(n.op() + " on " + Arrays.toString(x.shape()) + " per sample (only images, [C, H, W])");
        }
        Constant w = im.constant(n, 1, "a weight");
        long[] wd = w.dims();
        if (wd.length != 4) {
            throw n.unsupported("a weight of " + OnnxNode.dims(wd) + " (only 2-D convolutions, weights [out, in/group, kh, kw])");
        }
        int groups = (int) n.integer("group", 1);
        int channels = x.shape()[0], out = (int) wd[0];
        if (groups < 1 || wd[1] * groups != channels || out % groups != 0) {
            throw n.error("weight " + OnnxNode.dims(wd) + " with group " + groups + " does not fit an input of " + in + " channels");
        }
        long[] kernel = n.ints("kernel_shape", wd[2], wd[3]);
        if (kernel.length != 2 || kernel[0] != wd[2] || kernel[1] != wd[3]) {
            throw n.error("kernel_shape " + OnnxNode.dims(kernel) + " differs from the weight's " + OnnxNode.dims(wd));
        }
        Window win = window(n, x, kernel);
        Constant b = n.hasInput(2) ? im.constant(n, 2, "a bias") : null;
        if (b != null && b.numel() != out) {
            throw n.error("bias of " + OnnxNode.dims(b.dims()) + " for " + out + " output channels");
        }
        long[] p = win.pads.clone(), extra = in.pads();
        for (int i = 0; i < 4; i++) {
            p[i] += extra[i];
        }
        Conv2d conv = new Conv2d(new ConvGeometry(channels, out, (int) kernel[0], (int) kernel[1], win.strideH, win.strideW, (int) p[0],
                (int) p[2], (int) p[1], (int) p[3], win.dilationH, win.dilationW, groups), b != null);
        copy(conv, "weight", w.asFloats());
        if (b != null) {
            copy(conv, "bias", b.asFloats());
        }
        im.addLayer(n, conv, x);
    }

    /** A transposed convolution (a decoder's upsampling) with a square kernel, one stride, padding and dilation. */
    private static void convTranspose(OnnxNode n, OnnxImporter im) {
        Activation x = image(n, im);
        Constant w = im.constant(n, 1, "a weight");
        long[] wd = w.dims();
        int groups = (int) n.integer("group", 1);
        if (wd.length != 4 || groups < 1 || wd[0] != x.shape()[0] || x.shape()[0] % groups != 0) {
            throw n.error("weight " + OnnxNode.dims(wd) + " with group " + groups + " for an input of " + x.shape()[0]
                    + " channels (expected [in, out/group, kh, kw])");
        }
        long[] kernel = n.ints("kernel_shape", wd[2], wd[3]), strides = n.ints("strides", 1, 1), dilations = n.ints("dilations", 1, 1);
        long[] pads = n.ints("pads", 0, 0, 0, 0), outPad = n.ints("output_padding", 0, 0);
        if (n.has("output_shape") || !n.string("auto_pad", "NOTSET").equals("NOTSET")) {
            throw n.unsupported("output_shape and auto_pad (give pads and output_padding, as torch exports)");
        }
        boolean square = kernel.length == 2 && kernel[0] == kernel[1] && kernel[0] == wd[2] && wd[2] == wd[3] && strides.length == 2
                && strides[0] == strides[1] && dilations.length == 2 && dilations[0] == dilations[1] && pads.length == 4
                && Arrays.stream(pads).allMatch(p -> p == pads[0]) && outPad.length == 2 && outPad[0] == outPad[1];
        if (!square) {
            throw n.unsupported("kernel " + OnnxNode.dims(kernel) + ", strides " + OnnxNode.dims(strides) + ", dilations "
                    + OnnxNode.dims(dilations) + ", pads " + OnnxNode.dims(pads) + ", output_padding " + OnnxNode.dims(outPad)
                    + " (cnn4j's ConvTranspose2d takes one size in height and width, padded alike)");
        }
        int out = (int) wd[1] * groups;
        Constant b = n.hasInput(2) ? im.constant(n, 2, "a bias") : null;
        if (b != null && b.numel() != out) {
            throw n.error("bias of " + OnnxNode.dims(b.dims()) + " for " + out + " output channels");
        }
        ConvTranspose2d t;
        try {
            t = ConvTranspose2d.builder(x.shape()[0], out, (int) kernel[0]).stride((int) strides[0]).padding((int) pads[0])
                    .outputPadding((int) outPad[0]).dilation((int) dilations[0]).groups(groups).bias(b != null).build();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
        copy(t, "weight", w.asFloats());
        if (b != null) {
            copy(t, "bias", b.asFloats());
        }
        im.addLayer(n, t, x);
    }

    /** A window's strides, dilations and [top, left, bottom, right] padding. */
    private record Window(int strideH, int strideW, int dilationH, int dilationW, long[] pads) {
        boolean isSquare() {
            return strideH == strideW && dilationH == dilationW && pads[0] == pads[1] && pads[0] == pads[2] && pads[0] == pads[3];
        }
    }

    private static Window window(OnnxNode n, Activation x, long[] kernel) {
        long[] strides = n.ints("strides", 1, 1), dilations = n.ints("dilations", 1, 1);
        if (strides.length != 2 || dilations.length != 2) {
            throw n.error("strides " + OnnxNode.dims(strides) + " and dilations " + OnnxNode.dims(dilations) + " must have 2 entries");
        }
        long[] pads = pads(n, x, kernel, strides, dilations);
        for (int d = 0; d < 2; d++) {
            if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1 || pads[d] < 0 || pads[d + 2] < 0 || kernel[d] > Integer.MAX_VALUE
                    || strides[d] > Integer.MAX_VALUE || dilations[d] > Integer.MAX_VALUE || pads[d] + pads[d + 2] > Integer.MAX_VALUE) {
                throw n.error("kernel " + OnnxNode.dims(kernel) + ", strides " + OnnxNode.dims(strides) + ", dilations "
                        + OnnxNode.dims(dilations) + ", pads " + OnnxNode.dims(pads));
            }
        }
        return new Window((int) strides[0], (int) strides[1], (int) dilations[0], (int) dilations[1], pads);
    }

    /** [top, left, bottom, right] from {@code pads} or {@code auto_pad}, which needs the input's size. */
    private static long[] pads(OnnxNode n, Activation x, long[] kernel, long[] strides, long[] dilations) {
        String auto = n.string("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
                long[] p = n.ints("pads", 0, 0, 0, 0);
                if (p.length != 4) {
                    throw n.error("pads " + OnnxNode.dims(p) + " must have 4 entries for a 2-D window");
                }
                return p;
            }
            case "VALID" -> {
                return new long[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] p = new long[4];
                for (int d = 0; d < 2; d++) {
                    long size = x.shape()[1 + d], outSize = (size + strides[d] - 1) / strides[d];
                    long total = Math.max(0, (outSize - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - size);
                    long small = total / 2, large = total - small;
                    p[d] = auto.equals("SAME_UPPER") ? small : large;
                    p[d + 2] = auto.equals("SAME_UPPER") ? large : small;
                }
                return p;
            }
            default -> throw n.error("auto_pad '" + auto + "' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)");
        }
    }

    private static void batchNorm(OnnxNode n, OnnxImporter im) {
        Activation x = image(n, im);
        if (n.integer("training_mode", 0) != 0) {
            throw n.unsupported("training_mode 1 (an export of a model in training mode; export it in eval mode)");
        }
        for (int i = 1; i < n.outputCount(); i++) {
            if (!n.output(i).isEmpty()) {
                throw n.unsupported("the running-statistics outputs of training mode");
            }
        }
        int c = x.shape()[0];
        float[][] p = new float[4][];
        String[] what = {"a scale", "a bias", "a mean", "a variance"};
        for (int i = 0; i < 4; i++) {
            Constant k = im.constant(n, i + 1, what[i]);
            if (k.numel() != c) {
                throw n.error(what[i] + " of " + OnnxNode.dims(k.dims()) + " for " + c + " channels");
            }
            p[i] = k.asFloats();
        }
        // ONNX's momentum weighs the running value (default 0.9), PyTorch's and cnn4j's the new batch (0.1)
        BatchNorm2d bn = new BatchNorm2d(c, n.number("epsilon", 1e-5f), 1 - n.number("momentum", 0.9f));
        copy(bn, "gamma", p[0]);
        copy(bn, "beta", p[1]);
        bn.namedBuffers().get("running_mean").copyFrom(p[2]);
        bn.namedBuffers().get("running_var").copyFrom(p[3]);
        im.addLayer(n, bn, x);
    }

    private static void gemm(OnnxNode n, OnnxImporter im) {
        Features in = features(n, im);
        Activation a = in.x();
        if (n.integer("transA", 0) != 0) {
            throw n.unsupported("transA 1 (the batch must be A's first dimension)");
        }
        Constant b = im.constant(n, 1, "a weight");
        boolean transB = n.integer("transB", 0) != 0;
        float alpha = n.number("alpha", 1), beta = n.number("beta", 1);
        Linear linear = linear(n, a, b, transB, alpha, in.order());
        if (n.hasInput(2)) {
            Constant c = im.constant(n, 2, "a bias");
            int out = linear.config().integer("out");
            float[] bias = broadcastBias(n, c, out);
            for (int i = 0; i < out; i++) {
                bias[i] *= beta;
            }
            copy(linear, "bias", bias);
        }
        im.addLayer(n, linear, a);
    }

    private static void matMul(OnnxNode n, OnnxImporter im) {
        Features in = features(n, im);
        im.addLayer(n, linear(n, in.x(), im.constant(n, 1, "a weight"), false, 1, in.order()), in.x());
    }

    /** A vector of features per sample, and which of the network's features each of the ONNX value's is (null: the same). */
    private record Features(Activation x, int[] order) {
    }

    /** Input 0 as features: a layer's flat output, or a channels-last flatten with its order. */
    private static Features features(OnnxNode n, OnnxImporter im) {
        return im.value(n, 0) instanceof OnnxImporter.Reordered r ? new Features(r.flat(), r.order()) : new Features(flat(n, im, 0), null);
    }

    /**
     * A linear layer computing a x (B or B^T) alpha, with a zero bias that a following Add can fill; input feature
     * i of the ONNX graph is the layer's feature {@code order[i]} (null: the same).
     */
    private static Linear linear(OnnxNode n, Activation a, Constant b, boolean transB, float alpha, int[] order) {
        long[] d = b.dims();
        if (d.length != 2) {
            throw n.unsupported("a weight of " + OnnxNode.dims(d) + " (a matrix is needed)");
        }
        int in = (int) (transB ? d[1] : d[0]), out = (int) (transB ? d[0] : d[1]);
        if (in != a.shape()[0]) {
            throw n.error("weight " + OnnxNode.dims(d) + (transB ? " (transposed)" : "") + " for " + a.shape()[0] + " input features");
        }
        float[] w = b.asFloats(), rows = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                rows[o * in + (order == null ? i : order[i])] = alpha * (transB ? w[o * in + i] : w[i * out + o]);
            }
        }
        Linear linear = new Linear(in, out, true);
        copy(linear, "weight", rows);
        copy(linear, "bias", new float[out]);
        return linear;
    }

    private static float[] broadcastBias(OnnxNode n, Constant c, int out) {
        float[] v = c.asFloats();
        if (v.length == out) {
            return v.clone();
        }
        if (v.length == 1) {
            float[] b = new float[out];
            Arrays.fill(b, v[0]);
            return b;
        }
        throw n.unsupported("a bias of " + OnnxNode.dims(c.dims()) + " for " + out + " outputs");
    }

    /** Clip(0, 6) is ReLU6 (MobileNet's), Clip(0, none) ReLU; bounds are inputs from opset 11, attributes before. */
    private static void clip(OnnxNode n, OnnxImporter im) {
        float min, max;
        if (n.opset() >= 11) {
            min = n.hasInput(1) ? scalar(n, im.constant(n, 1, "a minimum")) : Float.NEGATIVE_INFINITY;
            max = n.hasInput(2) ? scalar(n, im.constant(n, 2, "a maximum")) : Float.POSITIVE_INFINITY;
        } else {
            min = n.number("min", Float.NEGATIVE_INFINITY);
            max = n.number("max", Float.POSITIVE_INFINITY);
        }
        if (min == 0 && max == 6) {
            elementwise(n, im, ActivationLayer.relu6());
        } else if (min == 0 && max == Float.POSITIVE_INFINITY) {
            elementwise(n, im, ActivationLayer.relu());
        } else {
            throw n.unsupported("clipping to [" + min + ", " + max + "] (only [0, 6], ReLU6, and [0, inf), ReLU)");
        }
    }

    /** An element-wise activation of input 0, which may be a transposed image: the result is transposed alike. */
    private static void elementwise(OnnxNode n, OnnxImporter im, ActivationLayer layer) {
        if (im.value(n, 0) instanceof OnnxImporter.Permuted p) {
            im.bind(n, 0, new OnnxImporter.Permuted(im.addLayer(n, layer, p.x()), p.perm()));
        } else {
            im.addLayer(n, layer, im.activation(n, 0));
        }
    }

    private static float scalar(OnnxNode n, Constant c) {
        if (c.numel() != 1) {
            throw n.error("a bound of " + OnnxNode.dims(c.dims()) + " where a scalar is expected");
        }
        return c.asFloats()[0];
    }

    private static void pool(OnnxNode n, OnnxImporter im, Pool2dSpec.Kind kind) {
        if (kind == Pool2dSpec.Kind.AVG && im.value(n, 0) instanceof OnnxImporter.Padded p) {
            paddedAveragePool(n, im, p);
            return;
        }
        Activation x = image(n, im);
        long[] kernel = n.ints("kernel_shape");
        if (kernel.length != 2) {
            throw n.error("kernel_shape " + OnnxNode.dims(kernel) + " must have 2 entries");
        }
        if (n.integer("storage_order", 0) != 0 || n.outputCount() > 1 && !n.output(1).isEmpty()) {
            throw n.unsupported("the Indices output and storage_order");
        }
        boolean whole = kernel[0] == x.shape()[1] && kernel[1] == x.shape()[2] && n.string("auto_pad", "NOTSET").equals("NOTSET")
                && Arrays.stream(n.ints("pads", 0, 0, 0, 0)).allMatch(p -> p == 0);
        if (whole) { // one window over the whole image, as torch exports AdaptiveMaxPool2d(1)
            im.addLayer(n, kind == Pool2dSpec.Kind.MAX ? new GlobalMaxPool2d() : new GlobalAvgPool2d(), x);
            return;
        }
        Window win = window(n, x, kernel);
        if (win.pads[0] != win.pads[2] || win.pads[1] != win.pads[3] || 2 * win.pads[0] > kernel[0] || 2 * win.pads[1] > kernel[1]) {
            throw n.unsupported("pooling with kernel " + OnnxNode.dims(kernel) + " and pads " + OnnxNode.dims(win.pads)
                    + " (cnn4j's pooling pads both sides of a dimension alike, by at most half the kernel)");
        }
        if (win.dilationH != 1 || win.dilationW != 1) {
            throw n.unsupported("dilation [" + win.dilationH + ", " + win.dilationW + "] in pooling");
        }
        boolean ceil = n.integer("ceil_mode", 0) != 0;
        boolean countPad = n.integer("count_include_pad", 0) != 0; // ONNX's default, unlike PyTorch's
        im.addLayer(n, new Pool2d(kind, (int) kernel[0], (int) kernel[1], win.strideH, win.strideW, (int) win.pads[0], (int) win.pads[1], ceil,
                countPad), x);
    }

    /**
     * An average pool of a zero-padded image (torch's avg_pool2d with padding and count_include_pad=True, as
     * Inception exports it): the pool with that padding, counting the padding.
     */
    private static void paddedAveragePool(OnnxNode n, OnnxImporter im, OnnxImporter.Padded p) {
        long[] kernel = n.ints("kernel_shape"), pads = p.pads();
        Window win = window(n, p.x(), kernel);
        boolean square = kernel.length == 2 && kernel[0] == kernel[1] && win.isSquare() && win.pads[0] == 0
                && Arrays.stream(pads).allMatch(v -> v == pads[0]) && win.dilationH == 1;
        if (!p.x().isImage() || !square) {
            throw n.unsupported("an average pool of kernel " + OnnxNode.dims(kernel) + " with pads " + OnnxNode.dims(win.pads)
                    + " of an input zero-padded by " + OnnxNode.dims(pads) + " (only one size and padding in height and width)");
        }
        im.addLayer(n, new Pool2d(Pool2dSpec.Kind.AVG, (int) kernel[0], win.strideH, (int) pads[0], n.integer("ceil_mode", 0) != 0, true),
                p.x());
    }

    private static void flatten(OnnxNode n, OnnxImporter im) {
        if (im.value(n, 0) instanceof OnnxImporter.Permuted p) {
            flattenPermuted(n, im, p);
            return;
        }
        Activation x = im.view(n, 0);
        long axis = n.integer("axis", 1);
        if (axis != 1 && axis != 1 - x.shape().length - 1) {
            throw n.unsupported("axis " + axis + " (only 1: keep the batch, flatten the rest)");
        }
        bindReshaped(n, im, x, new int[] {(int) x.numel()});
    }

    /**
     * Keras' Flatten of a channels-last image (tf2onnx's Transpose to NHWC, then Flatten): the network flattens
     * NCHW, and the Gemm or MatMul after it reads its weights' rows in NHWC order.
     */
    private static void flattenPermuted(OnnxNode n, OnnxImporter im, OnnxImporter.Permuted p) {
        int[] s = p.x().shape(), full = {1, s[0], s[1], s[2]}, strides = {0, s[1] * s[2], s[2], 1};
        int[] seen = {full[(int) p.perm()[1]], full[(int) p.perm()[2]], full[(int) p.perm()[3]]};
        int[] order = new int[s[0] * s[1] * s[2]];
        for (int i = 0; i < order.length; i++) {
            int a = i / (seen[1] * seen[2]), b = i / seen[2] % seen[1], c = i % seen[2];
            order[i] = a * strides[(int) p.perm()[1]] + b * strides[(int) p.perm()[2]] + c * strides[(int) p.perm()[3]];
        }
        im.bind(n, 0, new OnnxImporter.Reordered(im.addLayer(n, new Flatten(), p.x()), order));
    }

    /**
     * Output 0 of {@code n} as {@code x} in {@code shape} (the same memory order): the viewed node's output
     * itself when the shapes agree, a Flatten of it to a vector, else a view that only reshaping ops read.
     */
    private static void bindReshaped(OnnxNode n, OnnxImporter im, Activation x, int[] shape) {
        Activation real = im.layerOutput(x);
        if (Arrays.equals(shape, real.shape())) {
            im.bind(n, 0, real);
        } else if (shape.length == 1) {
            im.addLayer(n, new Flatten(), real);
        } else {
            im.bind(n, 0, new Activation(x.node(), shape));
        }
    }

    private static void reshape(OnnxNode n, OnnxImporter im) {
        if (im.isConstant(n, 0)) {
            Constant c = im.constant(n, 0, "data");
            im.bind(n, 0, OnnxFolding.reshape(n, c, im.constant(n, 1, "a shape").asLongs(), n.integer("allowzero", 0) == 0));
            return;
        }
        long[] target = n.opset() >= 5 ? im.constant(n, 1, "a shape").asLongs() : n.ints("shape");
        if (im.value(n, 0) instanceof OnnxImporter.Permuted p && target.length == 2 && (target[1] == -1 || target[1] == p.x().numel())) {
            flattenPermuted(n, im, p);
            return;
        }
        Activation x = im.view(n, 0);
        boolean zeroCopies = n.integer("allowzero", 0) == 0;
        if (target.length == 0 || !(target[0] == OnnxImporter.BATCH || target[0] == -1 || target[0] == 0 && zeroCopies)) {
            throw n.unsupported("a shape " + shapeText(target) + " that does not keep the batch first");
        }
        long[] rest = Arrays.copyOfRange(target, 1, target.length);
        long known = 1;
        int inferred = target[0] == -1 ? -2 : -1; // a -1 batch leaves no dimension to infer
        for (int i = 0; i < rest.length; i++) {
            if (rest[i] == 0 && zeroCopies && i < x.shape().length) {
                rest[i] = x.shape()[i];
            }
            if (rest[i] == -1 && inferred == -1) {
                inferred = i;
            } else if (rest[i] <= 0) {
                throw n.error("shape " + shapeText(target) + " for " + Arrays.toString(x.shape()) + " per sample");
            } else {
                known *= rest[i];
            }
        }
        if (inferred >= 0) {
            rest[inferred] = x.numel() / known;
        }
        int[] shape = Arrays.stream(rest).mapToInt(v -> (int) v).toArray();
        if (Arrays.stream(rest).reduce(1, (a, b) -> a * b) != x.numel()) {
            throw n.error("reshaping " + Arrays.toString(x.shape()) + " to " + shapeText(target) + ": the sizes differ");
        }
        bindReshaped(n, im, x, shape);
    }

    private static String shapeText(long[] shape) {
        return Arrays.toString(Arrays.stream(shape).mapToObj(v -> v == OnnxImporter.BATCH ? "batch" : Long.toString(v)).toArray());
    }

    private static void add(OnnxNode n, OnnxImporter im) {
        List<Activation> computed = new ArrayList<>();
        List<Constant> constants = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            Object v = im.value(n, i);
            if (v instanceof Activation a) {
                computed.add(a);
            } else {
                constants.add((Constant) v);
            }
        }
        if (computed.size() == 1 && constants.size() == 1) {
            arithmetic(n, im, Arithmetic.ADD);
            return;
        }
        if (!constants.isEmpty()) {
            throw n.unsupported("adding " + constants.size() + " constants to " + computed.size() + " layers' outputs");
        }
        for (Activation a : computed) {
            if (!Arrays.equals(a.shape(), computed.get(0).shape())) {
                throw n.unsupported("adding " + Arrays.toString(a.shape()) + " to " + Arrays.toString(computed.get(0).shape())
                        + " (broadcasting between layers' outputs)");
            }
        }
        im.addLayer(n, new Add(), computed.toArray(Activation[]::new));
    }

    /**
     * Add, Sub, Mul or Div: folded when both operands are constants; Add of layers' outputs an {@link Add}, Mul a
     * {@link Multiply}; a layer's output and a constant of one value per channel (or one value) a per-channel affine
     * map, merged into the bias of a Linear or Conv2d or into a {@link ScaleShift} before it when nothing else
     * reads that, else a new ScaleShift.
     */
    private static void arithmetic(OnnxNode n, OnnxImporter im, Arithmetic op) {
        boolean first = im.isConstant(n, 0), second = im.isConstant(n, 1);
        if (first && second) {
            im.bind(n, 0, OnnxFolding.arithmetic(n, op, im.constant(n, 0, "an operand"), im.constant(n, 1, "an operand")));
            return;
        }
        if (!first && !second) {
            switch (op) {
                case ADD -> add(n, im);
                case MUL -> im.addLayer(n, new Multiply(), im.activation(n, 0), im.activation(n, 1));
                default -> throw n.unsupported(n.op() + " of two layers' outputs");
            }
            return;
        }
        int at = first ? 1 : 0;
        Activation x = im.activation(n, at);
        float[] c = perChannel(n, x, im.constant(n, 1 - at, "an operand"));
        float[] scale = new float[c.length], shift = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            switch (op) {
                case ADD -> { scale[i] = 1; shift[i] = c[i]; }
                case SUB -> { scale[i] = first ? -1 : 1; shift[i] = first ? c[i] : -c[i]; }
                case MUL -> scale[i] = c[i];
                case DIV -> {
                    if (first) {
                        throw n.unsupported("dividing a constant by a layer's output");
                    }
                    scale[i] = 1 / c[i];
                }
            }
        }
        affine(n, im, x, at, scale, shift);
    }

    /** The constant {@code c} as one value per channel (or feature) of {@code x}: [C], [C, 1, 1], [1, C, 1, 1] or a scalar. */
    private static float[] perChannel(OnnxNode n, Activation x, Constant c) {
        int channels = x.shape()[0];
        long[] d = c.dims();
        boolean perChannel = x.shape().length == 1 ? c.numel() == channels && d[d.length - 1] == channels
                : x.isImage() && isChannelVector(d, channels);
        if (!perChannel && c.numel() != 1) {
            throw n.unsupported("broadcasting a constant of " + OnnxNode.dims(d) + " over " + Arrays.toString(x.shape())
                    + " per sample (only one value per channel, or one value)");
        }
        return broadcastBias(n, c, channels);
    }

    /** x * scale + shift per channel, merged into the layer before x when only this node reads x. */
    private static void affine(OnnxNode n, OnnxImporter im, Activation x, int input, float[] scale, float[] shift) {
        Module producer = im.soleProducer(n, x, input);
        boolean unscaled = true;
        for (float v : scale) {
            unscaled &= v == 1;
        }
        Parameter bias = producer == null ? null : producer.namedParameters().get("bias");
        if (unscaled && bias != null && bias.value().numel() == shift.length) { // Linear's or Conv2d's bias, one per output
            float[] b = bias.value().toArray();
            for (int i = 0; i < b.length; i++) {
                b[i] += shift[i];
            }
            bias.value().copyFrom(b);
            im.bind(n, 0, x);
        } else if (producer != null && producer.typeName().equals("ScaleShift")) {
            Tensor s = producer.namedBuffers().get("scale"), t = producer.namedBuffers().get("shift");
            float[] a = s.toArray(), b = t.toArray();
            for (int i = 0; i < a.length; i++) { // (x a + b) scale + shift
                a[i] *= scale[i];
                b[i] = b[i] * scale[i] + shift[i];
            }
            s.copyFrom(a);
            t.copyFrom(b);
            im.bind(n, 0, x);
        } else {
            im.addLayer(n, new ScaleShift(scale, shift), x);
        }
    }


    /** [C], [C,1,1] or [1,C,1,1]: one value per channel of an image. */
    private static boolean isChannelVector(long[] d, int channels) {
        if (d.length == 1) {
            return d[0] == channels;
        }
        int r = d.length;
        if (r < 3 || d[r - 3] != channels || d[r - 2] != 1 || d[r - 1] != 1) {
            return false;
        }
        return Arrays.stream(d, 0, r - 3).allMatch(v -> v == 1);
    }

    private static void concat(OnnxNode n, OnnxImporter im) {
        long axis = n.integer("axis", 0);
        boolean allConstant = true;
        for (int i = 0; i < n.inputCount(); i++) {
            allConstant &= im.isConstant(n, i);
        }
        if (allConstant) {
            List<Long> joined = new ArrayList<>();
            for (int i = 0; i < n.inputCount(); i++) {
                Constant c = im.constant(n, i, "a value");
                if (c.dims().length != 1) {
                    throw n.unsupported("joining constants of " + OnnxNode.dims(c.dims()) + " (only 1-D, as shapes are)");
                }
                Arrays.stream(c.asLongs()).forEach(joined::add);
            }
            im.bind(n, 0, Constant.ofLongs(joined.stream().mapToLong(Long::longValue).toArray()));
            return;
        }
        Activation[] parts = new Activation[n.inputCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = im.activation(n, i);
        }
        int rank = parts[0].shape().length + 1;
        if (axis != 1 && axis != 1 - rank) {
            throw n.unsupported("concatenation on axis " + axis + " (only channels, axis 1)");
        }
        if (parts.length == 1) { // torch.cat([x]), as DenseNet's first layer exports
            im.bind(n, 0, parts[0]);
            return;
        }
        im.addLayer(n, new Concat(), parts);
    }

    private static void passThrough(OnnxNode n, OnnxImporter im) {
        for (int i = 1; i < n.outputCount(); i++) {
            if (!n.output(i).isEmpty() && !n.op().equals("Dropout")) {
                throw n.error("has " + n.outputCount() + " outputs");
            }
        }
        im.bind(n, 0, im.value(n, 0)); // Dropout at inference passes its input; its mask output is never read by a CNN
    }

    /**
     * Zero padding of H and W: by nothing (as torch exports before a ceil-mode average pool) an alias, else
     * absorbed by the Conv or average pool that reads it (torch's F.pad before a strided convolution, avg_pool2d
     * counting its padding).
     */
    private static void pad(OnnxNode n, OnnxImporter im) {
        Activation x = im.activation(n, 0);
        long[] pads = n.opset() >= 11 ? im.constant(n, 1, "pads").asLongs() : n.ints("pads");
        String mode = n.string("mode", "constant");
        float value = n.opset() >= 11 ? (n.hasInput(2) ? scalar(n, im.constant(n, 2, "a padding value")) : 0) : n.number("value", 0);
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            im.bind(n, 0, x);
            return;
        }
        if (!mode.equals("constant") || value != 0 || !x.isImage() || pads.length != 8 || pads[0] != 0 || pads[1] != 0
                || pads[4] != 0 || pads[5] != 0 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw n.unsupported(mode + " padding by " + Arrays.toString(pads) + " with " + value + " of " + Arrays.toString(x.shape())
                    + " (only zeros around H and W, before a Conv)");
        }
        im.bind(n, 0, new OnnxImporter.Padded(x, new long[] {pads[2], pads[3], pads[6], pads[7]}));
    }

    private static void constant(OnnxNode n, OnnxImporter im) {
        AttributeProto value = n.tensorAttribute("value");
        if (value != null) {
            im.bind(n, 0, OnnxTensors.decode(value.getT(), null));
        } else if (n.has("value_float")) {
            im.bind(n, 0, new Constant(new long[0], new float[] {n.number("value_float", 0)}, null));
        } else if (n.has("value_floats")) {
            AttributeProto a = n.tensorAttribute("value_floats");
            float[] f = new float[a.getFloatsCount()];
            for (int i = 0; i < f.length; i++) {
                f[i] = a.getFloats(i);
            }
            im.bind(n, 0, new Constant(new long[] {f.length}, f, null));
        } else if (n.has("value_int")) {
            im.bind(n, 0, new Constant(new long[0], null, new long[] {n.integer("value_int", 0)}));
        } else if (n.has("value_ints")) {
            im.bind(n, 0, Constant.ofLongs(n.ints("value_ints")));
        } else {
            throw n.unsupported("a Constant without a numeric value");
        }
    }

    private static void shape(OnnxNode n, OnnxImporter im) {
        Object v = im.value(n, 0);
        long[] dims;
        if (v instanceof Activation a) {
            dims = new long[a.shape().length + 1];
            dims[0] = OnnxImporter.BATCH;
            for (int i = 0; i < a.shape().length; i++) {
                dims[i + 1] = a.shape()[i];
            }
        } else {
            dims = ((Constant) v).dims().clone();
        }
        int rank = dims.length;
        long start = n.integer("start", 0), end = n.integer("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(start, Math.min(rank, end < 0 ? end + rank : end));
        im.bind(n, 0, Constant.ofLongs(Arrays.copyOfRange(dims, (int) start, (int) end)));
    }

    private static void gather(OnnxNode n, OnnxImporter im) {
        Constant data = im.constant(n, 0, "data");
        Constant indices = im.constant(n, 1, "indices");
        if (n.integer("axis", 0) != 0 || data.dims().length != 1) {
            throw n.unsupported("gathering from " + OnnxNode.dims(data.dims()) + " on axis " + n.integer("axis", 0)
                    + " (only from 1-D constants such as shapes)");
        }
        long[] from = data.asLongs(), idx = indices.asLongs(), out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            long k = idx[i] < 0 ? idx[i] + from.length : idx[i];
            if (k < 0 || k >= from.length) {
                throw n.error("index " + idx[i] + " outside " + from.length + " values");
            }
            out[i] = from[(int) k];
        }
        im.bind(n, 0, new Constant(indices.dims(), null, out));
    }

    /**
     * Unsqueeze and Squeeze: of a constant (shape arithmetic) the values stay and the dims change; of a layer's
     * output, a view in the new shape (the batch axis stays).
     */
    private static void unsqueeze(OnnxNode n, OnnxImporter im) {
        boolean squeeze = n.op().equals("Squeeze");
        long[] axes = n.opset() >= 13 ? (n.hasInput(1) ? im.constant(n, 1, "axes").asLongs() : null) : n.has("axes") ? n.ints("axes") : null;
        if (im.isConstant(n, 0)) {
            Constant c = im.constant(n, 0, "data");
            long count = c.numel();
            long[] dims = count == 1 && squeeze ? new long[0] : new long[] {count};
            im.bind(n, 0, new Constant(dims, c.floats(), c.longs()));
            return;
        }
        Activation x = im.view(n, 0);
        List<Integer> dims = new ArrayList<>();
        dims.add(-1); // the batch
        Arrays.stream(x.shape()).forEach(dims::add);
        if (axes == null) {
            if (!squeeze) {
                throw n.error("Unsqueeze without axes");
            }
            dims.removeIf(d -> d == 1);
        } else {
            int rank = squeeze ? dims.size() : dims.size() + axes.length;
            long[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
            for (int k = sorted.length - 1; squeeze && k >= 0; k--) {
                if (sorted[k] <= 0 || sorted[k] >= rank || dims.get((int) sorted[k]) != 1) {
                    throw n.error("axis " + sorted[k] + " of [batch, " + Arrays.toString(x.shape()).substring(1) + " is not of size 1");
                }
                dims.remove((int) sorted[k]);
            }
            for (int k = 0; !squeeze && k < sorted.length; k++) {
                if (sorted[k] <= 0 || sorted[k] >= rank) {
                    throw n.unsupported("unsqueezing at axis " + sorted[k] + " of " + rank + " (the batch stays first)");
                }
                dims.add((int) sorted[k], 1);
            }
        }
        bindReshaped(n, im, x, dims.subList(1, dims.size()).stream().mapToInt(Integer::intValue).toArray());
    }

    /** Only the last op, over a classifier's [batch, classes]: it becomes the softmax cnn4j applies to logits. */
    private static void softmax(OnnxNode n, OnnxImporter im) {
        Activation x = im.activation(n, 0);
        long axis = n.integer("axis", n.opset() >= 13 ? -1 : 1); // opset 13 is per axis, before over all from it: alike on [N, K]
        if (x.shape().length != 1 || (axis != 1 && axis != -1) || !im.isGraphOutput(n.output(0))) {
            throw n.unsupported("a Softmax on axis " + axis + " of " + Arrays.toString(x.shape()) + " per sample"
                    + (im.isGraphOutput(n.output(0)) ? "" : " before the output")
                    + " (only the final softmax of a classifier, which becomes the softmax cnn4j applies to logits)");
        }
        im.dropFinalSoftmax(n, x);
    }

    /** The mean over H and W (Keras' global average pooling, as tf2onnx exports it). */
    private static void reduceMean(OnnxNode n, OnnxImporter im) {
        Activation x = image(n, im);
        long[] axes = n.opset() >= 18 ? (n.hasInput(1) ? im.constant(n, 1, "axes").asLongs() : new long[0]) : n.ints("axes");
        long[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
        if (!Arrays.equals(sorted, new long[] {2, 3})) {
            throw n.unsupported("a mean over axes " + OnnxNode.dims(axes) + " (only over H and W, axes [2, 3])");
        }
        Activation pooled = im.addLayer(n, new GlobalAvgPool2d(), x);
        if (n.integer("keepdims", 1) == 0) {
            im.addLayer(n, new Flatten(), pooled);
        }
    }

    /**
     * Keras' NHWC-to-NCHW Transpose of the input (which the network takes as NCHW), ShuffleNet's transpose of
     * [groups, C / groups] channels, and transposes of constants.
     */
    private static void transpose(OnnxNode n, OnnxImporter im) {
        long[] perm = n.ints("perm");
        if (im.isConstant(n, 0)) {
            Constant c = im.constant(n, 0, "data");
            int rank = c.dims().length;
            long[] p = perm.length > 0 ? perm : LongStream.range(0, rank).map(d -> rank - 1 - d).toArray();
            im.bind(n, 0, OnnxFolding.transpose(c, p));
            return;
        }
        if (im.readsChannelsLastInput(n)) {
            im.bind(n, 0, im.view(n, 0));
            return;
        }
        if (im.value(n, 0) instanceof OnnxImporter.Permuted p) { // a transpose of a transpose
            long[] combined = new long[perm.length];
            for (int i = 0; i < perm.length && perm.length == p.perm().length; i++) {
                combined[i] = p.perm()[(int) perm[i]];
            }
            boolean identity = perm.length == 4 && Arrays.equals(combined, new long[] {0, 1, 2, 3});
            im.bind(n, 0, identity ? p.x() : new OnnxImporter.Permuted(p.x(), combined));
            return;
        }
        Activation x = im.view(n, 0), real = im.layerOutput(x);
        int[] s = x.shape();
        if (x.isImage() && Arrays.equals(s, real.shape()) && perm.length == 4 && perm[0] == 0
                && Arrays.equals(Arrays.stream(perm).sorted().toArray(), new long[] {0, 1, 2, 3})) {
            im.bind(n, 0, new OnnxImporter.Permuted(x, perm));
            return;
        }
        boolean shuffle = Arrays.equals(perm, new long[] {0, 2, 1, 3, 4}) && real.isImage() && s.length == 4
                && s[0] * s[1] == real.shape()[0] && s[2] == real.shape()[1] && s[3] == real.shape()[2];
        if (!shuffle) {
            throw n.unsupported("transposing [batch, " + Arrays.toString(s).substring(1) + " by " + OnnxNode.dims(perm)
                    + " (only Keras' NHWC input to NCHW, and ShuffleNet's channel shuffle)");
        }
        Activation shuffled = im.addLayer(n, new ChannelShuffle(s[0]), real);
        im.bind(n, 0, new Activation(shuffled.node(), new int[] {s[1], s[0], s[2], s[3]}));
    }

    private static void constantOfShape(OnnxNode n, OnnxImporter im) {
        long[] shape = im.constant(n, 0, "a shape").asLongs();
        AttributeProto value = n.tensorAttribute("value");
        Constant fill = value != null ? OnnxTensors.decode(value.getT(), null) : new Constant(new long[0], new float[1], null);
        if (fill.numel() != 1) {
            throw n.error("value of " + OnnxNode.dims(fill.dims()) + " where one value is expected");
        }
        im.bind(n, 0, OnnxFolding.filled(n, shape, fill));
    }

    private static void slice(OnnxNode n, OnnxImporter im) {
        long[] starts, ends, axes, steps;
        if (n.opset() >= 10) {
            starts = im.constant(n, 1, "starts").asLongs();
            ends = im.constant(n, 2, "ends").asLongs();
            axes = n.hasInput(3) ? im.constant(n, 3, "axes").asLongs() : null;
            steps = n.hasInput(4) ? im.constant(n, 4, "steps").asLongs() : null;
        } else {
            starts = n.ints("starts");
            ends = n.ints("ends");
            axes = n.has("axes") ? n.ints("axes") : null;
            steps = null;
        }
        if (axes == null) {
            axes = LongStream.range(0, starts.length).toArray();
        }
        if (steps == null) {
            steps = new long[starts.length];
            Arrays.fill(steps, 1);
        }
        if (ends.length != starts.length || axes.length != starts.length || steps.length != starts.length) {
            throw n.error("starts " + OnnxNode.dims(starts) + ", ends " + OnnxNode.dims(ends) + ", axes " + OnnxNode.dims(axes)
                    + " and steps " + OnnxNode.dims(steps) + " differ in length");
        }
        if (im.isConstant(n, 0)) {
            im.bind(n, 0, OnnxFolding.slice(n, im.constant(n, 0, "data"), starts, ends, axes, steps));
            return;
        }
        Activation x = image(n, im);
        int c = x.shape()[0];
        if (starts.length != 1 || (axes[0] != 1 && axes[0] != -3) || steps[0] != 1) {
            throw n.unsupported("slicing a layer's output on axes " + OnnxNode.dims(axes) + " with steps " + OnnxNode.dims(steps)
                    + " (only a run of channels, axis 1, step 1)");
        }
        long from = Math.max(0, Math.min(c, starts[0] < 0 ? starts[0] + c : starts[0]));
        long to = Math.max(0, Math.min(c, ends[0] < 0 ? ends[0] + c : ends[0]));
        if (to <= from) {
            throw n.error("channels " + starts[0] + " to " + ends[0] + " of " + c + " are none");
        }
        if (from == 0 && to == c) {
            im.bind(n, 0, x);
        } else {
            im.addLayer(n, new ChannelSlice((int) from, (int) to), x);
        }
    }

    /** Split on channels: one {@link ChannelSlice} per output (ShuffleNetV2's chunk as some exporters write it). */
    private static void split(OnnxNode n, OnnxImporter im) {
        Activation x = image(n, im);
        long axis = n.integer("axis", 0);
        int c = x.shape()[0], parts = n.outputCount();
        if (axis != 1 && axis != -3) {
            throw n.unsupported("splitting a layer's output on axis " + axis + " (only channels, axis 1)");
        }
        long[] sizes = n.opset() >= 13 ? (n.hasInput(1) ? im.constant(n, 1, "split sizes").asLongs() : null)
                : n.has("split") ? n.ints("split") : null;
        if (sizes == null) {
            if (c % parts != 0) {
                throw n.error(c + " channels do not split into " + parts + " equal parts");
            }
            sizes = new long[parts];
            Arrays.fill(sizes, c / parts);
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != c || Arrays.stream(sizes).anyMatch(s -> s <= 0)) {
            throw n.error("split sizes " + OnnxNode.dims(sizes) + " for " + c + " channels into " + parts + " outputs");
        }
        long from = 0;
        for (int i = 0; i < parts; i++) {
            im.addLayer(n, i, new ChannelSlice((int) from, (int) (from + sizes[i])), x);
            from += sizes[i];
        }
    }

    private static void cast(OnnxNode n, OnnxImporter im) {
        Constant c = im.constant(n, 0, "data");
        long to = n.integer("to", 1);
        boolean toFloat = to == 1 || to == 10 || to == 11 || to == 16;
        im.bind(n, 0, toFloat ? new Constant(c.dims(), c.asFloats(), null) : new Constant(c.dims(), null, c.asLongs()));
    }

    /** Input 0 as an image [C, H, W] per sample. */
    private static Activation image(OnnxNode n, OnnxImporter im) {
        Activation x = im.activation(n, 0);
        if (!x.isImage()) {
            throw n.unsupported(n.op() + " on " + Arrays.toString(x.shape()) + " per sample (only images, [C, H, W])");
        }
        return x;
    }

    /** Input {@code i} as a vector of features per sample. */
    private static Activation flat(OnnxNode n, OnnxImporter im, int i) {
        Activation x = im.activation(n, i);
        if (x.shape().length != 1) {
            throw n.unsupported(n.op() + " on " + Arrays.toString(x.shape()) + " per sample (only [features]; flatten first)");
        }
        return x;
    }

    private static void copy(Module m, String parameter, float[] values) {
        m.namedParameters().get(parameter).value().copyFrom(values);
    }
}
