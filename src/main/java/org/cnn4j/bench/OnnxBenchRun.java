package org.cnn4j.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.onnx.OnnxModel;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * {@code cnn4j bench --onnx FILE}: one ONNX file imported and run by cnn4j, beside the {@link Peers} on the same input
 * and threads: ONNX Runtime runs the file itself with its default optimisations, PyTorch (when {@code benchmarks/peers}
 * is built) the network cnn4j imported, with its weights. Each round times {@code reps} calls of cnn4j and then of each
 * peer, each after {@link Timing}'s warm-up, and takes the ratio of the medians (cnn4j over the peer: below 1 is faster);
 * the report gives the medians over rounds and the ratio's spread, and the largest difference between the outputs
 * relative to the output's scale. Blocks, not call-by-call alternation: each engine's threads spin a while after a call,
 * and on two cores that spin would be timed as the other's.
 */
public final class OnnxBenchRun {
    private OnnxBenchRun() {
    }

    /** Runs the benchmark, prints the report and returns it as a JSON-ready map. */
    public static Map<String, Object> run(Path file, int mb, int reps, int rounds, int threads, boolean fuse, PrintStream out)
            throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        try (OnnxModel model = OnnxModel.load(file)) {
            int[] s = model.inputShape();
            int[] dims = new int[s.length + 1];
            dims[0] = mb;
            System.arraycopy(s, 0, dims, 1, s.length);
            float[] x = uniform(Arrays.stream(dims).reduce(1, (a, b) -> a * b));
            Module net = fuse ? InferenceFusion.fuse(model.graph()) : model.graph();
            net.eval();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kind", "onnx");
            doc.put("file", file.toString());
            doc.put("batch", mb);
            doc.put("threads", threads);
            doc.put("fused", fuse);
            out.printf("bench %s%s, batch %d, input %s, %d layers, %,d parameters, %d threads%n", file.getFileName(),
                    fuse ? " (conv+BN+ReLU fused)" : "", mb, Arrays.toString(s), model.graph().nodes().size(),
                    model.graph().parameterCount(), threads);
            int outputs = Arrays.stream(model.graph().outputShape(s)).reduce(1, (a, b) -> a * b);
            PeerTask task = new PeerTask(model.graph(), dims, x, false, null, outputs, threads,
                    new PeerTask.OnnxFile(bytes, model.channelsLastInput(), model.signalInput(), model.endsInSoftmax()));
            Peers.Found found = Peers.find();
            List<PeerRun> peers = new ArrayList<>();
            try (Tensor in = Tensor.of(x, dims)) {
                Runnable ours = () -> net.forward(in);
                for (Peer p : found.peers()) {
                    peers.add(PeerRun.open(p, task, null));
                }
                float[] mine = net.forward(in).toArray();
                float[] reference = model.endsInSoftmax() ? softmax(mine, mb) : mine; // the peers run the file's softmax too
                peers.forEach(p -> p.compare(reference));
                List<Double> ms = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    double t = Timing.ms(reps, ours).median();
                    ms.add(t);
                    peers.forEach(p -> p.round(reps, t, 0, Double.NaN));
                }
                doc.put("cnn4j", side(ms, mb));
            } finally {
                peers.forEach(PeerRun::close);
                if (net != model.graph()) {
                    net.close(); // the folded copy; the layers it shares with the graph are closed twice, harmlessly
                }
            }
            List<String> ids = new ArrayList<>();
            for (PeerRun p : peers) {
                Map<String, Object> f = p.figures("ms", mb);
                if (f.get("ms") instanceof Double t) {
                    f.put("images_per_s", mb / t * 1000);
                }
                doc.put(p.peer().id(), f);
                ids.add(p.peer().id());
            }
            doc.put("peers", ids);
            print(doc, found.problems(), out);
            return doc;
        }
    }

    private static Map<String, Object> side(List<Double> ms, int mb) {
        Map<String, Object> m = new LinkedHashMap<>();
        double median = Timing.Samples.of(ms).median();
        m.put("ms", median);
        m.put("images_per_s", mb / median * 1000);
        m.put("round_ms", ms);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> doc, List<String> problems, PrintStream out) {
        Map<String, Object> mine = (Map<String, Object>) doc.get("cnn4j");
        out.printf("%n%-30s %10s %14s %8s%n", "", "ms per batch", "images/s", "ratio");
        out.printf("%-30s %10.2f %14.1f%n", "cnn4j (median)", (Double) mine.get("ms"), (Double) mine.get("images_per_s"));
        List<String> reasons = new ArrayList<>();
        for (String id : (List<String>) doc.get("peers")) {
            Map<String, Object> p = (Map<String, Object>) doc.get(id);
            if (!(p.get("ms") instanceof Double t)) {
                reasons.add(p.get("name") + ": " + p.get("unavailable"));
                continue;
            }
            List<Double> r = (List<Double>) p.get("round_ratios");
            out.printf("%-30s %10.2f %14.1f %7.2fx  rounds %.2f-%.2fx, output difference %s of its scale%n", p.get("name") + " " + p.get("version"),
                    t, (Double) p.get("images_per_s"), (Double) p.get("ratio_ms"), r.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    r.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    p.get("max_difference") instanceof Double d ? String.format("%.2e", d) : "-");
        }
        out.println("(ratio: cnn4j's time over the peer's, below 1 is faster)");
        reasons.forEach(out::println);
        problems.forEach(out::println);
    }

    /** Uniform in [-1, 1), seeded: the same input on every run. */
    private static float[] uniform(int count) {
        Random r = new Random(20);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** {@code x} of NCHW shape {@code d} in NHWC memory order, as an NHWC file's input takes it. */
    public static float[] toNhwc(float[] x, int[] d) {
        try (Tensor nchw = Tensor.of(x, d); Tensor nhwc = nchw.toLayout(Layout.NHWC)) {
            float[] y = new float[x.length];
            nhwc.buffer().get(y);
            return y;
        }
    }

    private static float[] softmax(float[] logits, int n) {
        try (Tensor z = Tensor.of(logits, n, logits.length / n); Tensor p = Tensor.zeros(n, logits.length / n)) {
            Loss.softmax(z, p);
            return p.toArray();
        }
    }
}
