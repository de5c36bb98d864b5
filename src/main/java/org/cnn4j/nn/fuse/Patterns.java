package org.cnn4j.nn.fuse;

import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;

/** What the fusion passes look for in a graph. */
final class Patterns {
    private Patterns() {
    }

    static boolean isRelu(Module m) {
        return m instanceof ActivationLayer a && a.activation().equals(Activation.RELU);
    }

    /**
     * The one node that reads node {@code name}'s value, or null when none or several do or it is the
     * graph's output: only then may a pass compute the two in one op without keeping the first's value.
     */
    static Graph.Node onlyReader(Graph g, String name) {
        List<Graph.Node> readers = g.readers(name);
        return readers.size() == 1 && !name.equals(g.outputName()) ? readers.get(0) : null;
    }

    /** {@link #onlyReader}, when it is a ReLU layer. */
    static Graph.Node onlyReluReader(Graph g, String name) {
        Graph.Node r = onlyReader(g, name);
        return r != null && isRelu(r.module()) ? r : null;
    }
}
