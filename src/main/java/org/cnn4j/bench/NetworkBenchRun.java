package org.cnn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * {@code cnn4j bench --network}: a zoo network timed by {@link NetworkBenchmark} as cnn4j runs it, the
 * same network with every convolution on oneDNN (what oneDNN's primitives alone give, the baseline of
 * cnn4j's own kernels), and PyTorch's figure for the same network on this machine when it is installed.
 * The three alternate for {@code rounds} rounds and each ratio (cnn4j time / the other's: below 1 is
 * faster) is taken round by round, so drift of the machine cancels; the medians are reported.
 */
public final class NetworkBenchRun {
    private NetworkBenchRun() {
    }

    /** Runs the benchmark, prints the report and returns it as a JSON-ready map. */
    public static Map<String, Object> run(String network, String mode, int mb, int reps, int rounds, int threads, boolean fuse,
                                          PyTorchRunner torch, PrintStream out) throws IOException {
        Zoo.Entry design = Zoo.entry(network);
        NetworkBenchmark.seed();
        boolean training = mode.equals("training");
        Side ours = new Side(null), plain = new Side(Backends.current() instanceof NativeBackend ? null : "oneDNN runs on the native backend only"),
                theirs = new Side(torch.unavailable());
        NetworkBenchmark.Profile profile;
        long held;
        try (Module built = design.build(); Adam adam = training ? Adam.of(built.parameters(), 1e-3f) : null) {
            // inference may run the BN-folded, ReLU-fused copy
            Module model = fuse && !training ? org.cnn4j.nn.fuse.InferenceFusion.fuse(built) : built;
            NetworkBenchmark bench = new NetworkBenchmark(model, design);
            Trainer trainer = training ? bench.trainer(adam) : null;
            held = Tensor.liveBytes(); // before any pass: the parameters (both copies when fused) and Adam's state
            out.printf("bench %s%s, %s, batch %d, input %dx%dx%d, %d classes, %,d parameters, %d threads%n", network,
                    model != built ? " (conv+BN+ReLU fused)" : "", mode, training ? mb : 1, design.channels(), design.height(),
                    design.width(), design.classes(), model.parameterCount(), threads);
            for (int r = 0; r < rounds; r++) {
                double mine = ours.add(bench, trainer, mb, reps, Double.NaN);
                if (plain.unavailable == null) {
                    ExecutionOptions.current().withAlgorithm(ConvAlgorithm.ONEDNN).run(() -> plain.add(bench, trainer, mb, reps, mine));
                }
                if (theirs.unavailable == null) {
                    JsonNode t = torch.run(network, mode, mb, reps, threads);
                    if (t.has("error")) {
                        theirs.unavailable = "PyTorch cannot build " + network + ": " + t.get("error").asText();
                    } else {
                        theirs.version = t.path("torch").asText();
                        theirs.add(t.get(training ? "step_ms" : "latency_ms").asDouble(),
                                training ? Double.NaN : t.get("throughput").asDouble(), mine);
                    }
                }
            }
            profile = bench.profile(mode, training ? mb : 1, trainer);
            if (model != built) {
                model.close(); // the folded convolutions; the layers it shares with built are closed twice, harmlessly
            }
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
        doc.put("pytorch", theirs.figures(metric, true));
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
        print(doc, training, out);
        return doc;
    }

    /** One side's figures round by round (time, throughput in inference, cnn4j's time over its own), or why it has none. */
    private static final class Side {
        final List<Double> times = new ArrayList<>(), throughputs = new ArrayList<>(), ratios = new ArrayList<>();
        String unavailable, version;

        Side(String unavailable) {
            this.unavailable = unavailable;
        }

        /** Times a round on {@code bench} (a training step with a trainer, else latency and throughput); returns the time. */
        double add(NetworkBenchmark bench, Trainer trainer, int mb, int reps, double mine) {
            double time = trainer != null ? bench.stepMs(trainer, mb, reps) : bench.latencyMs(reps);
            add(time, trainer != null ? Double.NaN : bench.throughput(mb, Math.max(3, reps / 2)), Double.isNaN(mine) ? time : mine);
            return time;
        }

        void add(double time, double throughput, double mine) {
            times.add(time);
            if (!Double.isNaN(throughput)) {
                throughputs.add(throughput);
            }
            ratios.add(mine / time);
        }

        /** The medians (and with {@code ratio} the ratio's median and every round's), for the JSON document. */
        Map<String, Object> figures(String metric, boolean ratio) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (unavailable != null || times.isEmpty()) {
                m.put("unavailable", unavailable);
                return m;
            }
            if (version != null) {
                m.put("version", version);
            }
            m.put(metric, Timing.Samples.of(times).median());
            if (!throughputs.isEmpty()) {
                m.put("throughput", Timing.Samples.of(throughputs).median());
            }
            if (ratio) {
                m.put("ratio_" + metric, Timing.Samples.of(ratios).median());
                m.put("round_ratios", ratios);
            }
            return m;
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> doc, boolean training, PrintStream out) {
        Map<String, Object> mine = (Map<String, Object>) doc.get("cnn4j"), plain = (Map<String, Object>) doc.get("onednn"),
                their = (Map<String, Object>) doc.get("pytorch");
        String metric = training ? "step_ms" : "latency_ms";
        out.printf("%n%-34s %10s %13s %10s %10s %11s%n", "", "cnn4j", "oneDNN convs", "PyTorch", "vs oneDNN", "vs PyTorch");
        out.printf("%-34s %10.2f %13s %10s %10s %11s%n", training ? "training step, ms (median)" : "batch-1 latency, ms (median)",
                (Double) mine.get(metric), figure(plain, metric, "%.2f"), figure(their, metric, "%.2f"),
                figure(plain, "ratio_" + metric, "%.2fx"), figure(their, "ratio_" + metric, "%.2fx"));
        if (!training) {
            out.printf("%-34s %10.1f %13s %10s%n", "throughput at batch " + doc.get("batch") + ", images/s", (Double) mine.get("throughput"),
                    figure(plain, "throughput", "%.1f"), figure(their, "throughput", "%.1f"));
        }
        spread("oneDNN convs", plain, out);
        spread("PyTorch", their, out);
        if (plain.containsKey("unavailable")) {
            out.println("oneDNN: " + plain.get("unavailable"));
        }
        if (their.containsKey("unavailable")) {
            out.println("PyTorch: " + their.get("unavailable"));
        }
        out.printf("reorders per pass: %s, peak tensor memory: %.1f MiB (%.1f MiB of it %s)%n", doc.get("reorders_per_pass"),
                ((Long) doc.get("peak_tensor_bytes")) / 1048576.0, ((Long) doc.get("model_tensor_bytes")) / 1048576.0,
                training ? "parameters and Adam's state" : doc.get("fused") == Boolean.TRUE ? "parameters, fused and unfused" : "parameters");
        List<Map<String, Object>> layers = (List<Map<String, Object>>) doc.get("layers");
        int nameWidth = layers.stream().mapToInt(l -> String.valueOf(l.get("layer")).length()).max().orElse(0);
        String row = "%-" + Math.max(16, nameWidth) + "s %-44s %-28s ";
        out.printf("%n" + row + "%9s %9s %6s%n", "layer", "", "algorithm", "fwd ms", "bwd ms", "%");
        for (Map<String, Object> l : layers) {
            String d = String.valueOf(l.get("description"));
            out.printf(row + "%9.3f %9.3f %5.1f%%%n", l.get("layer"), d.length() > 44 ? d.substring(0, 44) : d, l.get("algorithm"),
                    (Double) l.get("forward_ms"), (Double) l.get("backward_ms"), (Double) l.get("percent"));
        }
    }

    /** The range of a side's per-round ratios, which the median hides. */
    private static void spread(String name, Map<String, Object> side, PrintStream out) {
        if (side.get("round_ratios") instanceof List<?> r && r.size() > 1) {
            double[] v = r.stream().mapToDouble(x -> (Double) x).toArray();
            out.printf("ratio to %s round by round: %.2f-%.2fx over %d rounds%n", name, Arrays.stream(v).min().orElseThrow(),
                    Arrays.stream(v).max().orElseThrow(), v.length);
        }
    }

    private static String figure(Map<String, Object> side, String key, String format) {
        return side.containsKey(key) ? String.format(format, (Double) side.get(key)) : "-";
    }
}
