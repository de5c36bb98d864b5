package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.nn.Convolutional;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Profiler;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;

/**
 * Times a whole zoo network on random data: inference latency at batch 1 and throughput at batch mb,
 * or the time of one training step (forward, cross-entropy, backward, Adam) at batch mb; plus the
 * per-layer breakdown of one pass (which convolution algorithm ran, ms, % of the total), the NCHW/NHWC
 * reorders of one pass (also those inside oneDNN calls), and the peak of off-heap tensor memory. Inputs
 * have the shape and labels the class count of the network's zoo entry, and are channels-last on the
 * native backend, as the data loader makes them.
 */
public final class NetworkBenchmark {
    /** Passes behind the per-layer breakdown. */
    private static final int PROFILED_PASSES = 5;

    /** One layer's share of a pass. */
    public record LayerTime(String name, String description, String algorithm, double forwardMs, double backwardMs) {
    }

    /** What one pass does: its layers' times, its reorders and its peak of tensor memory. */
    public record Profile(long reordersPerPass, long peakBytes, List<LayerTime> layers) {
    }

    private final Module model;
    private final Zoo.Entry design;

    /** Times {@code model} (built from {@code design}, perhaps fused since) on the input and classes {@code design} names. */
    public NetworkBenchmark(Module model, Zoo.Entry design) {
        this.model = model;
        this.design = design;
    }

    /** The shape of a batch of {@code mb} inputs. */
    public Shape inputShape(int mb) {
        return Shape.of(mb, design.channels(), design.height(), design.width());
    }

    /** How many classes the labels of a training step range over. */
    public int classes() {
        return design.classes();
    }

    /** Median batch-1 latency (ms) over {@code reps} runs after {@link Timing}'s warm-up. */
    public double latencyMs(int reps) {
        model.eval();
        try (Tensor x = random(1)) {
            return Timing.ms(reps, () -> model.forward(x)).median();
        }
    }

    /** Images per second at batch {@code mb} in inference. */
    public double throughput(int mb, int reps) {
        model.eval();
        try (Tensor x = random(mb)) {
            return mb / Timing.ms(reps, () -> model.forward(x)).median() * 1000;
        }
    }

    /** Median ms of one training step at batch {@code mb}. */
    public double stepMs(Trainer trainer, int mb, int reps) {
        try (Tensor x = random(mb); Tensor y = labels(mb)) {
            return Timing.ms(reps, () -> trainer.step(x, y)).median();
        }
    }

    public Trainer trainer(Adam adam) {
        return new Trainer(model, adam, null).console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false);
    }

    /**
     * The per-layer breakdown (each layer's median over {@code PROFILED_PASSES} passes: one pass is at the
     * mercy of a page fault or a preempted thread), reorders and memory peak of a pass (a step in
     * training, a forward otherwise).
     */
    public Profile profile(String mode, int mb, Trainer trainer) {
        try (Tensor x = random(mb); Tensor y = labels(mb)) {
            Runnable pass = mode.equals("training") ? () -> trainer.step(x, y) : () -> model.forward(x);
            if (!mode.equals("training")) {
                model.eval();
            }
            pass.run();
            Tensor.resetPeakBytes();
            long reorders = layoutCopies();
            pass.run();
            long reordered = layoutCopies() - reorders;
            Map<String, List<long[]>> passes = new LinkedHashMap<>();
            for (int p = 0; p < PROFILED_PASSES; p++) {
                Profiler.enable(true);
                pass.run();
                Profiler.enable(false);
                Profiler.figures().forEach((name, t) -> passes.computeIfAbsent(name, k -> new ArrayList<>()).add(t));
            }
            List<LayerTime> layers = new ArrayList<>();
            Graph plan = model instanceof Graph g ? g.lastPlan() : null;
            passes.forEach((name, t) -> {
                // a node of a nested graph has no module at the top level: its row keeps its name
                Module m = plan == null ? model : plan.nodeNames().contains(name) ? plan.module(name) : null;
                List<String> inside = plan == null ? List.of() : plan.absorbedInto(name);
                String what = (m == null ? name : m.describe()) + (inside.isEmpty() ? "" : " (runs " + String.join(", ", inside) + ")");
                layers.add(new LayerTime(name, what, algorithm(m, mode), medianMs(t, 0), medianMs(t, 1)));
            });
            return new Profile(reordered, Tensor.peakBytes(), layers);
        }
    }

    /** Activation reorders so far: cnn4j's own, and the copies oneDNN's convolutions made inside their calls. */
    private static long layoutCopies() {
        return Tensor.reorders() + (Backends.current() instanceof NativeBackend ? NativeLibrary.onednnActivationCopies() : 0);
    }

    private static double medianMs(List<long[]> passes, int direction) {
        return new Timing.Samples(passes.stream().mapToDouble(t -> t[direction] * 1e-6).toArray()).median();
    }

    /** The algorithm of a convolution, in short names; in training forward/backward-data/backward-weights. */
    private static String algorithm(Module m, String mode) {
        if (!(m instanceof Convolutional conv) || conv.lastSpec() == null || !(Backends.current() instanceof NativeBackend nb)) {
            return "";
        }
        List<ConvDirection> directions = mode.equals("training") ? List.of(ConvDirection.values()) : List.of(ConvDirection.FORWARD);
        return String.join("/", directions.stream().map(d -> shortName(nb.convolutionChoice(d, conv.lastSpec()))).toList());
    }

    private static String shortName(ConvAlgorithm a) {
        return a == null ? "autotune" : switch (a) {
            case IM2COL_GEMM -> "im2col";
            case WINOGRAD_2X2_3X3 -> "wino2x2";
            case WINOGRAD_4X4_3X3 -> "wino4x4";
            case WINOGRAD_1D_F4_3 -> "wino1d4";
            case WINOGRAD_1D_F6_3 -> "wino1d6";
            default -> a.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The input of {@link #latencyMs}, {@link #throughput} and {@link #stepMs} at batch {@code mb}, in NCHW order: what the peers get. */
    public float[] input(int mb) {
        try (Tensor x = random(mb)) {
            return x.toArray();
        }
    }

    /** The labels of a training step at batch {@code mb}. */
    public int[] labelValues(int mb) {
        try (Tensor y = labels(mb)) {
            float[] v = y.toArray();
            int[] out = new int[mb];
            for (int i = 0; i < mb; i++) {
                out[i] = (int) v[i];
            }
            return out;
        }
    }

    /** One pass as a peer's session returns it ({@link PeerSession#run}): the logits at batch {@code mb}, or with a trainer a step's loss. */
    public float[] output(int mb, Trainer trainer) {
        try (Tensor x = random(mb); Tensor y = labels(mb)) {
            if (trainer != null) {
                return new float[] {(float) trainer.step(x, y)};
            }
            model.eval();
            return model.forward(x).toArray();
        }
    }

    private Tensor random(int mb) {
        return RandomTensors.uniform(inputShape(mb), Backends.current().activationLayout(), mb);
    }

    private Tensor labels(int mb) {
        float[] v = new float[mb];
        for (int i = 0; i < mb; i++) {
            v[i] = i % classes();
        }
        return Tensor.of(v, mb);
    }

    /** Seeds the weights so repeated benchmarks time the same network. */
    public static void seed() {
        Init.manualSeed(1);
    }
}
