package org.cnn4j.nn.fuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.Graph;

/**
 * The inference-time pass after {@link BatchNormFolding}: an {@link Add} of two inputs whose only reader
 * is a ReLU, where one input is a fused convolution without post-ops that feeds nothing else, becomes
 * that convolution with a residual sum and a ReLU as post-ops (a ResNet block's end in one op). The
 * fused node keeps the convolution's name and runs where the Add ran (its shortcut may be computed
 * after the convolution).
 */
public final class ConvAddReluPass {
    private ConvAddReluPass() {
    }

    private record Block(Graph.Node conv, String shortcut, Graph.Node relu) {
    }

    public static Graph apply(Graph g) {
        Map<String, Block> blockAt = new HashMap<>(); // by the name of the Add it replaces
        Map<String, Graph.Node> byName = new HashMap<>();
        g.nodes().forEach(n -> byName.put(n.name(), n));
        for (Graph.Node add : g.nodes()) {
            Graph.Node relu = add.module() instanceof Add && add.inputs().size() == 2 ? Patterns.onlyReluReader(g, add.name()) : null;
            for (int side = 0; side < 2 && relu != null; side++) {
                Graph.Node branch = byName.get(add.inputs().get(side));
                if (branch != null && branch.module() instanceof FusedConv2d f && f.postOps().equals(PostOps.NONE)
                        && Patterns.onlyReader(g, branch.name()) != null && !add.inputs().get(1 - side).equals(branch.name())) {
                    blockAt.put(add.name(), new Block(branch, add.inputs().get(1 - side), relu));
                    break;
                }
            }
        }
        if (blockAt.isEmpty()) {
            return g;
        }
        Map<String, String> renamed = new HashMap<>();
        Map<String, Graph.Absorbed> absorbed = new HashMap<>();
        List<String> skipped = new ArrayList<>();
        blockAt.values().forEach(b -> skipped.addAll(List.of(b.conv().name(), b.relu().name())));
        List<Graph.Node> nodes = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            Block b = blockAt.get(n.name());
            if (b != null) {
                String conv = b.conv().name();
                FusedConv2d fused = ((FusedConv2d) b.conv().module()).withPostOps(PostOps.SUM_RELU);
                String input = b.conv().inputs().get(0);
                nodes.add(new Graph.Node(conv, fused, List.of(renamed.getOrDefault(input, input), renamed.getOrDefault(b.shortcut(), b.shortcut()))));
                absorbed.put(n.name(), new Graph.Absorbed(conv, false, "added to the convolution's output inside it in this inference copy"));
                absorbed.put(b.relu().name(), new Graph.Absorbed(conv, true, "fused into the convolution of this inference copy"));
                for (String inside : g.absorbedInto(conv)) { // a folded batch norm's value is now summed and rectified too
                    absorbed.put(inside, new Graph.Absorbed(conv, false, g.absorbed().get(inside).how()));
                }
                renamed.put(n.name(), conv);
                renamed.put(b.relu().name(), conv);
            } else if (!skipped.contains(n.name())) {
                nodes.add(new Graph.Node(n.name(), n.module(), n.inputs().stream().map(in -> renamed.getOrDefault(in, in)).toList()));
            }
        }
        return g.derive(nodes, renamed.getOrDefault(g.outputName(), g.outputName()), absorbed);
    }
}
