package org.cnn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;

/**
 * {@code cnn4j bench --network}: a zoo network timed by {@link NetworkBenchmark}, and PyTorch's figure
 * for the same network on this machine when it is installed. The two alternate for {@code rounds}
 * rounds and the ratio (cnn4j time / PyTorch time: below 1 is faster) is taken round by round, so drift
 * of the machine cancels; the medians are reported.
 */
public final class NetworkBenchRun {
    private NetworkBenchRun() {
    }

    /** Runs the benchmark, prints the report and returns it as a JSON-ready map. */
    public static Map<String, Object> run(String network, String mode, int mb, int reps, int rounds, int threads, boolean fuse,
                                          PyTorchRunner torch, PrintStream out) throws IOException {
        boolean fmnist = network.startsWith("fmnist");
        int c = fmnist ? 1 : 3, hw = fmnist ? 28 : 224, classes = fmnist ? 10 : 1000;
        NetworkBenchmark.seed();
        boolean training = mode.equals("training");
        return measure(network, mode, mb, reps, rounds, threads, fuse, torch, out, training, c, hw, classes);
    }

    private static Map<String, Object> measure(String network, String mode, int mb, int reps, int rounds, int threads, boolean fuse,
                                               PyTorchRunner torch, PrintStream out, boolean training, int c, int hw, int classes)
            throws IOException {
        List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>(), ratios = new ArrayList<>(), ours2 = new ArrayList<>(),
                theirs2 = new ArrayList<>();
        String torchNote = torch.unavailable();
        String torchVersion = null;
        NetworkBenchmark.Result profile;
        try (Module built = Zoo.build(network, c, hw, hw, classes); Adam adam = Adam.of(built.parameters(), 1e-3f)) {
            // inference may run the BN-folded, ReLU-fused copy
            Module model = fuse && !training ? org.cnn4j.nn.InferenceFusion.fuse(built) : built;
            NetworkBenchmark bench = new NetworkBenchmark(network, model, c, hw, hw, classes);
            Trainer trainer = bench.trainer(adam);
            out.printf("bench %s%s, %s, batch %d, %,d parameters, %d threads%n", network, model != built ? " (conv+BN+ReLU fused)" : "",
                    mode, training ? mb : 1, model.parameterCount(), threads);
            for (int r = 0; r < rounds; r++) {
                double mine = training ? bench.stepMs(trainer, mb, reps) : bench.latencyMs(reps);
                ours.add(mine);
                if (!training) {
                    ours2.add(bench.throughput(mb, Math.max(3, reps / 2)));
                }
                if (torchNote == null) {
                    JsonNode t = torch.run(network, mode, mb, reps, threads);
                    if (t.has("error")) {
                        torchNote = "PyTorch cannot build " + network + ": " + t.get("error").asText();
                    } else {
                        torchVersion = t.path("torch").asText();
                        double their = training ? t.get("step_ms").asDouble() : t.get("latency_ms").asDouble();
                        theirs.add(their);
                        ratios.add(mine / their);
                        if (!training) {
                            theirs2.add(t.get("throughput").asDouble());
                        }
                    }
                }
            }
            profile = bench.profile(mode, training ? mb : 1, median(ours), training ? Double.NaN : median(ours2),
                    training ? median(ours) : Double.NaN, trainer);
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
        Map<String, Object> mine = new LinkedHashMap<>();
        String metric = training ? "step_ms" : "latency_ms";
        mine.put(metric, median(ours));
        if (!training) {
            mine.put("throughput", median(ours2));
        }
        doc.put("cnn4j", mine);
        Map<String, Object> their = new LinkedHashMap<>();
        if (torchNote != null || theirs.isEmpty()) {
            their.put("unavailable", torchNote);
        } else {
            their.put("version", torchVersion);
            their.put(metric, median(theirs));
            if (!training) {
                their.put("throughput", median(theirs2));
            }
            their.put("ratio_" + metric, median(ratios));
        }
        doc.put("pytorch", their);
        doc.put("reorders_per_pass", profile.reordersPerPass());
        doc.put("peak_tensor_bytes", profile.peakBytes());
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

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> doc, boolean training, PrintStream out) {
        Map<String, Object> mine = (Map<String, Object>) doc.get("cnn4j"), their = (Map<String, Object>) doc.get("pytorch");
        String metric = training ? "step_ms" : "latency_ms";
        out.printf("%n%-34s %12s %12s %8s%n", "", "cnn4j", "PyTorch", "ratio");
        String t = their.containsKey("unavailable") ? String.valueOf(their.get("unavailable")) : null;
        out.printf("%-34s %12.2f %12s %8s%n", training ? "training step, ms (median)" : "batch-1 latency, ms (median)",
                (Double) mine.get(metric), t == null ? String.format("%.2f", (Double) their.get(metric)) : "-",
                t == null ? String.format("%.2fx", (Double) their.get("ratio_" + metric)) : "-");
        if (!training) {
            out.printf("%-34s %12.1f %12s%n", "throughput at batch " + doc.get("batch") + ", images/s", (Double) mine.get("throughput"),
                    t == null ? String.format("%.1f", (Double) their.get("throughput")) : "-");
        }
        if (t != null) {
            out.println("PyTorch: " + t);
        }
        out.printf("reorders per pass: %s, peak tensor memory: %.1f MiB%n", doc.get("reorders_per_pass"),
                ((Long) doc.get("peak_tensor_bytes")) / 1048576.0);
        out.printf("%n%-16s %-44s %-28s %9s %9s %6s%n", "layer", "", "algorithm", "fwd ms", "bwd ms", "%");
        for (Map<String, Object> l : (List<Map<String, Object>>) doc.get("layers")) {
            String d = String.valueOf(l.get("description"));
            out.printf("%-16s %-44s %-28s %9.3f %9.3f %5.1f%%%n", l.get("layer"), d.length() > 44 ? d.substring(0, 44) : d, l.get("algorithm"),
                    (Double) l.get("forward_ms"), (Double) l.get("backward_ms"), (Double) l.get("percent"));
        }
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
