package org.cnn4j.nn;

import org.cnn4j.backend.Activation;

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
        java.util.Map<String, Integer> readers = new java.util.HashMap<>();
        for (Graph.Node n : net.nodes()) {
            n.inputs().forEach(in -> readers.merge(in, 1, Integer::sum));
        }
        java.util.Map<String, Graph.Node> byName = new java.util.LinkedHashMap<>();
        net.nodes().forEach(n -> byName.put(n.name(), n));
        java.util.Map<String, String> renamed = new java.util.HashMap<>(); // a folded node -> the node that now computes it
        java.util.Set<String> absorbed = new java.util.HashSet<>();
        Graph out = new Graph(net.inputName());
        for (Graph.Node n : net.nodes()) {
            if (absorbed.contains(n.name())) {
                continue;
            }
            String[] inputs = n.inputs().stream().map(in -> renamed.getOrDefault(in, in)).toArray(String[]::new);
            switch (n.kind()) {
                case ADD -> out.add(n.name(), inputs);
                case CONCAT -> out.concat(n.name(), inputs);
                case LAYER -> {
                    if (!(n.module() instanceof Conv2d conv)) {
                        out.layer(n.name(), n.module(), inputs[0]);
                        break;
                    }
                    Graph.Node bn = onlyReader(net, readers, n.name(), BatchNorm2d.class, null);
                    Graph.Node relu = onlyReader(net, readers, bn != null ? bn.name() : n.name(), ActivationLayer.class, Activation.RELU);
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

    /** The single node reading {@code name}, when there is one and it is a layer of {@code type} (and ReLU when asked). */
    private static Graph.Node onlyReader(Graph net, java.util.Map<String, Integer> readers, String name, Class<?> type, Activation act) {
        if (readers.getOrDefault(name, 0) != 1 || name.equals(net.outputName())) {
            return null;
        }
        Graph.Node reader = net.nodes().stream().filter(n -> n.inputs().contains(name)).findFirst().orElseThrow();
        boolean fits = reader.kind() == Graph.Kind.LAYER && type.isInstance(reader.module())
                && (act == null || ((ActivationLayer) reader.module()).activation().equals(act));
        return fits ? reader : null;
    }

    public static Sequential fuse(Sequential net) {
        Sequential out = new Sequential();
        java.util.List<String> names = net.names();
        for (int i = 0; i < names.size(); i++) {
            Module m = net.get(names.get(i));
            if (m instanceof Conv2d conv) {
                BatchNorm2d bn = null;
                int next = i + 1;
                if (next < names.size() && net.get(names.get(next)) instanceof BatchNorm2d b) {
                    bn = b;
                    next++;
                }
                boolean relu = next < names.size() && net.get(names.get(next)) instanceof ActivationLayer a
                        && a.activation().equals(Activation.RELU);
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
