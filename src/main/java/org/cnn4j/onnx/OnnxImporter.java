package org.cnn4j.onnx;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.OnnxTensors.Constant;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;

/**
 * Builds a cnn4j {@link Graph} from an ONNX graph, node by node in the file's (topological) order. Every
 * ONNX value is either a constant (initializers, Constant nodes, and shape arithmetic folded here, with
 * the batch size as a symbol) or the output of a graph node with its per-sample shape; {@link OnnxOperators}
 * says what each op type becomes. A value may be a view of a node's output in another shape of the same
 * memory order (a Reshape, Unsqueeze or Squeeze), which only the ops that reshape or shuffle it read.
 * On any error the half-built graph is closed and nothing is returned.
 */
final class OnnxImporter {
    /** The batch size in folded shape arithmetic (e.g. {@code x.view(x.size(0), -1)}): not known until run time. */
    static final long BATCH = Long.MIN_VALUE;

    /** A value computed by graph node {@code node}, with its per-sample shape (the node's, or a view's). */
    record Activation(String node, int[] shape) {
        boolean isImage() {
            return shape.length == 3;
        }

        long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A layer's output zero-padded by a Pad node ([top, left, bottom, right]), which the convolution reading it absorbs. */
    record Padded(Activation x, long[] pads) {
    }

    /**
     * A layer's [C, H, W] output as an ONNX Transpose by {@code perm} (of [N, C, H, W], batch first) sees it:
     * element-wise layers run on it unchanged, a Transpose back undoes it, and a Flatten of it becomes a
     * {@link Reordered} vector.
     */
    record Permuted(Activation x, long[] perm) {
    }

    /** A flattened {@link Permuted} image: ONNX's feature i is feature {@code order[i]} of the network's NCHW flatten. */
    record Reordered(Activation flat, int[] order) {
    }

    private final Path baseDir;
    private final int opset;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Module> producers = new HashMap<>();
    private final Map<String, int[]> nodeShapes = new HashMap<>();
    private final OnnxSignals signals = new OnnxSignals();
    private String inputName, outputName;
    private boolean channelsLastInput, signalInput, endsInSoftmax;
    private int[] inputShape;
    private Graph graph;

    OnnxImporter(Path baseDir, int opset) {
        this.baseDir = baseDir;
        this.opset = opset;
    }

    /**
     * The graph for {@code g}, whose one non-initializer input has per-sample shape {@code fileShape} as the
     * file orders it (an NHWC input that the graph transposes to NCHW first becomes the network's NCHW input).
     */
    Graph build(GraphProto g, int[] fileShape) {
        for (TensorProto t : g.getInitializerList()) {
            values.put(t.getName(), OnnxTensors.decode(t, baseDir));
        }
        ValueInfoProto input = null;
        for (ValueInfoProto v : g.getInputList()) {
            if (!values.containsKey(v.getName())) {
                if (input != null) {
                    throw new UnsupportedOperationException("ONNX graph: inputs '" + input.getName() + "' and '" + v.getName()
                            + "': cnn4j networks take one input");
                }
                input = v;
            }
        }
        if (input == null) {
            throw new IllegalArgumentException("ONNX graph: no input besides the initializers");
        }
        if (g.getOutputCount() != 1) {
            throw new UnsupportedOperationException("ONNX graph: " + g.getOutputCount() + " outputs; cnn4j networks have one");
        }
        for (NodeProto n : g.getNodeList()) {
            n.getInputList().forEach(i -> readers.merge(i, 1, Integer::sum));
        }
        readers.merge(g.getOutput(0).getName(), 1, Integer::sum);
        inputName = input.getName();
        outputName = g.getOutput(0).getName();
        channelsLastInput = fileShape.length == 3 && readsAsNchw(g, inputName);
        inputShape = channelsLastInput ? new int[] {fileShape[2], fileShape[0], fileShape[1]}
                : fileShape.length == 2 ? new int[] {fileShape[0], 1, fileShape[1]} : fileShape.clone();
        if (fileShape.length == 2) {
            signals.add(input.getName());
            signalInput = true;
        }
        String inputNode = unique(input.getName());
        graph = new Graph(inputNode);
        try {
            values.put(input.getName(), new Activation(inputNode, inputShape));
            nodeShapes.put(inputNode, inputShape);
            for (int i = 0; i < g.getNodeCount(); i++) {
                NodeProto proto = g.getNode(i);
                OnnxNode node = new OnnxNode(proto, opset, i);
                if (!proto.getDomain().isEmpty() && !proto.getDomain().equals("ai.onnx")) {
                    throw node.unsupported("the op domain '" + proto.getDomain() + "'");
                }
                if (signals.reads(proto)) {
                    NodeProto lifted = signals.lift(proto, node, this);
                    OnnxNode liftedNode = new OnnxNode(lifted, opset, i);
                    OnnxOperators.convert(liftedNode, this);
                    signals.markOutputs(lifted, liftedNode, this);
                } else {
                    OnnxOperators.convert(node, this);
                }
            }
            Object out = values.get(g.getOutput(0).getName());
            if (out instanceof Activation view && !Arrays.equals(view.shape(), nodeShapes.get(view.node()))) {
                throw new UnsupportedOperationException("ONNX graph: output '" + g.getOutput(0).getName() + "' is the output "
                        + Arrays.toString(nodeShapes.get(view.node())) + " of '" + view.node() + "' reshaped to " + Arrays.toString(view.shape()));
            }
            if (!(out instanceof Activation a) || a.node().equals(inputNode)) {
                throw new UnsupportedOperationException("ONNX graph: output '" + g.getOutput(0).getName()
                        + "' is " + (out == null ? "never computed" : "not computed from the input by any layer"));
            }
            graph.output(a.node());
            graph.eval();
            return graph;
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** Whether every node reading the graph input is a Transpose from NHWC to NCHW (Keras' export). */
    private static boolean readsAsNchw(GraphProto g, String input) {
        boolean read = false;
        for (NodeProto n : g.getNodeList()) {
            if (n.getInputList().contains(input)) {
                boolean toNchw = n.getOpType().equals("Transpose") && n.getAttributeList().stream()
                        .anyMatch(a -> a.getName().equals("perm") && a.getIntsList().equals(List.of(0L, 3L, 1L, 2L)));
                if (!toNchw) {
                    return false;
                }
                read = true;
            }
        }
        return read;
    }

    /** The network's per-sample input shape (NCHW's [C, H, W] for a channels-last file input). */
    int[] inputShape() {
        return inputShape.clone();
    }

    /** Whether the file's input is NHWC, transposed to NCHW by the graph's first nodes (which the network leaves out). */
    boolean channelsLastInput() {
        return channelsLastInput;
    }

    /** Whether the file's input is [N, C, L], a 1-D model's, which the network takes as signals [N, C, 1, L] (the same memory). */
    boolean signalInput() {
        return signalInput;
    }

    /** Whether the file's output was a softmax of the network's output, which became the softmax cnn4j applies to logits. */
    boolean endsInSoftmax() {
        return endsInSoftmax;
    }

    /** Input 0 of {@code n} is the graph's NHWC input, which the network takes as NCHW already. */
    boolean readsChannelsLastInput(OnnxNode n) {
        return channelsLastInput && n.input(0).equals(inputName);
    }

    boolean isGraphOutput(String onnxName) {
        return onnxName.equals(outputName);
    }

    /** Records that the final Softmax of {@code n} is left to the softmax cnn4j applies to a classifier's logits. */
    void dropFinalSoftmax(OnnxNode n, Activation logits) {
        endsInSoftmax = true;
        bind(n, 0, logits);
    }

    /** Input {@code i} of {@code n} as a layer's output; fails naming the node when it is a constant, unknown or a view. */
    Activation activation(OnnxNode n, int i) {
        Activation a = view(n, i);
        int[] real = nodeShapes.get(a.node());
        if (!Arrays.equals(a.shape(), real)) {
            throw n.unsupported("the output " + Arrays.toString(real) + " of '" + a.node() + "' reshaped to " + Arrays.toString(a.shape())
                    + " as input " + i + " (only reshaped back, flattened or channel-shuffled)");
        }
        return a;
    }

    /** Input {@code i} of {@code n} as a layer's output or a view of one in another shape. */
    Activation view(OnnxNode n, int i) {
        Object v = value(n, i);
        if (v instanceof Activation a) {
            return a;
        }
        if (v instanceof Padded p) {
            throw n.unsupported("the zero-padded output of '" + p.x().node() + "' as input " + i + " (a Pad is imported only before a Conv or an AveragePool)");
        }
        if (v instanceof Permuted p) {
            throw n.unsupported("the output of '" + p.x().node() + "' transposed by " + OnnxNode.dims(p.perm()) + " as input " + i
                    + " (only element-wise activations, a Transpose back or a Flatten read a transposed image)");
        }
        if (v instanceof Reordered r) {
            throw n.unsupported("the flattened, transposed output of '" + r.flat().node() + "' as input " + i
                    + " (only a Gemm or MatMul with constant weights reads it)");
        }
        throw n.unsupported("a constant as input " + i + " ('" + n.input(i) + "') where a layer's output is expected");
    }

    /** The output of the node {@code a} views, in the node's own shape. */
    Activation layerOutput(Activation a) {
        return new Activation(a.node(), nodeShapes.get(a.node()));
    }

    /** Input 0 of {@code n} and the zero padding a Pad before it added ([top, left, bottom, right], zeros if none). */
    Padded padded(OnnxNode n) {
        if (value(n, 0) instanceof Padded p) {
            return p; // its Pad read a layer's output in its own shape
        }
        return new Padded(activation(n, 0), new long[4]);
    }

    /** Input {@code i} of {@code n} as a constant; fails naming the node and what it is for when it is computed. */
    Constant constant(OnnxNode n, int i, String what) {
        Object v = value(n, i);
        if (v instanceof Constant c) {
            return c;
        }
        throw n.unsupported(what + " computed at run time (input " + i + " '" + n.input(i) + "'); only constant " + what + " is");
    }

    Object value(OnnxNode n, int i) {
        Object v = values.get(n.input(i));
        if (v == null) {
            throw n.error("input '" + n.input(i) + "' is not computed by any earlier node, initializer or graph input");
        }
        return v;
    }

    /** The value named {@code name}, or null. */
    Object valueNamed(String name) {
        return values.get(name);
    }

    /** Adds a value under {@code name} (a constant a lifted node reads instead of its original); returns the name. */
    String define(String name, Object value) {
        values.put(name, value);
        return name;
    }

    boolean isConstant(OnnxNode n, int i) {
        return values.get(n.input(i)) instanceof Constant;
    }

    /** Adds {@code module} as a graph node reading {@code inputs}, with its output as the node's output 0. */
    Activation addLayer(OnnxNode n, Module module, Activation... inputs) {
        return addLayer(n, 0, module, inputs);
    }

    /** Adds {@code module} as a graph node reading {@code inputs}, with its output as the node's output {@code output}. */
    Activation addLayer(OnnxNode n, int output, Module module, Activation... inputs) {
        int[][] shapes = Arrays.stream(inputs).map(Activation::shape).toArray(int[][]::new);
        int[] shape;
        try {
            shape = module.outputShape(shapes);
        } catch (IllegalArgumentException e) {
            module.close();
            throw n.error(module.typeName() + " on " + Arrays.deepToString(shapes) + ": " + e.getMessage());
        }
        String name = unique(n.name());
        graph.node(name, module, Arrays.stream(inputs).map(Activation::node).toArray(String[]::new));
        producers.put(name, module);
        nodeShapes.put(name, shape);
        Activation a = new Activation(name, shape);
        values.put(n.output(output), a);
        return a;
    }

    /** Binds output {@code i} of {@code n} to {@code v} (an alias, a reshaped view or a folded constant). */
    void bind(OnnxNode n, int i, Object v) {
        values.put(n.output(i), v);
    }

    /** The module that computes {@code a}, when only one ONNX node reads it (so its bias can absorb an addition). */
    Module soleProducer(OnnxNode reader, Activation a, int input) {
        Integer r = readers.get(reader.input(input));
        return r != null && r == 1 ? producers.get(a.node()) : null;
    }

    private String unique(String onnxName) {
        String base = onnxName.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("^_+", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "n" + base;
        }
        String name = base;
        for (int k = 2; !names.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }
}
