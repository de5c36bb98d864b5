package org.cnn4j.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;

/**
 * {@code cnn4j bench --network}: a zoo network timed by {@link NetworkBenchmark} as cnn4j runs it, the same network with
 * every convolution on oneDNN (what oneDNN's primitives alone give, the baseline of cnn4j's own kernels), and the
 * {@link Peers} on the class path (ONNX Runtime, and PyTorch 2.10 when {@code benchmarks/peers} is built) running the
 * same network with the same weights, input and threads. The peers get the network before {@code --fuse} (each fuses in
 * its own way). All alternate for {@code rounds} rounds, a block of timed calls each, and each ratio (cnn4j time / the
 * other's: below 1 is faster) is taken round by round, so drift of the machine cancels; the medians are reported.
 */
public final class NetworkBenchRun {
    private NetworkBenchRun() {
    }

    /**
     * Runs the benchmark, prints the report and returns it as a JSON-ready map; {@code more} peers come after the ones
     * found (cnn4j's own int8 and bf16 paths: {@link LowPrecisionPeer}).
     */
    public static Map<String, Object> run(String network, String mode, int mb, int reps, int rounds, int threads, boolean fuse,
                                          List<Peer> more, PrintStream out) {
        Zoo.Entry design = Zoo.entry(network);
        NetworkBenchmark.seed();
        boolean training = mode.equals("training");
        int batchReps = Math.max(3, reps / 2);
        Side ours = new Side(null), plain = new Side(Backends.current() instanceof NativeBackend ? null : "oneDNN runs on the native backend only");
        Peers.Found found = Peers.find();
        List<PeerRun> peers = new ArrayList<>();
        NetworkBenchmark.Profile profile;
        long held;
        try (Module built = design.build(); Adam adam = training ? Adam.of(built.parameters(), (float) PeerTask.LEARNING_RATE) : null) {
            // inference may run the BN-folded, ReLU-fused copy
            Module model = fuse && !training ? org.cnn4j.nn.fuse.InferenceFusion.fuse(built) : built;
            NetworkBenchmark bench = new NetworkBenchmark(model, design);
            Trainer trainer = training ? bench.trainer(adam) : null;
            held = Tensor.liveBytes(); // before any pass: the parameters (both copies when fused) and Adam's state
            out.printf("bench %s%s, %s, batch %d, input %dx%dx%d, %d classes, %,d parameters, %d threads%n", network,
                    model != built ? " (conv+BN+ReLU fused)" : "", mode, training ? mb : 1, design.channels(), design.height(),
                    design.width(), design.classes(), model.parameterCount(), threads);
            // the peers copy the weights before cnn4j's first step changes them
            PeerTask timed = task(built, bench, training ? mb : 1, training, threads), batch = training ? null : task(built, bench, mb, false, threads);
            for (Peer p : found.peers()) {
                peers.add(PeerRun.open(p, timed, batch));
            }
            for (Peer p : more) {
                peers.add(PeerRun.open(p, timed, batch));
            }
            float[] mine = bench.output(mb, trainer);
            peers.forEach(p -> p.compare(mine));
            for (int r = 0; r < rounds; r++) {
                double[] m = ours.add(bench, trainer, mb, reps, batchReps, null);
                if (plain.unavailable == null) {
                    ExecutionOptions.current().withAlgorithm(ConvAlgorithm.ONEDNN).run(() -> plain.add(bench, trainer, mb, reps, batchReps, m));
                }
                peers.forEach(p -> p.round(reps, m[0], batchReps, m[1]));
            }
            profile = bench.profile(mode, mb, trainer); // at the batch of the throughput, where algorithms part most
            if (model != built) {
                model.close(); // the folded convolutions; the layers it shares with built are closed twice, harmlessly
            }
        } finally {
            peers.forEach(PeerRun::close);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "network");
        doc.put("network", network);
        doc.put("mode", mode);
        doc.put("batch", mb);
        doc.put("threads", threads);
        doc.put("fused", fuse && !training);
        String metric = training ? "step_ms" : "latency_ms";
        doc.put("cnn4j", ours.figures(metric, false));
        doc.put("onednn", plain.figures(metric, true));
        List<String> peerIds = new ArrayList<>();
        for (PeerRun p : peers) {
            doc.put(p.peer().id(), p.figures(metric, mb));
            peerIds.add(p.peer().id());
        }
        doc.put("peers", peerIds);
        doc.put("reorders_per_pass", profile.reordersPerPass());
        doc.put("peak_tensor_bytes", profile.peakBytes());
        doc.put("model_tensor_bytes", held);
        List<Map<String, Object>> layers = new ArrayList<>();
        double total = profile.layers().stream().mapToDouble(l -> l.forwardMs() + l.backwardMs()).sum();
        for (NetworkBenchmark.LayerTime l : profile.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l.name());
            m.put("description", l.description());
            m.put("algorithm", l.algorithm());
            m.put("forward_ms", l.forwardMs());
            m.put("backward_ms", l.backwardMs());
            m.put("percent", 100 * (l.forwardMs() + l.backwardMs()) / total);
            layers.add(m);
        }
        doc.put("layers", layers);
        print(doc, training, found.problems(), out);
        return doc;
    }

    /** What a peer gets: the network, {@code bench}'s input at batch {@code mb} and its labels, the threads. */
    private static PeerTask task(Module network, NetworkBenchmark bench, int mb, boolean training, int threads) {
        int[] dims = bench.inputShape(mb).dims();
        return new PeerTask(network, dims, bench.input(mb), training, training ? bench.labelValues(mb) : null, bench.classes(), threads, null);
    }

    /** cnn4j's figures round by round (time; ms per batch in inference; with {@code mine}, cnn4j's time over its own), or why it has none. */
    private static final class Side {
        final List<Double> times = new ArrayList<>(), throughputs = new ArrayList<>(), ratios = new ArrayList<>(),
                batchRatios = new ArrayList<>();
        String unavailable;

        Side(String unavailable) {
            this.unavailable = unavailable;
        }

        /**
         * Times a round on {@code bench} (a training step with a trainer, else latency and throughput); returns the time
         * and, in inference, the ms per batch of {@code mb}. {@code mine} is cnn4j's of the same round, or null for cnn4j.
         */
        double[] add(NetworkBenchmark bench, Trainer trainer, int mb, int reps, int batchReps, double[] mine) {
            double time = trainer != null ? bench.stepMs(trainer, mb, reps) : bench.latencyMs(reps);
            double batchMs = trainer != null ? Double.NaN : mb / bench.throughput(mb, batchReps) * 1000;
            times.add(time);
            if (trainer == null) {
                throughputs.add(mb / batchMs * 1000);
            }
            if (mine != null) {
                ratios.add(mine[0] / time);
                if (trainer == null) {
                    batchRatios.add(mine[1] / batchMs);
                }
            }
            return new double[] {time, batchMs};
        }

        /** The medians (and with {@code ratio} the ratios' medians and every round's), for the JSON document. */
        Map<String, Object> figures(String metric, boolean ratio) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (unavailable != null || times.isEmpty()) {
                m.put("unavailable", unavailable);
                return m;
            }
            m.put(metric, Timing.Samples.of(times).median());
            m.put("round_" + metric, times);
            if (!throughputs.isEmpty()) {
                m.put("throughput", Timing.Samples.of(throughputs).median());
            }
            if (ratio) {
                m.put("ratio_" + metric, Timing.Samples.of(ratios).median());
                m.put("round_ratios", ratios);
                if (!batchRatios.isEmpty()) {
                    m.put("ratio_batch_ms", Timing.Samples.of(batchRatios).median());
                    m.put("round_batch_ratios", batchRatios);
                }
            }
            return m;
        }
    }

    private static final String ROW = "%-36s", CELL = " %22s";

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> doc, boolean training, List<String> problems, PrintStream out) {
        String metric = training ? "step_ms" : "latency_ms";
        List<String> names = new ArrayList<>(List.of("cnn4j", "oneDNN convs"));
        List<Map<String, Object>> sides = new ArrayList<>(List.of((Map<String, Object>) doc.get("cnn4j"), (Map<String, Object>) doc.get("onednn")));
        for (String id : (List<String>) doc.get("peers")) {
            Map<String, Object> p = (Map<String, Object>) doc.get(id);
            names.add(p.get("name") + (p.containsKey("version") ? " " + p.get("version") : ""));
            sides.add(p);
        }
        out.println();
        row(out, "", names);
        row(out, training ? "training step, ms (median)" : "batch-1 latency, ms (median)", cells(sides, metric, "%.2f"));
        row(out, "  cnn4j / it, median (rounds)", ratios(sides, "ratio_" + metric, "round_ratios"));
        if (!training) {
            row(out, "throughput at batch " + doc.get("batch") + ", images/s", cells(sides, "throughput", "%.1f"));
            row(out, "  cnn4j / it, time per batch (rounds)", ratios(sides, "ratio_batch_ms", "round_batch_ratios"));
        }
        row(out, training ? "first step's loss, difference" : "output difference / output scale", cells(sides, "max_difference", "%.1e"));
        out.println("(ratios below 1: cnn4j is faster; the peers run the network " + (doc.get("fused") == Boolean.TRUE ? "before fusion, " : "")
                + "with cnn4j's weights on the same input and threads)");
        for (int i = 1; i < sides.size(); i++) {
            if (sides.get(i).get("unavailable") != null) {
                out.println(names.get(i) + ": " + sides.get(i).get("unavailable"));
            }
        }
        problems.forEach(out::println);
        out.printf("reorders per pass: %s, peak tensor memory: %.1f MiB (%.1f MiB of it %s)%n", doc.get("reorders_per_pass"),
                ((Long) doc.get("peak_tensor_bytes")) / 1048576.0, ((Long) doc.get("model_tensor_bytes")) / 1048576.0,
                training ? "parameters and Adam's state" : doc.get("fused") == Boolean.TRUE ? "parameters, fused and unfused" : "parameters");
        List<Map<String, Object>> layers = (List<Map<String, Object>>) doc.get("layers");
        int nameWidth = layers.stream().mapToInt(l -> String.valueOf(l.get("layer")).length()).max().orElse(0);
        String row = "%-" + Math.max(16, nameWidth) + "s %-44s %-28s ";
        out.printf("%n" + row + "%9s %9s %6s%n", "layer", "(one pass at batch " + doc.get("batch") + ")", "algorithm", "fwd ms", "bwd ms", "%");
        for (Map<String, Object> l : layers) {
            String d = String.valueOf(l.get("description"));
            out.printf(row + "%9.3f %9.3f %5.1f%%%n", l.get("layer"), d.length() > 44 ? d.substring(0, 44) : d, l.get("algorithm"),
                    (Double) l.get("forward_ms"), (Double) l.get("backward_ms"), (Double) l.get("percent"));
        }
    }

    private static void row(PrintStream out, String label, List<String> cells) {
        StringBuilder b = new StringBuilder(String.format(ROW, label));
        cells.forEach(c -> b.append(String.format(CELL, c)));
        out.println(b.toString().stripTrailing());
    }

    private static List<String> cells(List<Map<String, Object>> sides, String key, String format) {
        return sides.stream().map(s -> s.get(key) instanceof Double d ? String.format(format, d) : s == sides.get(0) ? "" : "-").toList();
    }

    /** Each side's median ratio with the range of its per-round ratios, which the median hides. */
    private static List<String> ratios(List<Map<String, Object>> sides, String key, String rounds) {
        return sides.stream().map(s -> {
            if (!(s.get(key) instanceof Double median)) {
                return s == sides.get(0) ? "" : "-";
            }
            double[] v = ((List<?>) s.get(rounds)).stream().mapToDouble(x -> (Double) x).toArray();
            return v.length < 2 ? String.format("%.2fx", median)
                    : String.format("%.2fx (%.2f-%.2f)", median, Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow());
        }).toList();
    }
}
