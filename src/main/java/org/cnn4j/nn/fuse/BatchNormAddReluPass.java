package org.cnn4j.nn.fuse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Graph;

/**
 * The training-time pass for a residual block's end: a batch norm in training mode whose only reader is an
 * {@link Add} of it and a shortcut, whose only reader is a ReLU, runs as one op
 * ({@link BatchNorm2d#fusedWithAddRelu}): one pass over the activations forward instead of three (batch norm,
 * add, ReLU). The fused node takes the ReLU's name and place (where the shortcut is computed, since the ReLU
 * reads the sum); the batch norm's and the sum's values are not kept. Returns the graph itself when there is
 * nothing to fuse.
 */
public final class BatchNormAddReluPass {
    private BatchNormAddReluPass() {
    }

    private record Block(Graph.Node bn, Graph.Node add, String shortcut) {
    }

    public static Graph apply(Graph g) {
        Map<String, Block> blockAt = new HashMap<>(); // by the ReLU's name
        for (Graph.Node n : g.nodes()) {
            Graph.Node add = n.module() instanceof BatchNorm2d bn && bn.isTraining() ? Patterns.onlyReader(g, n.name()) : null;
            if (add == null || !(add.module() instanceof Add) || add.inputs().size() != 2 || add.inputs().get(0).equals(add.inputs().get(1))) {
                continue;
            }
            Graph.Node relu = Patterns.onlyReluReader(g, add.name());
            if (relu != null) {
                String shortcut = add.inputs().get(add.inputs().get(0).equals(n.name()) ? 1 : 0);
                blockAt.put(relu.name(), new Block(n, add, shortcut));
            }
        }
        if (blockAt.isEmpty()) {
            return g;
        }
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        List<String> skipped = blockAt.values().stream().flatMap(b -> java.util.stream.Stream.of(b.bn().name(), b.add().name())).toList();
        List<Graph.Node> nodes = new java.util.ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            Block b = blockAt.get(n.name());
            if (b != null) {
                BatchNorm2d bn = (BatchNorm2d) b.bn().module();
                nodes.add(new Graph.Node(n.name(), bn.fusedWithAddRelu(), List.of(b.bn().inputs().get(0), b.shortcut())));
                String how = "batch norm, shortcut sum and ReLU in one op in training mode; read '" + n.name() + "' or run in eval mode";
                absorbed.put(b.bn().name(), new Graph.Absorbed(n.name(), false, how));
                absorbed.put(b.add().name(), new Graph.Absorbed(n.name(), false, how));
            } else if (!skipped.contains(n.name())) {
                nodes.add(n);
            }
        }
        return g.derive(nodes, g.outputName(), absorbed);
    }
}
