package org.cnn4j.nn.fuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Graph;

/**
 * The inference-time pass: each convolution whose only reader is a batch norm gets the batch norm
 * folded into its weights and bias, and a ReLU that is then the only reader fuses into the same op, so
 * conv + BN + ReLU costs one pass over the activations instead of three. Every convolution becomes a
 * {@link FusedConv2d} under its own name (folded or not, so later passes and the kernels see one kind).
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    public static Graph apply(Graph g) {
        Map<String, String> renamed = new HashMap<>(); // an absorbed node -> the node that now computes what read it
        Set<String> gone = new HashSet<>();
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        List<Graph.Node> nodes = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            if (gone.contains(n.name())) {
                continue;
            }
            List<String> inputs = n.inputs().stream().map(in -> renamed.getOrDefault(in, in)).toList();
            if (!(n.module() instanceof Conv2d conv)) {
                nodes.add(new Graph.Node(n.name(), n.module(), inputs));
                continue;
            }
            Graph.Node bn = Patterns.onlyReader(g, n.name());
            bn = bn != null && bn.module() instanceof BatchNorm2d ? bn : null;
            Graph.Node relu = Patterns.onlyReluReader(g, bn != null ? bn.name() : n.name());
            nodes.add(new Graph.Node(n.name(), FusedConv2d.fold(conv, bn == null ? null : (BatchNorm2d) bn.module(),
                    relu != null ? PostOps.RELU : PostOps.NONE), inputs));
            if (bn != null) {
                gone.add(bn.name());
                renamed.put(bn.name(), n.name());
                absorbed.put(bn.name(), new Graph.Absorbed(n.name(), relu == null, "folded into the convolution of this inference copy"));
            }
            if (relu != null) {
                gone.add(relu.name());
                renamed.put(relu.name(), n.name());
                absorbed.put(relu.name(), new Graph.Absorbed(n.name(), true, "fused into the convolution of this inference copy"));
            }
        }
        return g.derive(nodes, renamed.getOrDefault(g.outputName(), g.outputName()), absorbed);
    }
}
