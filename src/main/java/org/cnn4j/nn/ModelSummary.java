package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's layers with their output shapes, parameter counts and multiply-accumulates for one image,
 * worked out from the layers' hyper-parameters without running anything (like torchinfo). MACs count
 * the convolutions and linear layers, as published figures do (ResNet-50: 4.1 G at 224x224).
 */
public final class ModelSummary {
    /** One layer (or Add/Concat node): its output shape for one image, its parameters and MACs. */
    public record Row(String name, String description, int[] output, long parameters, long macs) {
    }

    private final List<Row> rows = new ArrayList<>();

    private ModelSummary() {
    }

    /** The summary of {@code model} for inputs of {@code channels x height x width}; a shape that does not fit fails naming the layer. */
    public static ModelSummary of(Module model, int channels, int height, int width) {
        ModelSummary s = new ModelSummary();
        s.walk("", model, new int[] {channels, height, width});
        return s;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public long parameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    public long macs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    /** The output shape of the whole network for one image. */
    public int[] output() {
        return rows.get(rows.size() - 1).output().clone();
    }

    private int[] walk(String name, Module m, int[]... in) {
        if (m instanceof Graph g) {
            Map<String, int[]> shapes = new HashMap<>(Map.of(g.inputName(), in[0]));
            for (Graph.Node n : g.nodes()) {
                shapes.put(n.name(), walk(qualified(name, n.name()), n.module(), n.inputs().stream().map(shapes::get).toArray(int[][]::new)));
            }
            return shapes.get(g.outputName());
        }
        int[] out;
        try {
            out = m.outputShape(in);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("summary: layer '" + name + "' " + m.describe() + " on input "
                    + Arrays.stream(in).map(Arrays::toString).collect(java.util.stream.Collectors.joining(", ")) + ": " + e.getMessage(), e);
        }
        long params = m.ownParameters().stream().mapToLong(p -> p.value().numel()).sum();
        rows.add(new Row(name, m.describe(), out, params, m.macs(in, out)));
        return out;
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }
}
