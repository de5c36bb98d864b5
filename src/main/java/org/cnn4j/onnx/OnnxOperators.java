package org.cnn4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.GlobalMaxPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Multiply;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.onnx.OnnxImporter.Activation;
import org.cnn4j.onnx.OnnxTensors.Constant;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;

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
        CONVERTERS.put("BatchNormalization", OnnxOperators::batchNorm);
        CONVERTERS.put("Gemm", OnnxOperators::gemm);
        CONVERTERS.put("MatMul", OnnxOperators::matMul);
        CONVERTERS.put("Relu", (n, im) -> im.addLayer(n, ActivationLayer.relu(), im.activation(n, 0)));
        CONVERTERS.put("LeakyRelu", (n, im) -> im.addLayer(n, ActivationLayer.leakyRelu(n.number("alpha", 0.01f)), im.activation(n, 0)));
        CONVERTERS.put("Sigmoid", (n, im) -> im.addLayer(n, ActivationLayer.sigmoid(), im.activation(n, 0)));
        CONVERTERS.put("Tanh", (n, im) -> im.addLayer(n, ActivationLayer.tanh(), im.activation(n, 0)));
        CONVERTERS.put("Clip", OnnxOperators::clip);
        CONVERTERS.put("MaxPool", (n, im) -> pool(n, im, Pool2dSpec.Kind.MAX));
        CONVERTERS.put("AveragePool", (n, im) -> pool(n, im, Pool2dSpec.Kind.AVG));
        CONVERTERS.put("GlobalAveragePool", (n, im) -> im.addLayer(n, new GlobalAvgPool2d(), image(n, im)));
        CONVERTERS.put("GlobalMaxPool", (n, im) -> im.addLayer(n, new GlobalMaxPool2d(), image(n, im)));
        CONVERTERS.put("Flatten", OnnxOperators::flatten);
        CONVERTERS.put("Reshape", OnnxOperators::reshape);
        CONVERTERS.put("Add", OnnxOperators::add);
        CONVERTERS.put("Sum", OnnxOperators::add);
        CONVERTERS.put("Mul", OnnxOperators::mul);
        CONVERTERS.put("Concat", OnnxOperators::concat);
        CONVERTERS.put("Dropout", OnnxOperators::passThrough);
        CONVERTERS.put("Identity", OnnxOperators::passThrough);
        CONVERTERS.put("Constant", OnnxOperators::constant);
        CONVERTERS.put("Pad", OnnxOperators::pad);
        CONVERTERS.put("Shape", OnnxOperators::shape);
        CONVERTERS.put("Gather", OnnxOperators::gather);
        CONVERTERS.put("Unsqueeze", OnnxOperators::unsqueezeConstant);
        CONVERTERS.put("Squeeze", OnnxOperators::unsqueezeConstant);
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
        Activation x = image(n, im);
        Constant w = im.constant(n, 1, "a weight");
        long[] wd = w.dims();
        if (wd.length != 4) {
            throw n.unsupported("a weight of " + OnnxNode.dims(wd) + " (only 2-D convolutions, weights [out, in/group, kh, kw])");
        }
        int groups = (int) n.integer("group", 1);
        int in = x.shape()[0], out = (int) wd[0];
        if (groups < 1 || wd[1] * groups != in || out % groups != 0) {
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
        Conv2d conv = new Conv2d(in, out, win.kernel, win.stride, win.pad, win.dilation, groups, b != null);
        copy(conv, "weight", w.asFloats());
        if (b != null) {
            copy(conv, "bias", b.asFloats());
        }
        im.addLayer(n, conv, x);
    }

    /** A square kernel's stride, symmetric padding and dilation, which is what cnn4j's layers take. */
    private record Window(int kernel, int stride, int pad, int dilation) {
    }

    private static Window window(OnnxNode n, Activation x, long[] kernel) {
        long[] strides = n.ints("strides", 1, 1), dilations = n.ints("dilations", 1, 1);
        if (strides.length != 2 || dilations.length != 2) {
            throw n.error("strides " + OnnxNode.dims(strides) + " and dilations " + OnnxNode.dims(dilations) + " must have 2 entries");
        }
        long[] pads = pads(n, x, kernel, strides, dilations);
        if (kernel[0] != kernel[1] || strides[0] != strides[1] || dilations[0] != dilations[1]) {
            throw n.unsupported("kernel " + OnnxNode.dims(kernel) + ", strides " + OnnxNode.dims(strides) + ", dilations "
                    + OnnxNode.dims(dilations) + " (cnn4j's layers take the same size in height and width)");
        }
        if (pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3]) {
            throw n.unsupported("padding " + OnnxNode.dims(pads) + " [top, left, bottom, right] (cnn4j's layers pad every side alike)");
        }
        if (kernel[0] < 1 || strides[0] < 1 || dilations[0] < 1 || pads[0] < 0) {
            throw n.error("kernel " + kernel[0] + ", stride " + strides[0] + ", dilation " + dilations[0] + ", padding " + pads[0]);
        }
        return new Window((int) kernel[0], (int) strides[0], (int) pads[0], (int) dilations[0]);
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
        Activation a = flat(n, im, 0);
        if (n.integer("transA", 0) != 0) {
            throw n.unsupported("transA 1 (the batch must be A's first dimension)");
        }
        Constant b = im.constant(n, 1, "a weight");
        boolean transB = n.integer("transB", 0) != 0;
        float alpha = n.number("alpha", 1), beta = n.number("beta", 1);
        Linear linear = linear(n, a, b, transB, alpha);
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
        Activation a = flat(n, im, 0);
        Linear linear = linear(n, a, im.constant(n, 1, "a weight"), false, 1);
        im.addLayer(n, linear, a);
    }

    /** A linear layer computing a x (B or B^T) alpha, with a zero bias that a following Add can fill. */
    private static Linear linear(OnnxNode n, Activation a, Constant b, boolean transB, float alpha) {
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
                rows[o * in + i] = alpha * (transB ? w[o * in + i] : w[i * out + o]);
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
        Activation x = im.activation(n, 0);
        float min, max;
        if (n.opset() >= 11) {
            min = n.hasInput(1) ? scalar(n, im.constant(n, 1, "a minimum")) : Float.NEGATIVE_INFINITY;
            max = n.hasInput(2) ? scalar(n, im.constant(n, 2, "a maximum")) : Float.POSITIVE_INFINITY;
        } else {
            min = n.number("min", Float.NEGATIVE_INFINITY);
            max = n.number("max", Float.POSITIVE_INFINITY);
        }
        if (min == 0 && max == 6) {
            im.addLayer(n, ActivationLayer.relu6(), x);
        } else if (min == 0 && max == Float.POSITIVE_INFINITY) {
            im.addLayer(n, ActivationLayer.relu(), x);
        } else {
            throw n.unsupported("clipping to [" + min + ", " + max + "] (only [0, 6], ReLU6, and [0, inf), ReLU)");
        }
    }

    private static float scalar(OnnxNode n, Constant c) {
        if (c.numel() != 1) {
            throw n.error("a bound of " + OnnxNode.dims(c.dims()) + " where a scalar is expected");
        }
        return c.asFloats()[0];
    }

    private static void pool(OnnxNode n, OnnxImporter im, Pool2dSpec.Kind kind) {
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
        if (win.dilation != 1) {
            throw n.unsupported("dilation " + win.dilation + " in pooling");
        }
        boolean ceil = n.integer("ceil_mode", 0) != 0;
        boolean countPad = n.integer("count_include_pad", 0) != 0; // ONNX's default, unlike PyTorch's
        im.addLayer(n, new Pool2d(kind, win.kernel, win.stride, win.pad, ceil, countPad), x);
    }

    private static void flatten(OnnxNode n, OnnxImporter im) {
        Activation x = im.activation(n, 0);
        long axis = n.integer("axis", 1);
        if (axis != 1 && axis != 1 - x.shape().length - 1) {
            throw n.unsupported("axis " + axis + " (only 1: keep the batch, flatten the rest)");
        }
        flatten(n, im, x);
    }

    private static void flatten(OnnxNode n, OnnxImporter im, Activation x) {
        if (x.shape().length == 1) {
            im.bind(n, 0, x);
        } else {
            im.addLayer(n, new Flatten(), x);
        }
    }

    private static void reshape(OnnxNode n, OnnxImporter im) {
        if (im.isConstant(n, 0)) {
            Constant c = im.constant(n, 0, "data");
            im.bind(n, 0, new Constant(im.constant(n, 1, "a shape").asLongs(), c.floats(), c.longs()));
            return;
        }
        Activation x = im.activation(n, 0);
        long[] target = n.opset() >= 5 ? im.constant(n, 1, "a shape").asLongs() : n.ints("shape");
        boolean zeroCopies = n.integer("allowzero", 0) == 0;
        if (target.length == 0 || !(target[0] == OnnxImporter.BATCH || target[0] == -1 || target[0] == 0 && zeroCopies)) {
            throw n.unsupported("a shape " + shapeText(target) + " that does not keep the batch first");
        }
        long[] rest = Arrays.copyOfRange(target, 1, target.length);
        if (rest.length == 1 && (rest[0] == -1 || rest[0] == x.numel()) && target[0] != -1) {
            flatten(n, im, x);
            return;
        }
        long[] same = Arrays.stream(x.shape()).asLongStream().toArray();
        for (int i = 0; i < rest.length && i < same.length; i++) {
            if (rest[i] == 0 && zeroCopies) {
                rest[i] = same[i];
            }
        }
        if (Arrays.equals(rest, same)) {
            im.bind(n, 0, x);
            return;
        }
        throw n.unsupported("reshaping " + Arrays.toString(x.shape()) + " to " + shapeText(target) + " (only flattening)");
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
        if (computed.isEmpty()) {
            throw n.unsupported("adding constants at run time");
        }
        if (!constants.isEmpty()) {
            if (computed.size() != 1 || constants.size() != 1) {
                throw n.unsupported("adding a constant to a sum of layers");
            }
            int at = im.value(n, 0) instanceof Activation ? 0 : 1;
            addToBias(n, im, computed.get(0), constants.get(0), at);
            return;
        }
        for (Activation a : computed) {
            if (!Arrays.equals(a.shape(), computed.get(0).shape())) {
                throw n.unsupported("adding " + Arrays.toString(a.shape()) + " to " + Arrays.toString(computed.get(0).shape())
                        + " (broadcasting between layers' outputs)");
            }
        }
        im.addLayer(n, new Add(), computed.toArray(Activation[]::new));
    }

    /** A product of two layers' outputs: of one shape, or an image and a per-channel factor (squeeze-excite). */
    private static void mul(OnnxNode n, OnnxImporter im) {
        if (im.isConstant(n, 0) || im.isConstant(n, 1)) {
            throw n.unsupported("multiplying by a constant");
        }
        Activation x = im.activation(n, 0), y = im.activation(n, 1);
        im.addLayer(n, new Multiply(), x, y);
    }

    /** x + c where x is a linear layer's or convolution's output read by nothing else and c one value per output: into the bias. */
    private static void addToBias(OnnxNode n, OnnxImporter im, Activation x, Constant c, int input) {
        Module producer = im.soleProducer(n, x, input);
        int channels = x.shape()[0];
        boolean perChannel = x.shape().length == 1 ? c.numel() == channels : isChannelVector(c.dims(), channels);
        Parameter bias = producer == null ? null : producer.namedParameters().get("bias");
        if (bias == null || !(perChannel || c.numel() == 1)) { // a layer with a bias per output: Linear or Conv2d
            throw n.unsupported("adding a constant of " + OnnxNode.dims(c.dims()) + " to " + Arrays.toString(x.shape())
                    + " other than into the bias of the linear layer or convolution before it (broadcasting element-wise ops)");
        }
        float[] b = bias.value().toArray(), add = broadcastBias(n, c, channels);
        for (int i = 0; i < channels; i++) {
            b[i] += add[i];
        }
        bias.value().copyFrom(b);
        im.bind(n, 0, x);
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

    /** Pad by nothing, as torch exports before a ceil-mode average pool; real padding is not imported yet. */
    private static void pad(OnnxNode n, OnnxImporter im) {
        Activation x = im.activation(n, 0);
        long[] pads = n.opset() >= 11 ? im.constant(n, 1, "pads").asLongs() : n.ints("pads");
        String mode = n.string("mode", "constant");
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            im.bind(n, 0, x);
            return;
        }
        throw n.unsupported(mode + " padding by " + Arrays.toString(pads) + " as an op of its own");
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

    /** Unsqueeze and Squeeze of a constant (shape arithmetic): the values stay, the dims change. */
    private static void unsqueezeConstant(OnnxNode n, OnnxImporter im) {
        if (!im.isConstant(n, 0)) {
            Activation x = im.activation(n, 0);
            throw n.unsupported(n.op() + " of a layer's output " + Arrays.toString(x.shape()));
        }
        Constant c = im.constant(n, 0, "data");
        long count = c.numel();
        long[] dims = count == 1 && n.op().equals("Squeeze") ? new long[0] : new long[] {count};
        im.bind(n, 0, new Constant(dims, c.floats(), c.longs()));
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
