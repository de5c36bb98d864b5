package org.cnn4j.quant;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Graph;
import org.cnn4j.tensor.Tensor;

/**
 * Runs an inference-fused graph in f32 node by node over calibration batches and records each value's range
 * (every node's output and the input): one pass for min/max, a second over the same batches for percentile
 * histograms. Node by node rather than through the graph's runner, so every value is seen before a later node
 * could write over it.
 */
final class Calibrator {
    private Calibrator() {
    }

    static Map<String, ValueRange> ranges(Graph fused, List<Tensor> batches, CalibrationMethod method) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("quantization: calibration needs at least one batch");
        }
        Map<String, RangeObserver> observers = new LinkedHashMap<>();
        observers.put(fused.inputName(), new RangeObserver(fused.inputName()));
        fused.nodes().forEach(n -> observers.put(n.name(), new RangeObserver(n.name())));
        pass(fused, batches, observers, false);
        if (method == CalibrationMethod.PERCENTILE) {
            pass(fused, batches, observers, true);
        }
        Map<String, ValueRange> out = new LinkedHashMap<>();
        observers.forEach((name, o) -> out.put(name, o.range(method)));
        return out;
    }

    private static void pass(Graph fused, List<Tensor> batches, Map<String, RangeObserver> observers, boolean histogram) {
        for (Tensor x : batches) {
            Map<String, Tensor> values = new HashMap<>();
            values.put(fused.inputName(), x);
            observe(observers.get(fused.inputName()), x, histogram);
            for (Graph.Node n : fused.nodes()) {
                Tensor[] in = n.inputs().stream().map(values::get).toArray(Tensor[]::new);
                Tensor y = n.module().forward(in);
                observe(observers.get(n.name()), y, histogram);
                values.put(n.name(), y);
            }
        }
    }

    private static void observe(RangeObserver o, Tensor t, boolean histogram) {
        if (histogram) {
            o.histogram(t);
        } else {
            o.observe(t);
        }
    }
}
