package org.cnn4j.nn.fuse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Pool2d;

/**
 * The inference-time pass after {@link ConvAddReluPass}: a fused convolution without a residual sum whose only reader
 * is a 2x2 stride-2 max pooling (no padding, floor mode: VGG's and the Fashion-MNIST nets' pools) becomes that
 * convolution with the pooling inside it ({@link FusedConv2d#withMaxPool}), so the full-size map between them is never
 * written (on Winograd, whose output transform pools; elsewhere the layer runs the two ops). The fused node keeps the
 * convolution's name and its value is the pooled map.
 */
public final class ConvMaxPoolPass {
    private ConvMaxPoolPass() {
    }

    /** Whether {@code pool} is the pooling a convolution can take inside it. */
    static boolean fusable(Pool2d pool) {
        return pool.kind() == Pool2dSpec.Kind.MAX && pool.kernelH() == 2 && pool.kernelW() == 2 && pool.strideH() == 2
                && pool.strideW() == 2 && pool.padH() == 0 && pool.padW() == 0 && !pool.ceilMode();
    }

    public static Graph apply(Graph g) {
        Map<String, Graph.Node> poolAfter = new HashMap<>(); // by the name of the convolution it reads
        for (Graph.Node n : g.nodes()) {
            Graph.Node reader = n.module() instanceof FusedConv2d f && !f.postOps().sum() && !f.pools() ? Patterns.onlyReader(g, n.name()) : null;
            if (reader != null && reader.module() instanceof Pool2d p && fusable(p)) {
                poolAfter.put(n.name(), reader);
            }
        }
        if (poolAfter.isEmpty()) {
            return g;
        }
        Map<String, String> renamed = new HashMap<>();
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        List<String> pools = poolAfter.values().stream().map(Graph.Node::name).toList();
        List<Graph.Node> nodes = new java.util.ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            List<String> inputs = n.inputs().stream().map(in -> renamed.getOrDefault(in, in)).toList();
            Graph.Node pool = poolAfter.get(n.name());
            if (pool != null) {
                nodes.add(new Graph.Node(n.name(), ((FusedConv2d) n.module()).withMaxPool((Pool2d) pool.module()), inputs));
                for (String inside : g.absorbedInto(n.name())) { // a folded batch norm's or fused ReLU's value is now pooled too
                    absorbed.put(inside, new Graph.Absorbed(n.name(), false, g.absorbed().get(inside).how()));
                }
                absorbed.put(pool.name(), new Graph.Absorbed(n.name(), true, "max-pooled inside the convolution of this inference copy"));
                renamed.put(pool.name(), n.name());
            } else if (!pools.contains(n.name())) {
                nodes.add(new Graph.Node(n.name(), n.module(), inputs));
            }
        }
        return g.derive(nodes, renamed.getOrDefault(g.outputName(), g.outputName()), absorbed);
    }
}
