package org.cnn4j.nn.fuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;

/**
 * The inference-time pass that makes a {@link Flatten} whose only reader is a {@link Linear} and the Linear
 * one {@link FusedFlattenLinear}, which reads a channels-last map without Flatten's reorder. The fused node keeps
 * the Linear's name; the Flatten's value is not kept.
 */
public final class FlattenLinearPass {
    private FlattenLinearPass() {
    }

    public static Graph apply(Graph g) {
        Map<String, Graph.Node> linearAfter = new HashMap<>(); // by the name of the Flatten it reads
        for (Graph.Node n : g.nodes()) {
            Graph.Node reader = n.module() instanceof Flatten ? Patterns.onlyReader(g, n.name()) : null;
            if (reader != null && reader.module() instanceof Linear) {
                linearAfter.put(n.name(), reader);
            }
        }
        if (linearAfter.isEmpty()) {
            return g;
        }
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        List<String> skipped = new ArrayList<>();
        List<Graph.Node> nodes = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            Graph.Node linear = linearAfter.get(n.name());
            if (linear != null) {
                nodes.add(new Graph.Node(linear.name(), FusedFlattenLinear.of((Linear) linear.module()), n.inputs()));
                absorbed.put(n.name(), new Graph.Absorbed(linear.name(), false, "read in the map's own order by the linear layer of this inference copy"));
                skipped.add(linear.name());
            } else if (!skipped.contains(n.name())) {
                nodes.add(n);
            }
        }
        return g.derive(nodes, g.outputName(), absorbed);
    }
}
