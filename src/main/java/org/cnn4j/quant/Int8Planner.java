package org.cnn4j.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.fuse.FusedConv2d;
import org.cnn4j.nn.fuse.FusedFlattenLinear;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * Decides how each node of an inference-fused graph runs in a {@link QuantizedNetwork}: fused convolutions and
 * linear layers (with a ReLU that is a linear layer's only reader folded in) in int8, max pooling and a Flatten
 * before linear layers on int8 values, the rest in f32. The same graph and ranges always give the same plan, which
 * is how a quantised model file is read back: rebuild and fuse the architecture, plan again, take the stored weights.
 */
final class Int8Planner {
    /** Where a step's int8 weights and f32 bias come from: quantising the f32 ones, or a model file. */
    interface Weights {
        Int8Weights weight(String step, Tensor fp32Weight);

        /** A frozen f32 bias for {@code step} (null when it has none). */
        Tensor bias(String step, Tensor fp32Bias);
    }

    private Int8Planner() {
    }

    /** {@code ownsFloatModules}: the f32 steps' modules are the network's to close (not the trained network's layers). */
    static QuantizedNetwork plan(Graph fused, Map<String, ValueRange> ranges, Weights weights, boolean ownsFloatModules) {
        String output = fused.outputName();
        Map<String, ValueScale> scales = new HashMap<>();
        Set<String> int8Values = new HashSet<>(), folded = new HashSet<>();
        scales.put(fused.inputName(), scale(ranges, fused.inputName(), null));
        List<QuantizedStep> steps = new ArrayList<>();
        for (Graph.Node n : fused.nodes()) {
            if (folded.contains(n.name())) {
                continue;
            }
            String in = n.inputs().get(0);
            QuantizedStep step;
            if (n.module() instanceof FusedConv2d c) {
                boolean last = n.name().equals(output) && !c.postOps().sum();
                ValueScale out = last ? null : scale(ranges, n.name(), c.postOps().relu());
                step = new Int8ConvStep(n.name(), n.inputs(), c.geometry(), weights.weight(n.name(), c.namedParameters().get("weight").value()),
                        weights.bias(n.name(), c.namedParameters().get("bias").value()), c.postOps(), out);
                put(scales, int8Values, n.name(), out);
            } else if (n.module() instanceof Linear || n.module() instanceof FusedFlattenLinear) {
                // the int8 linear layer reads a 4-D input in Flatten's order itself, so a fused Flatten + Linear is one too
                Graph.Node relu = onlyReluReader(fused, n.name());
                String name = relu != null && !n.name().equals(output) ? relu.name() : n.name();
                if (!name.equals(n.name())) {
                    folded.add(name);
                }
                ValueScale out = name.equals(output) ? null : scale(ranges, name, !name.equals(n.name()));
                Parameter bias = n.module().namedParameters().get("bias");
                step = new Int8LinearStep(name, n.inputs(), weights.weight(name, n.module().namedParameters().get("weight").value()),
                        weights.bias(name, bias == null ? null : bias.value()), !name.equals(n.name()), out);
                put(scales, int8Values, name, out);
            } else if (n.module() instanceof Pool2d p && p.kind() == Pool2dSpec.Kind.MAX && int8Values.contains(in)) {
                step = new Int8MaxPoolStep(n.name(), n.inputs(), p);
                put(scales, int8Values, n.name(), scales.get(in));
            } else if (n.module() instanceof Flatten && int8Values.contains(in) && allLinear(fused, n.name()) && !n.name().equals(output)) {
                step = new Int8FlattenStep(n.name(), n.inputs());
                put(scales, int8Values, n.name(), scales.get(in));
            } else {
                step = new FloatStep(n.name(), n.inputs(), n.module(), ownsFloatModules);
                if (ranges.containsKey(n.name())) {
                    scales.put(n.name(), scale(ranges, n.name(), null));
                }
            }
            steps.add(step);
        }
        return new QuantizedNetwork(fused.inputName(), output, steps, scales, ranges);
    }

    private static void put(Map<String, ValueScale> scales, Set<String> int8Values, String name, ValueScale s) {
        if (s != null) {
            scales.put(name, s);
            int8Values.add(name);
        }
    }

    /** The value's scale: u8 when {@code unsigned} says so (a fused ReLU), or when null, when it was never negative. */
    private static ValueScale scale(Map<String, ValueRange> ranges, String value, Boolean unsigned) {
        ValueRange r = ranges.get(value);
        if (r == null) {
            throw new IllegalArgumentException("quantization: no calibrated range for " + value);
        }
        return ValueScale.ofRange(r.range(), unsigned == null ? r.neverNegative() : unsigned);
    }

    private static Graph.Node onlyReluReader(Graph g, String name) {
        List<Graph.Node> readers = g.readers(name);
        if (readers.size() == 1 && readers.get(0).module() instanceof ActivationLayer a
                && a.activation().kind() == Activation.Kind.RELU) {
            return readers.get(0);
        }
        return null;
    }

    private static boolean allLinear(Graph g, String name) {
        List<Graph.Node> readers = g.readers(name);
        return !readers.isEmpty() && readers.stream().allMatch(r -> r.module() instanceof Linear || r.module() instanceof FusedFlattenLinear);
    }
}
