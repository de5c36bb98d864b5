package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.nn.fuse.BatchNormAddReluPass;
import org.cnn4j.nn.fuse.BatchNormReluPass;
import org.cnn4j.tensor.Tensor;

/**
 * A network as a directed acyclic graph of named nodes, like Keras' functional API: each node is a
 * module reading one or more earlier nodes, e.g. a layer, an {@link Add} (a residual connection) or a
 * {@link Concat}. Nodes run in the order they were added, backward in reverse, summing the gradients of
 * a node that feeds several others. The structure is fixed once built (its {@link Topology} is worked
 * out once); the values and gradients of a pass live in a {@link GraphRunner}. In training mode the
 * graph runs the copy {@link BatchNormAddReluPass} and {@link BatchNormReluPass} make of it, where a batch
 * norm whose only reader is a ReLU, or a residual sum read only by a ReLU, computes them in one op;
 * {@link #valueOf} then says which nodes ran inside which.
 *
 * <pre>{@code
 * Graph block = new Graph("x")
 *     .layer("conv1", Conv2d.builder(16, 16, 3).padding(1).build(), "x").layer("bn1", new BatchNorm2d(16), "conv1")
 *     .layer("relu1", ActivationLayer.relu(), "bn1")
 *     .layer("conv2", Conv2d.builder(16, 16, 3).padding(1).build(), "relu1").layer("bn2", new BatchNorm2d(16), "conv2")
 *     .add("sum", "bn2", "x").layer("out", ActivationLayer.relu(), "sum");
 * }</pre>
 */
public class Graph extends Module {
    /** A node: its name, its module and the nodes it reads. */
    public record Node(String name, Module module, List<String> inputs) {
        public Node {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * A node of the network this graph was fused from that has no node of its own here: it ran inside
     * node {@code host}, whose output is its value when {@code valueKept}; {@code how} says how, for messages.
     */
    public record Absorbed(String host, boolean valueKept, String how) {
    }

    private final String inputName;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Absorbed> absorbed = new LinkedHashMap<>();
    private final GraphRunner runner = new GraphRunner();
    private String outputName;
    private Topology topology;
    private Graph trainingPlan;
    private boolean[] trainingPlanModes;
    private ExecutionOptions executionOptions;

    public Graph(String inputName) {
        this.inputName = inputName;
    }

    /** {@code model} as a graph (a {@link Sequential} is one), or an exception naming {@code op} and what it got. */
    public static Graph of(Module model, String op) {
        if (model instanceof Graph g) {
            return g;
        }
        throw new IllegalArgumentException(op + ": needs a Sequential or Graph network, got " + model.getClass().getSimpleName());
    }

    /** Adds a layer reading node {@code input}. */
    public Graph layer(String name, Module module, String input) {
        return node(name, module, input);
    }

    /** Adds node {@code name}: {@code module} applied to the values of {@code inputs}. */
    public Graph node(String name, Module module, String... inputs) {
        addNode(new Node(name, module, List.of(inputs)));
        return this;
    }

    /** Adds the element-wise sum of two or more nodes of the same shape (a residual connection). */
    public Graph add(String name, String... inputs) {
        return node(name, new Add(), inputs);
    }

    /** Adds the concatenation of nodes along channels (an Inception block's merge). */
    public Graph concat(String name, String... inputs) {
        return node(name, new Concat(), inputs);
    }

    /** Which node is the graph's output (default: the last one added). */
    public Graph output(String name) {
        requireNode(name);
        outputName = name;
        changed();
        return this;
    }

    final void addNode(Node n) {
        if (n.name == null || n.name.isEmpty() || n.name.contains(".") || nodes.containsKey(n.name) || n.name.equals(inputName)) {
            throw new IllegalArgumentException(kind() + ": node name '" + n.name + "' is empty, dotted or taken");
        }
        if (n.module == null) {
            throw new IllegalArgumentException(kind() + ": node '" + n.name + "' has no module");
        }
        if (!n.module.acceptsInputs(n.inputs.size())) {
            throw new IllegalArgumentException(kind() + ": node '" + n.name + "' (" + n.module.label() + ") takes "
                    + n.module.expectedInputs() + ", got " + n.inputs.size());
        }
        n.inputs.forEach(this::requireNode);
        // backward overwrites a layer's gradients, so one module in two nodes would keep only one node's share
        if (nodes.values().stream().anyMatch(m -> m.module == n.module)) {
            throw new IllegalArgumentException(kind() + ": node '" + n.name + "' reuses a layer already in the graph; give it its own layer");
        }
        nodes.put(n.name, n);
        changed();
    }

    private void changed() {
        topology = null;
        dropTrainingPlan();
    }

    final void requireNode(String name) {
        if (!name.equals(inputName) && !nodes.containsKey(name)) {
            throw new IllegalArgumentException(kind() + ": no node named '" + name + "' before this point (nodes: " + nodes.keySet() + ")");
        }
    }

    /** The module of node {@code name}. */
    public Module module(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException(kind() + ": no layer named '" + name + "' (layers: " + nodes.keySet() + ")");
        }
        return n.module;
    }

    /** Puts {@code module} in place of node {@code name}'s module (same inputs) and returns the one it replaced, which the caller now owns. */
    public Module replace(String name, Module module) {
        Module old = module(name);
        if (nodes.values().stream().anyMatch(n -> n.module == module)) {
            throw new IllegalArgumentException(kind() + ": the new layer for '" + name + "' is already in the graph; give it its own layer");
        }
        Node n = nodes.get(name);
        if (!module.acceptsInputs(n.inputs.size())) {
            throw new IllegalArgumentException(kind() + ": " + module.label() + " cannot take node '" + name + "''s " + n.inputs.size() + " input(s)");
        }
        nodes.put(name, new Node(name, module, n.inputs));
        changed();
        return old;
    }

    public List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    /** The nodes in the order they run. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The nodes that read node {@code name}'s value, in the order they run. */
    public List<Node> readers(String name) {
        requireNode(name);
        return nodes.values().stream().filter(n -> n.inputs.contains(name)).toList();
    }

    /** The name the graph gives its input. */
    public String inputName() {
        return inputName;
    }

    /** The node whose value {@link #forward} returns. */
    public String outputName() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException(kind() + ": no nodes");
        }
        return outputName != null ? outputName : new ArrayList<>(nodes.keySet()).get(nodes.size() - 1);
    }

    /** The nodes of the network this graph was fused from that run inside one of its nodes (empty for a graph as built). */
    public Map<String, Absorbed> absorbed() {
        return Collections.unmodifiableMap(absorbed);
    }

    /** The names of the original nodes that ran inside node {@code host}. */
    public List<String> absorbedInto(String host) {
        return absorbed.entrySet().stream().filter(e -> e.getValue().host().equals(host)).map(Map.Entry::getKey).toList();
    }

    Topology topology() {
        if (topology == null) {
            topology = new Topology(inputName, List.copyOf(nodes.values()), outputName());
        }
        return topology;
    }

    /**
     * A graph of the same kind (a {@link Sequential} stays one) and input name with these nodes, output
     * and record of absorbed nodes (this graph's own record comes along): what a fusion pass returns. It
     * shares the modules it is given; the caller says which of them it made.
     */
    public Graph derive(List<Node> derivedNodes, String output, Map<String, Absorbed> newlyAbsorbed) {
        Graph g = emptyLike();
        derivedNodes.forEach(g::addNode);
        g.absorbed.putAll(absorbed);
        g.absorbed.putAll(newlyAbsorbed);
        g.outputName = output;
        g.executionOptions = executionOptions;
        return g;
    }

    /** A new empty graph of this kind with this input name. */
    Graph emptyLike() {
        return new Graph(inputName);
    }

    /** Where node {@code i} is, for error messages. */
    String where(int i) {
        Node n = List.copyOf(nodes.values()).get(i);
        return "Graph node '" + n.name + "' <- " + String.join(", ", n.inputs);
    }

    String kind() {
        return "Graph";
    }

    /** The graph from its input up to node {@code node}, which is its output: only the nodes it depends on, sharing their modules. */
    public Graph cut(String node) {
        requireNode(node);
        boolean[] needed = topology().ancestors(topology().slot(node));
        List<Node> kept = new ArrayList<>();
        int i = 1;
        for (Node n : nodes.values()) {
            if (needed[i++]) {
                kept.add(n);
            }
        }
        Graph g = emptyLike();
        kept.forEach(g::addNode);
        g.outputName = node;
        g.executionOptions = executionOptions;
        return g;
    }

    /**
     * Freezes the sub-graph that computes {@code node}: its layer and every layer it depends on (for
     * fine-tuning: freeze a pretrained backbone through its last feature node, train the head).
     */
    public Graph freezeThrough(String node) {
        requireNode(node);
        boolean[] needed = topology().ancestors(topology().slot(node));
        int i = 1;
        for (Node n : nodes.values()) {
            if (needed[i++]) {
                n.module.freeze();
            }
        }
        return this;
    }

    @Override
    public Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        nodes.values().forEach(n -> m.put(n.name, n.module));
        return m;
    }

    /**
     * Runs this network's passes with {@code options} (its convolution algorithm, Winograd permission and
     * fallback) whatever the process default is; null returns it to {@link ExecutionOptions#current()}.
     * Copies made from this graph (fused, cut, replicas) keep them.
     */
    public Graph executionOptions(ExecutionOptions options) {
        executionOptions = options;
        return this;
    }

    /** The options set with {@link #executionOptions(ExecutionOptions)}, or null when the network follows the caller's. */
    public ExecutionOptions executionOptions() {
        return executionOptions;
    }

    /** {@link #confined} under this graph's execution options, when it has its own. */
    private Tensor run(String call, Supplier<Tensor> body) {
        ExecutionOptions o = executionOptions;
        return o == null ? confined(call, body) : o.call(() -> confined(call, body));
    }

    @Override
    public Tensor forward(Tensor x) {
        return run("forward", () -> {
            Graph plan = plan();
            Topology t = plan.topology();
            return runner.forward(plan, x, needsInputGrad(), t.output, false);
        });
    }

    /**
     * Runs only the nodes that node {@code name} depends on and returns its value (valid until the next
     * pass), e.g. a feature extractor's output without the head's work.
     */
    public Tensor forwardTo(Tensor x, String name) {
        requireNode(name);
        return run("forward", () -> {
            Graph plan = plan();
            return runner.forward(plan, x, needsInputGrad(), plan.slotOf(name), true);
        });
    }

    /** The structure a forward pass runs now: this graph, or in training mode its copy with batch norm and ReLU fused. */
    private Graph plan() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException(kind() + ": no nodes");
        }
        boolean[] modes = new boolean[nodes.size()];
        int i = 0;
        for (Node n : nodes.values()) {
            modes[i++] = n.module.isTraining();
        }
        if (trainingPlan == null || !Arrays.equals(modes, trainingPlanModes)) {
            dropTrainingPlan();
            trainingPlan = BatchNormReluPass.apply(BatchNormAddReluPass.apply(this));
            trainingPlanModes = modes;
        }
        return trainingPlan;
    }

    /** Closes the modules the training plan made (its other modules are this graph's). */
    private void dropTrainingPlan() {
        if (trainingPlan != null && trainingPlan != this) {
            Set<Module> own = new HashSet<>();
            nodes.values().forEach(n -> own.add(n.module));
            trainingPlan.nodes.values().stream().filter(n -> !own.contains(n.module)).forEach(n -> n.module.close());
        }
        runner.release();
        trainingPlan = null;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return run("backward", () -> {
            requireForward(runner.plan() != null);
            return runner.backward(gradOutput, needsInputGrad());
        });
    }

    /**
     * The output of node {@code name} in the last forward pass (valid until the next). In an inference
     * copy (InferenceFusion) a fused convolution writes its result over its shortcut's value when
     * nothing else reads it, so there the shortcut node's value is that result.
     */
    public Tensor valueOf(String name) {
        Tensor v = runner.value(lastPlan().slotOf(name));
        if (v == null) {
            throw new IllegalStateException(kind() + ": no forward pass has computed node '" + name + "'");
        }
        return v;
    }

    /** The gradient of the loss with respect to node {@code name}'s output in the last backward pass. */
    public Tensor gradientOf(String name) {
        Tensor g = runner.gradient(lastPlan().slotOf(name));
        if (g == null) {
            throw new IllegalStateException(kind() + ": no gradient reached node '" + name + "' in the last backward pass");
        }
        return g;
    }

    /** The structure the last forward pass ran (this graph, or its training-time fused copy), for profiles and messages. */
    public Graph lastPlan() {
        return runner.plan() != null ? runner.plan() : this;
    }

    /** The slot holding original node {@code name}'s value: its own, or that of the node it ran inside when that computes its value. */
    private int slotOf(String name) {
        String at = name;
        for (Absorbed a = absorbed.get(at); a != null; a = absorbed.get(at)) {
            if (!a.valueKept()) {
                throw new IllegalStateException(kind() + ": node '" + at + "' ran inside '" + a.host() + "' (" + a.how()
                        + "), so its own value and gradient were not kept");
            }
            at = a.host();
        }
        requireNode(at);
        return topology().slot(at);
    }

    @Override
    protected Module newReplica() {
        Graph r = emptyLike();
        nodes.values().forEach(n -> r.addNode(new Node(n.name, n.module.replica(), n.inputs)));
        r.absorbed.putAll(absorbed);
        r.outputName = outputName;
        r.executionOptions = executionOptions;
        return r;
    }

    @Override
    public int[] outputShape(int[]... inputs) {
        Topology t = topology();
        int[][] shapes = new int[t.names.length][];
        shapes[0] = inputs[0];
        for (int i = 0; i < t.nodes(); i++) {
            int[][] in = Arrays.stream(t.inputs[i]).mapToObj(s -> shapes[s]).toArray(int[][]::new);
            try {
                shapes[i + 1] = t.modules[i].outputShape(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(i) + ": " + e.getMessage(), e);
            }
        }
        return shapes[t.output];
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Graph(input " + inputName);
        for (Node n : nodes.values()) {
            sb.append("\n  ").append(n.name).append(" <- ").append(String.join(", ", n.inputs)).append(": ")
                    .append(n.module.describe().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }

    @Override
    public void close() {
        dropTrainingPlan();
        super.close();
    }
}
