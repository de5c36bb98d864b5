package org.cnn4j.nn;

import java.util.List;
import org.cnn4j.backend.ExecutionOptions;

/**
 * Layers applied one after the other: a {@link Graph} built as a chain, as Keras' Sequential is a
 * functional model. Layers are named (given names, or their position "0", "1", ...) so parameters read
 * {@code conv1.weight}. Backward stops early below the last layer that has anything to learn, and the
 * first layer never computes an input gradient.
 */
public final class Sequential extends Graph {
    public Sequential(Module... modules) {
        super("");
        for (Module m : modules) {
            add(Integer.toString(nodeCount()), m);
        }
    }

    /** Appends a named layer reading the previous one. */
    public Sequential add(String name, Module module) {
        addNode(new Node(name, module, List.of(nodeCount() == 0 ? inputName() : last())));
        return this;
    }

    private int nodeCount() {
        return children().size();
    }

    private String last() {
        List<String> names = nodeNames();
        return names.get(names.size() - 1);
    }

    public Module get(String name) {
        return module(name);
    }

    public List<String> names() {
        return nodeNames();
    }

    @Override
    public Sequential executionOptions(ExecutionOptions options) {
        super.executionOptions(options);
        return this;
    }

    /** A chain has no branches: build a {@link Graph} for them. */
    @Override
    public Graph node(String name, Module module, String... inputs) {
        throw new UnsupportedOperationException("Sequential: layers read the layer before them; use add(name, layer), or a Graph for branches");
    }

    @Override
    public Graph output(String name) {
        throw new UnsupportedOperationException("Sequential: the output is the last layer; use cut(name) for a shorter network");
    }

    @Override
    public Sequential cut(String node) {
        return (Sequential) super.cut(node);
    }

    @Override
    Graph emptyLike() {
        return new Sequential();
    }

    @Override
    String where(int i) {
        return "Sequential layer '" + nodeNames().get(i) + "'";
    }

    @Override
    String kind() {
        return "Sequential";
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Sequential(");
        children().forEach((n, m) -> sb.append("\n  ").append(n).append(": ").append(m.describe().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }
}
