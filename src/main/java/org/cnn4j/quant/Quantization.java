package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.fuse.FusedConv2d;
import org.cnn4j.nn.fuse.FusedFlattenLinear;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * Post-training quantisation of a trained network (a {@link Graph} or {@link org.cnn4j.nn.Sequential}, as the zoo
 * builds them). {@link #int8} folds batch norms into the convolutions ({@link InferenceFusion}), calibrates every
 * activation's range on a few batches (min/max or a percentile), quantises weights per output channel
 * (symmetric, scale = max|w| / 127) and returns a {@link QuantizedNetwork}: f32 in, f32 logits out, int8 inside.
 * {@link #bf16} returns the fused network with its convolutions and linear layers in bf16. Both are inference
 * copies that share the trained network's unfused layers (as {@link InferenceFusion}'s do): use the trained one
 * for training and the copy for inference, not both at once. See docs/quantization.md.
 */
public final class Quantization {
    private Quantization() {
    }

    /** The int8 network of {@code trained}, calibrated on {@code batches} (inputs as the network takes them). */
    public static QuantizedNetwork int8(Module trained, List<Tensor> batches, CalibrationMethod method) {
        Graph fused = fusedGraph(trained);
        return Int8Planner.plan(fused, Calibrator.ranges(fused, batches, method), new Int8Planner.Weights() {
            @Override
            public Int8Weights weight(String step, Tensor w) {
                return Int8Weights.quantize(w.toArray(), w.dims());
            }

            @Override
            public Tensor bias(String step, Tensor b) {
                return b == null ? null : b.copy().freeze();
            }
        }, false);
    }

    /** The int8 network of an architecture (fused as {@link #int8} fuses) with the ranges and weights a model file stored. */
    static QuantizedNetwork int8(Module architecture, Map<String, ValueRange> ranges, Int8Planner.Weights stored) {
        return Int8Planner.plan(fusedGraph(architecture), ranges, stored, true);
    }

    /** {@code trained} fused for inference, with fused convolutions and linear layers in bf16 (f32 elsewhere). */
    public static Graph bf16(Module trained) {
        Graph fused = fusedGraph(trained);
        for (Graph.Node n : fused.nodes()) {
            if (n.module() instanceof FusedConv2d c) {
                fused.replace(n.name(), c.inBf16());
            } else if (n.module() instanceof Linear l) {
                fused.replace(n.name(), FusedFlattenLinear.copyOf(l).inBf16());
            } else if (n.module() instanceof FusedFlattenLinear l) {
                fused.replace(n.name(), l.inBf16());
            }
        }
        fused.eval();
        return fused;
    }

    private static Graph fusedGraph(Module trained) {
        if (!(trained instanceof Graph g)) {
            throw new IllegalArgumentException("quantization: needs a Graph or Sequential network, got " + trained.label());
        }
        trained.eval();
        return InferenceFusion.fuseKeepingPools(g);
    }
}
