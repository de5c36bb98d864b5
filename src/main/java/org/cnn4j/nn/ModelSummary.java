package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;

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

    private int[] walk(String name, Module m, int[] in) {
        if (m instanceof Sequential s) {
            for (String n : s.names()) {
                in = walk(qualified(name, n), s.get(n), in);
            }
            return in;
        }
        if (m instanceof Graph g) {
            Map<String, int[]> shapes = new HashMap<>(Map.of(g.inputName(), in));
            for (Graph.Node n : g.nodes()) {
                List<int[]> inputs = n.inputs().stream().map(shapes::get).toList();
                shapes.put(n.name(), switch (n.kind()) {
                    case LAYER -> walk(qualified(name, n.name()), n.module(), inputs.get(0));
                    case ADD -> merge(qualified(name, n.name()), inputs, false);
                    case CONCAT -> merge(qualified(name, n.name()), inputs, true);
                    case RESIDUAL -> merge(qualified(name, n.name()), List.of(walk(qualified(name, n.name()), n.module(), inputs.get(0)), inputs.get(1)), false);
                });
            }
            return shapes.get(g.outputName());
        }
        int[] out = outputOf(name, m, in);
        long params = m.ownParameters().stream().mapToLong(p -> p.value().numel()).sum();
        rows.add(new Row(name, m.describe(), out, params, macsOf(m, in, out)));
        return out;
    }

    private int[] merge(String name, List<int[]> inputs, boolean concat) {
        int[] out = inputs.get(0).clone();
        for (int[] s : inputs.subList(1, inputs.size())) {
            boolean fits = s.length == 3 && s[1] == out[1] && s[2] == out[2] && (concat || s[0] == out[0]);
            if (!fits) {
                throw new IllegalArgumentException("summary: " + name + " (" + (concat ? "Concat" : "Add") + ") cannot join "
                        + inputs.stream().map(Arrays::toString).toList());
            }
            out[0] += concat ? s[0] : 0;
        }
        rows.add(new Row(name, concat ? "Concat" : "Add", out, 0, 0));
        return out;
    }

    private static int[] outputOf(String name, Module m, int[] in) {
        try {
            if (m instanceof Conv2d c) {
                need(in, 3, c.inChannels(), m);
                Conv2dSpec spec = Conv2dSpec.of(1, in[0], in[1], in[2], c.outChannels(), c.kernelSize(), c.stride(), c.padding(),
                        c.dilation(), c.groups());
                return new int[] {c.outChannels(), spec.outH(), spec.outW()};
            }
            if (m instanceof Pool2d p) {
                need(in, 3, -1, m);
                Pool2dSpec spec = new Pool2dSpec(p.kind(), 1, in[0], in[1], in[2], p.kernelSize(), p.kernelSize(), p.stride(), p.stride(),
                        p.padding(), p.padding(), p.ceilMode(), p.countIncludePad());
                return new int[] {in[0], spec.outH(), spec.outW()};
            }
            if (m instanceof BatchNorm2d b) {
                need(in, 3, b.channels(), m);
                return in;
            }
            if (m instanceof GlobalAvgPool2d) {
                need(in, 3, -1, m);
                return new int[] {in[0], 1, 1};
            }
            if (m instanceof Flatten) {
                return new int[] {Arrays.stream(in).reduce(1, (a, b) -> a * b)};
            }
            if (m instanceof Linear l) {
                need(in, 1, l.inFeatures(), m);
                return new int[] {l.outFeatures()};
            }
            if (m instanceof ActivationLayer || m instanceof Dropout) {
                return in;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("summary: layer '" + name + "' " + m.describe() + " on input " + Arrays.toString(in)
                    + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("summary: layer '" + name + "' is a " + m.getClass().getSimpleName() + ", which it cannot follow");
    }

    private static void need(int[] in, int rank, int first, Module m) {
        if (in.length != rank || (first > 0 && in[0] != first)) {
            throw new IllegalArgumentException("expects " + (rank == 3 ? "[C, H, W]" : "[features]")
                    + (first > 0 ? " with " + first + (rank == 3 ? " channels" : " features") : ""));
        }
    }

    private static long macsOf(Module m, int[] in, int[] out) {
        if (m instanceof Conv2d c) {
            return (long) out[0] * out[1] * out[2] * (in[0] / c.groups()) * c.kernelSize() * c.kernelSize();
        }
        if (m instanceof Linear l) {
            return (long) l.inFeatures() * l.outFeatures();
        }
        return 0;
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }
}
