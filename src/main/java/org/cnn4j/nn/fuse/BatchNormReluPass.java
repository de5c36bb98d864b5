package org.cnn4j.nn.fuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Graph;

/**
 * The training-time pass: a batch norm in training mode whose only reader is a ReLU runs with it as one
 * op ({@link BatchNorm2d#fusedWithRelu}), one pass over the activations each way instead of two. The
 * fused node takes the ReLU's name and place; the batch norm's own value is not kept. Returns the graph
 * itself when there is nothing to fuse.
 */
public final class BatchNormReluPass {
    private BatchNormReluPass() {
    }

    public static Graph apply(Graph g) {
        Map<String, Graph.Node> fusedAt = new HashMap<>(); // the ReLU node's name -> the batch norm it absorbs
        for (Graph.Node n : g.nodes()) {
            if (n.module() instanceof BatchNorm2d bn && bn.isTraining()) {
                Graph.Node relu = Patterns.onlyReluReader(g, n.name());
                if (relu != null) {
                    fusedAt.put(relu.name(), n);
                }
            }
        }
        if (fusedAt.isEmpty()) {
            return g;
        }
        List<Graph.Node> nodes = new ArrayList<>();
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        for (Graph.Node n : g.nodes()) {
            Graph.Node bn = fusedAt.get(n.name());
            if (bn != null) {
                nodes.add(new Graph.Node(n.name(), ((BatchNorm2d) bn.module()).fusedWithRelu(), bn.inputs()));
                absorbed.put(bn.name(), new Graph.Absorbed(n.name(), false, "batch norm and ReLU in one op in training mode; read '"
                        + n.name() + "' or run in eval mode"));
            } else if (!fusedAt.containsValue(n)) {
                nodes.add(n);
            }
        }
        return g.derive(nodes, g.outputName(), absorbed);
    }
}
