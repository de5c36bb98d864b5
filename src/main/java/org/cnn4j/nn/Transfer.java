package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Transfer learning on a trained network (a {@link Sequential} or a {@link Graph}): cut it at a named
 * layer to get a feature extractor, freeze its first layers or all but the head, and replace the
 * classifier head for a new number of classes. Cuts share the original's layers (no copy): use one of
 * the two networks at a time; closing either frees the shared layers, closing both is safe.
 */
public final class Transfer {
    private Transfer() {
    }

    /** The layer names of {@code net} in the order they run (a Graph's Add and Concat nodes included). */
    public static List<String> layerNames(Module net) {
        return graph(net).nodeNames();
    }

    /** The network from its input up to and including layer {@code layer}: a feature extractor (a Sequential stays one). */
    public static Module cut(Module net, String layer) {
        require(net, layer);
        return graph(net).cut(layer);
    }

    /** Freezes layer {@code layer} and everything that runs before it and feeds it (the body below a cut). */
    public static void freezeThrough(Module net, String layer) {
        require(net, layer);
        graph(net).freezeThrough(layer);
    }

    /** Freezes the first {@code n} layers that have parameters, in the order they run. */
    public static void freezeFirst(Module net, int n) {
        List<Module> learnable = layerNames(net).stream().map(name -> layer(net, name)).filter(m -> m != null && !m.parameters().isEmpty())
                .toList();
        if (n < 0 || n > learnable.size()) {
            throw new IllegalArgumentException("transfer: cannot freeze the first " + n + " layers, the network has " + learnable.size()
                    + " layers with parameters");
        }
        learnable.subList(0, n).forEach(Module::freeze);
    }

    /** Freezes every layer but the classifier head. */
    public static void freezeAllButHead(Module net) {
        String head = headName(net);
        List<String> names = layerNames(net);
        freezeThrough(net, names.get(names.indexOf(head) - 1));
    }

    /** The classifier head: the last linear layer, which must be the network's output. */
    public static String headName(Module net) {
        List<String> names = layerNames(net);
        String out = graph(net).outputName();
        if (!(layer(net, out) instanceof Linear)) {
            throw new IllegalArgumentException("transfer: the network's output layer '" + out + "' is not a Linear classifier head (layers: "
                    + names + ")");
        }
        return out;
    }

    /**
     * Replaces the classifier head by a fresh {@code Linear(in, classes)} (PyTorch's default initialisation)
     * and returns it; the old head is closed.
     */
    public static Linear replaceHead(Module net, int classes) {
        String head = headName(net);
        Linear old = (Linear) layer(net, head);
        Linear fresh = new Linear(old.inFeatures(), classes, old.bias() != null);
        Module replaced = graph(net).replace(head, fresh);
        replaced.close();
        return fresh;
    }

    /**
     * Reorders the classifier head's outputs from class order {@code from} to {@code to}, the same names in
     * another order (an image folder lists its classes alphabetically, a model in its training order), so that
     * output j of the kept head is class {@code to.get(j)}.
     */
    public static void reorderHead(Module net, List<String> from, List<String> to) {
        Set<String> names = new HashSet<>(from);
        if (from.size() != to.size() || names.size() != from.size() || !names.equals(new HashSet<>(to))) {
            throw new IllegalArgumentException("transfer: classes " + to + " are not the head's classes " + from + " in another order");
        }
        Linear head = (Linear) layer(net, headName(net));
        int in = head.inFeatures();
        float[] w = head.weight().value().toArray(), rows = new float[w.length];
        float[] b = head.bias() == null ? null : head.bias().value().toArray(), bias = b == null ? null : new float[b.length];
        for (int j = 0; j < to.size(); j++) {
            int old = from.indexOf(to.get(j));
            System.arraycopy(w, old * in, rows, j * in, in);
            if (b != null) {
                bias[j] = b[old];
            }
        }
        head.weight().value().copyFrom(rows);
        if (b != null) {
            head.bias().value().copyFrom(bias);
        }
    }

    /**
     * A feature extractor followed by a new head: {@code features} (for inputs of channels x height x
     * width), a Flatten when its output is not flat, then {@code head}, whose input size must match.
     */
    public static Sequential withHead(Module features, int channels, int height, int width, Linear head) {
        int[] out = ModelSummary.of(features, channels, height, width).output();
        int size = java.util.Arrays.stream(out).reduce(1, (a, b) -> a * b);
        if (size != head.inFeatures()) {
            throw new IllegalArgumentException("transfer: the features have " + size + " values per image " + java.util.Arrays.toString(out)
                    + ", the head " + head.describe() + " takes " + head.inFeatures());
        }
        Sequential net = new Sequential().add("features", features);
        if (out.length != 1) {
            net.add("flatten", new Flatten());
        }
        return net.add("head", head);
    }

    private static Module layer(Module net, String name) {
        return graph(net).module(name);
    }

    private static Graph graph(Module net) {
        return Graph.of(net, "transfer");
    }

    private static void require(Module net, String layer) {
        List<String> names = layerNames(net);
        if (!names.contains(layer)) {
            throw new IllegalArgumentException("transfer: no layer named '" + layer + "' (layers: " + String.join(", ", names) + ")");
        }
    }

    /** The parameters of {@code net} outside its head, e.g. to give the pretrained body a lower learning rate. */
    public static List<Parameter> bodyParameters(Module net) {
        List<Parameter> head = layer(net, headName(net)).parameters();
        List<Parameter> out = new ArrayList<>(net.parameters());
        out.removeIf(p -> head.stream().anyMatch(h -> h == p));
        return out;
    }
}
