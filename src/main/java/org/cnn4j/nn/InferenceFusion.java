package org.cnn4j.nn;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes an inference copy of a {@link Sequential} or {@link Graph} network: each convolution followed by
 * batch norm has the batch norm folded into its weights and bias, and a ReLU right after is fused into
 * the same op (a oneDNN post-op on the native backend), so conv + BN + ReLU costs one pass over the
 * activations instead of three. In a graph a layer is folded only when the convolution (or the batch
 * norm) feeds nothing else. The copy shares nothing with the original that training could change:
 * folded convolutions get their own parameters; the other layers are the original objects (so keep
 * using the original for training and the copy for inference, not both at once).
 */
public final class InferenceFusion {
    private InferenceFusion() {
    }

    /** The fused copy of a Sequential or Graph network (any other module is returned as it is). */
    public static Module fuse(Module net) {
        if (net instanceof Sequential s) {
            return fuse(s);
        }
        return net instanceof Graph g ? fuse(g) : net;
    }

    public static Graph fuse(Graph net) {
        Map<String, Residual> residualAt = residualBlocks(net); // by the name of the Add node they replace
        Set<String> deferred = new HashSet<>();
        residualAt.values().forEach(r -> deferred.addAll(r.absorbed()));
        Map<String, String> renamed = new HashMap<>(); // a folded node -> the node that now computes its value
        Set<String> absorbed = new HashSet<>();
        Graph out = new Graph(net.inputName());
        for (Graph.Node n : net.nodes()) {
            String[] inputs = n.inputs().stream().map(in -> renamed.getOrDefault(in, in)).toArray(String[]::new);
            Residual r = residualAt.get(n.name());
            if (r != null) { // conv (+ BN) -> Add(., shortcut) -> ReLU: one convolution with sum and ReLU post-ops
                String conv = r.conv().name();
                out.residual(conv, ((Conv2d) r.conv().module()).foldedWith(r.bn() == null ? null : (BatchNorm2d) r.bn().module(), true),
                        renamed.getOrDefault(r.conv().inputs().get(0), r.conv().inputs().get(0)), renamed.getOrDefault(r.shortcut(), r.shortcut()));
                for (String gone : new String[] {r.bn() == null ? null : r.bn().name(), n.name(), r.relu().name()}) {
                    if (gone != null) {
                        renamed.put(gone, conv);
                    }
                }
                absorbed.add(r.relu().name());
                continue;
            }
            if (deferred.contains(n.name()) || absorbed.contains(n.name())) {
                continue;
            }
            switch (n.kind()) {
                case ADD -> out.add(n.name(), inputs);
                case CONCAT -> out.concat(n.name(), inputs);
                case RESIDUAL -> out.residual(n.name(), (Conv2d) n.module(), inputs[0], inputs[1]);
                case LAYER -> {
                    if (!(n.module() instanceof Conv2d conv)) {
                        out.layer(n.name(), n.module(), inputs[0]);
                        break;
                    }
                    Graph.Node bn = onlyReader(net, n.name(), BatchNorm2d.class);
                    Graph.Node relu = onlyReluReader(net, bn != null ? bn.name() : n.name());
                    out.layer(n.name(), conv.foldedWith(bn == null ? null : (BatchNorm2d) bn.module(), relu != null), inputs[0]);
                    for (Graph.Node gone : new Graph.Node[] {bn, relu}) {
                        if (gone != null) {
                            absorbed.add(gone.name());
                            renamed.put(gone.name(), n.name());
                        }
                    }
                }
            }
        }
        out.output(renamed.getOrDefault(net.outputName(), net.outputName()));
        out.eval();
        return out;
    }

    /** A residual block's end: conv, its BN (or null), the Add's other input, and the ReLU after the Add. */
    private record Residual(Graph.Node conv, Graph.Node bn, String shortcut, Graph.Node relu) {
        List<String> absorbed() {
            return bn == null ? List.of(conv.name()) : List.of(conv.name(), bn.name());
        }
    }

    /**
     * The Add nodes of two inputs, followed only by a ReLU, where one input is a convolution (or a
     * convolution's BN) that feeds nothing else: each becomes one fused convolution.
     */
    private static Map<String, Residual> residualBlocks(Graph net) {
        Map<String, Graph.Node> byName = new HashMap<>();
        net.nodes().forEach(n -> byName.put(n.name(), n));
        Map<String, Residual> found = new HashMap<>();
        for (Graph.Node add : net.nodes()) {
            if (add.kind() != Graph.Kind.ADD || add.inputs().size() != 2) {
                continue;
            }
            Graph.Node relu = onlyReluReader(net, add.name());
            for (int side = 0; side < 2 && relu != null; side++) {
                Graph.Node branch = byName.get(add.inputs().get(side));
                if (branch == null || net.onlyReader(branch.name()) == null || branch.kind() != Graph.Kind.LAYER) {
                    continue;
                }
                Graph.Node bn = branch.module() instanceof BatchNorm2d ? branch : null;
                Graph.Node conv = bn == null ? branch : byName.get(bn.inputs().get(0));
                if (conv != null && conv.kind() == Graph.Kind.LAYER && conv.module() instanceof Conv2d && net.onlyReader(conv.name()) != null) {
                    found.put(add.name(), new Residual(conv, bn, add.inputs().get(1 - side), relu));
                    break;
                }
            }
        }
        return found;
    }

    /** {@link Graph#onlyReader}, when it is a layer of {@code type}. */
    private static Graph.Node onlyReader(Graph net, String name, Class<?> type) {
        Graph.Node reader = net.onlyReader(name);
        return reader != null && reader.kind() == Graph.Kind.LAYER && type.isInstance(reader.module()) ? reader : null;
    }

    /** {@link Graph#onlyReader}, when it is a ReLU layer. */
    private static Graph.Node onlyReluReader(Graph net, String name) {
        Graph.Node reader = onlyReader(net, name, ActivationLayer.class);
        return reader != null && ActivationLayer.isRelu(reader.module()) ? reader : null;
    }

    public static Sequential fuse(Sequential net) {
        Sequential out = new Sequential();
        List<String> names = net.names();
        for (int i = 0; i < names.size(); i++) {
            Module m = net.get(names.get(i));
            if (m instanceof Conv2d conv) {
                BatchNorm2d bn = null;
                int next = i + 1;
                if (next < names.size() && net.get(names.get(next)) instanceof BatchNorm2d b) {
                    bn = b;
                    next++;
                }
                boolean relu = next < names.size() && ActivationLayer.isRelu(net.get(names.get(next)));
                out.add(names.get(i), conv.foldedWith(bn, relu));
                i = relu ? next : next - 1;
            } else {
                out.add(names.get(i), m);
            }
        }
        out.eval();
        return out;
    }
}
