package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * A network as a directed acyclic graph of named nodes, like Keras' functional API: layers, residual
 * additions ({@link #add}) and channel concatenations ({@link #concat}). Nodes run in the order they
 * were added (each may only read nodes added before it), and backward runs in reverse, summing the
 * gradients of a node whose output feeds several others. In training mode a batch norm whose only reader
 * is a ReLU layer computes both in one op ({@link BatchNorm2d#forwardRelu}); its own pre-ReLU value is
 * then not kept.
 *
 * <pre>{@code
 * Graph block = new Graph("x")
 *     .layer("conv1", new Conv2d(16, 16, 3, 1), "x").layer("bn1", new BatchNorm2d(16), "conv1")
 *     .layer("relu1", ActivationLayer.relu(), "bn1")
 *     .layer("conv2", new Conv2d(16, 16, 3, 1), "relu1").layer("bn2", new BatchNorm2d(16), "conv2")
 *     .add("sum", "bn2", "x").layer("out", ActivationLayer.relu(), "sum");
 * }</pre>
 */
public final class Graph extends Module {
    /**
     * What a node computes: a layer of one input, a sum, a concatenation, or (in inference copies made by
     * {@link InferenceFusion}) relu(conv(input) + shortcut) as one fused convolution.
     */
    public enum Kind { LAYER, ADD, CONCAT, RESIDUAL }

    /** A node: its name, what it computes, its layer (null for ADD and CONCAT) and the nodes it reads. */
    public record Node(String name, Kind kind, Module module, List<String> inputs) {
    }

    private final String inputName;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Tensor> owned = new HashMap<>();
    private final Map<String, Tensor> values = new HashMap<>();
    private final Map<String, Boolean> needsGrad = new HashMap<>();
    private final Map<String, Tensor> lastGrads = new HashMap<>();
    // batch norm node -> the ReLU node, its only reader, that it computed in the last forward (training mode), and back
    private final Map<String, String> fusedRelus = new HashMap<>(), batchNormOf = new HashMap<>();
    private String outputName;

    public Graph(String inputName) {
        this.inputName = inputName;
    }

    /** Adds a layer reading node {@code input}. */
    public Graph layer(String name, Module module, String input) {
        return node(new Node(name, Kind.LAYER, module, List.of(input)));
    }

    /** Adds the element-wise sum of two or more nodes of the same shape (a residual connection). */
    public Graph add(String name, String... inputs) {
        return node(new Node(name, Kind.ADD, null, List.of(inputs)));
    }

    /** Adds the concatenation of nodes along channels (an Inception block's merge). */
    public Graph concat(String name, String... inputs) {
        return node(new Node(name, Kind.CONCAT, null, List.of(inputs)));
    }

    /**
     * Adds relu(conv(input) + shortcut) computed by {@code fused}, an inference copy with a fused ReLU:
     * a ResNet block's last convolution, residual addition and ReLU in one op. Inference only.
     */
    public Graph residual(String name, Conv2d fused, String input, String shortcut) {
        if (!fused.hasFusedRelu()) {
            throw new IllegalArgumentException("Graph: residual node '" + name + "' needs a convolution with a fused ReLU");
        }
        return node(new Node(name, Kind.RESIDUAL, fused, List.of(input, shortcut)));
    }

    /** Which node is the graph's output (default: the last one added). */
    public Graph output(String name) {
        requireNode(name);
        outputName = name;
        return this;
    }

    private Graph node(Node n) {
        if (n.name == null || n.name.isEmpty() || n.name.contains(".") || nodes.containsKey(n.name) || n.name.equals(inputName)) {
            throw new IllegalArgumentException("Graph: node name '" + n.name + "' is empty, dotted or taken");
        }
        if (n.inputs.isEmpty() || (n.kind != Kind.LAYER && n.inputs.size() < 2)) {
            throw new IllegalArgumentException("Graph: node '" + n.name + "' needs " + (n.kind == Kind.LAYER ? "an input" : "two or more inputs"));
        }
        n.inputs.forEach(this::requireNode);
        // backward overwrites a layer's gradients, so one module in two nodes would keep only one node's share
        if (n.module != null && nodes.values().stream().anyMatch(m -> m.module == n.module)) {
            throw new IllegalArgumentException("Graph: node '" + n.name + "' reuses a layer already in the graph; give it its own layer");
        }
        nodes.put(n.name, n);
        return this;
    }

    private void requireNode(String name) {
        if (!name.equals(inputName) && !nodes.containsKey(name)) {
            throw new IllegalArgumentException("Graph: no node named '" + name + "' before this point (nodes: " + nodes.keySet() + ")");
        }
    }

    public Module module(String name) {
        Node n = nodes.get(name);
        if (n == null || n.module == null) {
            throw new IllegalArgumentException("Graph: no layer named '" + name + "' (layers: " + children().keySet() + ")");
        }
        return n.module;
    }

    /** Puts {@code module} in place of layer node {@code name}'s layer (same inputs) and returns the layer it replaced, which the caller now owns. */
    public Module replace(String name, Module module) {
        Module old = module(name);
        if (nodes.values().stream().anyMatch(n -> n.module == module)) {
            throw new IllegalArgumentException("Graph: the new layer for '" + name + "' is already in the graph; give it its own layer");
        }
        Node n = nodes.get(name);
        nodes.put(name, new Node(name, Kind.LAYER, module, n.inputs));
        return old;
    }

    public List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    /** The nodes in the order they run. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The name the graph gives its input. */
    public String inputName() {
        return inputName;
    }

    /** The node whose value {@link #forward} returns. */
    public String outputName() {
        return out();
    }

    /**
     * Freezes the sub-graph that computes {@code node}: its layer and every layer it depends on (for
     * fine-tuning: freeze a pretrained backbone through its last feature node, train the head).
     */
    public Graph freezeThrough(String node) {
        requireNode(node);
        Set<String> needed = new HashSet<>(List.of(node));
        List<Node> order = new ArrayList<>(nodes.values());
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            if (needed.contains(n.name)) {
                needed.addAll(n.inputs);
                if (n.module != null) {
                    n.module.freeze();
                }
            }
        }
        return this;
    }

    @Override
    public Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        nodes.values().stream().filter(n -> n.module != null).forEach(n -> m.put(n.name, n.module));
        return m;
    }

    private String out() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("Graph: no nodes");
        }
        return outputName != null ? outputName : new ArrayList<>(nodes.keySet()).get(nodes.size() - 1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return confined("forward", () -> run(x));
    }

    private Tensor run(Tensor x) {
        values.clear();
        values.put(inputName, x);
        needsGrad.put(inputName, needsInputGrad());
        findFusedRelus();
        for (Node n : nodes.values()) {
            String bn = batchNormOf.get(n.name);
            if (bn != null) { // computed with its batch norm
                values.put(n.name, values.get(bn));
                needsGrad.put(n.name, needsGrad.get(bn));
                continue;
            }
            boolean upstream = n.inputs.stream().anyMatch(needsGrad::get);
            try {
                values.put(n.name, compute(n, upstream));
            } catch (IllegalArgumentException e) { // say where in the graph: shapes that do not meet are the usual mistake
                throw new IllegalArgumentException("Graph node '" + n.name + "' <- " + String.join(", ", n.inputs) + ": " + e.getMessage(), e);
            }
            needsGrad.put(n.name, upstream || n.module != null && !n.module.isFrozen());
        }
        return values.get(out());
    }

    /** Batch norm nodes in training mode whose only reader is a ReLU layer. */
    private void findFusedRelus() {
        fusedRelus.clear();
        batchNormOf.clear();
        for (Node n : nodes.values()) {
            Node relu = n.module instanceof BatchNorm2d bn && bn.isTraining() ? onlyReader(n.name) : null;
            if (relu != null && relu.kind == Kind.LAYER && ActivationLayer.isRelu(relu.module)) {
                fusedRelus.put(n.name, relu.name);
                batchNormOf.put(relu.name, n.name);
            }
        }
    }

    /** The one node reading node {@code name}'s value, or null when none or several do or it is the graph's output. */
    Node onlyReader(String name) {
        Node reader = null;
        for (Node n : nodes.values()) {
            if (n.inputs.contains(name)) {
                if (reader != null) {
                    return null;
                }
                reader = n;
            }
        }
        return name.equals(out()) ? null : reader;
    }

    /** The output of node {@code n}; {@code upstream} says whether any of its inputs needs a gradient. */
    private Tensor compute(Node n, boolean upstream) {
        long t0 = Profiler.start();
        Tensor y = switch (n.kind) {
            case LAYER -> {
                n.module.setNeedsInputGrad(upstream);
                Tensor in = values.get(n.inputs.get(0));
                yield fusedRelus.containsKey(n.name) ? ((BatchNorm2d) n.module).forwardRelu(in) : n.module.forward(in);
            }
            case RESIDUAL -> {
                Tensor shortcut = values.get(n.inputs.get(1));
                yield ((Conv2d) n.module).forwardAddRelu(values.get(n.inputs.get(0)), shortcut, unneededAfter(n, shortcut));
            }
            case ADD -> {
                Tensor first = values.get(n.inputs.get(0));
                Tensor sum = buffer(n.name, first.layout(), first.dims());
                Elementwise.add(first, values.get(n.inputs.get(1)), sum);
                for (int i = 2; i < n.inputs.size(); i++) {
                    Elementwise.add(sum, values.get(n.inputs.get(i)), sum);
                }
                yield sum;
            }
            case CONCAT -> {
                List<Tensor> parts = n.inputs.stream().map(values::get).toList();
                int channels = parts.stream().mapToInt(t -> t.dim(1)).sum();
                Tensor first = parts.get(0);
                Tensor cat = buffer(n.name, first.layout(), first.dim(0), channels, first.dim(2), first.dim(3));
                Elementwise.concatChannels(parts, cat);
                yield cat;
            }
        };
        Profiler.stop(n.name, 0, t0);
        return y;
    }

    /**
     * Whether nothing reads {@code t} (node {@code n}'s shortcut) while or after {@code n} runs, so that
     * {@code n} may write over it: neither {@code n}'s convolution input nor any later node reads it or a
     * value sharing its memory, none of them is the graph's output, and none is the graph's input (the
     * caller's tensor).
     */
    private boolean unneededAfter(Node n, Tensor t) {
        Set<String> readLater = new HashSet<>(List.of(inputName, out(), n.inputs.get(0)));
        boolean after = false;
        for (Node m : nodes.values()) {
            if (after) {
                readLater.addAll(m.inputs);
            }
            after |= m == n;
        }
        return readLater.stream().map(values::get).noneMatch(v -> v != null && v.sharesMemoryWith(t));
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return confined("backward", () -> runBackward(gradOutput));
    }

    private Tensor runBackward(Tensor gradOutput) {
        requireForward(!values.isEmpty());
        Map<String, Tensor> grads = new HashMap<>();
        grads.put(out(), gradOutput);
        List<Node> order = new ArrayList<>(nodes.values());
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            Tensor g = grads.get(n.name);
            if (g == null || !needsGrad.get(n.name)) {
                continue;
            }
            switch (n.kind) {
                case LAYER -> {
                    if (batchNormOf.containsKey(n.name)) { // its batch norm takes the gradient after the ReLU
                        accumulate(grads, n.inputs.get(0), g);
                        continue;
                    }
                    long t0 = Profiler.start();
                    Tensor gi = n.module.backward(g);
                    Profiler.stop(n.name, 1, t0);
                    accumulate(grads, n.inputs.get(0), gi);
                }
                case ADD -> n.inputs.forEach(in -> accumulate(grads, in, g));
                case RESIDUAL -> throw new UnsupportedOperationException("Graph node '" + n.name + "': a fused inference node has no backward pass");
                default -> {
                    List<Tensor> parts = new ArrayList<>();
                    for (int k = 0; k < n.inputs.size(); k++) { // by position: one node may be concatenated twice
                        Tensor in = values.get(n.inputs.get(k));
                        parts.add(buffer(n.name + "/grad/" + k, in.layout(), in.dims()));
                    }
                    Elementwise.splitChannels(g, parts);
                    for (int k = 0; k < parts.size(); k++) {
                        accumulate(grads, n.inputs.get(k), parts.get(k));
                    }
                }
            }
        }
        lastGrads.clear();
        lastGrads.putAll(grads);
        return needsInputGrad() ? grads.get(inputName) : null;
    }

    /**
     * The output of node {@code name} in the last forward pass (valid until the next). In an inference
     * copy ({@link InferenceFusion}) a residual node writes its result over its shortcut's value when
     * nothing else reads it, so there the shortcut node's value is that result.
     */
    public Tensor valueOf(String name) {
        requireNode(name);
        requireOwnValue(name);
        return values.get(name);
    }

    /** The gradient of the loss with respect to node {@code name}'s output in the last backward pass. */
    public Tensor gradientOf(String name) {
        requireNode(name);
        requireOwnValue(name);
        Tensor g = lastGrads.get(name);
        if (g == null) {
            throw new IllegalStateException("Graph: no gradient reached node '" + name + "' in the last backward pass");
        }
        return g;
    }

    private void requireOwnValue(String name) {
        if (fusedRelus.containsKey(name)) {
            throw new IllegalStateException("Graph: node '" + name + "' ran in one op with its ReLU '" + fusedRelus.get(name)
                    + "' (training mode), so its own value and gradient were not kept: read '" + fusedRelus.get(name) + "' or run in eval mode");
        }
    }

    /** Adds gradient {@code g} flowing into node {@code name}; a second contribution goes into an owned sum. */
    private void accumulate(Map<String, Tensor> grads, String name, Tensor g) {
        if (g == null || !needsGrad.get(name)) {
            return;
        }
        Tensor sum = owned.get(name + "/gradsum");
        Tensor previous = grads.get(name);
        if (previous == null) {
            grads.put(name, g);
        } else if (previous == sum) {
            Elementwise.add(sum, g, sum);
        } else {
            sum = buffer(name + "/gradsum", g.layout(), g.dims());
            Elementwise.add(previous, g, sum);
            grads.put(name, sum);
        }
    }

    private Tensor buffer(String key, org.cnn4j.tensor.Layout layout, int... dims) {
        Tensor t = ensure(owned.get(key), layout, dims);
        owned.put(key, t);
        return t;
    }

    @Override
    protected Module newReplica() {
        Graph r = new Graph(inputName);
        for (Node n : nodes.values()) {
            r.node(new Node(n.name, n.kind, n.module == null ? null : n.module.replica(), n.inputs));
        }
        return outputName == null ? r : r.output(outputName);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Graph(input " + inputName);
        for (Node n : nodes.values()) {
            String what = switch (n.kind) {
                case LAYER -> n.module.describe().replace("\n", "\n  ");
                case ADD -> "Add";
                case CONCAT -> "Concat";
                case RESIDUAL -> n.module.describe() + " + residual";
            };
            sb.append("\n  ").append(n.name).append(" <- ").append(String.join(", ", n.inputs)).append(": ").append(what);
        }
        return sb.append("\n)").toString();
    }

    @Override
    public void close() {
        super.close();
        owned.values().forEach(Tensor::close);
        owned.clear();
    }
}
