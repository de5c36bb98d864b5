package org.cnn4j.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Memory-bound ops in GB/s (bytes each op must read and write, divided by its median time) next to two
 * copy-bandwidth probes measured in the same run, both bulk copies on the backend's threads (a
 * one-input concatenation: memcpy runs): one of the op's own size, whose 2 x 12.8 MB stay in this
 * machine's 32 MB L3 when repeated, and one of 128 MB, which measures memory. An op that touches three
 * or four such tensors (add, batch-norm backward) no longer fits the L3, so its fair yardstick lies
 * between the two. Shapes are the activations of fmnist-cnn at batch 128, channels-last.
 */
public final class OpsBenchmark {

    /** One op's figure. */
    public record Result(String op, String shape, double medianMs, double gbPerSecond, double percentOfCopy,
                         double percentOfMemoryCopy) {
    }

    private OpsBenchmark() {
    }

    public static List<Result> run(Backend backend, int mb, int reps) {
        List<Result> results = new ArrayList<>();
        double memory;
        try (Tensor from = Tensor.zeros(Shape.of(64, 64, 64, 128), Layout.NHWC); Tensor to = Tensor.zeros(Shape.of(64, 64, 64, 128), Layout.NHWC)) {
            long bytes = 4L * from.numel();
            double ms = Timing.ms(reps, () -> backend.concatChannels(List.of(from), to)).median();
            memory = 2 * bytes / (ms * 1e-3) * 1e-9;
            results.add(new Result("copy (probe, memory)", "128 MB", ms, memory, Double.NaN, 100));
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("28x28x32", new int[] {mb, 32, 28, 28});
        shapes.put("14x14x64", new int[] {mb, 64, 14, 14});
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int[] d = e.getValue();
            try (Tensor x = RandomTensors.uniform(d, 1); Tensor y = RandomTensors.uniform(d, 2);
                 Tensor z = RandomTensors.uniform(d, 3); Tensor g = RandomTensors.uniform(d, 4);
                 Tensor gamma = RandomTensors.uniform(new int[] {d[1]}, 5); Tensor beta = RandomTensors.uniform(new int[] {d[1]}, 6);
                 Tensor mean = RandomTensors.uniform(new int[] {d[1]}, 7); Tensor var = Tensor.zeros(d[1]).fill(1f);
                 Tensor bm = Tensor.zeros(d[1]); Tensor bv = Tensor.zeros(d[1]); Tensor gg = Tensor.zeros(d[1]); Tensor gb = Tensor.zeros(d[1])) {
                Pool2dSpec pool = Pool2dSpec.of(Pool2dSpec.Kind.MAX, d[0], d[1], d[2], d[3], 2, 2, 0);
                try (Tensor pooled = Tensor.zeros(Shape.of(pool.outputDims()), Layout.NHWC)) {
                    long bytes = 4L * x.numel();
                    // a one-input concatenation is a bulk copy on the backend's threads (memcpy runs), as the ops are
                    double copyMs = Timing.ms(reps, () -> backend.concatChannels(List.of(x), y)).median();
                    double copy = 2 * bytes / (copyMs * 1e-3) * 1e-9;
                    String s = e.getKey();
                    results.add(result("copy (probe)", s, copyMs, 2 * bytes, copy, memory));
                    results.add(result("relu forward", s, Timing.ms(reps, () -> backend.activationForward(Activation.RELU, x, y)).median(), 2 * bytes, copy, memory));
                    results.add(result("relu backward", s, Timing.ms(reps, () -> backend.activationBackward(Activation.RELU, x, y, g, z)).median(), 4 * bytes, copy, memory));
                    results.add(result("add", s, Timing.ms(reps, () -> backend.add(x, y, z)).median(), 3 * bytes, copy, memory));
                    results.add(result("batch norm inference", s,
                            Timing.ms(reps, () -> backend.batchNormInferenceForward(1e-5f, x, null, gamma, beta, mean, var, y, false)).median(), 2 * bytes, copy, memory));
                    // training reads the input twice (statistics, then normalisation) and writes once
                    results.add(result("batch norm training", s,
                            Timing.ms(reps, () -> backend.batchNormTrainingForward(1e-5f, 0.1f, x, null, gamma, beta, mean, var, y, bm, bv, false)).median(), 3 * bytes, copy, memory));
                    results.add(result("batch norm backward", s,
                            Timing.ms(reps, () -> backend.batchNormBackward(1e-5f, true, x, null, gamma, null, bm, bv, g, z, null, gg, gb, false)).median(), 4 * bytes, copy, memory));
                    results.add(result("max pool 2x2 forward", s, Timing.ms(reps, () -> backend.pool2dForward(pool, x, pooled)).median(),
                            bytes + bytes / 4, copy, memory));
                    // training records where each maximum was (a byte per output), so its backward need not read x
                    ByteBuffer argmax = ByteBuffer.allocateDirect(pooled.numel());
                    results.add(result("max pool 2x2 fwd+argmax", s, Timing.ms(reps, () -> backend.maxPool2dForward(pool, x, pooled, argmax)).median(),
                            bytes + bytes / 4 + bytes / 16, copy, memory));
                    results.add(result("max pool 2x2 backward", s, Timing.ms(reps, () -> backend.maxPool2dBackward(pool, argmax, pooled, z)).median(),
                            bytes + bytes / 4 + bytes / 16, copy, memory));
                }
            }
        }
        return results;
    }

    /** {@code bytes} moved in {@code ms}, as GB/s and as percentages of the two copy probes' GB/s. */
    private static Result result(String op, String shape, double ms, long bytes, double copyGbs, double memoryGbs) {
        double gbs = bytes / (ms * 1e-3) * 1e-9;
        return new Result(op, shape, ms, gbs, 100 * gbs / copyGbs, 100 * gbs / memoryGbs);
    }
}
